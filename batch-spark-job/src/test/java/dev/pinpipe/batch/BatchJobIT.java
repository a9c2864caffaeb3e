package dev.pinpipe.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.batch.ArchiveFixture.Lineage;
import dev.pinpipe.core.SamplePins;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import dev.pinpipe.spark.PinColumns;
import dev.pinpipe.spark.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The batch job in-process (the shared Spark session) against the real local stack: S3 archive → pins_batch. */
@ExtendWith(LocalStackExtension.class)
class BatchJobIT {

    private static final String PREFIX = "pins";
    private static final long T0 = Instant.parse("2026-11-20T08:00:00Z").toEpochMilli();

    private static ArchiveFixture archive;
    private LocalStack stack;

    @BeforeAll
    static void archiveClient(LocalStack stack) {
        archive = new ArchiveFixture(stack.s3Endpoint(), stack.s3Region(), stack.s3AccessKey(), stack.s3SecretKey(), stack.bucket());
    }

    @AfterAll
    static void closeArchive() {
        archive.close();
    }

    @BeforeEach
    void emptyTables(LocalStack stack) throws SQLException {
        this.stack = stack;
        sql("TRUNCATE pins_batch, pipeline_runs, pins_rejected");
    }

    @Test
    void theSampleArchiveBecomesExactlyTheExpectedRowsWithLineage() throws SQLException {
        LocalDate day = LocalDate.parse("2026-11-20");
        List<String> raw = SamplePins.rawLines();
        List<Lineage> lineage = archive.archive(PREFIX, day, raw, 3, 100, 5, T0);

        Instant started = Instant.now();
        Result result = run("--date", day.toString());
        Instant finished = Instant.now();
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("dt=2026-11-20: read=24 written=24 rejected=0", "succeeded");

        Map<String, Map<String, Object>> expected = SamplePins.expectedById();
        Map<String, Map<String, Object>> actual = pinsBatch();
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((id, row) -> {
            Map<String, Object> columns = new LinkedHashMap<>(actual.get(id));
            columns.keySet().retainAll(SamplePins.EXPECTED_COLUMNS);
            assertThat(columns).as(id).containsExactlyInAnyOrderEntriesOf(row);
        });
        for (int i = 0; i < raw.size(); i++) {
            String id = SamplePins.raw().get(i).get("unique_id").textValue();
            Map<String, Object> row = actual.get(id);
            assertThat(row.get("kafka_partition")).as(id).isEqualTo(lineage.get(i).partition());
            assertThat(row.get("kafka_offset")).as(id).isEqualTo(lineage.get(i).offset());
            assertThat(((Timestamp) row.get("ingested_at")).toInstant().toEpochMilli()).as(id).isEqualTo(lineage.get(i).timestampMillis());
            // stamped by the database when the run wrote the row (same host, so the same clock)
            assertThat(((Timestamp) row.get("processed_at")).toInstant()).as(id)
                    .isBetween(started.minusSeconds(1), finished.plusSeconds(1));
        }
        assertThat(runs()).containsExactly("batch 2026-11-20..2026-11-20 read=24 written=24 rejected=0 succeeded");
    }

    @Test
    void runningTheSameDayTwiceRewritesTheSameRows() throws SQLException {
        LocalDate day = LocalDate.parse("2026-11-21");
        archive.archive(PREFIX, day, SamplePins.rawLines(), 3, 0, 100, T0);

        assertThat(run("--date", day.toString()).exit()).isZero();
        Map<String, Map<String, Object>> first = pinsBatch();
        assertThat(run("--date", day.toString()).exit()).isZero();
        Map<String, Map<String, Object>> second = pinsBatch();

        assertThat(second).hasSize(24).hasSameSizeAs(first);
        first.forEach((id, row) -> {
            Map<String, Object> again = second.get(id);
            assertThat(((Timestamp) again.get("processed_at"))).as(id).isAfter((Timestamp) row.get("processed_at"));
            Map<String, Object> a = new LinkedHashMap<>(row);
            Map<String, Object> b = new LinkedHashMap<>(again);
            a.remove("processed_at");
            b.remove("processed_at");
            assertThat(b).as(id).isEqualTo(a);
        });
        assertThat(runs()).hasSize(2).allMatch(r -> r.endsWith("read=24 written=24 rejected=0 succeeded"));
    }

    @Test
    void hostileLinesAreQuarantinedBesideTheGoodRowsAndARerunDoublesNothing() throws SQLException {
        LocalDate day = LocalDate.parse("2026-11-22");
        archive.archive(PREFIX, day, SamplePins.rawLines(), 3, 0, 100, T0);
        String id = "9b0b5f0e-1b8c-4a55-9b3e-2f5b4cf7d1a0";
        String key = ArchiveFixture.key(PREFIX, day, 0, 500);
        Map<String, String> hostile = new LinkedHashMap<>(); // line → expected reason
        hostile.put("this line is not JSON", PinColumns.NOT_JSON_OBJECT);
        hostile.put("{\"index\": 3, \"unique_id\": \"c5521660-f3a3-4571-b476-189975a3adb3\", \"category\": \"art\", \"title\": ",
                PinColumns.NOT_JSON_OBJECT);
        hostile.put("[]", PinColumns.NOT_JSON_OBJECT);
        hostile.put(ArchiveFixture.line("{\"index\": 4, \"unique_id\": \"not-a-uuid\", \"category\": \"art\"}", new Lineage(0, 502, T0)),
                "unique_id: not a UUID");
        hostile.put(ArchiveFixture.line("{\"index\": -4, \"unique_id\": \"" + id + "\", \"category\": \"art\"}", new Lineage(0, 503, T0)),
                PinColumns.INDEX_NOT_AN_INT);
        hostile.put(ArchiveFixture.line("{\"index\": 5, \"unique_id\": \"" + id + "\u2028\", \"category\": \"art\"}", new Lineage(0, 504, T0)),
                "unique_id: not a UUID");
        hostile.put(ArchiveFixture.line("{\"index\": 6, \"unique_id\": \"" + id + "\", \"category\": \"art\", \"title\": \"a\\u0000b\"}",
                new Lineage(0, 505, T0)), "title: contains U+0000");
        hostile.put(ArchiveFixture.line("{\"index\": 7, \"unique_id\": \"" + id + "\", \"category\": \" \\t\"}", new Lineage(0, 506, T0)),
                "category: blank");
        List<String> lines = new ArrayList<>(hostile.keySet());
        lines.add("this line is not JSON"); // the same line again: a row of its own
        archive.put(key, lines);

        for (int run = 1; run <= 2; run++) {
            Result result = run("--date", day.toString());
            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(result.out()).contains("read=33 written=24 rejected=9", "succeeded");
            assertThat(pinsBatch()).hasSize(24);
            List<String[]> rejected = rejected();
            assertThat(rejected).as("run %d", run).hasSize(9);
            String runId = latestRunId();
            String object = "s3a://" + stack.bucket() + "/" + key;
            Map<String, String> reasonBySource = new LinkedHashMap<>();
            for (String[] r : rejected) {
                reasonBySource.put(r[0], r[1]);
                assertThat(r[3]).isEqualTo(runId);
                assertThat(hostile).containsKey(r[2]);
                assertThat(r[1]).as(r[2]).isEqualTo(hostile.get(r[2]));
            }
            assertThat(reasonBySource).containsKeys(object + "#offset=502", object + "#offset=506",
                    object + "#sha256=" + sha256("this line is not JSON"), object + "#sha256=" + sha256("this line is not JSON") + "~2");
        }
        assertThat(runs()).containsExactly("batch 2026-11-22..2026-11-22 read=33 written=24 rejected=9 succeeded",
                "batch 2026-11-22..2026-11-22 read=33 written=24 rejected=9 succeeded");
    }

    /**
     * A line PostgreSQL refuses though every reason let it through (a CHECK constraint added for the
     * test, standing for any data error nobody enumerated): the run writes again carefully, the
     * refused line is quarantined with PostgreSQL's message, the rest written, the counts add up.
     */
    @Test
    void aLinePostgresRefusesIsQuarantinedAndTheRunSucceeds() throws SQLException {
        LocalDate day = LocalDate.parse("2026-11-23");
        List<String> raw = new ArrayList<>(SamplePins.rawLines());
        String refusedId = SamplePins.raw().get(5).get("unique_id").textValue();
        raw.set(5, raw.get(5).replaceFirst("\"category\"\\s*:\\s*\"[^\"]*\"", "\"category\":\"refuse me\""));
        archive.archive(PREFIX, day, raw, 3, 0, 100, T0);
        sql("ALTER TABLE pins_batch ADD CONSTRAINT refuse_for_test CHECK (category <> 'refuse me') NOT VALID");
        try {
            Result result = run("--date", day.toString());
            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(result.out()).contains("read=24 written=23 rejected=1", "succeeded");
        } finally {
            sql("ALTER TABLE pins_batch DROP CONSTRAINT refuse_for_test");
        }
        assertThat(pinsBatch()).hasSize(23).doesNotContainKey(refusedId);
        List<String[]> rejected = rejected();
        assertThat(rejected).hasSize(1);
        assertThat(rejected.get(0)[1]).contains("PostgreSQL refused the row", "refuse_for_test");
        assertThat(rejected.get(0)[2]).contains(refusedId, "refuse me");
        assertThat(rejected.get(0)[0]).startsWith("s3a://" + stack.bucket() + "/" + PREFIX + "/dt=2026-11-23/").contains("#offset=");
        assertThat(runs()).containsExactly("batch 2026-11-23..2026-11-23 read=24 written=23 rejected=1 succeeded");
    }

    /** pins_rejected of job 'batch': source, reason, the raw line (UTF-8), run_id; checked against raw_length. */
    private List<String[]> rejected() throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT source, reason, raw_value, raw_length, run_id FROM pins_rejected WHERE job = 'batch'")) {
            while (rs.next()) {
                byte[] raw = rs.getBytes(3);
                assertThat(rs.getInt(4)).isEqualTo(raw.length);
                rows.add(new String[] {rs.getString(1), rs.getString(2), new String(raw, StandardCharsets.UTF_8), rs.getString(5)});
            }
        }
        return rows;
    }

    private String latestRunId() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT run_id FROM pipeline_runs WHERE job = 'batch' ORDER BY started_at DESC LIMIT 1")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String sha256(String line) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(line.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anEmptyDayExitsZeroWithAWarning() throws SQLException {
        Result result = run("--date", "1999-01-01");
        assertThat(result.exit()).isZero();
        assertThat(result.out()).contains("read=0 written=0 rejected=0");
        assertThat(result.err()).contains("warning: no archive objects for 1999-01-01");
        assertThat(runs()).containsExactly("batch 1999-01-01..1999-01-01 read=0 written=0 rejected=0 succeeded");
    }

    @Test
    void aRangeReadsEveryDayThatHasObjects() throws SQLException {
        List<String> raw = SamplePins.rawLines();
        archive.archive(PREFIX, LocalDate.parse("2026-10-01"), raw.subList(0, 10), 3, 0, 100, T0);
        archive.archive(PREFIX, LocalDate.parse("2026-10-03"), raw.subList(10, 24), 3, 10, 100, T0);

        Result result = run("--from", "2026-10-01", "--to", "2026-10-04");
        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(pinsBatch()).hasSize(24);
        assertThat(runs()).containsExactly("batch 2026-10-01..2026-10-04 read=24 written=24 rejected=0 succeeded");
    }

    @Test
    void anUnreachableDatabaseFailsTheRunWithExitOne() {
        Result result = run("--date", "2026-11-20", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/pinterest?connectTimeout=2");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("batch: failed");
    }

    private record Result(int exit, String out, String err) {
    }

    private Result run(String... flags) {
        BatchArgs args = BatchArgs.parse(flags, stack.env(), Clock.systemUTC());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BatchJob.execute(TestSpark.session(), args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    /** Every row of pins_batch by unique_id, column → JDBC value (uuid as its string). */
    private Map<String, Map<String, Object>> pinsBatch() throws SQLException {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM pins_batch")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= n; i++) {
                    String column = rs.getMetaData().getColumnName(i);
                    Object value = rs.getObject(i);
                    row.put(column, column.equals("unique_id") ? rs.getString(i) : value);
                }
                rows.put(rs.getString("unique_id"), row);
            }
        }
        return rows;
    }

    /** pipeline_runs as short lines, oldest first. */
    private List<String> runs() throws SQLException {
        List<String> runs = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT job, date_from, date_to, rows_read, rows_written, rows_rejected, status,"
                     + " run_id, batch_id, started_at, finished_at FROM pipeline_runs ORDER BY started_at")) {
            while (rs.next()) {
                assertThat(java.util.UUID.fromString(rs.getString("run_id"))).isNotNull();
                assertThat(rs.getLong("batch_id")).isZero();
                assertThat(rs.getTimestamp("finished_at")).isAfterOrEqualTo(rs.getTimestamp("started_at"));
                runs.add(rs.getString(1) + " " + rs.getDate(2) + ".." + rs.getDate(3) + " read=" + rs.getLong(4)
                        + " written=" + rs.getLong(5) + " rejected=" + rs.getLong(6) + " " + rs.getString(7));
            }
        }
        return runs;
    }
}
