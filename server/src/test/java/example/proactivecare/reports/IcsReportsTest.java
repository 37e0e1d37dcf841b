package example.proactivecare.reports;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.gclient.IOperationUntypedWithInputAndPartialOutput;
import example.proactivecare.support.FhirServerTest;
import example.proactivecare.support.TestRecords;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.MeasureReport.MeasureReportGroupComponent;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PositiveIntType;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The ICS reports on a hand-built ICS: an ICB with a north and a south locality and six practices (the north's under a
 * PCN, the south's directly under the locality), plus a closed practice, with counts small enough to work out by hand.
 *
 * <pre>
 * practice  ODS    registered  A&E frequent  GP attendances 2021 (face-to-face)     2019, same months
 *                  (alive)     attenders     Jun     Jul    Aug     Sep              Jun Jul Aug Sep
 * n1        ZN001  4           2             12(6)   9(3)   8(4)    15(9)            10  10  8   10
 * n2        ZN002  2           1             4(2)    5(1)   6(2)    6(3)             4   5   5   4
 * n3        ZN003  5 (+1 dead) 1             6(3)    6(3)   6(3)    6(3)             6   6   6   6
 * s1        ZS002  2           1             5(1)    5(1)   5(1)    5(1)             5   5   5   5
 * s2        ZS001  2           1             8(6)    8(6)   8(6)    8(6)             8   8   8   8
 * s3        ZS003  3           0             3(2)    3(2)   3(2)    3(2)             3   0   3   3
 * </pre>
 *
 * One of n1's September attendances is by a patient registered at n2 (the encounter names n1 as its serviceProvider);
 * one of n1's August ones is a home visit; n2's June has a duplicate and a cancelled appointment that do not count; a
 * PCN hub attendance in July counts for the ICB and the north but no practice; one of s3's September attendances has no
 * mode. Each practice's heaviest user has all its attendances: 43, 21, 24, 20, 32 and 12 in 2021.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IcsReportsTest extends FhirServerTest {

    private static final String SCT = TestRecords.SCT;
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final String MEASURE = "https://proactivecare.example/fhir/Measure/";
    private static final String SURGERY = TestRecords.GP_SURGERY;
    private static final String HOME_VISIT = "439708006";
    private static final String TELEPHONE = "386472008";
    private static final String TELEMEDICINE = "448337001";
    private static final String ED_VISIT = "4525004";

    private final TestRecords records = new TestRecords();
    private final Map<String, Integer> slots = new HashMap<>();
    private final HttpClient http = http();

    @BeforeAll
    void storeTheTestIcs() {
        connectClient();
        records.organization("ics-icb", null, "QZZ01");
        records.organization("ics-north", "ics-icb", "ZZL01");
        records.organization("ics-south", "ics-icb", "ZZL02");
        records.organization("ics-pcn-n", "ics-north", "ZZU01");
        records.organization("ics-n1", "ics-pcn-n", "ZN001");
        records.organization("ics-n2", "ics-pcn-n", "ZN002");
        records.organization("ics-n3", "ics-pcn-n", "ZN003");
        records.organization("ics-s1", "ics-south", "ZS002");
        records.organization("ics-s2", "ics-south", "ZS001");
        records.organization("ics-s3", "ics-south", "ZS003");
        Organization closed = new Organization().setActive(false).setName("Closed practice");
        closed.setPartOf(new Reference("Organization/ics-south")).setId("ics-closed");
        records.add(closed);

        patients("ics-n1", "gp", "ae-1", "ae-2", "other");
        patients("ics-n2", "gp", "ae");
        patients("ics-n3", "gp", "ae", "other-1", "other-2", "other-3");
        patients("ics-s1", "gp", "ae");
        patients("ics-s2", "gp", "ae");
        patients("ics-s3", "gp", "other-1", "other-2");
        patients("ics-closed", "ae");
        Patient dead = new Patient().setBirthDateElement(new DateType("1960-01-01"));
        dead.setDeceased(new DateTimeType("2021-06-01"));
        dead.addGeneralPractitioner(new Reference("Organization/ics-n3"));
        dead.setId("ics-n3-dead");
        records.add(dead);

        // A&E: five ED attendances in 2021 make a frequent attender, four do not; the dead patient is no member
        for (String patient : List.of(
                "ics-n1-ae-1",
                "ics-n1-ae-2",
                "ics-n2-ae",
                "ics-n3-ae",
                "ics-s1-ae",
                "ics-s2-ae",
                "ics-closed-ae",
                "ics-n3-dead")) {
            edAttendances(patient, 5);
        }
        edAttendances("ics-n3-other-1", 4);

        // GP attendances: {face-to-face, telephone} for June to September 2021; 2019 all at the surgery
        consultations("ics-n1-gp", "2021-06", 6, 6);
        consultations("ics-n1-gp", "2021-07", 3, 6);
        consultations("ics-n1-gp", "2021-08", 3, 4);
        gp("ics-n1-gp", "2021-08", HOME_VISIT, "HH");
        consultations("ics-n1-gp", "2021-09", 8, 6);
        records.add(encounterAt("ics-n2-ae", "ics-n1", "2021-09-28T11:00"));
        consultations("ics-n2-gp", "2021-06", 2, 2);
        records.encounter(
                "ics-n2-gp", SCT, SURGERY, "AMB", Encounter.EncounterStatus.FINISHED, "2021-06-01T08:05"); // duplicate
        records.encounter("ics-n2-gp", SCT, SURGERY, "AMB", Encounter.EncounterStatus.CANCELLED, "2021-06-20T09:00");
        consultations("ics-n2-gp", "2021-07", 1, 4);
        consultations("ics-n2-gp", "2021-08", 2, 4);
        consultations("ics-n2-gp", "2021-09", 3, 3);
        for (String month : List.of("2021-06", "2021-07", "2021-08", "2021-09")) {
            consultations("ics-n3-gp", month, 3, 3);
            consultations("ics-s1-gp", month, 1, 4);
            consultations("ics-s2-gp", month, 6, 2);
            consultations("ics-s3-gp", month, 2, month.equals("2021-09") ? 0 : 1);
        }
        gp("ics-s3-gp", "2021-09", TELEMEDICINE, "VR"); // a GP attendance of unknown mode
        records.add(encounterAt("ics-n3-other-2", "ics-pcn-n", "2021-07-15T14:00")); // at the PCN's hub

        int[][] baseline = {{10, 10, 8, 10}, {4, 5, 5, 4}, {6, 6, 6, 6}, {5, 5, 5, 5}, {8, 8, 8, 8}, {3, 0, 3, 3}};
        List<String> heaviest = List.of("ics-n1-gp", "ics-n2-gp", "ics-n3-gp", "ics-s1-gp", "ics-s2-gp", "ics-s3-gp");
        for (int p = 0; p < heaviest.size(); p++) {
            for (int m = 0; m < 4; m++) {
                consultations(heaviest.get(p), "2019-0" + (6 + m), baseline[p][m], 0);
            }
        }
        records.store(client);
    }

    @Nested
    class PracticeRanking {

        @Test
        void aeFrequentAttendersAreRankedWithinEachLocalityAndTheTopTwoOfEachListed() {
            List<MeasureReport> reports = ranking("ics-icb", "ae-frequent-attenders", 2, true);

            assertThat(reports)
                    .extracting(IcsReportsTest::row)
                    .containsExactly(
                            "ics-n1 rank 1 of 3 in ics-north: 2/4 = 500.00",
                            "ics-n2 rank 2 of 3 in ics-north: 1/2 = 500.00",
                            "ics-s2 rank 1 of 3 in ics-south: 1/2 = 500.00",
                            "ics-s1 rank 2 of 3 in ics-south: 1/2 = 500.00");
        }

        @Test
        void tiesGoToTheHigherCountThenTheOdsCodeAndEveryPracticeGetsARankOfItsOwn() {
            List<MeasureReport> reports = ranking("ics-icb", "ae-frequent-attenders", null, false);

            // 500 per 1,000 four times: n1 has two members; n2, s2 and s1 one each, in ODS order ZN002, ZS001, ZS002.
            // n3's dead patient is neither a member nor registered; the closed practice is not ranked
            assertThat(reports)
                    .extracting(IcsReportsTest::row)
                    .containsExactly(
                            "ics-n1 rank 1 of 6 in ics-icb: 2/4 = 500.00",
                            "ics-n2 rank 2 of 6 in ics-icb: 1/2 = 500.00",
                            "ics-s2 rank 3 of 6 in ics-icb: 1/2 = 500.00",
                            "ics-s1 rank 4 of 6 in ics-icb: 1/2 = 500.00",
                            "ics-n3 rank 5 of 6 in ics-icb: 1/5 = 200.00",
                            "ics-s3 rank 6 of 6 in ics-icb: 0/3 = 0.00");
            assertThat(reports.get(0).getMeasure()).isEqualTo(MEASURE + "ae-frequent-attenders");
            assertThat(reports.get(0).getPeriod().getStartElement().getValueAsString())
                    .isEqualTo("2021-01-01");
            assertThat(reports.get(0).getPeriod().getEndElement().getValueAsString())
                    .isEqualTo("2021-12-31");
        }

        @Test
        void gpFrequentAttendersCountMoreThanTwentyAttendances() {
            List<MeasureReport> reports = ranking("ics-icb", "gp-frequent-attenders", null, false);

            // n2's patient has 21 (the duplicate and the cancelled one do not count), s1's has 20
            assertThat(reports)
                    .extracting(IcsReportsTest::row)
                    .containsExactly(
                            "ics-n2 rank 1 of 6 in ics-icb: 1/2 = 500.00",
                            "ics-s2 rank 2 of 6 in ics-icb: 1/2 = 500.00",
                            "ics-n1 rank 3 of 6 in ics-icb: 1/4 = 250.00",
                            "ics-n3 rank 4 of 6 in ics-icb: 1/5 = 200.00",
                            "ics-s1 rank 5 of 6 in ics-icb: 0/2 = 0.00",
                            "ics-s3 rank 6 of 6 in ics-icb: 0/3 = 0.00");
        }

        @Test
        void faceToFaceShareRanksTheLowestShareFirstWithTheRatePerThousand() {
            List<MeasureReport> reports = ranking("ics-icb", "face-to-face-share", null, false);

            // n3 and n1 both 50.0%: n3 has fewer face-to-face attendances (12 against 22), so ranks first
            assertThat(reports)
                    .extracting(IcsReportsTest::row)
                    .containsExactly(
                            "ics-s1 rank 1 of 6 in ics-icb: 4/20 = 20.0",
                            "ics-n2 rank 2 of 6 in ics-icb: 8/21 = 38.1",
                            "ics-n3 rank 3 of 6 in ics-icb: 12/24 = 50.0",
                            "ics-n1 rank 4 of 6 in ics-icb: 22/44 = 50.0",
                            "ics-s3 rank 5 of 6 in ics-icb: 8/12 = 66.7",
                            "ics-s2 rank 6 of 6 in ics-icb: 24/32 = 75.0");
            MeasureReportGroupComponent perThousand = reports.get(3).getGroup().get(1);
            assertThat(perThousand.getCode().getCodingFirstRep().getCode()).isEqualTo("face-to-face-per-1000");
            assertThat(counts(perThousand)).isEqualTo("22/4 = 5500.00");
        }

        @Test
        void aPcnScopeRanksItsOwnPractices() {
            assertThat(ranking("ics-pcn-n", "face-to-face-share", 1, true))
                    .extracting(IcsReportsTest::row)
                    .containsExactly("ics-n2 rank 1 of 3 in ics-pcn-n: 8/21 = 38.1");
        }

        @Test
        void aPostStoresEveryPracticesReportAndARerunReplacesIt() {
            String measure = MEASURE + "ae-frequent-attenders";
            assertThat(storedReports(measure, "ics-n3")).isEmpty();

            List<MeasureReport> answered = post(
                            "$practice-ranking",
                            "ics-icb",
                            Map.of(
                                    "indicator", new CodeType("ae-frequent-attenders"),
                                    "periodEnd", new DateType("2021-12-31"),
                                    "top", new IntegerType(1),
                                    "groupBy", new CodeType("partOf")))
                    .getParameter()
                    .stream()
                    .map(p -> (MeasureReport) p.getResource())
                    .toList();

            // the answer lists the top one of each locality; every practice's report is stored, n3 (rank 3) too
            assertThat(answered)
                    .extracting(r -> subject(r))
                    .containsExactly("Organization/ics-n1", "Organization/ics-s2");
            assertThat(answered)
                    .allSatisfy(r -> assertThat(r.getIdElement().getIdPart()).isNotNull());
            List<MeasureReport> stored = storedReports(measure, "ics-n3");
            assertThat(stored).singleElement().satisfies(r -> {
                assertThat(row(r)).isEqualTo("ics-n3 rank 3 of 3 in ics-north: 1/5 = 200.00");
                assertThat(r.getReporter().getReference()).isEqualTo("Organization/ics-icb");
                // the subject is the practice's population, a Group the practice manages
                Group population = client.read()
                        .resource(Group.class)
                        .withUrl(r.getSubject().getReference())
                        .execute();
                assertThat(population.getManagingEntity().getReference()).isEqualTo("Organization/ics-n3");
                assertThat(population.getActual()).isFalse();
            });

            post(
                    "$practice-ranking",
                    "ics-icb",
                    Map.of(
                            "indicator", new CodeType("ae-frequent-attenders"),
                            "periodEnd", new DateType("2021-12-31"),
                            "groupBy", new CodeType("partOf")));

            List<MeasureReport> rerun = storedReports(measure, "ics-n3");
            assertThat(rerun).singleElement().satisfies(r -> {
                assertThat(r.getIdElement().getIdPart())
                        .isEqualTo(stored.get(0).getIdElement().getIdPart());
                assertThat(r.getMeta().getVersionId()).isEqualTo("2");
            });
        }

        @Test
        void respondAsyncAnswers202ThenTheReportsAtTheStatusUrlAndStoresThem() throws Exception {
            String body = FHIR.newJsonParser()
                    .encodeResourceToString(new Parameters()
                            .addParameter("indicator", new CodeType("gp-frequent-attenders"))
                            .addParameter("periodEnd", new DateType("2021-11-30")));
            Parameters result = respondAsync(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/Organization/ics-south/$practice-ranking"))
                            .header("Content-Type", "application/fhir+json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)));

            assertThat(result.getParameter())
                    .extracting(p -> subject((MeasureReport) p.getResource()))
                    .containsExactly("Organization/ics-s2", "Organization/ics-s1", "Organization/ics-s3");
            Bundle stored = client.search()
                    .byUrl("MeasureReport?measure=" + MEASURE
                            + "gp-frequent-attenders&subject:Group.managing-entity=Organization/ics-s2"
                            + "&period=ge2020-12-01&period=le2021-11-30")
                    .returnBundle(Bundle.class)
                    .execute();
            assertThat(stored.getEntry()).hasSize(1);
        }

        @Test
        void aGetAnswersTheReportsAndStoresNothing() {
            String measure = MEASURE + "gp-frequent-attenders";
            ranking("ics-icb", "gp-frequent-attenders", null, false);

            assertThat(storedReports(measure, "ics-n1")).isEmpty();
        }
    }

    @Nested
    class AccessReport {

        @Test
        void theScopeCountsConsultationsAgainstTheSameMonthsOf2019() {
            MeasureReport icb = accessReports("ics-icb").get(0);

            assertThat(subject(icb)).isEqualTo("Organization/ics-icb");
            assertThat(icb.getMeasure()).isEqualTo(MEASURE + "gp-access");
            MeasureReportGroupComponent variance = icb.getGroup().get(0);
            assertThat(variance.getCode().getCodingFirstRep().getCode()).isEqualTo("consultations-against-baseline");
            // 38 against 36 is +5.6%; July has the PCN hub's attendance (37 against 34)
            assertThat(strata(variance))
                    .containsExactly(
                            "2021-06: 38/36 = 5.6",
                            "2021-07: 37/34 = 8.8",
                            "2021-08: 36/35 = 2.9",
                            "2021-09: 43/36 = 19.4");
            assertThat(counts(variance)).isEqualTo("154/141 = 9.2");
        }

        @Test
        void theFaceToFaceShareCountsSurgeryAndHomeVisitsOverEveryMode() {
            List<MeasureReport> reports = accessReports("ics-icb");

            assertThat(strata(reports.get(0).getGroup().get(1)))
                    .containsExactly(
                            "2021-06: 20/38 = 52.6",
                            "2021-07: 17/37 = 45.9",
                            "2021-08: 18/36 = 50.0",
                            "2021-09: 24/43 = 55.8");
            // n1's August: three at the surgery and a home visit, of eight
            assertThat(strata(report(reports, "ics-n1").getGroup().get(1))).contains("2021-08: 4/8 = 50.0");
            // s3's September: two face-to-face of three, the third of unknown mode
            assertThat(strata(report(reports, "ics-s3").getGroup().get(1))).contains("2021-09: 2/3 = 66.7");
        }

        @Test
        void eachPracticeHasItsOwnMonthsAndVariances() {
            List<MeasureReport> reports = accessReports("ics-icb");

            assertThat(reports)
                    .extracting(r -> subject(r))
                    .containsExactly(
                            "Organization/ics-icb",
                            "Organization/ics-n1",
                            "Organization/ics-n2",
                            "Organization/ics-n3",
                            "Organization/ics-s2",
                            "Organization/ics-s1",
                            "Organization/ics-s3");
            // n1's September has the n2 patient it saw; n2's June not the duplicate or the cancelled appointment
            assertThat(strata(report(reports, "ics-n1").getGroupFirstRep()))
                    .containsExactly(
                            "2021-06: 12/10 = 20.0",
                            "2021-07: 9/10 = -10.0",
                            "2021-08: 8/8 = 0.0",
                            "2021-09: 15/10 = 50.0");
            assertThat(strata(report(reports, "ics-n2").getGroupFirstRep()))
                    .containsExactly(
                            "2021-06: 4/4 = 0.0", "2021-07: 5/5 = 0.0", "2021-08: 6/5 = 20.0", "2021-09: 6/4 = 50.0");
            // no consultations in July 2019: no variance
            assertThat(strata(report(reports, "ics-s3").getGroupFirstRep())).contains("2021-07: 3/0 = none");
        }

        @Test
        void theBottomFifthByFaceToFaceShareIsRoundedUpToWholePractices() {
            // six practices: 1.2 rounds up to 2, the lowest shares s1 (20.0%) and n2 (38.1%)
            Parameters icb = access("ics-icb", "2021-06", "2021-09", null);
            assertThat(icb.getParameter().stream()
                            .filter(p -> p.getName().equals("lowestFaceToFace"))
                            .map(p -> ((Reference) p.getValue()).getReference()))
                    .containsExactly("Organization/ics-s1", "Organization/ics-n2");
            MeasureReport scope = (MeasureReport) icb.getParameterFirstRep().getResource();
            assertThat(scope
                            .getExtensionsByUrl(
                                    "https://proactivecare.example/fhir/StructureDefinition/lowest-face-to-face-share")
                            .stream()
                            .map(e -> ((Reference) e.getValue()).getReference()))
                    .containsExactly("Organization/ics-s1", "Organization/ics-n2");

            // the north's three practices: 0.6 rounds up to 1
            Parameters north = access("ics-north", "2021-06", "2021-09", null);
            assertThat(north.getParameter().stream()
                            .filter(p -> p.getName().equals("lowestFaceToFace"))
                            .map(p -> ((Reference) p.getValue()).getReference()))
                    .containsExactly("Organization/ics-n2");
        }

        @Test
        void aPracticeScopeReportsThatPracticeOnceAndIsItsOwnBottomFifth() {
            Parameters s1 = access("ics-s1", "2021-06", "2021-09", null);

            assertThat(s1.getParameter())
                    .extracting(Parameters.ParametersParameterComponent::getName)
                    .containsExactly("report", "lowestFaceToFace");
            assertThat(strata(report(s1, "ics-s1").getGroup().get(1)))
                    .containsExactly(
                            "2021-06: 1/5 = 20.0", "2021-07: 1/5 = 20.0", "2021-08: 1/5 = 20.0", "2021-09: 1/5 = 20.0");
            assertThat(((Reference) s1.getParameter().get(1).getValue()).getReference())
                    .isEqualTo("Organization/ics-s1");
        }

        @Test
        void anotherBaselineYearComparesWithThatYear() {
            MeasureReport n1 = report(access("ics-icb", "2021-06", "2021-06", 2021), "ics-n1");

            assertThat(strata(n1.getGroupFirstRep())).containsExactly("2021-06: 12/12 = 0.0");
        }

        @Test
        void aPostStoresTheReportsSoTheyCanBeSearchedAndARerunReplacesThem() {
            String measure = MEASURE + "gp-access";
            post(
                    "$access-report",
                    "ics-south",
                    Map.of("start", new DateType("2021-06"), "end", new DateType("2021-09")));
            post(
                    "$access-report",
                    "ics-south",
                    Map.of("start", new DateType("2021-06"), "end", new DateType("2021-09")));

            List<MeasureReport> south = storedReports(measure, "ics-south");
            assertThat(south).singleElement().satisfies(r -> {
                assertThat(r.getMeta().getVersionId()).isEqualTo("2");
                assertThat(strata(r.getGroupFirstRep())).hasSize(4);
            });
            assertThat(storedReports(measure, "ics-s1")).hasSize(1);
        }
    }

    @Nested
    class BadRequests {

        @ParameterizedTest(name = "{0}")
        @CsvSource(
                delimiter = ';',
                value = {
                    "an unknown indicator; Organization/ics-icb/$practice-ranking?indicator=ed-visits; unknown indicator",
                    "no indicator; Organization/ics-icb/$practice-ranking; indicator is required",
                    "top 0; Organization/ics-icb/$practice-ranking?indicator=face-to-face-share&top=0; top",
                    "top 1001; Organization/ics-icb/$practice-ranking?indicator=face-to-face-share&top=1001; top",
                    "top not a number; Organization/ics-icb/$practice-ranking?indicator=face-to-face-share&top=ten; ten",
                    "an unknown grouping; Organization/ics-icb/$practice-ranking?indicator=face-to-face-share&groupBy=pcn;"
                            + " groupBy",
                    "a periodEnd that is a year; Organization/ics-icb/$practice-ranking?indicator=face-to-face-share"
                            + "&periodEnd=2021; periodEnd",
                    "a periodEnd that is no date; Organization/ics-icb/$practice-ranking?indicator=face-to-face-share"
                            + "&periodEnd=2021-02-30; 2021-02-30",
                    "an unknown Organization; Organization/no-such-icb/$practice-ranking?indicator=face-to-face-share;"
                            + " is not known",
                    "a Patient scope; Patient/ics-n1-gp/$practice-ranking?indicator=face-to-face-share; practice-ranking",
                    "a GET that asks to store; Organization/ics-icb/$practice-ranking?indicator=face-to-face-share"
                            + "&persist=true; persist",
                    "months out of order; Organization/ics-icb/$access-report?start=2021-09&end=2021-06; out of order",
                    "no start; Organization/ics-icb/$access-report?end=2021-06; start is required",
                    "a start that is a day; Organization/ics-icb/$access-report?start=2021-06-01&end=2021-09; start",
                    "a month that is no month; Organization/ics-icb/$access-report?start=2021-13&end=2021-09; 2021-13",
                    "more than 60 months; Organization/ics-icb/$access-report?start=2016-01&end=2021-09; 60 months",
                    "a baseline year before 1990; Organization/ics-icb/$access-report?start=2021-06&end=2021-09"
                            + "&baselineYear=1890; baselineYear",
                    "a baseline year to come; Organization/ics-icb/$access-report?start=2021-06&end=2021-09"
                            + "&baselineYear=2999; baselineYear",
                    "an unknown Organization; Organization/no-such-icb/$access-report?start=2021-06&end=2021-09;"
                            + " is not known",
                    "a Group scope; Group/ics-icb/$access-report?start=2021-06&end=2021-09; access-report",
                })
        void isRefusedWith400AndAnOperationOutcome(String what, String path, String message) throws Exception {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(baseUrl() + "/" + path))
                            .header("Accept", "application/fhir+json")
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(FHIR.newJsonParser().parseResource(response.body()))
                    .isInstanceOfSatisfying(OperationOutcome.class, outcome -> assertThat(
                                    outcome.getIssueFirstRep().getDiagnostics())
                            .contains(message));
        }
    }

    // ---- the records

    private void patients(String practice, String... names) {
        for (String name : names) {
            records.patient(practice + "-" + name, practice, "1960-01-01");
        }
    }

    private void edAttendances(String patient, int count) {
        for (int i = 0; i < count; i++) {
            records.encounter(
                    patient,
                    SCT,
                    ED_VISIT,
                    "EMER",
                    Encounter.EncounterStatus.FINISHED,
                    "2021-0" + (2 + i) + "-10T20:00");
        }
    }

    /** Face-to-face (surgery) and telephone GP attendances of a patient in a month, each at a slot of its own. */
    private void consultations(String patient, String month, int faceToFace, int telephone) {
        for (int i = 0; i < faceToFace; i++) {
            gp(patient, month, SURGERY, "AMB");
        }
        for (int i = 0; i < telephone; i++) {
            gp(patient, month, TELEPHONE, "VR");
        }
    }

    /** A GP attendance of a type and class in the patient's next free slot of the month: a day, then an hour. */
    private void gp(String patient, String month, String type, String classCode) {
        int slot = slots.merge(patient + month, 1, Integer::sum) - 1;
        String start = "%s-%02dT%02d:00".formatted(month, slot % 28 + 1, 8 + slot / 28);
        records.encounter(patient, SCT, type, classCode, Encounter.EncounterStatus.FINISHED, start);
    }

    /** A surgery attendance delivered by another organisation than the patient's practice. */
    private static Encounter encounterAt(String patient, String organization, String start) {
        Encounter encounter = new Encounter()
                .setStatus(Encounter.EncounterStatus.FINISHED)
                .setClass_(new Coding(ACT_CODE, "AMB", null))
                .setSubject(new Reference("Patient/" + patient))
                .setServiceProvider(new Reference("Organization/" + organization))
                .setPeriod(new Period().setStartElement(new DateTimeType(start + ":00Z")));
        encounter.addType().addCoding(new Coding(SCT, SURGERY, null));
        encounter.setId(patient + "-at-" + organization);
        return encounter;
    }

    // ---- the operations

    private List<MeasureReport> ranking(String scope, String indicator, Integer top, boolean groupByPartOf) {
        IOperationUntypedWithInputAndPartialOutput<Parameters> operation = client.operation()
                .onInstance(new IdType("Organization", scope))
                .named("$practice-ranking")
                .withParameter(Parameters.class, "indicator", new CodeType(indicator))
                .andParameter("periodEnd", new DateType("2021-12-31"));
        if (top != null) {
            operation.andParameter("top", new IntegerType(top));
        }
        if (groupByPartOf) {
            operation.andParameter("groupBy", new CodeType("partOf"));
        }
        return operation.useHttpGet().execute().getParameter().stream()
                .map(p -> (MeasureReport) p.getResource())
                .toList();
    }

    private Parameters access(String scope, String start, String end, Integer baselineYear) {
        IOperationUntypedWithInputAndPartialOutput<Parameters> operation = client.operation()
                .onInstance(new IdType("Organization", scope))
                .named("$access-report")
                .withParameter(Parameters.class, "start", new DateType(start))
                .andParameter("end", new DateType(end));
        if (baselineYear != null) {
            operation.andParameter("baselineYear", new IntegerType(baselineYear));
        }
        return operation.useHttpGet().execute();
    }

    private List<MeasureReport> accessReports(String scope) {
        return access(scope, "2021-06", "2021-09", null).getParameter().stream()
                .filter(p -> p.getName().equals("report"))
                .map(p -> (MeasureReport) p.getResource())
                .toList();
    }

    private Parameters post(String operation, String scope, Map<String, org.hl7.fhir.r4.model.Type> parameters) {
        Parameters in = new Parameters();
        parameters.forEach((name, value) -> in.addParameter().setName(name).setValue(value));
        return client.operation()
                .onInstance(new IdType("Organization", scope))
                .named(operation)
                .withParameters(in)
                .execute();
    }

    private List<MeasureReport> storedReports(String measure, String subject) {
        Bundle found = client.search()
                .byUrl("MeasureReport?measure=" + measure + "&subject:Group.managing-entity=Organization/" + subject
                        + "&period=2021")
                .returnBundle(Bundle.class)
                .execute();
        return found.getEntry().stream()
                .map(e -> (MeasureReport) e.getResource())
                .toList();
    }

    // ---- reading the reports

    /** The Organization whose population a report is about. */
    private static String subject(MeasureReport report) {
        assertThat(report.getSubject().getIdentifier().getSystem())
                .isEqualTo("https://proactivecare.example/fhir/Id/organisation-population");
        return report.getSubject().getIdentifier().getValue();
    }

    private static MeasureReport report(Parameters result, String practice) {
        return report(
                result.getParameter().stream()
                        .filter(p -> p.getName().equals("report"))
                        .map(p -> (MeasureReport) p.getResource())
                        .toList(),
                practice);
    }

    private static MeasureReport report(List<MeasureReport> reports, String practice) {
        return reports.stream()
                .filter(r -> subject(r).equals("Organization/" + practice))
                .findFirst()
                .orElseThrow();
    }

    /** {@code ics-n1 rank 1 of 3 in ics-north: 2/4 = 500.00}: the practice, its rank and its first group's figures. */
    private static String row(MeasureReport report) {
        Extension rank =
                report.getExtensionByUrl("https://proactivecare.example/fhir/StructureDefinition/practice-rank");
        return new IdType(subject(report)).getIdPart() + " rank "
                + ((PositiveIntType) rank.getExtensionByUrl("rank").getValue()).getValue() + " of "
                + ((PositiveIntType) rank.getExtensionByUrl("of").getValue()).getValue() + " in "
                + new IdType(((Reference) rank.getExtensionByUrl("group").getValue()).getReference()).getIdPart()
                + ": " + counts(report.getGroupFirstRep());
    }

    /** {@code 2/4 = 500.00}: numerator, denominator and score ({@code none} when there is no score). */
    private static String counts(MeasureReportGroupComponent group) {
        return group.getPopulation().get(0).getCount() + "/"
                + group.getPopulation().get(1).getCount() + " = "
                + (group.hasMeasureScore() ? group.getMeasureScore().getValue().toPlainString() : "none");
    }

    /** {@code 2021-06: 38/36 = 5.6} for each month. */
    private static List<String> strata(MeasureReportGroupComponent group) {
        return group.getStratifierFirstRep().getStratum().stream()
                .map(s -> s.getValue().getText() + ": "
                        + s.getPopulation().get(0).getCount() + "/"
                        + s.getPopulation().get(1).getCount() + " = "
                        + (s.hasMeasureScore() ? s.getMeasureScore().getValue().toPlainString() : "none"))
                .toList();
    }
}
