package example.proactivecare.careplan;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How care plans are generated.
 *
 * @param medicationReviewThreshold distinct medications (the cohort member's figure) from which a plan gets a
 *     structured medication review Task for a clinical pharmacist
 * @param conversationDueWeeks weeks from a plan's start within which the What Matters to Me conversation is due
 * @param patientsPerChunk patients whose plans go to the database together (each chunk is a FHIR transaction nested in
 *     the run's one database transaction; Hibernate's session is emptied after each). HAPI's cost per resource
 *     grows with the size of a FHIR transaction: 300 plans took 29 ms of CPU each in chunks of 5, 20 or 50 patients,
 *     69 ms in chunks of 200 and 64 ms in one chunk of 300
 * @param validateEveryResource whether each generated resource is validated against its profile just before it is
 *     stored, as everything clients send is; by default a run validates the first plan of each shape (active or
 *     draft, with or without a medication review, a referral, conditions, a cohort) and stores the others, which
 *     differ from it only in ids, dates and references, unvalidated
 */
@ConfigurationProperties(prefix = "proactivecare.care-plans")
public record CarePlansProperties(
        Integer medicationReviewThreshold,
        Integer conversationDueWeeks,
        Integer patientsPerChunk,
        Boolean validateEveryResource) {

    public CarePlansProperties {
        medicationReviewThreshold = medicationReviewThreshold == null ? 10 : medicationReviewThreshold;
        conversationDueWeeks = conversationDueWeeks == null ? 2 : conversationDueWeeks;
        patientsPerChunk = patientsPerChunk == null ? 50 : patientsPerChunk;
        validateEveryResource = validateEveryResource != null && validateEveryResource;
    }
}
