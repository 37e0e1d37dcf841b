package example.proactivecare.careplan;

import example.proactivecare.database.SqlFiles;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** What care plan generation reads from the projection tables (SQL in the {@code .sql} files beside this class). */
class CarePlanQueries {

    /**
     * A patient as the projection knows them.
     *
     * @param deceased whether the patient has died
     * @param currentPlan their active (or on-hold) personalised care and support plan, if any
     * @param draftPlan their earliest draft plan, awaiting capacity, if any
     */
    record PatientPlans(
            String patient, boolean deceased, String practice, String pcn, String currentPlan, String draftPlan) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final String[] addressedConditions;
    private final String patients = SqlFiles.read(CarePlanQueries.class, "patients");
    private final String conditions = SqlFiles.read(CarePlanQueries.class, "conditions");
    private final String leadsInUse = SqlFiles.read(CarePlanQueries.class, "leads-in-use");

    /** @param addressedConditions the codes of the conditions a plan addresses, as {@code system|code} */
    CarePlanQueries(NamedParameterJdbcTemplate jdbc, List<String> addressedConditions) {
        this.jdbc = jdbc;
        this.addressedConditions = addressedConditions.toArray(String[]::new);
    }

    /** Each patient's practice, PCN and plans, by patient; the patients with a draft come first, oldest draft first. */
    Map<String, PatientPlans> patients(Collection<String> patientIds, String category) {
        MapSqlParameterSource parameters = new MapSqlParameterSource()
                .addValue("patients", patientIds.toArray(String[]::new))
                .addValue("category", category);
        record Row(PatientPlans plans, Timestamp draftSince) {}
        List<Row> rows = jdbc.query(
                patients,
                parameters,
                (rs, i) -> new Row(
                        new PatientPlans(
                                rs.getString("patient"),
                                rs.getBoolean("deceased"),
                                rs.getString("practice"),
                                rs.getString("pcn"),
                                rs.getString("current_plan"),
                                rs.getString("draft_plan")),
                        rs.getTimestamp("draft_since")));
        Map<String, PatientPlans> byPatient = new LinkedHashMap<>();
        rows.stream()
                .filter(r -> r.plans().draftPlan() != null)
                .sorted(Comparator.comparing((Row r) -> r.draftSince() == null ? new Timestamp(0) : r.draftSince())
                        .thenComparing(r -> r.plans().draftPlan()))
                .forEach(r -> byPatient.put(r.plans().patient(), r.plans()));
        rows.forEach(r -> byPatient.putIfAbsent(r.plans().patient(), r.plans()));
        return byPatient;
    }

    /** The Conditions each patient's plan addresses, by patient, in id order. */
    Map<String, List<String>> conditions(Collection<String> patientIds, LocalDate start) {
        MapSqlParameterSource parameters = new MapSqlParameterSource()
                .addValue("patients", patientIds.toArray(String[]::new))
                .addValue("codes", addressedConditions)
                .addValue("start", start.atStartOfDay().atOffset(ZoneOffset.UTC));
        Map<String, List<String>> byPatient = new HashMap<>();
        jdbc.query(conditions, parameters, rs -> {
            byPatient
                    .computeIfAbsent(rs.getString("patient"), p -> new ArrayList<>())
                    .add(rs.getString("id"));
        });
        return byPatient;
    }

    /** The active plans each role leads now (roles leading none are absent). */
    Map<String, Integer> leadsInUse(Collection<String> roleIds) {
        Map<String, Integer> inUse = new HashMap<>();
        jdbc.query(leadsInUse, new MapSqlParameterSource("roles", roleIds.toArray(String[]::new)), rs -> {
            inUse.put(rs.getString("role"), rs.getInt("plans"));
        });
        return inUse;
    }
}
