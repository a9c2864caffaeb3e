package dev.pinpipe.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link PostgresUpsert} against a real PostgreSQL (the local stack). */
@ExtendWith(LocalStackExtension.class)
class PostgresUpsertIT {

    private static final String A = "c5521660-f3a3-4571-b476-189975a3adb3";
    private static final String B = "52f446b4-5a44-4f70-95cd-7a9ed2306f52";
    private static final Instant INGESTED = Instant.parse("2026-11-27T10:15:30.123Z");

    /** The shape of {@link PinColumns#clean}'s rows. */
    private static final StructType CLEAN = schema();

    private PostgresSettings settings;

    @BeforeEach
    void emptyTables(LocalStack stack) throws SQLException {
        settings = new PostgresSettings(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
        try (Connection c = settings.connect(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE pins_batch, pins_stream");
        }
    }

    @Test
    void upsertingTwiceLeavesOneRowPerPin() throws SQLException {
        List<Row> rows = List.of(pin(A, 5, "first"), pin(B, 6, "second"));
        assertThat(upsert(PinTable.PINS_BATCH, rows)).isEqualTo(2);
        assertThat(upsert(PinTable.PINS_BATCH, rows)).isEqualTo(2);
        assertThat(titles(PinTable.PINS_BATCH)).containsOnly(Map.entry(A, "first"), Map.entry(B, "second"));
        assertThat(titles(PinTable.PINS_STREAM)).isEmpty();
    }

    @Test
    void theNewestOffsetWinsAcrossAndWithinBatches() throws SQLException {
        upsert(PinTable.PINS_STREAM, List.of(pin(A, 10, "ten")));
        upsert(PinTable.PINS_STREAM, List.of(pin(A, 9, "nine")));
        assertThat(titles(PinTable.PINS_STREAM)).containsOnly(Map.entry(A, "ten"));

        upsert(PinTable.PINS_STREAM, List.of(pin(A, 12, "twelve"), pin(A, 11, "eleven")));
        assertThat(titles(PinTable.PINS_STREAM)).containsOnly(Map.entry(A, "twelve"));
    }

    @Test
    void theDatabaseStampsProcessedAtAndTheSameOffsetRefreshesIt() throws SQLException {
        upsert(PinTable.PINS_BATCH, List.of(pin(A, 7, "same")));
        Instant first = processedAt();
        upsert(PinTable.PINS_BATCH, List.of(pin(A, 7, "same")));
        Instant second = processedAt();
        assertThat(second).isAfter(first);
        try (Connection c = settings.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), now() - max(processed_at) < interval '1 minute' FROM pins_batch")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
            assertThat(rs.getBoolean(2)).as("processed_at is the database's time of the write").isTrue();
        }
    }

    @Test
    void aProcessedAtColumnOfTheRowsIsNotWritten() throws SQLException {
        StructType withProcessedAt = CLEAN.add(PinColumns.PROCESSED_AT, DataTypes.TimestampType);
        Object[] values = Arrays.copyOf(((GenericRowWithSchema) pin(A, 1, "x")).values(), withProcessedAt.size());
        values[values.length - 1] = Timestamp.from(Instant.parse("2001-01-01T00:00:00Z"));
        upsert(PinTable.PINS_BATCH, List.of(new GenericRowWithSchema(values, withProcessedAt)));
        assertThat(processedAt()).isAfter(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void nullsAndAwkwardTextSurviveCopy() throws SQLException {
        String awkward = "a,b \"quoted\" 'single'\nsecond line\r\nback\\slash \\N \\. tab\there é € 🎉";
        Row row = row(A, 3, " art ", null, "", awkward, 9_223_372_036_854_775_807L, false, "\\N", "\"\"", ",",
                2, 42L, INGESTED);
        upsert(PinTable.PINS_BATCH, List.of(row));

        try (Connection c = settings.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM pins_batch")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("unique_id")).isEqualTo(A);
            assertThat(rs.getInt("index")).isEqualTo(3);
            assertThat(rs.getString("category")).isEqualTo(" art ");
            assertThat(rs.getString("title")).isNull();
            assertThat(rs.getString("description")).isEmpty();
            assertThat(rs.getString("tag_list")).isEqualTo(awkward);
            assertThat(rs.getLong("follower_count")).isEqualTo(Long.MAX_VALUE);
            assertThat(rs.getBoolean("downloaded")).isFalse();
            assertThat(rs.getString("is_image_or_video")).isEqualTo("\\N");
            assertThat(rs.getString("image_src")).isEqualTo("\"\"");
            assertThat(rs.getString("save_location")).isEqualTo(",");
            assertThat(rs.getInt("kafka_partition")).isEqualTo(2);
            assertThat(rs.getLong("kafka_offset")).isEqualTo(42L);
            assertThat(rs.getTimestamp("ingested_at").toInstant()).isEqualTo(INGESTED);
            assertThat(rs.next()).isFalse();
        }

        upsert(PinTable.PINS_BATCH, List.of(row(A, 3, "art", null, null, null, null, null, null, null, null,
                null, 43L, null)));
        try (Connection c = settings.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT follower_count, downloaded, kafka_partition, ingested_at FROM pins_batch")) {
            rs.next();
            for (int i = 1; i <= 4; i++) {
                assertThat(rs.getObject(i)).as("column %d", i).isNull();
            }
        }
    }

    @Test
    void anUpperCaseUuidIsTheSamePin() throws SQLException {
        upsert(PinTable.PINS_BATCH, List.of(pin(A.toUpperCase(Locale.ROOT), 1, "first")));
        upsert(PinTable.PINS_BATCH, List.of(pin(A, 2, "second")));
        assertThat(titles(PinTable.PINS_BATCH)).containsOnly(Map.entry(A, "second"));
    }

    @Test
    void rowsPostgresRefusesAreHandedBackAndTheOthersWritten() throws SQLException {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            rows.add(pin(String.format("00000000-0000-4000-8000-%012d", i), i, "pin " + i));
        }
        rows.set(7, pin(A, 7, "nul\u0000inside"));
        rows.set(31, pin("not-a-uuid", 31, "x"));
        assertThatThrownBy(() -> upsert(PinTable.PINS_BATCH, rows)).satisfies(e -> assertThat(PostgresUpsert.isDataError(e)).isTrue());
        assertThat(titles(PinTable.PINS_BATCH)).isEmpty();

        Map<String, String> refused = new HashMap<>();
        try (Connection c = settings.connect()) {
            c.setAutoCommit(false);
            int written = PostgresUpsert.upsertOrRefuse(c, PinTable.PINS_BATCH, rows, (row, why) -> refused.put(row.getString(0), why));
            c.commit();
            assertThat(written).isEqualTo(38);
        }
        assertThat(refused).containsOnlyKeys(A, "not-a-uuid");
        assertThat(refused.get(A)).contains("PostgreSQL refused the row", "0x00");
        assertThat(refused.get("not-a-uuid")).contains("not a UUID");
        assertThat(titles(PinTable.PINS_BATCH)).hasSize(38).containsEntry("00000000-0000-4000-8000-000000000039", "pin 39");
    }

    @Test
    void aDatasetWithReasonsQuarantinesItsRejectsInTheSameTransactions() throws SQLException {
        try (Connection c = settings.connect(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM pins_rejected WHERE run_id = 'upsert-it'");
        }
        StructType withRejects = new StructType().add(PinColumns.REASON, DataTypes.StringType);
        for (var field : CLEAN.fields()) {
            withRejects = withRejects.add(field);
        }
        withRejects = withRejects.add(PostgresUpsert.SOURCE, DataTypes.StringType).add(PostgresUpsert.RAW_VALUE, DataTypes.BinaryType)
                .add(PostgresUpsert.RAW_LENGTH, DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String reason = i % 10 == 3 ? "index: missing" : null;
            Row pin = pin(String.format("00000000-0000-4000-8000-%012d", i), i, i == 17 ? "nul\u0000" : "pin " + i);
            Object[] values = new Object[withRejects.size()];
            values[0] = reason;
            System.arraycopy(((GenericRowWithSchema) pin).values(), 0, values, 1, CLEAN.size());
            values[values.length - 3] = "test:" + i;
            values[values.length - 2] = ("raw " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            values[values.length - 1] = 100 + i;
            rows.add(new GenericRowWithSchema(values, withRejects));
        }
        var dataset = TestSpark.session().createDataFrame(rows, withRejects).repartition(3);
        Quarantine quarantine = new Quarantine("batch", "upsert-it", 0);
        assertThatThrownBy(() -> PostgresUpsert.write(dataset, PinTable.PINS_STREAM, settings, quarantine, false))
                .satisfies(e -> assertThat(PostgresUpsert.isDataError(e)).as("%s", e).isTrue());

        PostgresUpsert.WriteResult result = PostgresUpsert.write(dataset, PinTable.PINS_STREAM, settings, quarantine, true);
        assertThat(result).isEqualTo(new PostgresUpsert.WriteResult(26, 4));
        assertThat(titles(PinTable.PINS_STREAM)).hasSize(26).doesNotContainKey("00000000-0000-4000-8000-000000000017");
        Map<String, String> reasons = new HashMap<>();
        try (Connection c = settings.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT source, reason, raw_length, convert_from(raw_value, 'UTF8'), kafka_offset"
                     + " FROM pins_rejected WHERE job = 'batch' AND run_id = 'upsert-it'")) {
            while (rs.next()) {
                reasons.put(rs.getString(1), rs.getString(2));
                int i = Integer.parseInt(rs.getString(1).substring("test:".length()));
                assertThat(rs.getInt(3)).isEqualTo(100 + i);
                assertThat(rs.getString(4)).isEqualTo("raw " + i);
                assertThat(rs.getLong(5)).isEqualTo(i);
            }
        }
        assertThat(reasons).containsOnlyKeys("test:3", "test:13", "test:23", "test:17");
        assertThat(reasons.get("test:3")).isEqualTo("index: missing");
        assertThat(reasons.get("test:17")).contains("0x00");
    }

    @Test
    void aPinInsertedByAConcurrentTransactionIsUpdatedNotDoubled() throws Exception {
        ExecutorService second = Executors.newSingleThreadExecutor();
        try (Connection first = settings.connect(); Connection other = settings.connect()) {
            first.setAutoCommit(false);
            PostgresUpsert.upsert(first, PinTable.PINS_BATCH, List.of(pin(A, 1, "first")).iterator());
            int otherPid = backendPid(other);
            // the second writer's plain insert of A waits for the first transaction, then meets its row
            Future<Integer> upsert = second.submit(() -> {
                other.setAutoCommit(false);
                int n = PostgresUpsert.upsert(other, PinTable.PINS_BATCH, List.of(pin(A, 2, "second"), pin(B, 2, "b")).iterator());
                other.commit();
                return n;
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> waitsForALock(otherPid));
            first.commit();
            assertThat(upsert.get(30, TimeUnit.SECONDS)).isEqualTo(2);
        } finally {
            second.shutdownNow();
        }
        assertThat(titles(PinTable.PINS_BATCH)).containsOnly(Map.entry(A, "second"), Map.entry(B, "b"));
    }

    @Test
    void runsInsideTheCallersTransaction() throws SQLException {
        try (Connection c = settings.connect()) {
            c.setAutoCommit(false);
            assertThat(PostgresUpsert.upsert(c, PinTable.PINS_BATCH, List.of(pin(A, 1, "rolled back")).iterator())).isEqualTo(1);
            c.rollback();
        }
        assertThat(titles(PinTable.PINS_BATCH)).isEmpty();

        try (Connection c = settings.connect()) {
            Iterator<Row> rows = List.of(pin(A, 1, "x")).iterator();
            assertThatThrownBy(() -> PostgresUpsert.upsert(c, PinTable.PINS_BATCH, rows))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void writesADatasetPartitionByPartition() throws SQLException {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(pin(String.format("00000000-0000-4000-8000-%012d", i), i, "pin " + i));
        }
        var dataset = TestSpark.session().createDataFrame(rows, CLEAN).repartition(3);
        assertThat(PostgresUpsert.write(dataset, PinTable.PINS_STREAM, settings)).isEqualTo(100);
        assertThat(titles(PinTable.PINS_STREAM)).hasSize(100).containsEntry("00000000-0000-4000-8000-000000000042", "pin 42");
    }

    private static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private boolean waitsForALock(int pid) throws SQLException {
        try (Connection c = settings.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT wait_event_type FROM pg_stat_activity WHERE pid = " + pid)) {
            return rs.next() && "Lock".equals(rs.getString(1));
        }
    }

    private int upsert(PinTable table, List<Row> rows) throws SQLException {
        try (Connection c = settings.connect()) {
            c.setAutoCommit(false);
            int n = PostgresUpsert.upsert(c, table, rows.iterator());
            c.commit();
            return n;
        }
    }

    private Instant processedAt() throws SQLException {
        try (Connection c = settings.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT processed_at FROM pins_batch")) {
            assertThat(rs.next()).isTrue();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private Map<String, String> titles(PinTable table) throws SQLException {
        Map<String, String> titles = new HashMap<>();
        try (Connection c = settings.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT unique_id, title FROM " + table.tableName())) {
            while (rs.next()) {
                titles.put(rs.getString(1), rs.getString(2));
            }
        }
        return titles;
    }

    private static Row pin(String id, long offset, String title) {
        return row(id, 0, "art", title, "d", "t", 1L, true, "image", "https://i.pinimg.com/x.jpg", "/data/art",
                0, offset, INGESTED);
    }

    private static Row row(Object... values) {
        Object[] converted = Arrays.stream(values)
                .map(v -> v instanceof Instant t ? Timestamp.from(t) : v)
                .toArray();
        return new GenericRowWithSchema(converted, CLEAN);
    }

    private static StructType schema() {
        Map<String, DataType> types = Map.of(
                "index", DataTypes.IntegerType, "follower_count", DataTypes.LongType,
                "downloaded", DataTypes.BooleanType, "kafka_partition", DataTypes.IntegerType,
                "kafka_offset", DataTypes.LongType, "ingested_at", DataTypes.TimestampType);
        StructType schema = new StructType();
        for (String column : PinColumns.CLEAN_COLUMNS) {
            schema = schema.add(column, types.getOrDefault(column, DataTypes.StringType));
        }
        return schema;
    }
}
