package dev.pinpipe.core.db;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The two tables clean pins land in, one per layer of the Lambda architecture, and the one upsert
 * both Spark jobs use to write them (docs/pin-contract.md §3).
 */
public enum PinTable {
    PINS_BATCH("pins_batch"),
    PINS_STREAM("pins_stream");

    /** Every column, in the order of the DDL; writers fill them in this order. */
    public static final List<String> COLUMNS = List.of(
            "unique_id", "index", "category", "title", "description", "tag_list", "follower_count",
            "downloaded", "is_image_or_video", "image_src", "save_location",
            "kafka_partition", "kafka_offset", "ingested_at", "processed_at");

    private final String tableName;

    PinTable(String tableName) {
        this.tableName = tableName;
    }

    public String tableName() {
        return tableName;
    }

    /** A session-local staging table shaped like this table, dropped at commit. */
    public String createStagingSql(String staging) {
        return "CREATE TEMPORARY TABLE " + staging + " (LIKE " + tableName + " INCLUDING DEFAULTS) ON COMMIT DROP";
    }

    /**
     * The cheap way to move a staging table into this table when none of its pins is there yet: one
     * row per {@code unique_id} (the highest Kafka offset of the batch) with a plain {@code INSERT},
     * no {@code ON CONFLICT} (whose speculative insertion costs PostgreSQL about as much again per
     * row). A pin the table holds already, or one a concurrent transaction inserts meanwhile, makes
     * the whole statement fail with a unique violation (SQLSTATE 23505); the caller then rolls it
     * back and moves the batch with {@link #upsertFromStagingSql}. No existence test in the
     * statement: the primary key's own check on insertion is that test, at no extra cost (a
     * {@code NOT EXISTS} was planned as a sequential scan per row right after a {@code TRUNCATE}).
     */
    public String insertFromStagingSql(String staging) {
        return "INSERT INTO " + tableName + " (" + quotedColumns() + ") " + newestPerPinSql(staging);
    }

    /**
     * Moves a staging table into this table: one row per {@code unique_id} (the highest Kafka
     * offset of the batch), and on conflict the newer-or-equal offset wins, so replaying a batch
     * or re-running a day rewrites rows instead of adding them, and an older copy never overwrites
     * a newer one. Equal offsets update, which refreshes {@code processed_at} on a re-run.
     */
    public String upsertFromStagingSql(String staging) {
        String updates = COLUMNS.stream()
                .filter(c -> !c.equals("unique_id"))
                .map(c -> quote(c) + " = EXCLUDED." + quote(c))
                .collect(Collectors.joining(", "));
        return "INSERT INTO " + tableName + " AS target (" + quotedColumns() + ") " + newestPerPinSql(staging)
                + " ON CONFLICT (unique_id) DO UPDATE SET " + updates
                + " WHERE target.kafka_offset IS NULL OR EXCLUDED.kafka_offset >= target.kafka_offset";
    }

    /** The staging table's rows, one per {@code unique_id}: the highest Kafka offset of the batch. */
    private static String newestPerPinSql(String staging) {
        return "SELECT DISTINCT ON (unique_id) " + quotedColumns() + " FROM " + staging
                + " ORDER BY unique_id, kafka_offset DESC NULLS LAST";
    }

    private static String quotedColumns() {
        return COLUMNS.stream().map(PinTable::quote).collect(Collectors.joining(", "));
    }

    /** {@code index} is a keyword in SQL, so every column is quoted alike. */
    private static String quote(String column) {
        return '"' + column + '"';
    }
}
