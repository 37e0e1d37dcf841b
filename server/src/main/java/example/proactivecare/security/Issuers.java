package example.proactivecare.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.util.UrlUtils;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The embedded authorization server's issuer URL: the configured one, else the address the request came in on (its
 * scheme, host, port and context path), as Spring Authorization Server works it out.
 */
final class Issuers {

    private Issuers() {}

    static String of(HttpServletRequest request, AuthorizationServerProperties properties) {
        if (properties.issuer() != null) {
            return stripSlash(properties.issuer());
        }
        return UriComponentsBuilder.fromUriString(UrlUtils.buildFullRequestUrl(request))
                .replacePath(request.getContextPath())
                .replaceQuery(null)
                .fragment(null)
                .build()
                .toUriString();
    }

    /** The issuer for the request this thread is handling; null outside a request. */
    static String current(AuthorizationServerProperties properties) {
        if (properties.issuer() != null) {
            return stripSlash(properties.issuer());
        }
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return of(attributes.getRequest(), properties);
        }
        return null;
    }

    static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
