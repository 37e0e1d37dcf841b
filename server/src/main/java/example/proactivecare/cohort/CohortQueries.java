package example.proactivecare.cohort;

import example.proactivecare.database.SqlFiles;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.support.SQLStateSQLExceptionTranslator;

/**
 * Runs the cohort SQL over the projection tables: the patients who could be candidates of a kind (possible.sql, or
 * possible-long-window.sql for a window that touches more than {@link CohortRequest#PEAK_MONTHS} months, by the
 * category and threshold its {@code candidates-<kind>.sql} names, from the yearly tallies), the candidates
 * (candidates.sql: a cheap count that can only overstate), their tallies in the window (tallied.sql), their exact
 * figures (member-figures.sql), then the kind's own rule over those figures ({@code <kind>.sql}).
 */
class CohortQueries {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CohortQueries.class);

    /** Threads for the partitions after the first; they hold a connection only while they work. */
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "cohort-partition");
        thread.setDaemon(true);
        return thread;
    });

    private static final SQLExceptionTranslator TRANSLATOR = new SQLStateSQLExceptionTranslator();

    private final DataSource dataSource;
    private final NamedParameterJdbcTemplate jdbc;
    private final int partitions;
    /** Connections that derivations may take beside their own, all together: partitions - 1. */
    private final Semaphore helperSlots;

    private final String[] longTermConditions;
    private final String[] psychosocialRiskFactors;
    private final String scopeOrganizations = SqlFiles.read(CohortQueries.class, "scope-organizations");
    private final String possibleSql = SqlFiles.read(CohortQueries.class, "possible");
    private final String possibleLongWindowSql = SqlFiles.read(CohortQueries.class, "possible-long-window");
    private final String talliedSql = SqlFiles.read(CohortQueries.class, "tallied");
    private final String candidatesSql = SqlFiles.read(CohortQueries.class, "candidates");
    private final String memberFigures = SqlFiles.read(CohortQueries.class, "member-figures");

    /**
     * @param partitions how many connections derive a cohort together (see {@link CohortProperties})
     * @param longTermConditions the codes of the long-term-conditions value set, as {@code system|code}
     * @param psychosocialRiskFactors the codes of the psychosocial-risk-factors value set, as {@code system|code}
     */
    CohortQueries(
            DataSource dataSource,
            int partitions,
            List<String> longTermConditions,
            List<String> psychosocialRiskFactors) {
        this.dataSource = dataSource;
        this.jdbc = new NamedParameterJdbcTemplate(dataSource);
        this.partitions = partitions;
        this.helperSlots = new Semaphore(partitions - 1);
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
     * <p>The patients are split into partitions by a hash of their id; the first partition is worked out on this
     * thread's connection, which exports its snapshot, and each other on a connection of its own that imports it, so
     * that all of them read the same projection. A derivation works on its own when another has taken the spare
     * connections, which keeps the pool from running dry.
     *
     * @param practices the practices whose registered patients are in scope; null for all
     */
    List<MemberFigures> members(CohortRequest request, List<String> practices) {
        MapSqlParameterSource parameters = parameters(request, practices);
        String possible = request.monthsTouched() <= CohortRequest.PEAK_MONTHS ? possibleSql : possibleLongWindowSql;
        String rule = SqlFiles.read(CohortQueries.class, request.kind());
        Map<String, Object> narrowedBy =
                jdbc.queryForMap(SqlFiles.read(CohortQueries.class, "candidates-" + request.kind()), parameters);
        int minAttendances = ((Number) narrowedBy.get("min_attendances")).intValue();
        parameters
                .addValue("category", narrowedBy.get("category"))
                .addValue("min_attendances", minAttendances)
                .addValue("min_per_year", request.minPerCalendarYear(minAttendances));
        int helpers = 0;
        while (helpers < partitions - 1 && helperSlots.tryAcquire()) {
            helpers++;
        }
        long start = System.nanoTime();
        try {
            List<Partition> parts = derive(parameters.addValue("partitions", helpers + 1), possible, rule, helpers);
            List<MemberFigures> members = new ArrayList<>();
            parts.forEach(part -> members.addAll(part.members()));
            members.sort(Comparator.comparing(MemberFigures::patient));
            LOG.info(
                    "{}: {} candidates, {} members in {} ms over {} partitions (candidates {} ms, figures {} ms, in the"
                            + " slowest)",
                    request.kind(),
                    parts.stream().mapToInt(Partition::candidates).sum(),
                    members.size(),
                    (System.nanoTime() - start) / 1_000_000,
                    parts.size(),
                    parts.stream().mapToLong(Partition::candidatesMillis).max().orElse(0),
                    parts.stream().mapToLong(Partition::figuresMillis).max().orElse(0));
            return members;
        } finally {
            helperSlots.release(helpers);
        }
    }

    /** What one partition found, and how long its two halves took. */
    private record Partition(List<MemberFigures> members, int candidates, long candidatesMillis, long figuresMillis) {}

    private List<Partition> derive(MapSqlParameterSource parameters, String possible, String rule, int helpers) {
        try (Connection leader = dataSource.getConnection()) {
            leader.setAutoCommit(false);
            leader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                String snapshot = null;
                if (helpers > 0) {
                    try (Statement statement = leader.createStatement();
                            ResultSet rs = statement.executeQuery("SELECT pg_export_snapshot()")) {
                        rs.next();
                        snapshot = rs.getString(1);
                    }
                }
                List<Future<Partition>> others = new ArrayList<>();
                for (int partition = 1; partition <= helpers; partition++) {
                    int number = partition;
                    String shared = snapshot;
                    others.add(HELPERS.submit(() -> helper(shared, parameters, number, possible, rule)));
                }
                List<Partition> parts = new ArrayList<>();
                try {
                    parts.add(partition(leader, parameters, 0, possible, rule));
                } catch (RuntimeException failed) {
                    // the others' connections and slots are not given back until they have finished
                    others.forEach(CohortQueries::awaitQuietly);
                    throw failed;
                }
                for (Future<Partition> other : others) {
                    parts.add(result(other));
                }
                return parts;
            } finally {
                leader.rollback();
            }
        } catch (SQLException e) {
            throw TRANSLATOR.translate("cohort derivation", null, e);
        }
    }

    /** A partition on a connection of its own, in the leader's snapshot (the leader's transaction is open). */
    private Partition helper(
            String snapshot, MapSqlParameterSource parameters, int partition, String possible, String rule)
            throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try {
                try (Statement statement = connection.createStatement()) {
                    // the snapshot id comes from pg_export_snapshot(); it cannot be a bind parameter
                    statement.execute("SET TRANSACTION SNAPSHOT '" + snapshot.replace("'", "''") + "'");
                }
                return partition(connection, parameters, partition, possible, rule);
            } finally {
                connection.rollback();
            }
        }
    }

    /** One partition's candidates, their figures and the kind's rule over them, in temporary tables on one connection. */
    private Partition partition(
            Connection connection, MapSqlParameterSource shared, int partition, String possible, String rule) {
        NamedParameterJdbcTemplate on =
                new NamedParameterJdbcTemplate(new SingleConnectionDataSource(connection, true));
        MapSqlParameterSource parameters =
                new MapSqlParameterSource(shared.getValues()).addValue("partition", partition);
        long start = System.nanoTime();
        // the figures of tens of thousands of candidates are grouped and sorted in memory rather than on disk
        on.getJdbcTemplate().execute("SET LOCAL work_mem = '64MB'");
        on.update(possible, parameters);
        int candidates = on.update(candidatesSql, parameters);
        // the candidates' statistics shape the plans of their tallies and figures
        on.getJdbcTemplate().execute("ANALYZE cohort_candidates");
        long candidatesDone = System.nanoTime();
        on.update(talliedSql, parameters);
        on.update(memberFigures, parameters);
        List<MemberFigures> members = on.query(rule, parameters, (rs, row) -> figures(rs));
        return new Partition(
                members,
                candidates,
                (candidatesDone - start) / 1_000_000,
                (System.nanoTime() - candidatesDone) / 1_000_000);
    }

    private static void awaitQuietly(Future<Partition> partition) {
        try {
            partition.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debug("A cohort partition failed after the first one did", e.getCause());
        }
    }

    private static Partition result(Future<Partition> partition) {
        try {
            return partition.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while deriving a cohort", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw TRANSLATOR.translate("cohort derivation", null, sql);
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private MapSqlParameterSource parameters(CohortRequest request, List<String> practices) {
        CohortRequest.Thresholds t = request.thresholds();
        CohortRequest.TalliedMonths tallied = request.talliedMonths(LocalDate.now(CohortRequest.ZONE));
        return new MapSqlParameterSource()
                .addValue("first_year", request.periodStart().getYear())
                .addValue("last_year", request.periodEnd().getYear())
                .addValue("bound_first", CohortRequest.monthNumber(request.periodStart()))
                .addValue("bound_last", CohortRequest.monthNumber(request.periodEnd()))
                .addValue("tallied_first", CohortRequest.monthNumber(tallied.from()))
                .addValue("tallied_last", CohortRequest.monthNumber(tallied.to()) - 1)
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

    /**
     * {@code face-to-face=3,telephone=2,face-to-face=1} as a map of each mode's total ({@code face-to-face=4,
     * telephone=2}): member-figures.sql gives a mode once for each part of the window that holds some of it.
     */
    static Map<String, Integer> byMode(String counts) {
        Map<String, Integer> byMode = new TreeMap<>();
        if (counts != null) {
            int start = 0;
            while (start < counts.length()) {
                int comma = counts.indexOf(',', start);
                int end = comma < 0 ? counts.length() : comma;
                int equals = counts.lastIndexOf('=', end - 1);
                byMode.merge(
                        counts.substring(start, equals), Integer.parseInt(counts, equals + 1, end, 10), Integer::sum);
                start = end + 1;
            }
        }
        return byMode;
    }
}
