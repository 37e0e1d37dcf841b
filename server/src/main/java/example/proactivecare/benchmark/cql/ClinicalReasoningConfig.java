package example.proactivecare.benchmark.cql;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.RestfulServer;
import example.proactivecare.fhir.FhirServerCustomizer;
import java.time.ZoneId;
import org.opencds.cqf.fhir.cql.EvaluationSettings;
import org.opencds.cqf.fhir.cql.engine.retrieve.RetrieveSettings;
import org.opencds.cqf.fhir.cql.engine.terminology.TerminologySettings;
import org.opencds.cqf.fhir.cr.hapi.common.StringTimePeriodHandler;
import org.opencds.cqf.fhir.cr.hapi.r4.measure.MeasureOperationsProvider;
import org.opencds.cqf.fhir.cr.hapi.repository.ClinicalIntelligenceHapiFhirRepository;
import org.opencds.cqf.fhir.cr.measure.MeasureEvaluationOptions;
import org.opencds.cqf.fhir.cr.measure.common.MeasurePeriodValidator;
import org.opencds.cqf.fhir.cr.measure.r4.R4MultiMeasureService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The {@code clinical-reasoning} Spring profile: HAPI clinical reasoning's R4 {@code Measure/$evaluate-measure} (and
 * {@code Measure/$evaluate}) from {@code cqf-fhir-cr-hapi}, over this server's JPA storage. It exists for the
 * benchmark's CQL baseline ({@link CqlCohortBaseline}): the same cohort computed the way an ICS tool would with a CQL
 * measure. Off by default.
 *
 * <p>cqf-fhir-cr-hapi's own {@code CrR4Config} registers some twenty operation providers and expects the {@code
 * RestfulServer} to be a Spring bean; here only the measure operations are registered, through {@link
 * FhirServerCustomizer}, with the beans they need built in one place: the repository (clinical reasoning's view of the
 * JPA DAOs, created per request with the request's server), the evaluation settings (compiled libraries, models and
 * value set expansions cached for the life of the server, as cqf-fhir-cr-hapi's own configuration does), and the
 * period handler.
 */
@Configuration(proxyBeanMethods = false)
@Profile(ClinicalReasoningConfig.PROFILE)
public class ClinicalReasoningConfig {

    public static final String PROFILE = "clinical-reasoning";

    /**
     * The time zone of {@code periodStart} and {@code periodEnd} (dates) when a request sends no {@code Timezone}
     * header: England's, so a period runs from local midnight to local midnight, as the project's cohorts do.
     */
    public static final ZoneId DEFAULT_TIMEZONE = ZoneId.of("Europe/London");

    private static final Logger LOG = LoggerFactory.getLogger(ClinicalReasoningConfig.class);

    @Bean
    public FhirServerCustomizer clinicalReasoningMeasureOperations(DaoRegistry daoRegistry) {
        MeasureEvaluationOptions options = new MeasureEvaluationOptions().setEvaluationSettings(evaluationSettings());
        MeasurePeriodValidator periodValidator = new MeasurePeriodValidator();
        MeasureOperationsProvider provider = new MeasureOperationsProvider(
                request -> measureService(daoRegistry, request, options, periodValidator),
                request -> measureService(daoRegistry, request, options, periodValidator),
                new StringTimePeriodHandler(DEFAULT_TIMEZONE));
        return server -> {
            server.registerProvider(provider);
            LOG.warn(
                    "Clinical reasoning (profile {}): Measure/$evaluate-measure is served, for the benchmark's CQL"
                            + " baseline",
                    PROFILE);
        };
    }

    private static R4MultiMeasureService measureService(
            DaoRegistry daoRegistry,
            RequestDetails request,
            MeasureEvaluationOptions options,
            MeasurePeriodValidator periodValidator) {
        var repository =
                new ClinicalIntelligenceHapiFhirRepository(daoRegistry, request, (RestfulServer) request.getServer());
        return new R4MultiMeasureService(repository, options, request.getFhirServerBase(), periodValidator);
    }

    /**
     * Value sets: a stored expansion is used when the ValueSet has one (the baseline's value sets do), otherwise the
     * codes listed in its compose; membership is checked against that expansion, in memory. Retrieves use search
     * parameters (a patient's Encounters are one search), with code filters applied in memory.
     */
    private static EvaluationSettings evaluationSettings() {
        TerminologySettings terminology = new TerminologySettings()
                .setValuesetPreExpansionMode(TerminologySettings.VALUESET_PRE_EXPANSION_MODE.USE_IF_PRESENT)
                .setValuesetExpansionMode(TerminologySettings.VALUESET_EXPANSION_MODE.PERFORM_NAIVE_EXPANSION)
                .setValuesetMembershipMode(TerminologySettings.VALUESET_MEMBERSHIP_MODE.USE_EXPANSION)
                .setCodeLookupMode(TerminologySettings.CODE_LOOKUP_MODE.USE_CODESYSTEM_URL);
        RetrieveSettings retrieve = new RetrieveSettings()
                .setSearchParameterMode(RetrieveSettings.SEARCH_FILTER_MODE.USE_SEARCH_PARAMETERS)
                .setTerminologyParameterMode(RetrieveSettings.TERMINOLOGY_FILTER_MODE.FILTER_IN_MEMORY)
                .setProfileMode(RetrieveSettings.PROFILE_MODE.OFF);
        EvaluationSettings settings = EvaluationSettings.getDefault();
        settings.setTerminologySettings(terminology);
        settings.setRetrieveSettings(retrieve);
        return settings;
    }
}
