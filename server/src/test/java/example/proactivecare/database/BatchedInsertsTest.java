package example.proactivecare.database;

import static org.assertj.core.api.Assertions.assertThat;

import example.proactivecare.support.FhirServerTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The server's connections send a JDBC batch of inserts (Hibernate's, for HAPI's index rows) to PostgreSQL as
 * multi-row INSERTs ({@code reWriteBatchedInserts}), not as one statement per row.
 */
class BatchedInsertsTest extends FhirServerTest {

    @Autowired
    private DataSource dataSource;

    @Test
    void aBatchOfInsertsIsRewrittenIntoOneMultiRowStatement() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            // given
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE TEMPORARY TABLE batched (n int)");
            }

            // when four rows are inserted as one batch (the driver rewrites batches in powers of two)
            int[] counts;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batched (n) VALUES (?)")) {
                for (int n = 1; n <= 4; n++) {
                    insert.setInt(1, n);
                    insert.addBatch();
                }
                counts = insert.executeBatch();
            }

            // then the driver reports no per-row counts, which it does only for a rewritten batch, and all are stored
            assertThat(counts).containsOnly(Statement.SUCCESS_NO_INFO);
            try (Statement count = connection.createStatement();
                    var rows = count.executeQuery("SELECT count(*) FROM batched")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(4);
            }
            try (Statement drop = connection.createStatement()) {
                drop.execute("DROP TABLE batched");
            }
        }
    }
}
