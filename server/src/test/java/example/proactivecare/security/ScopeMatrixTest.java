package example.proactivecare.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import example.proactivecare.audit.AuditEventWriter;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.SmartAppLaunch;
import example.proactivecare.support.TestAuthorization;
import example.proactivecare.validation.ResourceValidator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The scope matrix: patient, user and system tokens, each real (a standalone launch with the patient picked, a user
 * launch, a backend-services assertion), times every kind of access (read, search, chained search, {@code _include},
 * {@code _revinclude}, {@code $everything}, history, the cohort Group, the custom operations and {@code $export}),
 * times the token's own patient or organisation and another's. Every cell is tried over HTTP; every forbidden cell
 * must be refused (403 with an OperationOutcome, or a search narrowed to nothing of the other patient's), every
 * allowed cell must answer with the data; and each access to patient data must be in the audit trail, allowed ones as
 * successes and refused ones as refusals.
 */
class ScopeMatrixTest extends FhirServerTest {

    /** What a cell must do. */
    enum Expect {
        ALLOWED,
        REFUSED
    }

    /** The own and the other side of a cell: the patient, practice, encounter and cohort Group it is about. */
    record Side(String name, String patient, String practice, String encounter, String birthDate, String group) {}

    /** One kind of access. */
    record Action(String name, boolean patientData, Function<Side, HttpRequest.Builder> request) {}

    /** One tried cell, and what it did. */
    record Cell(String token, Action action, Side side, Expect expected, String requestId, int status, String body) {}

    private static final String SYSTEM_SCOPES = "system/*.rs system/Group.c system/Group.u system/MeasureReport.c";
    private static final String USER_SCOPES =
            "openid fhirUser user/*.rs user/Group.c user/Group.u user/MeasureReport.c";
    private static final String PATIENT_SCOPES = "launch/patient openid fhirUser patient/*.rs";

    @Autowired
    private AuditEventWriter auditEvents;

    @Autowired
    private ResourceValidator validator;

    private final HttpClient http = HttpClient.newHttpClient();
    private int serial;

    @Test
    void everyForbiddenCellIsRefusedEveryAllowedCellAnswersAndEveryAccessIsAudited() throws Exception {
        SecurityFixture.store(client);
        Side own = new Side(
                "own",
                SecurityFixture.OWN,
                SecurityFixture.NORTH_1,
                SecurityFixture.OWN + "-enc-1",
                SecurityFixture.OWN_BIRTH_DATE,
                SecurityFixture.ownGroup);
        Side other = new Side(
                "other",
                SecurityFixture.OTHER,
                SecurityFixture.SOUTH_1,
                SecurityFixture.OTHER + "-enc-7",
                SecurityFixture.OTHER_BIRTH_DATE,
                SecurityFixture.otherGroup);
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put(
                "patient",
                new SmartAppLaunch(rootUrl())
                        .launch(TestAuthorization.GP_NORTH, PATIENT_SCOPES, SecurityFixture.OWN)
                        .accessToken());
        tokens.put(
                "user",
                new SmartAppLaunch(rootUrl())
                        .launch(TestAuthorization.GP_NORTH, USER_SCOPES, null)
                        .accessToken());
        tokens.put("system", TestAuthorization.systemToken(rootUrl(), SYSTEM_SCOPES));
        Instant start = Instant.now().minusSeconds(1);

        List<Cell> cells = new ArrayList<>();
        for (Map.Entry<String, String> token : tokens.entrySet()) {
            for (Action action : actions()) {
                for (Side side : List.of(own, other)) {
                    cells.add(tryCell(token.getKey(), token.getValue(), action, side));
                }
            }
        }

        List<String> wrong = new ArrayList<>();
        int refusedWith403 = 0;
        int refusedByNarrowing = 0;
        for (Cell cell : cells) {
            String problem = check(cell);
            if (problem != null) {
                wrong.add(describe(cell) + ": " + problem);
            } else if (cell.expected() == Expect.REFUSED && cell.status() == 403) {
                refusedWith403++;
            } else if (cell.expected() == Expect.REFUSED) {
                refusedByNarrowing++;
            }
        }
        long allowed =
                cells.stream().filter(c -> c.expected() == Expect.ALLOWED).count();
        System.out.printf(
                "Scope matrix: %d cells tried (%d tokens x %d kinds of access x own and other): %d allowed, %d refused"
                        + " (%d with 403, %d narrowed to none of the other's data)%n",
                cells.size(),
                tokens.size(),
                actions().size(),
                allowed,
                cells.size() - allowed,
                refusedWith403,
                refusedByNarrowing);
        assertThat(wrong).as("cells that did not do what they must").isEmpty();
        assertThat(cells).hasSize(tokens.size() * actions().size() * 2);

        // the audit trail: every access to patient data, allowed or refused, by its request id
        assertThat(auditEvents.flush(Duration.ofSeconds(60))).isTrue();
        Map<String, List<AuditEvent>> audited = auditEventsSince(start);
        List<String> unaudited = new ArrayList<>();
        for (Cell cell : cells) {
            if (!cell.action().patientData()) {
                continue;
            }
            List<AuditEvent> events = audited.getOrDefault(cell.requestId(), List.of());
            String problem = auditProblem(cell, events);
            if (problem != null) {
                unaudited.add(describe(cell) + ": " + problem);
            }
        }
        System.out.printf(
                "Scope matrix audit: %d AuditEvents for the %d cells that touch patient data%n",
                audited.values().stream().mapToInt(List::size).sum(),
                cells.stream().filter(c -> c.action().patientData()).count());
        assertThat(unaudited).as("accesses missing from the audit trail").isEmpty();

        // the server stores its own AuditEvents unvalidated (AuditEventWriter): one of each shape must be valid
        Map<String, AuditEvent> shapes = new TreeMap<>();
        audited.values().stream().flatMap(List::stream).forEach(event -> shapes.putIfAbsent(shape(event), event));
        for (Map.Entry<String, AuditEvent> shape : shapes.entrySet()) {
            assertThatCode(() -> validator.check(shape.getValue()))
                    .as("AuditEvent " + shape.getKey())
                    .doesNotThrowAnyException();
        }
        System.out.printf("Scope matrix audit: %d shapes of AuditEvent validated%n", shapes.size());
    }

    /** An AuditEvent's kind: type, subtypes, action, outcome and the types of its entities. */
    private static String shape(AuditEvent event) {
        return event.getType().getCode() + " "
                + event.getSubtype().stream().map(c -> c.getCode()).toList() + " "
                + event.getAction() + " " + event.getOutcome() + " "
                + event.getEntity().stream()
                        .map(e -> e.getType().getCode() + "/" + e.getRole().getCode())
                        .distinct()
                        .sorted()
                        .toList();
    }

    private List<Action> actions() {
        return List.of(
                new Action("read Patient", true, s -> get("Patient/" + s.patient())),
                new Action("read Encounter", true, s -> get("Encounter/" + s.encounter())),
                new Action("search", true, s -> get("Encounter?patient=Patient/" + s.patient())),
                new Action("chained search", true, s -> get("Encounter?patient.birthdate=" + s.birthDate())),
                new Action(
                        "_include", true, s -> get("Encounter?_id=" + s.encounter() + "&_include=Encounter:patient")),
                new Action(
                        "_revinclude", true, s -> get("Patient?_id=" + s.patient() + "&_revinclude=Encounter:patient")),
                new Action("$everything", true, s -> get("Patient/" + s.patient() + "/$everything")),
                new Action("history", true, s -> get("Patient/" + s.patient() + "/_history")),
                new Action("read cohort Group", true, s -> get("Group/" + s.group())),
                new Action(
                        "$frequent-attenders",
                        true,
                        s -> get("Group/$frequent-attenders?cohort=gp-frequent-attender&scope=Organization/"
                                + s.practice() + "&periodEnd=2021-12-31&minGpAttendances=1&persist=false")),
                new Action("$review-member", true, s -> post("Group/" + s.group() + "/$review-member", review(s))),
                new Action(
                        "$data-quality",
                        true,
                        s -> get("Organization/" + s.practice() + "/$data-quality?periodEnd=2021-12-31")),
                new Action(
                        "$access-report",
                        true,
                        s -> get("Organization/" + s.practice() + "/$access-report?start=2021-01&end=2021-03")),
                new Action(
                        "$practice-ranking",
                        true,
                        s -> get("Organization/" + s.practice()
                                + "/$practice-ranking?indicator=gp-frequent-attenders&periodEnd=2021-12-31")),
                new Action("$export", true, s -> get("Group/" + s.group() + "/$export?_type=Patient,Encounter")
                        .header("Prefer", "respond-async")));
    }

    /** What each token may do: system everything; the user their own practice's data, no export; the patient theirs. */
    private static Expect expected(String token, Action action, Side side) {
        if (token.equals("system")) {
            return Expect.ALLOWED;
        }
        if (side.name().equals("other")) {
            return Expect.REFUSED;
        }
        if (token.equals("user")) {
            return action.name().equals("$export") ? Expect.REFUSED : Expect.ALLOWED;
        }
        return switch (action.name()) {
            case "read Patient",
                    "read Encounter",
                    "search",
                    "chained search",
                    "_include",
                    "_revinclude",
                    "$everything",
                    "history" -> Expect.ALLOWED;
            default -> Expect.REFUSED;
        };
    }

    private Cell tryCell(String tokenName, String token, Action action, Side side) throws Exception {
        String requestId = "mx" + (++serial) + tokenName.charAt(0) + side.name().charAt(0);
        HttpRequest request = action.request()
                .apply(side)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+json")
                .header("X-Request-ID", requestId)
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Cell(
                tokenName,
                action,
                side,
                expected(tokenName, action, side),
                requestId,
                response.statusCode(),
                response.body());
    }

    /** Why a cell did not do what it must; null when it did. */
    private static String check(Cell cell) {
        boolean search = cell.body().contains("\"resourceType\":\"Bundle\"");
        if (cell.expected() == Expect.ALLOWED) {
            if (cell.status() / 100 != 2) {
                return "expected an answer, got " + cell.status() + " " + abbreviate(cell.body());
            }
            if (cell.action().name().equals("$export")) {
                return cell.status() == 202 ? null : "expected 202, got " + cell.status();
            }
            if (!cell.body().contains(cell.side().patient())
                    && !cell.body().contains(cell.side().practice())) {
                return "the answer holds nothing of " + cell.side().patient() + ": " + abbreviate(cell.body());
            }
            return null;
        }
        if (cell.status() == 403) {
            OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, cell.body());
            if (outcome.getIssueFirstRep().getCode() != OperationOutcome.IssueType.FORBIDDEN) {
                return "403 without a forbidden OperationOutcome: " + abbreviate(cell.body());
            }
            return null;
        }
        if (cell.status() == 200 && search) {
            Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, cell.body());
            String patient = cell.side().patient();
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                IBaseResource resource = entry.getResource();
                if (resource != null
                        && !(resource instanceof OperationOutcome)
                        && FHIR.newJsonParser().encodeResourceToString(resource).contains(patient)) {
                    return "a search answered " + patient + "'s data: " + abbreviate(cell.body());
                }
            }
            return bundle.getType() == Bundle.BundleType.SEARCHSET ? null : "answered " + bundle.getType();
        }
        return "expected a refusal, got " + cell.status() + " " + abbreviate(cell.body());
    }

    /** Why the audit trail does not hold a cell's access as it happened; null when it does. */
    private static String auditProblem(Cell cell, List<AuditEvent> events) {
        if (events.isEmpty()) {
            return "no AuditEvent";
        }
        boolean refused = cell.status() == 403;
        AuditEvent.AuditEventOutcome expected =
                refused ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._0;
        if (events.stream().noneMatch(event -> event.getOutcome() == expected)) {
            return "no AuditEvent with outcome " + expected.toCode();
        }
        if (refused && events.stream().anyMatch(event -> event.getOutcome() == AuditEvent.AuditEventOutcome._0)) {
            return "a refused access is also recorded as answered";
        }
        if (events.stream().noneMatch(event -> event.getAgent().stream().anyMatch(agent -> agent.hasName()))) {
            return "the AuditEvents name no agent";
        }
        if (cell.expected() == Expect.ALLOWED && cell.status() == 200) {
            String patient = "Patient/" + cell.side().patient();
            boolean named = events.stream().anyMatch(event -> event.getEntity().stream()
                    .anyMatch(entity -> patient.equals(entity.getWhat().getReference())
                            || ("Group/" + cell.side().group())
                                    .equals(entity.getWhat().getReference())
                            || ("Organization/" + cell.side().practice())
                                    .equals(entity.getWhat().getReference())));
            if (!named) {
                return "no AuditEvent names " + patient + ", its Group or its practice";
            }
        }
        return null;
    }

    /** Every AuditEvent recorded since {@code start}, by the request id it records. */
    private Map<String, List<AuditEvent>> auditEventsSince(Instant start) {
        String auditToken = TestAuthorization.systemToken(rootUrl(), "system/AuditEvent.rs");
        Map<String, List<AuditEvent>> byRequest = new HashMap<>();
        String next = baseUrl() + "/AuditEvent?date=ge" + start + "&_count=500";
        while (next != null) {
            Bundle page;
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(URI.create(next))
                                .header("Authorization", "Bearer " + auditToken)
                                .header("Accept", "application/fhir+json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                page = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                AuditEvent event = (AuditEvent) entry.getResource();
                for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
                    if ("XrequestId".equals(entity.getType().getCode())) {
                        byRequest
                                .computeIfAbsent(
                                        entity.getWhat().getIdentifier().getValue(), k -> new ArrayList<>())
                                .add(event);
                    }
                }
            }
            next = page.getLink(Bundle.LINK_NEXT) == null
                    ? null
                    : page.getLink(Bundle.LINK_NEXT).getUrl();
        }
        return byRequest;
    }

    private static String review(Side side) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("patient").setValue(new Reference("Patient/" + side.patient()));
        parameters.addParameter().setName("decision").setValue(new CodeType("confirm"));
        parameters
                .addParameter()
                .setName("decidedBy")
                .setValue(new Reference("PractitionerRole/" + SecurityFixture.GP_ROLE));
        return FHIR.newJsonParser().encodeResourceToString(parameters);
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + "/" + path)).GET();
    }

    private HttpRequest.Builder post(String path, String body) {
        return HttpRequest.newBuilder(URI.create(baseUrl() + "/" + path))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String describe(Cell cell) {
        return cell.token() + " token x " + cell.action().name() + " x "
                + cell.side().name() + " (" + cell.expected() + ", request " + cell.requestId() + ")";
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "..." : body;
    }
}
