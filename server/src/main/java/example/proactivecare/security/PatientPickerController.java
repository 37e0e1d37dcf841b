package example.proactivecare.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.Principal;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.HtmlUtils;

/**
 * The patient picker of a SMART standalone launch ({@code launch/patient}): the logged-in user chooses one of the
 * patients registered at their organisations; the choice goes back to the authorization endpoint, which puts it into
 * the token ({@link LaunchPatientFilter}).
 *
 * <p>There only when the embedded authorization server is ({@link AuthorizationServerConfig}).
 */
@Controller
@ConditionalOnExpression(AuthorizationServerConfig.EMBEDDED)
class PatientPickerController {

    static final int LISTED = 100;
    private static final String NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number";

    private final UserReach reach;
    private final AuthorizationServerProperties properties;

    PatientPickerController(UserReach reach, AuthorizationServerProperties properties) {
        this.reach = reach;
        this.properties = properties;
    }

    @GetMapping(AuthorizationServerConfig.PATIENT_PICKER)
    ResponseEntity<String> choose(
            @RequestParam("request") String request,
            @RequestParam("key") String key,
            Principal principal,
            HttpServletRequest http) {
        if (!returnsToAuthorization(request)) {
            return page(HttpStatus.BAD_REQUEST, "<p>This is not a launch in progress.</p>");
        }
        Set<String> organisations = organisations(principal);
        List<Patient> patients = reach.patientsAt(organisations, LISTED);
        if (patients.isEmpty()) {
            return page(
                    HttpStatus.FORBIDDEN,
                    "<p>No patients are registered at your organisations, so there is no patient to launch with.</p>");
        }
        CsrfToken csrf = (CsrfToken) http.getAttribute(CsrfToken.class.getName());
        StringBuilder form = new StringBuilder("<h1>Choose a patient</h1>\n<form method=\"post\" action=\"")
                .append(escape(http.getContextPath() + AuthorizationServerConfig.PATIENT_PICKER))
                .append("\">\n");
        for (Patient patient : patients) {
            String id = patient.getIdElement().getIdPart();
            form.append("<p><label><input type=\"radio\" name=\"patient\" value=\"")
                    .append(escape(id))
                    .append("\"> ")
                    .append(escape(describe(patient)))
                    .append("</label></p>\n");
        }
        form.append(hidden("request", request)).append(hidden("key", key));
        if (csrf != null) {
            form.append(hidden(csrf.getParameterName(), csrf.getToken()));
        }
        form.append("<button type=\"submit\">Launch with this patient</button>\n</form>");
        return page(HttpStatus.OK, form.toString());
    }

    @PostMapping(AuthorizationServerConfig.PATIENT_PICKER)
    ResponseEntity<String> chosen(
            @RequestParam(value = "patient", required = false) String patient,
            @RequestParam("request") String request,
            @RequestParam("key") String key,
            Principal principal,
            HttpSession session) {
        if (!returnsToAuthorization(request)) {
            return page(HttpStatus.BAD_REQUEST, "<p>This is not a launch in progress.</p>");
        }
        if (patient == null || patient.isBlank()) {
            return page(HttpStatus.BAD_REQUEST, "<p>Choose a patient.</p>");
        }
        Set<String> organisations = organisations(principal);
        if (!reach.registeredAt(List.of(patient), organisations).contains(patient)) {
            return page(HttpStatus.FORBIDDEN, "<p>That patient is not registered at your organisations.</p>");
        }
        session.setAttribute(LaunchPatientFilter.SELECTION, new LaunchPatientFilter.Selection(key, patient));
        return ResponseEntity.status(HttpStatus.FOUND)
                .header("Location", request)
                .build();
    }

    private Set<String> organisations(Principal principal) {
        return properties.users().stream()
                .filter(user -> user.username().equals(principal.getName()) && user.fhirUser() != null)
                .findFirst()
                .map(user -> reach.organisations(SmartToken.relativeReference(user.fhirUser())))
                .orElse(Set.of());
    }

    /** Only back to this server's authorization endpoint: never an open redirect. */
    private static boolean returnsToAuthorization(String request) {
        return request.startsWith("/oauth2/authorize?") && !request.contains("//") && !request.contains("\\");
    }

    static String describe(Patient patient) {
        String name = patient.getName().isEmpty()
                ? "(no name)"
                : patient.getNameFirstRep().getNameAsSingleString();
        String nhs = patient.getIdentifier().stream()
                .filter(identifier -> NHS_NUMBER.equals(identifier.getSystem()))
                .map(Identifier::getValue)
                .findFirst()
                .orElse("no NHS number");
        String born = patient.hasBirthDate() ? patient.getBirthDateElement().getValueAsString() : "birth date unknown";
        return name + ", " + nhs + ", born " + born + " (Patient/"
                + patient.getIdElement().getIdPart() + ")";
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value) + "\">\n";
    }

    private static String escape(String text) {
        return HtmlUtils.htmlEscape(text);
    }

    private static ResponseEntity<String> page(HttpStatus status, String body) {
        return ResponseEntity.status(status)
                .contentType(MediaType.TEXT_HTML)
                .body(
                        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Proactive Care: launch</title></head>"
                                + "<body>\n" + body + "\n</body></html>\n");
    }
}
