package dev.pinpipe.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** pin-core's {@link RunLedger} as the batch job uses it, against the stack's real Postgres. */
@ExtendWith(LocalStackExtension.class)
class RunLedgerIT {

    private static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    private static final LocalDate FROM = LocalDate.parse("2026-11-19");
    private static final LocalDate TO = LocalDate.parse("2026-11-20");

    @ParameterizedTest
    @EnumSource(value = RunLedger.Status.class, names = {"SUCCEEDED", "FAILED"})
    void aRunIsRunningFromItsStartAndCompletedWithItsCountsAndOutcome(RunLedger.Status outcome, LocalStack stack)
            throws SQLException {
        String runId = UUID.randomUUID().toString();
        try (Connection c = connect(stack)) {
            RunLedger.BATCH.started(c, runId, FROM, TO, T0);
            assertThat(row(c, runId)).isEqualTo("2026-11-19..2026-11-20 read=0 written=0 rejected=0 running finished=null");

            RunLedger.BATCH.finished(c, runId, new Counts(33, 24, 9), outcome, T0.plusSeconds(3));
            assertThat(row(c, runId)).isEqualTo("2026-11-19..2026-11-20 read=33 written=24 rejected=9 "
                    + outcome.label() + " finished=" + T0.plusSeconds(3));
        }
    }

    @Test
    void aRunIdStartsOnceAndOnlyAStartedRunFinishes(LocalStack stack) throws SQLException {
        String runId = UUID.randomUUID().toString();
        try (Connection c = connect(stack)) {
            RunLedger.BATCH.started(c, runId, TO, TO, T0);
            assertThatThrownBy(() -> RunLedger.BATCH.started(c, runId, TO, TO, T0))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));

            String unknown = UUID.randomUUID().toString();
            assertThatThrownBy(() -> RunLedger.BATCH.finished(c, unknown, Counts.NONE, RunLedger.Status.SUCCEEDED, T0))
                    .isInstanceOf(SQLException.class).hasMessageContaining(unknown);
            // another job's row under the same run id is not this job's run
            RunLedger.STREAM.record(c, unknown, RunLedger.WHOLE_RUN, Counts.NONE, T0, T0);
            assertThatThrownBy(() -> RunLedger.BATCH.finished(c, unknown, Counts.NONE, RunLedger.Status.SUCCEEDED, T0))
                    .isInstanceOf(SQLException.class);
        }
    }

    /** The run's row as one line: days, counts, status, finished_at. */
    private static String row(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT date_from, date_to, rows_read, rows_written, rows_rejected,"
                + " status, finished_at, batch_id, started_at FROM pipeline_runs WHERE job = 'batch' AND run_id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row for " + runId).isTrue();
                assertThat(rs.getLong("batch_id")).isEqualTo(RunLedger.WHOLE_RUN);
                assertThat(rs.getTimestamp("started_at").toInstant()).isEqualTo(T0);
                String line = rs.getDate(1) + ".." + rs.getDate(2) + " read=" + rs.getLong(3) + " written=" + rs.getLong(4)
                        + " rejected=" + rs.getLong(5) + " " + rs.getString(6) + " finished="
                        + (rs.getTimestamp(7) == null ? null : rs.getTimestamp(7).toInstant());
                assertThat(rs.next()).isFalse();
                return line;
            }
        }
    }

    private static Connection connect(LocalStack stack) throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
    }
}
