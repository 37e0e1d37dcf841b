package example.proactivecare.dataquality;

import example.proactivecare.async.AsyncResponder;
import example.proactivecare.cohort.CohortService;
import example.proactivecare.conformance.ConformanceContent;
import example.proactivecare.fhir.FhirServerCustomizer;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.Measure;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** Data quality: {@code Organization/[id]/$data-quality}. */
@Configuration(proxyBeanMethods = false)
public class DataQualityConfig {

    @Bean
    DataQualityService dataQualityService(DataSource dataSource, CohortService cohorts, ConformanceContent content) {
        Measure measure = content.resources(Measure.class).stream()
                .filter(m -> DataQualityService.MEASURE_URL.equals(m.getUrl()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "The Measure " + DataQualityService.MEASURE_URL + " is missing from profiles/"));
        return new DataQualityService(new NamedParameterJdbcTemplate(dataSource), cohorts, measure);
    }

    @Bean
    FhirServerCustomizer dataQualityOperation(DataQualityService dataQuality, AsyncResponder responder) {
        return server -> server.registerProvider(new DataQualityProvider(dataQuality, responder));
    }
}
