package example.proactivecare.bulkexport;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;

/**
 * A {@code Group/[id]/$export} exports the Group's active members only: a member with {@code inactive = true} "is no
 * longer in the group" (FHIR R4 Group.member.inactive), which is how a rolling cohort keeps the patients who left it.
 *
 * <p>HAPI's Group export takes every {@code member.entity} of the Group, inactive or not, and then keeps only the
 * patients listed in the job's {@code patientIds} when there are any. At kick-off this interceptor sets that list to
 * the Group's active members (intersected with any list the job already has), so the job's own membership step
 * selects them, and every resource type of the export follows. A Group with no active member gets a list that
 * matches no member, so its export is empty rather than every past member.
 */
@Interceptor
class ActiveGroupMembersInterceptor {

    /** Matches no member: HAPI compares {@code Patient/<id>} strings, and an id never holds a space. */
    static final String NO_ACTIVE_MEMBER = "Patient/ no active member";

    private final DaoRegistry daos;

    ActiveGroupMembersInterceptor(DaoRegistry daos) {
        this.daos = daos;
    }

    @Hook(Pointcut.STORAGE_INITIATE_BULK_EXPORT)
    public void exportActiveMembersOnly(BulkExportJobParameters parameters, RequestDetails request) {
        if (parameters.getExportStyle() != BulkExportJobParameters.ExportStyle.GROUP
                || parameters.getGroupId() == null) {
            return;
        }
        Group group = daos.getResourceDao(Group.class)
                .read(new IdType(parameters.getGroupId()).toUnqualifiedVersionless(), request);
        Set<String> active = new LinkedHashSet<>(activeMembers(group));
        List<String> requested = parameters.getPatientIds();
        if (requested != null && !requested.isEmpty()) {
            active.retainAll(Set.copyOf(requested));
        }
        parameters.setPatientIds(active.isEmpty() ? List.of(NO_ACTIVE_MEMBER) : new ArrayList<>(active));
    }

    /** The Patients a Group lists and does not mark inactive, as {@code Patient/<id>}. */
    static List<String> activeMembers(Group group) {
        List<String> patients = new ArrayList<>();
        for (Group.GroupMemberComponent member : group.getMember()) {
            IdType entity = new IdType(member.getEntity().getReference());
            if (!member.getInactive() && "Patient".equals(entity.getResourceType()) && entity.hasIdPart()) {
                patients.add(entity.toUnqualifiedVersionless().getValue());
            }
        }
        return patients;
    }
}
