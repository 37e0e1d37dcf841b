package example.proactivecare.cohort;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How cohorts are derived.
 *
 * @param partitions how many database connections derive a cohort together, each for the patients whose id hashes to
 *     it, over one snapshot of the projection. By default one per processor, at most 4: on 2 cores, 2 partitions
 *     derive the ICS-wide GP cohort of 1.1 million patients in about half the time of one
 */
@ConfigurationProperties(prefix = "proactivecare.cohorts")
public record CohortProperties(Integer partitions) {

    public CohortProperties {
        if (partitions == null) {
            partitions = Math.min(4, Runtime.getRuntime().availableProcessors());
        }
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "proactivecare.cohorts.partitions must be at least 1, not " + partitions);
        }
    }
}
