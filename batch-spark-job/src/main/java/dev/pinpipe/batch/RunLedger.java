package dev.pinpipe.batch;

import dev.pinpipe.spark.PostgresSettings;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * The batch job's row in {@code pipeline_runs} (job 'batch', batch_id 0): written as 'running' before
 * the archive is read, so a run that dies leaves a trace, and completed with its counts and status.
 */
final class RunLedger {

    static final String JOB = "batch";

    private final PostgresSettings postgres;

    RunLedger(PostgresSettings postgres) {
        this.postgres = postgres;
    }

    void started(BatchSummary run) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO pipeline_runs (job, run_id, batch_id, date_from, date_to, status, started_at)"
                        + " VALUES (?, ?, 0, ?, ?, 'running', ?)")) {
            ps.setString(1, JOB);
            ps.setString(2, run.runId().toString());
            ps.setDate(3, Date.valueOf(run.from()));
            ps.setDate(4, Date.valueOf(run.to()));
            ps.setTimestamp(5, Timestamp.from(run.startedAt()));
            ps.executeUpdate();
        }
    }

    void finished(BatchSummary run) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "UPDATE pipeline_runs SET rows_read = ?, rows_written = ?, rows_rejected = ?, status = ?, finished_at = ?"
                        + " WHERE job = ? AND run_id = ? AND batch_id = 0")) {
            ps.setLong(1, run.rowsRead());
            ps.setLong(2, run.rowsWritten());
            ps.setLong(3, run.rowsRejected());
            ps.setString(4, run.status().label());
            ps.setTimestamp(5, Timestamp.from(run.finishedAt()));
            ps.setString(6, JOB);
            ps.setString(7, run.runId().toString());
            if (ps.executeUpdate() != 1) {
                throw new SQLException("pipeline_runs has no row for batch run " + run.runId());
            }
        }
    }
}
