package dev.pinpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.db.RunLedger;
import dev.pinpipe.core.db.RunLedger.Counts;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pin-core's {@link RunLedger} as the stream job uses it, against the stack's real Postgres. */
@ExtendWith(LocalStackExtension.class)
class RunLedgerTest {

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @Test
    void aMicroBatchIsRecordedOnceAndItsFirstRecordStays(LocalStack stack) throws SQLException {
        String runId = UUID.randomUUID().toString();
        try (Connection c = connect(stack)) {
            assertThat(RunLedger.STREAM.isRecorded(c, runId, 3)).isFalse();
            RunLedger.STREAM.record(c, runId, 3, new Counts(5, 4, 1), T0, T0.plusSeconds(1));
            assertThat(RunLedger.STREAM.isRecorded(c, runId, 3)).isTrue();
            assertThat(RunLedger.STREAM.isRecorded(c, runId, 4)).isFalse();
            assertThat(RunLedger.BATCH.isRecorded(c, runId, 3)).as("another job's key").isFalse();

            // a replay's record changes nothing
            RunLedger.STREAM.record(c, runId, 3, new Counts(9, 9, 0), T0.plusSeconds(5), T0.plusSeconds(6));
        }
        assertThat(TestDb.runs(stack, runId)).containsExactly(new TestDb.Run(3, 5, 4, 1, "succeeded", true));
    }

    @Test
    void aRealTimeRowIsRunningUntilItsEpochEndsAndAReplayOverwritesIt(LocalStack stack) throws SQLException {
        String queryId = UUID.randomUUID().toString();
        String runId = queryId + "/0";
        try (Connection c = connect(stack)) {
            c.setAutoCommit(false);
            RunLedger.STREAM.upsertRunning(c, runId, 7, new Counts(10, 9, 1), T0, null);
            c.commit();
            assertThat(TestDb.realTimeRuns(stack, queryId)).containsExactly(new TestDb.Run(7, 10, 9, 1, "running", false));

            RunLedger.STREAM.upsertRunning(c, runId, 7, new Counts(25, 23, 2), T0, T0.plusSeconds(2));
            c.commit();
            assertThat(TestDb.realTimeRuns(stack, queryId)).containsExactly(new TestDb.Run(7, 25, 23, 2, "succeeded", true));

            // the epoch replayed after a failure counts from zero again and takes the row over
            Instant replay = T0.plusSeconds(60);
            RunLedger.STREAM.upsertRunning(c, runId, 7, new Counts(3, 3, 0), replay, null);
            c.rollback();
            assertThat(TestDb.realTimeRuns(stack, queryId)).as("the caller's transaction")
                    .containsExactly(new TestDb.Run(7, 25, 23, 2, "succeeded", true));
            RunLedger.STREAM.upsertRunning(c, runId, 7, new Counts(3, 3, 0), replay, null);
            c.commit();
            assertThat(TestDb.realTimeRuns(stack, queryId)).containsExactly(new TestDb.Run(7, 3, 3, 0, "running", false));
            assertThat(startedAt(c, runId, 7)).isEqualTo(replay);
        }
    }

    private static Instant startedAt(Connection c, String runId, long batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT started_at FROM pipeline_runs WHERE job = 'stream' AND run_id = ? AND batch_id = ?")) {
            ps.setString(1, runId);
            ps.setLong(2, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }

    private static Connection connect(LocalStack stack) throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
    }
}
