package dev.pinpipe.stream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The stream's rows in {@code pipeline_runs}: one per micro-batch, keyed by (job 'stream', the
 * streaming query's id, Spark's batch id), written in the same transaction as the micro-batch's pins.
 */
final class RunLedger {

    static final String JOB = "stream";

    private RunLedger() {
    }

    /**
     * Claims the micro-batch inside the caller's transaction; false if it was committed before (a
     * replay after a crash between our commit and Spark's own commit log). Inserting first, rather
     * than looking first, also settles two writers racing for the same batch: the second blocks on
     * the primary key until the first commits, then sees the conflict.
     */
    static boolean claim(Connection c, String runId, long batchId, Instant startedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO pipeline_runs (job, run_id, batch_id, started_at, status) VALUES (?, ?, ?, ?, 'running')"
                        + " ON CONFLICT (job, run_id, batch_id) DO NOTHING")) {
            ps.setString(1, JOB);
            ps.setString(2, runId);
            ps.setLong(3, batchId);
            ps.setTimestamp(4, Timestamp.from(startedAt));
            return ps.executeUpdate() == 1;
        }
    }

    /** Fills in the claimed row's figures; the caller commits. */
    static void record(Connection c, String runId, long batchId, BatchCounts counts, Instant finishedAt)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE pipeline_runs SET rows_read = ?, rows_written = ?, rows_rejected = ?, status = 'succeeded',"
                        + " finished_at = ? WHERE job = ? AND run_id = ? AND batch_id = ?")) {
            ps.setLong(1, counts.read());
            ps.setLong(2, counts.written());
            ps.setLong(3, counts.rejected());
            ps.setTimestamp(4, Timestamp.from(finishedAt));
            ps.setString(5, JOB);
            ps.setString(6, runId);
            ps.setLong(7, batchId);
            ps.executeUpdate();
        }
    }

    /** Rows of one micro-batch: read from Kafka, written to pins_stream, rejected as not a usable pin. */
    record BatchCounts(long read, long written, long rejected) {
    }
}
