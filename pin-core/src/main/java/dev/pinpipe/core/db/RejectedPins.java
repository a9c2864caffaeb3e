package dev.pinpipe.core.db;

/**
 * The quarantine table {@code pins_rejected} (migration V2): a record a Spark job read but could not
 * write as a pin row, keyed by its source so a replay or a re-run rewrites its row instead of adding
 * one. Both jobs write it with {@link #UPSERT_SQL}, in the same transaction as the rows it travelled with.
 */
public final class RejectedPins {

    public static final String TABLE = "pins_rejected";
    /** At most this many bytes of a rejected record are kept ({@code raw_length} tells the whole size). */
    public static final int MAX_RAW_BYTES = 16 * 1024;

    /**
     * Parameters in order: job, source, kafka_partition (nullable int), kafka_offset (nullable bigint),
     * raw_value (bytea, at most {@link #MAX_RAW_BYTES}; null for a null Kafka value), raw_length, reason, run_id, batch_id. The newest
     * run to see a record owns its row.
     */
    public static final String UPSERT_SQL = "INSERT INTO " + TABLE
            + " (job, source, kafka_partition, kafka_offset, raw_value, raw_length, reason, run_id, batch_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (job, source) DO UPDATE SET kafka_partition = EXCLUDED.kafka_partition,"
            + " kafka_offset = EXCLUDED.kafka_offset, raw_value = EXCLUDED.raw_value, raw_length = EXCLUDED.raw_length,"
            + " reason = EXCLUDED.reason, run_id = EXCLUDED.run_id, batch_id = EXCLUDED.batch_id, rejected_at = now()";

    private RejectedPins() {
    }

    /** The source of a Kafka record: {@code kafka:<topic>/<partition>/<offset>}. */
    public static String kafkaSource(String topic, int partition, long offset) {
        return "kafka:" + topic + "/" + partition + "/" + offset;
    }
}
