package example.proactivecare.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.match.config.SubscriptionProcessorConfig;
import ca.uhn.fhir.jpa.subscription.match.deliver.email.IEmailSender;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.submit.config.SubscriptionSubmitterConfig;
import org.hl7.fhir.dstu2.model.Subscription.SubscriptionChannelType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * FHIR R4 Subscriptions with the rest-hook channel, by HAPI's own subscription matching and delivery, so that a GP
 * system is told when a care plan or task for its patients is created or changed: it POSTs a Subscription (status
 * {@code requested}) with criteria such as {@code CarePlan?patient.general-practitioner=Organization/<practice>}, the
 * server activates it, and each matching write is sent to its endpoint after the transaction commits.
 *
 * <p>Only resource types some active Subscription watches go down HAPI's pipeline ({@link SubscribedTypesInterceptor});
 * every other write costs nothing extra.
 */
@Configuration(proxyBeanMethods = false)
@Import({SubscriptionSubmitterConfig.class, SubscriptionProcessorConfig.class})
public class SubscriptionConfig {

    @Bean
    public SubscriptionSettings subscriptionSettings() {
        SubscriptionSettings settings = new SubscriptionSettings();
        settings.addSupportedSubscriptionType(SubscriptionChannelType.RESTHOOK);
        return settings;
    }

    /**
     * HAPI's delivery needs an email sender even when email is not a supported channel (as here: a Subscription with
     * channel type email is refused when it is stored), so this one only says so if it is ever called.
     */
    @Bean
    IEmailSender noEmailSender() {
        return email -> {
            throw new UnsupportedOperationException("This server does not send email subscriptions");
        };
    }

    @Bean
    SubscribedTypesInterceptor subscribedTypesInterceptor(
            SubscriptionRegistry registry, FhirContext fhirContext, IInterceptorService interceptors) {
        SubscribedTypesInterceptor interceptor = new SubscribedTypesInterceptor(registry, fhirContext);
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }
}
