package example.proactivecare.projection;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import example.proactivecare.conformance.ConformanceContent;
import example.proactivecare.conformance.ConformanceResources;
import example.proactivecare.projection.EncounterClassifier.Classification;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The classification rules, as the ConceptMaps shipped in mappings/ give them. */
class EncounterClassifierTest {

    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static final String SNOMED = "http://snomed.info/sct";

    private static EncounterClassifier classifier;

    @BeforeAll
    static void givenTheProjectsConceptMaps() {
        classifier =
                new EncounterClassifier(new ConformanceContent(ConformanceResources.load(FhirContext.forR4Cached()))
                        .resources(ConceptMap.class));
    }

    private static Encounter encounter(String actCode) {
        return new Encounter().setStatus(EncounterStatus.FINISHED).setClass_(new Coding(ACT_CODE, actCode, null));
    }

    private static Encounter withType(Encounter encounter, String system, String code) {
        encounter.addType(new CodeableConcept(new Coding(system, code, null)));
        return encounter;
    }

    @Nested
    class AGpAttendance {

        @Test
        void isAnAmbulatoryEncounterFaceToFaceWhenItsTypeSaysNothingElse() {
            assertThat(classifier.classify(encounter("AMB")))
                    .isEqualTo(new Classification("gp-attendance", "face-to-face"));
        }

        @Test
        void takesItsModeFromItsTypeBeforeItsClass() {
            Encounter telephone = withType(encounter("AMB"), SNOMED, "185317003");

            assertThat(classifier.classify(telephone)).isEqualTo(new Classification("gp-attendance", "telephone"));
        }

        @Test
        void isAHomeVisitWhenItsClassIsHomeHealth() {
            assertThat(classifier.classify(encounter("HH")))
                    .isEqualTo(new Classification("gp-attendance", "home-visit"));
        }

        @Test
        void hasAnUnknownModeWhenVirtualWithoutATypeSayingHow() {
            assertThat(classifier.classify(encounter("VR"))).isEqualTo(new Classification("gp-attendance", "unknown"));
        }

        @Test
        void includesSyntheasCheckUps() {
            Encounter checkUp = withType(encounter("AMB"), SNOMED, "185349003");

            assertThat(classifier.classify(checkUp).category()).isEqualTo("gp-attendance");
        }
    }

    @Nested
    class HospitalEncounters {

        @Test
        void anEmergencyClassIsAnEdAttendanceWithoutAMode() {
            assertThat(classifier.classify(encounter("EMER"))).isEqualTo(new Classification("ed-attendance", null));
        }

        @Test
        void anInpatientAdmissionIsPlannedUnlessItArrivedAsAnEmergency() {
            Encounter planned = encounter("IMP");
            Encounter byPriority = encounter("ACUTE");
            byPriority.setPriority(new CodeableConcept(
                    new Coding("http://terminology.hl7.org/CodeSystem/v3-ActPriority", "EM", null)));
            Encounter fromEd = encounter("IMP");
            fromEd.getHospitalization()
                    .setAdmitSource(new CodeableConcept(
                            new Coding("http://terminology.hl7.org/CodeSystem/admit-source", "emd", null)));

            assertThat(classifier.classify(planned).category()).isEqualTo("planned-admission");
            assertThat(classifier.classify(byPriority).category()).isEqualTo("unplanned-admission");
            assertThat(classifier.classify(fromEd).category()).isEqualTo("unplanned-admission");
        }

        @Test
        void aTypeNamingTheSettingWinsOverTheClass() {
            Encounter emergencyRoom = withType(encounter("AMB"), SNOMED, "50849002");

            assertThat(classifier.classify(emergencyRoom).category()).isEqualTo("ed-attendance");
        }
    }

    @Nested
    class UrgentCareServices {

        @Test
        void anNhs111ContactIsKnownByItsServiceType() {
            Encounter call = encounter("VR");
            call.setServiceType(new CodeableConcept(
                    new Coding("https://proactivecare.example/fhir/CodeSystem/urgent-care-service", "nhs-111", null)));

            assertThat(classifier.classify(call)).isEqualTo(new Classification("contact-111", null));
        }

        @Test
        void anAmbulanceContactIsKnownByItsType() {
            Encounter ambulance = withType(encounter("EMER"), SNOMED, "792847005");

            assertThat(classifier.classify(ambulance).category()).isEqualTo("contact-999");
        }
    }

    @Nested
    class NotAttendances {

        @Test
        void aCancelledOrEnteredInErrorEncounterIsNotAnAppointmentWhateverItsCodes() {
            assertThat(classifier.classify(encounter("AMB").setStatus(EncounterStatus.CANCELLED)))
                    .isEqualTo(new Classification("not-an-appointment", null));
            assertThat(classifier
                            .classify(encounter("EMER").setStatus(EncounterStatus.ENTEREDINERROR))
                            .category())
                    .isEqualTo("not-an-appointment");
        }

        @Test
        void aDidNotAttendIsNotAnAppointment() {
            Encounter dna = withType(encounter("AMB"), SNOMED, "281399006");

            assertThat(classifier.classify(dna).category()).isEqualTo("not-an-appointment");
        }

        @Test
        void codesNoMapKnowsAreUnclassifiedNeverGuessed() {
            Encounter field = encounter("FLD");
            Encounter local = new Encounter()
                    .setStatus(EncounterStatus.FINISHED)
                    .setClass_(new Coding("https://emis.example/consultation", "X1", null));

            assertThat(classifier.classify(field)).isEqualTo(new Classification("unclassified", null));
            assertThat(classifier.classify(local)).isEqualTo(new Classification("unclassified", null));
        }
    }
}
