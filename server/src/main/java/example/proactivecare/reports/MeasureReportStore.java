package example.proactivecare.reports;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MeasureReport;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores the MeasureReports of a report run, all or none, in one transaction. A report replaces the stored one with
 * the same identifier (a new version of it; the earlier stays in its history), so a rerun for the same measure,
 * subject, period and context leaves one report to find. Each report's subject, an organisation's population, is a
 * Group found by its identifier, and created the first time. Runs that store take turns (a transaction-scoped
 * advisory lock), so two at once cannot both create the same report or Group.
 */
class MeasureReportStore {

    static final String LOCK = "proactivecare ICS reports";

    private final DaoRegistry daos;
    private final TransactionTemplate transactions;
    private final JdbcTemplate jdbc;

    MeasureReportStore(DaoRegistry daos, TransactionTemplate transactions, JdbcTemplate jdbc) {
        this.daos = daos;
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    /** Stores each report (creating or replacing it); each gets its id, its version and its subject's Group. */
    void store(List<MeasureReport> reports, RequestDetails requestDetails) {
        transactions.executeWithoutResult(status -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(hashtext(?))", LOCK);
            IFhirResourceDao<MeasureReport> dao = daos.getResourceDao(MeasureReport.class);
            Map<String, String> populations = new HashMap<>();
            for (MeasureReport report : reports) {
                Reference subject = report.getSubject();
                subject.setReference(populations.computeIfAbsent(
                        subject.getIdentifier().getValue(), organization -> population(subject, requestDetails)));
                var identifier = report.getIdentifierFirstRep();
                List<IBaseResource> stored = find(dao, identifier.getSystem(), identifier.getValue(), requestDetails);
                IdType id;
                if (stored.isEmpty()) {
                    id = (IdType) dao.create(report, requestDetails).getId();
                } else {
                    report.setId(stored.get(0).getIdElement().toUnqualifiedVersionless());
                    id = (IdType) dao.update(report, requestDetails).getId();
                }
                report.setId(id);
                report.getMeta().setVersionId(id.getVersionIdPart());
            }
        });
    }

    /** {@code Group/<id>} of the population a subject names, created when there is none. */
    private String population(Reference subject, RequestDetails requestDetails) {
        IFhirResourceDao<Group> groups = daos.getResourceDao(Group.class);
        String organization = subject.getIdentifier().getValue();
        List<IBaseResource> found = find(groups, MeasureReports.POPULATION_SYSTEM, organization, requestDetails);
        if (!found.isEmpty()) {
            return found.get(0).getIdElement().toUnqualifiedVersionless().getValue();
        }
        Group group = new Group()
                .setType(Group.GroupType.PERSON)
                .setActual(false)
                .setName(subject.getDisplay())
                .setManagingEntity(new Reference(organization));
        group.addIdentifier().setSystem(MeasureReports.POPULATION_SYSTEM).setValue(organization);
        group.addCharacteristic()
                .setCode(new CodeableConcept(
                        new Coding(MeasureReports.POPULATION_CODE_SYSTEM, MeasureReports.POPULATION_CODE, null)))
                .setValue(new Reference(organization))
                .setExclude(false);
        IdType id = (IdType) groups.create(group, requestDetails).getId();
        return id.toUnqualifiedVersionless().getValue();
    }

    private static List<IBaseResource> find(
            IFhirResourceDao<?> dao, String system, String value, RequestDetails requestDetails) {
        SearchParameterMap search =
                SearchParameterMap.newSynchronous().add("identifier", new TokenParam(system, value));
        return dao.search(search, requestDetails).getResources(0, 1);
    }
}
