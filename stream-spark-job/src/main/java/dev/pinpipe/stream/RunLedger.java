package dev.pinpipe.stream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The stream's rows in {@code pipeline_runs}: one per micro-batch, keyed by (job 'stream', the
 * streaming query's id, Spark's batch id), recorded by the driver once the micro-batch's tasks have
 * committed its rows.
 */
final class RunLedger {

    static final String JOB = "stream";

    private RunLedger() {
    }

    /** Whether the micro-batch was recorded before: a replay after a crash between our record and Spark's commit log. */
    static boolean isRecorded(Connection c, String runId, long batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM pipeline_runs WHERE job = ? AND run_id = ? AND batch_id = ?")) {
            ps.setString(1, JOB);
            ps.setString(2, runId);
            ps.setLong(3, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Records the written micro-batch (auto-commit). A row already there stays: the first record of a
     * micro-batch is as true as a later one, as every replay reads the same offsets.
     */
    static void record(Connection c, String runId, long batchId, BatchCounts counts, Instant startedAt,
                       Instant finishedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO pipeline_runs (job, run_id, batch_id, started_at, finished_at, status, rows_read,"
                        + " rows_written, rows_rejected) VALUES (?, ?, ?, ?, ?, 'succeeded', ?, ?, ?)"
                        + " ON CONFLICT (job, run_id, batch_id) DO NOTHING")) {
            ps.setString(1, JOB);
            ps.setString(2, runId);
            ps.setLong(3, batchId);
            ps.setTimestamp(4, Timestamp.from(startedAt));
            ps.setTimestamp(5, Timestamp.from(finishedAt));
            ps.setLong(6, counts.read());
            ps.setLong(7, counts.written());
            ps.setLong(8, counts.rejected());
            ps.executeUpdate();
        }
    }

    /**
     * Real-time mode: the task's row for one epoch, with what this attempt has counted so far (a
     * replay of the epoch counts from zero again and overwrites it), in the caller's transaction.
     * {@code finishedAt} non-null marks the task's part of the epoch done.
     */
    static void upsertRunning(Connection c, String runId, long epochId, BatchCounts counts, Instant startedAt,
                              Instant finishedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO pipeline_runs AS r (job, run_id, batch_id, started_at, finished_at, status, rows_read,"
                        + " rows_written, rows_rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (job, run_id, batch_id) DO UPDATE SET started_at = EXCLUDED.started_at,"
                        + " finished_at = EXCLUDED.finished_at, status = EXCLUDED.status, rows_read = EXCLUDED.rows_read,"
                        + " rows_written = EXCLUDED.rows_written, rows_rejected = EXCLUDED.rows_rejected")) {
            ps.setString(1, JOB);
            ps.setString(2, runId);
            ps.setLong(3, epochId);
            ps.setTimestamp(4, Timestamp.from(startedAt));
            ps.setTimestamp(5, finishedAt == null ? null : Timestamp.from(finishedAt));
            ps.setString(6, finishedAt == null ? "running" : "succeeded");
            ps.setLong(7, counts.read());
            ps.setLong(8, counts.written());
            ps.setLong(9, counts.rejected());
            ps.executeUpdate();
        }
    }

    /** Rows of one micro-batch: read from Kafka, written to pins_stream, rejected as not a usable pin. */
    record BatchCounts(long read, long written, long rejected) {
    }
}
