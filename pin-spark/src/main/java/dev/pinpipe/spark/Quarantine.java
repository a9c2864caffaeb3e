package dev.pinpipe.spark;

import dev.pinpipe.core.db.RejectedPins;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the records a job read but did not write as pins go: {@code pins_rejected}, with pin-core's
 * {@link RejectedPins#UPSERT_SQL}, inside the caller's transaction (the one that writes the rows they
 * travelled with). Keyed by (job, source), so a replay or a re-run rewrites a row instead of adding one.
 *
 * @param job     {@code 'stream'} or {@code 'batch'}
 * @param runId   the run's {@code pipeline_runs.run_id}
 * @param batchId the run's {@code pipeline_runs.batch_id}
 */
public record Quarantine(String job, String runId, long batchId) implements Serializable {

    /**
     * One rejected record.
     *
     * @param source         where it came from, unique per record ({@link RejectedPins#kafkaSource}, or an archive line)
     * @param rawValue       the record's first bytes (cut to {@link RejectedPins#MAX_RAW_BYTES} here if longer)
     * @param rawLength      the record's whole length in bytes
     * @param kafkaPartition lineage when known, else null
     * @param kafkaOffset    lineage when known, else null
     */
    public record Rejected(String source, Integer kafkaPartition, Long kafkaOffset, byte[] rawValue, int rawLength,
                           String reason) implements Serializable {
    }

    /**
     * Upserts {@code rejects} into {@code pins_rejected} (one batched statement; the caller commits).
     * Two records of one call with the same source (identical archive lines without lineage) keep
     * apart as {@code <source>~2}, {@code ~3}, … in the order given, so every record has its own row.
     * Returns the rows written, i.e. {@code rejects.size()}.
     */
    public int upsert(Connection connection, Collection<Rejected> rejects) throws SQLException {
        if (rejects.isEmpty()) {
            return 0;
        }
        Map<String, Integer> seen = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(RejectedPins.UPSERT_SQL)) {
            for (Rejected r : rejects) {
                int occurrence = seen.merge(r.source(), 1, Integer::sum);
                ps.setString(1, job);
                ps.setString(2, occurrence == 1 ? r.source() : r.source() + "~" + occurrence);
                if (r.kafkaPartition() == null) {
                    ps.setNull(3, Types.INTEGER);
                } else {
                    ps.setInt(3, r.kafkaPartition());
                }
                if (r.kafkaOffset() == null) {
                    ps.setNull(4, Types.BIGINT);
                } else {
                    ps.setLong(4, r.kafkaOffset());
                }
                byte[] raw = r.rawValue() == null ? new byte[0] : r.rawValue();
                ps.setBytes(5, raw.length > RejectedPins.MAX_RAW_BYTES ? Arrays.copyOf(raw, RejectedPins.MAX_RAW_BYTES) : raw);
                ps.setInt(6, r.rawLength());
                ps.setString(7, r.reason().replace('\u0000', '?')); // PostgreSQL text cannot hold U+0000
                ps.setString(8, runId);
                ps.setLong(9, batchId);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return rejects.size();
    }
}
