package example.proactivecare.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import example.proactivecare.support.FhirServerTest;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceOperationComponent;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.OperationDefinition;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.UriType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The server enforces the project's profiles and value sets, and serves terminology operations on its content. */
class ConformanceEnforcedTest extends FhirServerTest {

    private static final String BASE = ConformanceResources.CANONICAL_BASE;
    private static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    private IIdType practice;
    private IIdType patient;

    @BeforeEach
    void givenAPracticeAndAPatient() {
        Organization organization = new Organization().setName("Conformance Surgery");
        organization.getMeta().addProfile(BASE + "/StructureDefinition/practice-organization");
        organization
                .addIdentifier()
                .setSystem("https://fhir.nhs.uk/Id/ods-organization-code")
                .setValue("Y09001");
        practice = client.update()
                .resource(organization)
                .conditionalByUrl("Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|Y09001")
                .execute()
                .getId()
                .toUnqualifiedVersionless();
        Patient person = new Patient();
        person.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9000000017");
        patient = client.update()
                .resource(person)
                .conditionalByUrl("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9000000017")
                .execute()
                .getId()
                .toUnqualifiedVersionless();
    }

    private Encounter gpEncounter() {
        Encounter encounter = new Encounter()
                .setStatus(Encounter.EncounterStatus.FINISHED)
                .setClass_(new Coding(ACT_CODE, "AMB", "ambulatory"))
                .setSubject(new Reference(patient))
                .setServiceProvider(new Reference(practice));
        encounter.getMeta().addProfile(BASE + "/StructureDefinition/gp-encounter");
        encounter.getPeriod().setStartElement(new DateTimeType("2026-03-02T09:10:00+00:00"));
        return encounter;
    }

    /** Creates the resource, expecting the server to refuse it as unprocessable. */
    private UnprocessableEntityException rejectedOnCreate(IBaseResource resource) {
        UnprocessableEntityException rejected = catchThrowableOfType(
                () -> client.create().resource(resource).execute(), UnprocessableEntityException.class);
        assertThat(rejected).as("422 Unprocessable Entity").isNotNull();
        return rejected;
    }

    private static OperationOutcome outcomeOf(UnprocessableEntityException e) {
        return (OperationOutcome) e.getOperationOutcome();
    }

    private static List<String> expressionsOf(UnprocessableEntityException e) {
        return outcomeOf(e).getIssue().stream()
                .flatMap(issue -> issue.getExpression().stream())
                .map(org.hl7.fhir.r4.model.StringType::getValue)
                .toList();
    }

    @Nested
    class Profiles {

        @Test
        void aGpEncounterWithItsPracticeIsStored() {
            var outcome = client.create().resource(gpEncounter()).execute();

            assertThat(outcome.getCreated()).isTrue();
        }

        @Test
        void aGpEncounterWithoutItsPracticeIsRejected422PointingAtTheElement() {
            Encounter encounter = gpEncounter().setServiceProvider(null);
            int before = count("Encounter");

            UnprocessableEntityException rejected = rejectedOnCreate(encounter);
            assertThat(outcomeOf(rejected).getIssue())
                    .anySatisfy(issue -> assertThat(issue.getDiagnostics()).contains("Encounter.serviceProvider"));
            assertThat(expressionsOf(rejected))
                    .anySatisfy(expression -> assertThat(expression).startsWith("Encounter"));
            assertThat(count("Encounter")).isEqualTo(before);
        }

        @Test
        void anEncounterThatClaimsNoProjectProfileNeedNotNameItsPractice() {
            Encounter encounter = gpEncounter().setServiceProvider(null);
            encounter.getMeta().getProfile().clear();

            assertThat(client.create().resource(encounter).execute().getCreated())
                    .isTrue();
        }

        @Test
        void anEncounterClaimingAProfileFromAnotherGuideIsStoredAfterCheckingTheBaseSpec() {
            // GP systems send UK Core profiles, Synthea sends US Core: the server does not hold those guides
            Encounter encounter = gpEncounter();
            encounter.getMeta().getProfile().clear();
            encounter.getMeta().addProfile("https://fhir.hl7.org.uk/StructureDefinition/UKCore-Encounter");

            assertThat(client.create().resource(encounter).execute().getCreated())
                    .isTrue();
        }

        @Test
        void anEncounterClaimingAnUnknownProjectProfileIsRejected422PointingAtTheProfile() {
            Encounter encounter = gpEncounter();
            encounter.getMeta().getProfile().clear();
            encounter.getMeta().addProfile(BASE + "/StructureDefinition/gp-encounterr");

            UnprocessableEntityException rejected = rejectedOnCreate(encounter);
            assertThat(expressionsOf(rejected)).contains("Encounter.meta.profile[0]");
        }
    }

    @Nested
    class BoundCodes {

        private Task careTask(Coding code) {
            CarePlan plan = new CarePlan()
                    .setStatus(CarePlan.CarePlanStatus.ACTIVE)
                    .setIntent(CarePlan.CarePlanIntent.PLAN)
                    .setSubject(new Reference(patient));
            IIdType planId = client.create().resource(plan).execute().getId().toUnqualifiedVersionless();
            Task task = new Task()
                    .setStatus(Task.TaskStatus.REQUESTED)
                    .setIntent(Task.TaskIntent.PLAN)
                    .setCode(new CodeableConcept(code))
                    .setFor(new Reference(patient));
            task.getMeta().addProfile(BASE + "/StructureDefinition/care-task");
            task.addBasedOn(new Reference(planId));
            task.getRestriction().getPeriod().setEndElement(new DateTimeType("2026-05-01"));
            return task;
        }

        @Test
        void aCareTaskOfAProjectTaskKindIsStored() {
            Task task = careTask(new Coding(BASE + "/CodeSystem/task-kind", "what-matters-conversation", null));

            assertThat(client.create().resource(task).execute().getCreated()).isTrue();
        }

        @Test
        void aCareTaskOfASnomedTaskKindIsStored() {
            // a SNOMED CT code listed in the value set is accepted without SNOMED CT loaded on the server
            Task task =
                    careTask(new Coding("http://snomed.info/sct", "1239511000000100", "Structured medication review"));

            assertThat(client.create().resource(task).execute().getCreated()).isTrue();
        }

        @Test
        void aCareTaskWhoseCodeIsNotATaskKindIsRejected422AtTaskCode() {
            Task task = careTask(new Coding(BASE + "/CodeSystem/encounter-category", "gp-attendance", null));

            UnprocessableEntityException rejected = rejectedOnCreate(task);
            assertThat(expressionsOf(rejected))
                    .anySatisfy(expression -> assertThat(expression).startsWith("Task.code"));
        }

        @Test
        void aPractitionerRoleWhoseRoleIsNotACareRoleIsRejected422() {
            PractitionerRole role = new PractitionerRole().setOrganization(new Reference(practice));
            role.getMeta().addProfile(BASE + "/StructureDefinition/care-practitioner-role");
            role.addCode(new CodeableConcept(new Coding("http://snomed.info/sct", "22731001", "Orthopedic surgeon")));

            UnprocessableEntityException rejected = rejectedOnCreate(role);
            assertThat(expressionsOf(rejected))
                    .anySatisfy(expression -> assertThat(expression).startsWith("PractitionerRole.code"));
        }

        @Test
        void aCohortMemberRiskFlagOutsideTheRiskFlagsIsRejected422() {
            Group cohort = new Group().setType(Group.GroupType.PERSON).setActual(true);
            cohort.getMeta().addProfile(BASE + "/StructureDefinition/cohort-group");
            cohort.addIdentifier().setSystem(BASE + "/Id/cohort").setValue("gp-frequent-attender|all");
            cohort.getCode().addCoding(new Coding(BASE + "/CodeSystem/cohort-kind", "gp-frequent-attender", null));
            cohort.addExtension(
                    BASE + "/StructureDefinition/cohort-period",
                    new Period()
                            .setStartElement(new DateTimeType("2025-04-01"))
                            .setEndElement(new DateTimeType("2026-03-31")));
            var member = cohort.addMember().setEntity(new Reference(patient));
            member.getPeriod().setStartElement(new DateTimeType("2026-04-01"));
            member.addExtension(
                    BASE + "/StructureDefinition/cohort-member-risk-flag",
                    new Coding(BASE + "/CodeSystem/risk-flag", "likes-hospitals", null));

            UnprocessableEntityException rejected = rejectedOnCreate(cohort);
            assertThat(expressionsOf(rejected))
                    .anySatisfy(expression -> assertThat(expression).startsWith("Group.member[0].extension[0]"));
        }

        @Test
        void aCodeTheValidatorKnowsIsCheckedAgainstItsCodeSystem() {
            Parameters valid = client.operation()
                    .onType("CodeSystem")
                    .named("$validate-code")
                    .withParameter(Parameters.class, "url", new UriType(BASE + "/CodeSystem/encounter-category"))
                    .andParameter("code", new CodeType("ed-attendance"))
                    .execute();
            Parameters invalid = client.operation()
                    .onType("CodeSystem")
                    .named("$validate-code")
                    .withParameter(Parameters.class, "url", new UriType(BASE + "/CodeSystem/encounter-category"))
                    .andParameter("code", new CodeType("walk-in"))
                    .execute();

            assertThat(((BooleanType) valid.getParameterValue("result")).booleanValue())
                    .isTrue();
            assertThat(((BooleanType) invalid.getParameterValue("result")).booleanValue())
                    .isFalse();
        }
    }

    @Nested
    class TerminologyOperations {

        @Test
        void expandingTheLongTermConditionsValueSetListsItsSnomedCodes() {
            ValueSet source = (ValueSet) ConformanceResources.load(FHIR).stream()
                    .map(ConformanceResources.Entry::resource)
                    .filter(r -> r instanceof ValueSet vs && vs.getUrl().endsWith("/long-term-conditions"))
                    .findFirst()
                    .orElseThrow();
            List<String> codes = source.getCompose().getIncludeFirstRep().getConcept().stream()
                    .map(ValueSet.ConceptReferenceComponent::getCode)
                    .toList();

            ValueSet expansion = client.operation()
                    .onType(ValueSet.class)
                    .named("$expand")
                    .withParameter(Parameters.class, "url", new UriType(BASE + "/ValueSet/long-term-conditions"))
                    .returnResourceType(ValueSet.class)
                    .execute();

            assertThat(expansion.getExpansion().getContains())
                    .allSatisfy(c -> assertThat(c.getSystem()).isEqualTo("http://snomed.info/sct"))
                    .extracting(ValueSet.ValueSetExpansionContainsComponent::getCode)
                    .containsExactlyInAnyOrderElementsOf(codes);
            assertThat(codes).hasSizeGreaterThan(10);
        }

        @Test
        void translatingTheEncounterClassEmerGivesAnEdAttendance() {
            Parameters result = client.operation()
                    .onType("ConceptMap")
                    .named("$translate")
                    .withParameter(
                            Parameters.class, "url", new UriType(BASE + "/ConceptMap/encounter-class-to-category"))
                    .andParameter("system", new UriType(ACT_CODE))
                    .andParameter("code", new CodeType("EMER"))
                    .execute();

            assertThat(((BooleanType) result.getParameterValue("result")).booleanValue())
                    .isTrue();
            assertThat(result.getParameter().stream()
                            .filter(p -> p.getName().equals("match"))
                            .flatMap(match -> match.getPart().stream())
                            .filter(part -> part.getName().equals("concept"))
                            .map(part -> ((Coding) part.getValue()).getCode()))
                    .containsExactly("ed-attendance");
        }
    }

    @Nested
    class CapabilityStatementDeclaresOperations {

        @Test
        void everyOperationDefinitionIsListedByItsCanonicalUrl() {
            CapabilityStatement capabilities =
                    client.capabilities().ofType(CapabilityStatement.class).execute();
            List<OperationDefinition> defined =
                    new ConformanceContent(ConformanceResources.load(FHIR)).resources(OperationDefinition.class);

            assertThat(defined).isNotEmpty();
            for (OperationDefinition operation : defined) {
                List<CapabilityStatementRestResourceOperationComponent> listed = operation.getSystem()
                        ? capabilities.getRestFirstRep().getOperation()
                        : capabilities.getRestFirstRep().getResource().stream()
                                .filter(r -> r.getType()
                                        .equals(operation.getResource().get(0).getCode()))
                                .flatMap(r -> r.getOperation().stream())
                                .toList();
                assertThat(listed).as(operation.getCode()).anySatisfy(o -> {
                    assertThat(o.getName()).isEqualTo(operation.getCode());
                    assertThat(o.getDefinition()).isEqualTo(operation.getUrl());
                });
            }
        }

        @Test
        void anOperationDefinitionCanBeReadByItsId() {
            OperationDefinition read = client.read()
                    .resource(OperationDefinition.class)
                    .withId("frequent-attenders")
                    .execute();

            assertThat(read.getUrl()).isEqualTo(BASE + "/OperationDefinition/frequent-attenders");
        }

        @Test
        void anOperationDefinitionCanBeFoundByItsCanonicalUrl() {
            var found = client.search()
                    .forResource(OperationDefinition.class)
                    .where(OperationDefinition.URL.matches().value(BASE + "/OperationDefinition/frequent-attenders"))
                    .returnBundle(org.hl7.fhir.r4.model.Bundle.class)
                    .execute();

            assertThat(found.getEntry()).hasSize(1);
        }
    }
}
