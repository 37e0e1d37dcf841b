package example.proactivecare.subscription;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.match.registry.ActiveSubscription;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;

/**
 * Keeps writes nobody subscribes to out of HAPI's subscription pipeline. HAPI stores a message for every resource
 * written (in its {@code hfj_resource_modified} table, in the writing transaction) and matches it against the active
 * Subscriptions after commit; a bulk sync of Encounters or a cohort's care plans would pay for that on each resource.
 * A write goes down the pipeline only when it is a Subscription (which the pipeline activates and registers) or of a
 * resource type an active Subscription's criteria name.
 */
@Interceptor
class SubscribedTypesInterceptor {

    private final SubscriptionRegistry registry;
    private final FhirContext fhirContext;

    SubscribedTypesInterceptor(SubscriptionRegistry registry, FhirContext fhirContext) {
        this.registry = registry;
        this.fhirContext = fhirContext;
    }

    /** False stops HAPI from submitting the message. */
    @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
    public boolean resourceModified(ResourceModifiedMessage message) {
        String type = message.getResourceType(fhirContext);
        if (type == null || "Subscription".equals(type)) {
            return true;
        }
        for (ActiveSubscription subscription : registry.getAll()) {
            var criteria = subscription.getCriteria();
            if (criteria == null
                    || criteria.getApplicableResourceTypes() == null
                    || criteria.getApplicableResourceTypes().contains(type)
                    || criteria.getApplicableResourceTypes().contains("*")) {
                return true;
            }
        }
        return false;
    }
}
