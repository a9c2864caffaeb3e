package dev.pinpipe.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The SQL text only; the statement runs against a real PostgreSQL in pin-spark's and local-stack's tests. */
class PinTableTest {

    @Test
    void upsertKeepsTheNewestOffsetAndDedupesTheBatch() {
        String sql = PinTable.PINS_STREAM.upsertFromStagingSql("staging");
        assertThat(sql)
                .startsWith("INSERT INTO pins_stream AS target")
                .contains("SELECT DISTINCT ON (unique_id)", "ORDER BY unique_id, kafka_offset DESC",
                        "ON CONFLICT (unique_id) DO UPDATE SET", "\"processed_at\" = EXCLUDED.\"processed_at\"",
                        "EXCLUDED.kafka_offset >= target.kafka_offset")
                .doesNotContain("\"unique_id\" = EXCLUDED");
    }

    @Test
    void insertOfNewPinsIsPlainAndDedupesTheBatch() {
        String sql = PinTable.PINS_BATCH.insertFromStagingSql("staging");
        assertThat(sql)
                .startsWith("INSERT INTO pins_batch (")
                .contains("SELECT DISTINCT ON (unique_id)", "ORDER BY unique_id, kafka_offset DESC")
                .doesNotContain("ON CONFLICT", "EXISTS");
    }

    @Test
    void everyColumnIsInTheMigration() throws Exception {
        String ddl = new String(getClass().getClassLoader().getResourceAsStream("db/migration/V1__pins.sql").readAllBytes());
        for (String column : PinTable.COLUMNS) {
            assertThat(ddl).contains(column);
        }
    }
}
