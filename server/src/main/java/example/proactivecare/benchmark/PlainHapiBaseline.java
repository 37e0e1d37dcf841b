package example.proactivecare.benchmark;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/**
 * The {@code plain-hapi} Spring profile: the benchmark's baseline, HAPI FHIR JPA as it comes. The same build, with
 * the project's checks (NHS numbers, validation against the base spec and profiles), analytic projection,
 * conformance install and storage tuning off. It exists to be measured against, never to be run for real.
 */
@Configuration(proxyBeanMethods = false)
@Profile(PlainHapiBaseline.PROFILE)
public class PlainHapiBaseline {

    public static final String PROFILE = "plain-hapi";

    private static final Logger LOG = LoggerFactory.getLogger(PlainHapiBaseline.class);

    PlainHapiBaseline() {
        LOG.warn("**************************************************************************************");
        LOG.warn("Running as the plain-hapi BENCHMARK BASELINE: no validation, no NHS number check, no");
        LOG.warn("analytic projection, no conformance content, no storage tuning. Not for real data.");
        LOG.warn("**************************************************************************************");
    }
}
