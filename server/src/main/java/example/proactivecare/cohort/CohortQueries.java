package example.proactivecare.cohort;

import example.proactivecare.database.SqlFiles;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs the cohort SQL over the projection tables: the candidates of a kind (candidates.sql, narrowed by the category
 * and threshold its {@code candidates-<kind>.sql} names: a cheap count that can only overstate), their exact figures
 * (member-figures.sql), then the kind's own rule over those figures ({@code <kind>.sql}).
 */
class CohortQueries {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CohortQueries.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String[] longTermConditions;
    private final String[] psychosocialRiskFactors;
    private final String scopeOrganizations = SqlFiles.read(CohortQueries.class, "scope-organizations");
    private final String candidatesSql = SqlFiles.read(CohortQueries.class, "candidates");
    private final String memberFigures = SqlFiles.read(CohortQueries.class, "member-figures");

    /**
     * @param longTermConditions the codes of the long-term-conditions value set, as {@code system|code}
     * @param psychosocialRiskFactors the codes of the psychosocial-risk-factors value set, as {@code system|code}
     */
    CohortQueries(
            NamedParameterJdbcTemplate jdbc,
            TransactionTemplate transactions,
            List<String> longTermConditions,
            List<String> psychosocialRiskFactors) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.longTermConditions = longTermConditions.toArray(String[]::new);
        this.psychosocialRiskFactors = psychosocialRiskFactors.toArray(String[]::new);
    }

    /** The organisation and every organisation under it through partOf; empty when it is not in the projection. */
    List<String> scopeOrganizations(String organization) {
        return jdbc.queryForList(scopeOrganizations, Map.of("scope", organization), String.class);
    }

    /**
     * The members of a cohort with their figures, ordered by patient id.
     *
     * @param practices the practices whose registered patients are in scope; null for all
     */
    List<MemberFigures> members(CohortRequest request, List<String> practices) {
        MapSqlParameterSource parameters = parameters(request, practices);
        String narrowing = SqlFiles.read(CohortQueries.class, "candidates-" + request.kind());
        String rule = SqlFiles.read(CohortQueries.class, request.kind());
        return transactions.execute(status -> {
            long start = System.nanoTime();
            // the figures of tens of thousands of candidates are grouped and sorted in memory rather than on disk
            jdbc.getJdbcTemplate().execute("SET LOCAL work_mem = '64MB'");
            Map<String, Object> narrowedBy = jdbc.queryForMap(narrowing, parameters);
            int minAttendances = ((Number) narrowedBy.get("min_attendances")).intValue();
            parameters
                    .addValue("category", narrowedBy.get("category"))
                    .addValue("min_attendances", minAttendances)
                    .addValue("min_per_year", request.minPerCalendarYear(minAttendances));
            int candidates = jdbc.update(candidatesSql, parameters);
            jdbc.getJdbcTemplate().execute("ANALYZE cohort_candidates");
            long candidatesDone = System.nanoTime();
            jdbc.update(memberFigures, parameters);
            long figuresDone = System.nanoTime();
            List<MemberFigures> members = jdbc.query(rule, parameters, (rs, row) -> figures(rs));
            jdbc.getJdbcTemplate().execute("DROP TABLE cohort_figures, cohort_candidates");
            LOG.info(
                    "{}: {} candidates in {} ms, their figures in {} ms, {} members in {} ms",
                    request.kind(),
                    candidates,
                    (candidatesDone - start) / 1_000_000,
                    (figuresDone - candidatesDone) / 1_000_000,
                    members.size(),
                    (System.nanoTime() - figuresDone) / 1_000_000);
            return members.stream()
                    .sorted(java.util.Comparator.comparing(MemberFigures::patient))
                    .toList();
        });
    }

    private MapSqlParameterSource parameters(CohortRequest request, List<String> practices) {
        CohortRequest.Thresholds t = request.thresholds();
        CohortRequest.TalliedMonths tallied = request.talliedMonths(LocalDate.now(CohortRequest.ZONE));
        return new MapSqlParameterSource()
                .addValue("first_year", request.periodStart().getYear())
                .addValue("last_year", request.periodEnd().getYear())
                .addValue("tallied_from", tallied.from())
                .addValue("tallied_to", tallied.to())
                .addValue("tallied_from_instant", tallied.fromInstant().toOffsetDateTime())
                .addValue("tallied_to_instant", tallied.toInstant().toOffsetDateTime())
                .addValue("period_start", request.windowStart().toOffsetDateTime())
                .addValue("period_end", request.windowEnd().toOffsetDateTime())
                .addValue("period_end_date", request.periodEnd())
                .addValue("all_practices", practices == null)
                .addValue("practices", practices == null ? new String[0] : practices.toArray(String[]::new))
                .addValue("min_gp_attendances", t.minGpAttendances())
                .addValue("min_unplanned_admissions", t.minUnplannedAdmissions())
                .addValue("min_medications", t.minMedications())
                .addValue("min_ed_attendances", t.minEdAttendances())
                .addValue("long_term_conditions", longTermConditions)
                .addValue("psychosocial_risk_factors", psychosocialRiskFactors);
    }

    private static MemberFigures figures(ResultSet rs) throws SQLException {
        int age = rs.getInt("age");
        return new MemberFigures(
                rs.getString("patient"),
                rs.wasNull() ? null : age,
                rs.getInt("gp_attendances"),
                byMode(rs.getString("gp_attendances_by_mode")),
                rs.getInt("ed_attendances"),
                rs.getInt("unplanned_admissions"),
                rs.getInt("contacts_999"),
                rs.getInt("contacts_111"),
                rs.getInt("distinct_medications"),
                rs.getInt("long_term_conditions"),
                rs.getBoolean("psychosocial"));
    }

    /** {@code face-to-face=3,telephone=2} as a map, in mode order. */
    private static Map<String, Integer> byMode(String counts) {
        Map<String, Integer> byMode = new LinkedHashMap<>();
        if (counts != null) {
            for (String pair : counts.split(",")) {
                int equals = pair.lastIndexOf('=');
                byMode.put(pair.substring(0, equals), Integer.parseInt(pair.substring(equals + 1)));
            }
        }
        return byMode;
    }
}
