package example.proactivecare.cohort;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.StringWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CohortAnswerJsonTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private final CohortAnswerJson writer = new CohortAnswerJson(FHIR);

    /** A stored cohort refreshed: members who stayed, left, re-entered and entered, one with an MDT review. */
    private static Parameters answer() {
        CohortRequest first = new CohortRequest(
                "gp-frequent-attender", "pcn-1", LocalDate.parse("2021-06-30"), 12, CohortRequest.Thresholds.DEFAULTS);
        Group stored = CohortGroups.refresh(
                        null,
                        first,
                        "GP frequent attender, \"PCN\" 1 – Ōtautahi",
                        List.of(figures("a", 30), figures("b", 21), figures("c", 25)))
                .group();
        stored.setId("Group/g1/_history/3");
        stored.getMeta().setVersionId("3").setLastUpdated(new java.util.Date(1_700_000_000_000L));
        Extension review = stored.getMemberFirstRep().addExtension().setUrl(CohortGroups.REVIEW);
        review.addExtension("decision", new Coding(CohortService.MDT_DECISION_SYSTEM, "reject", null));
        review.addExtension(
                "reason",
                new CodeableConcept(new Coding("urn:x", "declined", "Declined \u00e9 \\ \n support"))
                        .setText("Patient said no"));
        review.addExtension("decidedBy", new Reference("PractitionerRole/r1").setDisplay("Dr Ng"));
        review.addExtension("date", new DateTimeType("2021-07-01T10:15:00+01:00"));

        CohortRequest second = new CohortRequest(
                "gp-frequent-attender", "pcn-1", LocalDate.parse("2021-12-31"), 12, CohortRequest.Thresholds.DEFAULTS);
        CohortGroups.Refresh refresh =
                CohortGroups.refresh(stored, second, "St Mary\u2019s PCN", List.of(figures("a", 40), figures("d", 22)));
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("return").setResource(refresh.group());
        parameters.addParameter("entered", new IntegerType(refresh.entered()));
        parameters.addParameter("left", new IntegerType(refresh.left()));
        parameters.addParameter("stayed", new IntegerType(refresh.stayed()));
        return parameters;
    }

    private static MemberFigures figures(String patient, int gpAttendances) {
        return new MemberFigures(
                patient,
                patient.equals("d") ? null : 80,
                gpAttendances,
                Map.of("telephone", gpAttendances - 1, "face-to-face", 1),
                0,
                2,
                3,
                1,
                11,
                2,
                true);
    }

    private String written(Parameters answer) throws IOException {
        StringWriter out = new StringWriter();
        writer.write(answer, out);
        return out.toString();
    }

    @Nested
    class ACohortAnswer {

        @Test
        void isWrittenAsTheSameJsonAsHapisParserWrites() throws IOException {
            // given
            Parameters answer = answer();
            assertThat(writer.canWrite(answer)).isTrue();

            // when
            String ours = written(answer);

            // then
            assertThat(ours).isEqualTo(FHIR.newJsonParser().encodeResourceToString(answer));
        }

        @Test
        void parsesBackToTheSameResource() throws IOException {
            Parameters answer = answer();

            Parameters parsed = FHIR.newJsonParser().parseResource(Parameters.class, written(answer));

            assertThat(parsed.equalsDeep(answer)).isTrue();
        }

        @Test
        void leavesTheGroupAsItWas() throws IOException {
            Parameters answer = answer();
            Group group = (Group) answer.getParameterFirstRep().getResource();
            int members = group.getMember().size();

            written(answer);

            assertThat(group.getMember()).hasSize(members);
        }

        @Test
        void withAGroupOfNoMembersIsWrittenToo() throws IOException {
            Parameters answer = new Parameters();
            CohortRequest request = new CohortRequest(
                    "ae-frequent-attender", null, LocalDate.parse("2021-12-31"), 12, CohortRequest.Thresholds.DEFAULTS);
            answer.addParameter()
                    .setName("return")
                    .setResource(
                            CohortGroups.refresh(null, request, "n", List.of()).group());
            answer.addParameter("entered", new IntegerType(0));

            assertThat(written(answer)).isEqualTo(FHIR.newJsonParser().encodeResourceToString(answer));
        }
    }

    @Nested
    class IsLeftToHapi {

        @Test
        void whenAMemberHoldsAValueTypeItDoesNotWrite() {
            Parameters answer = answer();
            ((Group) answer.getParameterFirstRep().getResource())
                    .getMemberFirstRep()
                    .addExtension("urn:x", new DecimalType("1.5"));

            assertThat(writer.canWrite(answer)).isFalse();
        }

        @Test
        void whenAValueHasAnExtensionOfItsOwn() {
            Parameters answer = answer();
            ((Group) answer.getParameterFirstRep().getResource())
                    .getMemberFirstRep()
                    .getEntity()
                    .addExtension("urn:x", new IntegerType(1));

            assertThat(writer.canWrite(answer)).isFalse();
        }

        @Test
        void whenTheAnswerIsNotACohortAnswer() {
            Parameters answer = new Parameters();
            answer.addParameter().setName("return").setResource(new org.hl7.fhir.r4.model.Patient());

            assertThat(writer.canWrite(answer)).isFalse();
            assertThat(writer.canWrite(new Group())).isFalse();
        }
    }
}
