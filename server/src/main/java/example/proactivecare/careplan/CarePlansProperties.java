package example.proactivecare.careplan;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How care plans are generated.
 *
 * @param medicationReviewThreshold distinct medications (the cohort member's figure) from which a plan gets a
 *     structured medication review Task for a clinical pharmacist
 * @param conversationDueWeeks weeks from a plan's start within which the What Matters to Me conversation is due
 * @param patientsPerChunk patients whose plans go to the database together (each chunk is a FHIR transaction nested in
 *     the run's one database transaction; Hibernate's session is emptied after each)
 */
@ConfigurationProperties(prefix = "proactivecare.care-plans")
public record CarePlansProperties(
        Integer medicationReviewThreshold, Integer conversationDueWeeks, Integer patientsPerChunk) {

    public CarePlansProperties {
        medicationReviewThreshold = medicationReviewThreshold == null ? 10 : medicationReviewThreshold;
        conversationDueWeeks = conversationDueWeeks == null ? 2 : conversationDueWeeks;
        patientsPerChunk = patientsPerChunk == null ? 200 : patientsPerChunk;
    }
}
