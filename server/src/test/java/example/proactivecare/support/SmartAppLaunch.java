package example.proactivecare.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SMART standalone launch done as a browser does it, over real HTTP against the embedded authorization server:
 * the authorization request with PKCE (S256), the login form, the patient picker when {@code launch/patient} is
 * asked for, the redirect with the code, and the code exchanged at the token endpoint for the app
 * ({@link TestAuthorization#APP}).
 */
public final class SmartAppLaunch {

    private static final Pattern CSRF =
            Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"|value=\"([^\"]+)\"[^>]*name=\"_csrf\"");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String root;
    private final HttpClient browser;

    /** A browser with no session yet, for the server at {@code root} (no {@code /fhir}). */
    public SmartAppLaunch(String root) {
        this.root = root;
        this.browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** What the launch ended with. */
    public record Result(JsonNode tokenResponse, String patientPickerPage) {
        public String accessToken() {
            return tokenResponse.get("access_token").asText();
        }
    }

    /**
     * Launches as {@code user} asking for {@code scopes}; picks {@code patient} if the picker is shown (it must be,
     * when {@code launch/patient} is asked for).
     */
    public Result launch(TestAuthorization.User user, String scopes, String patient) {
        String verifier = randomText(48);
        Authorized authorized = authorize(user, scopes, patient, verifier, root + "/fhir");
        HttpResponse<String> token = exchange(authorized.code(), verifier);
        assertThat(token.statusCode()).as("token: " + token.body()).isEqualTo(200);
        return new Result(TestAuthorization.json(token.body()), authorized.patientPickerPage());
    }

    /** The authorization code a launch ends with, before it is exchanged. */
    public record Authorized(String code, String patientPickerPage) {}

    /**
     * The launch up to the redirect to the app with the code: the challenge is made from {@code verifier}, and {@code
     * aud} is sent as given.
     */
    public Authorized authorize(
            TestAuthorization.User user, String scopes, String patient, String verifier, String aud) {
        String state = randomText(12);
        String authorize = root + "/oauth2/authorize?"
                + TestAuthorization.form(ordered(
                        "response_type",
                        "code",
                        "client_id",
                        TestAuthorization.APP,
                        "redirect_uri",
                        TestAuthorization.APP_REDIRECT,
                        "scope",
                        scopes,
                        "state",
                        state,
                        "aud",
                        aud,
                        "code_challenge",
                        challenge(verifier),
                        "code_challenge_method",
                        "S256"));

        // not logged in: to the login form
        HttpResponse<String> response = get(authorize);
        assertThat(response.statusCode()).as("authorize, logged out").isEqualTo(302);
        assertThat(location(response)).endsWith("/login");
        HttpResponse<String> loginPage = get(location(response));
        response = post(
                root + "/login",
                ordered("username", user.username(), "password", TestAuthorization.PASSWORD, "_csrf", csrf(loginPage)));
        assertThat(response.statusCode()).as("login").isEqualTo(302);
        assertThat(location(response)).as("after login").contains("/oauth2/authorize");

        // logged in: back to the authorization endpoint, then the patient picker if launch/patient was asked for
        response = get(absolute(location(response)));
        String pickerPage = null;
        if (location(response).contains("/smart/launch/patient")) {
            HttpResponse<String> picker = get(absolute(location(response)));
            assertThat(picker.statusCode()).as("patient picker").isEqualTo(200);
            pickerPage = picker.body();
            Map<String, String> fields = hiddenFields(pickerPage);
            fields.put("patient", patient);
            response = post(root + "/smart/launch/patient", fields);
            assertThat(response.statusCode())
                    .as("patient chosen: " + response.body())
                    .isEqualTo(302);
            response = get(absolute(location(response)));
        }
        assertThat(response.statusCode())
                .as("authorization answer: " + response.body())
                .isEqualTo(302);
        URI redirect = URI.create(location(response));
        Map<String, String> query = query(redirect.getRawQuery());
        assertThat(redirect.toString()).startsWith(TestAuthorization.APP_REDIRECT);
        assertThat(query.get("state")).isEqualTo(state);
        assertThat(query).containsKey("code");
        return new Authorized(query.get("code"), pickerPage);
    }

    /** Logs in as {@code user} and asks for authorization: the answer of the authorization endpoint once logged in. */
    public HttpResponse<String> loggedInAuthorize(TestAuthorization.User user, Map<String, String> parameters) {
        String authorize = root + "/oauth2/authorize?" + TestAuthorization.form(parameters);
        HttpResponse<String> response = get(authorize);
        HttpResponse<String> loginPage = get(absolute(location(response)));
        response = post(
                root + "/login",
                ordered("username", user.username(), "password", TestAuthorization.PASSWORD, "_csrf", csrf(loginPage)));
        return get(absolute(location(response)));
    }

    /** Exchanges a code at the token endpoint, as the public app does (its client_id, the PKCE verifier). */
    public HttpResponse<String> exchange(String code, String verifier) {
        return post(
                root + "/oauth2/token",
                ordered(
                        "grant_type",
                        "authorization_code",
                        "code",
                        code,
                        "redirect_uri",
                        TestAuthorization.APP_REDIRECT,
                        "client_id",
                        TestAuthorization.APP,
                        "code_verifier",
                        verifier));
    }

    public HttpResponse<String> get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/html")
                .GET());
    }

    public HttpResponse<String> post(String url, Map<String, String> form) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(TestAuthorization.form(form))));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String absolute(String location) {
        return location.startsWith("/") ? root + location : location;
    }

    public static String location(HttpResponse<?> response) {
        return response.headers().firstValue("Location").orElse("");
    }

    static String csrf(HttpResponse<String> page) {
        Matcher matcher = CSRF.matcher(page.body());
        assertThat(matcher.find()).as("a CSRF token on " + page.uri()).isTrue();
        return matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
    }

    public static Map<String, String> hiddenFields(String page) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")
                .matcher(page);
        while (matcher.find()) {
            fields.put(unescape(matcher.group(1)), unescape(matcher.group(2)));
        }
        return fields;
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&");
    }

    static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            query.put(
                    URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8),
                    equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    public static Map<String, String> ordered(String... namesAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    public static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String randomText(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
