package example.proactivecare.reports;

import example.proactivecare.database.SqlFiles;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The ICS reports' SQL over the projection tables (files beside this class's package in resources). */
class ReportQueries {

    /**
     * Above this many patients, consultations are counted over every patient's attendances and then kept by
     * organisation: a list that long is most of an ICS, and scanning the window once is cheaper than matching it.
     */
    static final int MAX_PATIENT_LIST = 50_000;

    /** An organisation as the projection holds it. */
    record Organisation(String id, String odsCode, String name) {}

    /**
     * A practice of a scope.
     *
     * @param group the organisation directly under the scope that it is part of, or the scope
     */
    record Practice(String id, String odsCode, String name, boolean active, String group) {}

    /** Consultations of an organisation in a month, and those face-to-face. */
    record MonthCount(String organization, YearMonth month, long consultations, long faceToFace) {}

    private final NamedParameterJdbcTemplate jdbc;
    private final String practices = SqlFiles.read(ReportQueries.class, "practices");
    private final String organizations = SqlFiles.read(ReportQueries.class, "organizations");
    private final String registeredPatients = SqlFiles.read(ReportQueries.class, "registered-patients");
    private final String registeredPractice = SqlFiles.read(ReportQueries.class, "registered-practice");
    private final String consultationPatients = SqlFiles.read(ReportQueries.class, "consultation-patients");
    private final String consultations = SqlFiles.read(ReportQueries.class, "consultations");

    ReportQueries(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The practices under a scope, by id. */
    List<Practice> practices(String scope) {
        return jdbc.query(
                practices,
                Map.of("scope", scope),
                (rs, row) -> new Practice(
                        rs.getString("id"),
                        rs.getString("ods_code"),
                        rs.getString("name"),
                        rs.getBoolean("active"),
                        rs.getString("group_id")));
    }

    /** The scope and every organisation under it, by id. */
    Map<String, Organisation> organizations(String scope) {
        Map<String, Organisation> found = new HashMap<>();
        jdbc.query(organizations, Map.of("scope", scope), rs -> {
            found.put(
                    rs.getString("id"),
                    new Organisation(rs.getString("id"), rs.getString("ods_code"), rs.getString("name")));
        });
        return found;
    }

    /** Each practice's registered patients alive at the end of a period ending on {@code lastDay}. */
    Map<String, Long> registeredPatients(Collection<String> practiceIds, LocalDate lastDay, ZonedDateTime periodEnd) {
        MapSqlParameterSource parameters = new MapSqlParameterSource()
                .addValue("practices", practiceIds.toArray(String[]::new))
                .addValue("last_day", lastDay)
                .addValue("period_end", periodEnd.toOffsetDateTime());
        Map<String, Long> counts = new HashMap<>();
        jdbc.query(registeredPatients, parameters, rs -> {
            counts.put(rs.getString("practice"), rs.getLong("patients"));
        });
        return counts;
    }

    /** The practice each patient is registered at. */
    Map<String, String> registeredPractice(Collection<String> patients) {
        Map<String, String> practiceOf = new HashMap<>();
        jdbc.query(registeredPractice, Map.of("patients", patients.toArray(String[]::new)), rs -> {
            practiceOf.put(rs.getString("patient"), rs.getString("practice"));
        });
        return practiceOf;
    }

    /** Consultations per organisation (of {@code organizationIds}) and month in [windowStart, windowEnd). */
    List<MonthCount> consultations(
            Collection<String> organizationIds,
            ZonedDateTime windowStart,
            ZonedDateTime windowEnd,
            List<String> faceToFaceModes) {
        MapSqlParameterSource parameters = new MapSqlParameterSource()
                .addValue("organizations", organizationIds.toArray(String[]::new))
                .addValue("window_start", windowStart.toOffsetDateTime())
                .addValue("window_end", windowEnd.toOffsetDateTime())
                .addValue("face_to_face_modes", faceToFaceModes.toArray(String[]::new));
        List<String> patients = jdbc.queryForList(consultationPatients, parameters, String.class);
        parameters.addValue("patients", patients.size() > MAX_PATIENT_LIST ? null : patients.toArray(String[]::new));
        List<MonthCount> counts = new ArrayList<>();
        jdbc.query(consultations, parameters, rs -> {
            counts.add(new MonthCount(
                    rs.getString("organization"),
                    YearMonth.parse(rs.getString("month")),
                    rs.getLong("consultations"),
                    rs.getLong("face_to_face")));
        });
        return counts;
    }
}
