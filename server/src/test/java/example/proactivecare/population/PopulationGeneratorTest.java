package example.proactivecare.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import example.proactivecare.identifiers.NhsNumber;
import example.proactivecare.population.PatientRecord.Defect;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

class PopulationGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate START = LocalDate.of(2019, 1, 1);
    private static final LocalDate END = LocalDate.of(2021, 12, 31);
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    @TempDir
    static Path temp;

    /** A small population with many planted defects, for the format and consistency checks. */
    private static PopulationGenerator.Result small;

    private static List<Line> smallLines;

    static GeneratorOptions options(Path out, int patients, long seed, double defectRate, int threads) {
        return new GeneratorOptions(out, patients, seed, START, END, defectRate, 10, threads);
    }

    static PopulationGenerator.Result generate(GeneratorOptions options) throws IOException {
        return new PopulationGenerator(options).run(null);
    }

    /** One line of output: its file, its number, and the bundle. */
    record Line(String file, int number, JsonNode bundle) {}

    static List<Line> lines(PopulationGenerator.Result result) throws IOException {
        List<Line> lines = new ArrayList<>();
        for (PopulationGenerator.FileResult file : result.files()) {
            List<String> text = Files.readAllLines(result.options().out().resolve(file.name()));
            for (int i = 0; i < text.size(); i++) {
                lines.add(new Line(file.name(), i + 1, JSON.readTree(text.get(i))));
            }
        }
        return lines;
    }

    static Stream<JsonNode> resources(List<Line> lines, String type) {
        return lines.stream()
                .flatMap(line -> stream(line.bundle().get("entry")))
                .map(entry -> entry.get("resource"))
                .filter(resource -> resource.get("resourceType").asText().equals(type));
    }

    static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> nodes = new ArrayList<>();
        array.forEach(nodes::add);
        return nodes.stream();
    }

    @BeforeAll
    static void givenASmallPopulationWithManyDefects() throws IOException {
        small = generate(options(temp.resolve("small"), 600, 11, 0.05, 2));
        smallLines = lines(small);
    }

    @Nested
    class TheOutputFolder {

        @Test
        void holdsTheOrganizationsFileAPracticeFileTheManifestAndTheSummary() {
            Path out = small.options().out();
            assertThat(out.resolve("00-organizations.ndjson")).exists();
            assertThat(out.resolve(
                            "practice-" + small.structure().practices.get(0).ods() + ".ndjson"))
                    .exists();
            assertThat(out.resolve("manifest.json")).exists();
            assertThat(out.resolve("summary.md")).exists();
            assertThat(out.resolve("summary.json")).exists();
        }

        @Test
        void hasOneTransactionBundleALineWhoseEntriesArePutsOfClientAssignedIds() {
            for (Line line : smallLines) {
                assertThat(line.bundle().get("resourceType").asText()).isEqualTo("Bundle");
                assertThat(line.bundle().get("type").asText()).isEqualTo("transaction");
                for (JsonNode entry : line.bundle().get("entry")) {
                    String type = entry.get("resource").get("resourceType").asText();
                    String id = entry.get("resource").get("id").asText();
                    assertThat(entry.get("request").get("method").asText()).isEqualTo("PUT");
                    assertThat(entry.get("request").get("url").asText()).isEqualTo(type + "/" + id);
                    assertThat(entry.get("fullUrl").asText()).isEqualTo(type + "/" + id);
                    assertThat(id).matches(FHIR_ID).doesNotMatch("[0-9]+");
                }
            }
        }

        @Test
        void givesEveryResourceItsOwnId() {
            Set<String> seen = new HashSet<>();
            smallLines.stream()
                    .flatMap(line -> stream(line.bundle().get("entry")))
                    .forEach(entry -> assertThat(seen.add(entry.get("fullUrl").asText()))
                            .as(entry.get("fullUrl").asText())
                            .isTrue());
        }

        @Test
        void onlyReferencesResourcesOfTheSameBundleOrAnEarlierLine() {
            Set<String> loaded = new HashSet<>();
            for (Line line : smallLines) {
                Set<String> here = new HashSet<>(loaded);
                line.bundle()
                        .get("entry")
                        .forEach(entry -> here.add(entry.get("fullUrl").asText()));
                for (JsonNode entry : line.bundle().get("entry")) {
                    for (String reference : entry.get("resource").findValuesAsText("reference")) {
                        assertThat(here)
                                .as(line.file() + " line " + line.number())
                                .contains(reference);
                    }
                }
                loaded = here;
            }
        }

        @Test
        void hasAManifestCountingEachFilesBundlesAndResourcesInLoadOrder() throws IOException {
            JsonNode manifest =
                    JSON.readTree(small.options().out().resolve("manifest.json").toFile());
            List<String> files = stream(manifest.get("files"))
                    .map(f -> f.get("file").asText())
                    .toList();
            assertThat(files.get(0)).isEqualTo("00-organizations.ndjson");
            long total = 0;
            for (JsonNode file : manifest.get("files")) {
                List<Line> ofFile = smallLines.stream()
                        .filter(l -> l.file().equals(file.get("file").asText()))
                        .toList();
                long resources = ofFile.stream()
                        .mapToLong(l -> l.bundle().get("entry").size())
                        .sum();
                assertThat(file.get("bundles").asLong()).isEqualTo(ofFile.size());
                assertThat(file.get("resources").asLong()).isEqualTo(resources);
                total += resources;
            }
            assertThat(manifest.get("totalResources").asLong()).isEqualTo(total);
            assertThat(manifest.get("options").get("seed").asLong()).isEqualTo(11);
        }
    }

    @Nested
    class TheOrganisations {

        @Test
        void formAHierarchyOfPracticeInPcnInLocalityInIcb() {
            Map<String, JsonNode> byId = new HashMap<>();
            resources(smallLines, "Organization")
                    .forEach(o -> byId.put("Organization/" + o.get("id").asText(), o));
            IcsStructure.Practice practice = small.structure().practices.get(0);
            JsonNode pcn = byId.get(byId.get("Organization/" + practice.id())
                    .get("partOf")
                    .get("reference")
                    .asText());
            JsonNode locality = byId.get(pcn.get("partOf").get("reference").asText());
            JsonNode icb = byId.get(locality.get("partOf").get("reference").asText());
            assertThat(pcn.get("name").asText()).endsWith("PCN");
            assertThat(locality.get("name").asText()).contains("Locality");
            assertThat(icb.get("name").asText()).contains("Integrated Care Board");
        }

        @Test
        void ofPrimaryCareClaimTheProjectProfileAndCarryTheirOdsCode() {
            resources(smallLines, "Organization").filter(o -> o.has("meta")).forEach(o -> {
                assertThat(o.get("meta").get("profile").get(0).asText()).endsWith("/practice-organization");
                assertThat(o.get("identifier").get(0).get("system").asText())
                        .isEqualTo("https://fhir.nhs.uk/Id/ods-organization-code");
                assertThat(o.get("id").asText())
                        .isEqualTo(
                                "org-" + o.get("identifier").get(0).get("value").asText());
            });
        }

        @Test
        void haveCareRolesWithACodeAndACaseloadCapacity() {
            List<JsonNode> roles = resources(smallLines, "PractitionerRole").toList();
            // 600 patients: one practice with one GP and two nurses, and the PCN's four roles
            assertThat(roles).hasSize(1 + 2 + 4);
            for (JsonNode role : roles) {
                assertThat(role.get("meta").get("profile").get(0).asText()).endsWith("/care-practitioner-role");
                assertThat(role.get("extension").get(0).get("valueUnsignedInt").asInt())
                        .isBetween(20, 60);
                assertThat(role.get("code")
                                .get(0)
                                .get("coding")
                                .get(0)
                                .get("code")
                                .asText())
                        .isNotBlank();
            }
        }
    }

    @Nested
    class ThePatients {

        @Test
        void haveValidUniqueNhsNumbers() {
            List<String> numbers = resources(smallLines, "Patient")
                    .map(p -> p.get("identifier").get(0).get("value").asText())
                    .toList();
            assertThat(numbers).hasSize(600).doesNotHaveDuplicates().allMatch(NhsNumber::isValid);
        }

        @Test
        void areRegisteredWithTheirPractice() {
            resources(smallLines, "Patient").forEach(p -> {
                assertThat(p.get("generalPractitioner").get(0).get("reference").asText())
                        .startsWith("Organization/org-ZZ");
                assertThat(p.get("managingOrganization").get("reference").asText())
                        .isEqualTo(p.get("generalPractitioner")
                                .get(0)
                                .get("reference")
                                .asText());
            });
        }

        @Test
        void haveNoEncounterOutsideTheirLifeOrAfterTheEndExceptThePlantedDefects() {
            // given each patient's birth and death
            Map<String, LocalDate> births = new HashMap<>();
            Map<String, LocalDate> deaths = new HashMap<>();
            resources(smallLines, "Patient").forEach(p -> {
                String reference = "Patient/" + p.get("id").asText();
                births.put(reference, LocalDate.parse(p.get("birthDate").asText()));
                if (p.has("deceasedDateTime")) {
                    deaths.put(
                            reference, LocalDate.parse(p.get("deceasedDateTime").asText()));
                }
            });
            // when the encounters are dated
            long future = 0;
            long beforeBirth = 0;
            long afterDeath = 0;
            for (JsonNode encounter : resources(smallLines, "Encounter").toList()) {
                String patient = encounter.get("subject").get("reference").asText();
                LocalDate day = LocalDate.parse(
                        encounter.get("period").get("start").asText().substring(0, 10));
                if (day.isAfter(END)) {
                    future++;
                } else if (day.isBefore(births.get(patient))) {
                    beforeBirth++;
                } else if (deaths.containsKey(patient) && day.isAfter(deaths.get(patient))) {
                    afterDeath++;
                }
            }
            // then the only ones out of place are those the summary says were planted
            PopulationStats stats = small.stats();
            assertThat(future)
                    .isEqualTo(stats.defects[Defect.FUTURE_DATED.ordinal()])
                    .isPositive();
            assertThat(beforeBirth)
                    .isEqualTo(stats.defects[Defect.BEFORE_BIRTH.ordinal()])
                    .isPositive();
            assertThat(afterDeath).isEqualTo(stats.defects[Defect.AFTER_DEATH.ordinal()]);
        }

        @Test
        void haveNoEncounterEndingBeforeItStarts() {
            // given the encounters of the small population, over three years of clock changes
            // when each one's period is read as instants
            // then none ends before it starts (FHIR per-1), defects or not
            resources(smallLines, "Encounter")
                    .filter(e -> e.get("period").has("end"))
                    .forEach(e -> assertThat(java.time.OffsetDateTime.parse(
                                    e.get("period").get("end").asText()))
                            .as(e.get("id").asText())
                            .isAfterOrEqualTo(java.time.OffsetDateTime.parse(
                                    e.get("period").get("start").asText())));
        }

        @Test
        void haveStaleMedicationsOnlyWherePlanted() {
            long stale = resources(smallLines, "MedicationStatement")
                    .filter(m -> m.get("status").asText().equals("active"))
                    .filter(m -> !m.get("effectivePeriod").has("end"))
                    .filter(m -> LocalDate.parse(
                                    m.get("effectivePeriod").get("start").asText())
                            .isBefore(END.minusYears(1)))
                    .count();
            assertThat(stale)
                    .isEqualTo(small.stats().defects[Defect.STALE_MEDICATION.ordinal()])
                    .isPositive();
        }

        @Test
        void haveUnclassifiedEncountersOnlyWherePlanted() {
            assertThat(small.stats().categories[PopulationStats.CATEGORIES.indexOf("unclassified")])
                    .isEqualTo(small.stats().defects[Defect.UNMAPPED_TYPE_CODE.ordinal()])
                    .isPositive();
        }

        @Test
        void haveDuplicateEncountersAtLeastWherePlanted() {
            // duplicates: same patient and category, starts within five minutes
            Map<String, List<long[]>> starts = new HashMap<>();
            long duplicates = 0;
            for (JsonNode encounter : resources(smallLines, "Encounter").toList()) {
                String key = encounter.get("subject").get("reference").asText() + " "
                        + encounter.get("class").get("code").asText();
                long minute = java.time.OffsetDateTime.parse(
                                        encounter.get("period").get("start").asText())
                                .toEpochSecond()
                        / 60;
                for (long[] earlier : starts.computeIfAbsent(key, k -> new ArrayList<>())) {
                    if (Math.abs(earlier[0] - minute) <= 5) {
                        duplicates++;
                        break;
                    }
                }
                starts.get(key).add(new long[] {minute});
            }
            assertThat(duplicates).isGreaterThanOrEqualTo(small.stats().defects[Defect.DUPLICATE_ENCOUNTER.ordinal()]);
            assertThat(small.stats().defects[Defect.DUPLICATE_ENCOUNTER.ordinal()])
                    .isPositive();
        }

        @Test
        void takeMedicinesCodedInDmd() {
            assertThat(resources(smallLines, "MedicationStatement"))
                    .isNotEmpty()
                    .allMatch(m -> m.get("medicationCodeableConcept")
                            .get("coding")
                            .get(0)
                            .get("system")
                            .asText()
                            .equals(MedicineCatalog.DMD_SYSTEM))
                    .allMatch(m -> Set.of("active", "completed")
                            .contains(m.get("status").asText()));
        }

        @Test
        void haveConditionsFromTheProjectsValueSets() {
            Terminology terminology = Terminology.fromClasspath(ca.uhn.fhir.context.FhirContext.forR4Cached());
            Set<String> codes = new HashSet<>();
            terminology.codes(ConditionCatalog.LTC_VALUE_SET).forEach(c -> codes.add(c.code()));
            terminology.codes(ConditionCatalog.PSYCHOSOCIAL_VALUE_SET).forEach(c -> codes.add(c.code()));
            assertThat(resources(smallLines, "Condition"))
                    .isNotEmpty()
                    .allMatch(c -> codes.contains(
                            c.get("code").get("coding").get(0).get("code").asText()));
        }
    }

    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class AtTwentyThousandPatients {

        private PopulationGenerator.Result result;

        @BeforeAll
        void givenTwentyThousandPatients() throws IOException {
            result = generate(options(temp.resolve("calibration"), 20_000, 42, 0.01, 2));
        }

        @Test
        void theMeanIsAboutFourGpConsultationsAPatientYear() {
            // seed 004's monthly table (with the estimated other months) is 4.0 a patient-year
            assertThat(result.stats().gpPerPatientYear()).isBetween(3.8, 4.3);
        }

        @Test
        void theTopOnePercentHaveAbout90GpConsultationsAnd3EdAttendancesAYear() {
            PopulationStats.TopPercent top = result.stats().topPercent();
            assertThat(top.patients()).isBetween(190L, 205L);
            assertThat(top.meanGp()).isBetween(75.0, 110.0); // seed 001: 54,000 / 600 = 90
            assertThat(top.meanEd()).isBetween(2.3, 4.2); // seed 001: 1,925 / 600 = 3.2
        }

        @Test
        void theFaceToFaceShareFollowsSeed004AndThePandemic() {
            assertThat(faceToFace(YearMonth.of(2021, 8))).isCloseTo(0.552, within(0.03));
            assertThat(faceToFace(YearMonth.of(2021, 9))).isCloseTo(0.614, within(0.03));
            assertThat(faceToFace(YearMonth.of(2019, 6))).isCloseTo(0.80, within(0.03));
            assertThat(faceToFace(YearMonth.of(2020, 4))).isCloseTo(0.45, within(0.04));
        }

        @Test
        void theMonthlyConsultationsScaledToTheIcsAreSeed004s() {
            for (YearMonth month : result.window().months) {
                if (Calibration.isSeedMonth(month)) {
                    int m = result.window().months.indexOf(month);
                    double scaled = result.stats().gpByMonth[m] * 1_100_000.0 / result.stats().patients;
                    assertThat(scaled)
                            .as(month.toString())
                            .isCloseTo(Calibration.seedConsultations(month).getAsInt(), withinPercent(12));
                }
            }
        }

        @Test
        void aRealisticShareOfOver75sTakeTenOrMoreMedicines() {
            double share = result.stats().over75TenPlus / (double) result.stats().over75;
            assertThat(share).isBetween(0.08, 0.25);
        }

        @Test
        void aboutOnePercentDieEachYear() {
            double perThousand = 1000.0 * result.stats().deaths / (result.stats().patientDays / 365.2425);
            assertThat(perThousand).isBetween(8.0, 13.0);
        }

        @Test
        void theSameOptionsGiveByteIdenticalFilesWhateverTheThreads() throws IOException {
            // given the same options, generated again on one thread instead of two
            PopulationGenerator.Result again =
                    generate(options(temp.resolve("calibration-again"), 20_000, 42, 0.01, 1));
            assertThat(result.structure().practices).hasSizeGreaterThan(1);
            // then every file but the summary's timing is byte-identical
            for (PopulationGenerator.FileResult file : result.files()) {
                assertThat(Files.mismatch(
                                result.options().out().resolve(file.name()),
                                again.options().out().resolve(file.name())))
                        .as(file.name())
                        .isEqualTo(-1);
            }
            assertThat(Files.mismatch(
                            result.options().out().resolve("manifest.json"),
                            again.options().out().resolve("manifest.json")))
                    .isEqualTo(-1);
            JsonNode first =
                    JSON.readTree(result.options().out().resolve("summary.json").toFile());
            JsonNode second =
                    JSON.readTree(again.options().out().resolve("summary.json").toFile());
            ((com.fasterxml.jackson.databind.node.ObjectNode) first).remove("elapsedSeconds");
            ((com.fasterxml.jackson.databind.node.ObjectNode) second).remove("elapsedSeconds");
            assertThat(first).isEqualTo(second);
        }

        private double faceToFace(YearMonth month) {
            int m = result.window().months.indexOf(month);
            return result.stats().modeByMonth[m][0] / (double) result.stats().gpByMonth[m];
        }

        private org.assertj.core.data.Percentage withinPercent(double percent) {
            return org.assertj.core.data.Percentage.withPercentage(percent);
        }
    }

    @Test
    void aDifferentSeedGivesADifferentPopulation() throws IOException {
        generate(options(temp.resolve("seed-1"), 100, 1, 0.01, 1));
        generate(options(temp.resolve("seed-2"), 100, 2, 0.01, 1));
        Path one = temp.resolve("seed-1").resolve("practice-ZZ0001.ndjson");
        Path two = temp.resolve("seed-2").resolve("practice-ZZ0001.ndjson");
        assertThat(Files.mismatch(one, two)).isNotEqualTo(-1);
    }
}
