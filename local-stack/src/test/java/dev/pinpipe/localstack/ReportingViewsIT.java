package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pinpipe.schema.PinSchema;

/**
 * The views of V3__views.sql on known rows: a fresh schema migrated by Flyway, both layers, runs and
 * quarantine filled by hand, every view's whole output asserted. The session runs in a time zone far
 * from UTC, so a day that came out of the session's zone instead of UTC would show.
 */
@ExtendWith(LocalStackExtension.class)
class ReportingViewsIT {

    private enum Layers { BOTH, BATCH_ONLY, STREAM_ONLY }

    /**
     * A pin of the test: what both layers say about it (unless noted below), when the broker acknowledged
     * it, where it is, and how long the stream job took from that acknowledgement to its row.
     */
    private record Pin(int n, String category, Long followers, String media, String ingested, Layers in, long streamMillis) {

        UUID id() {
            return new UUID(0, n);
        }

        Instant ingestedAt() {
            return Instant.parse(ingested);
        }
    }

    /** Follower counts on every bucket boundary and a NULL; two days, the first one's last millisecond included. */
    private static final List<Pin> PINS = List.of(
            new Pin(1, "art", 0L, "image", "2026-12-01T10:00:05Z", Layers.BOTH, 100),
            new Pin(2, "art", 99L, "image", "2026-12-01T10:00:20Z", Layers.BOTH, 200),
            new Pin(3, "art", 100L, "video", "2026-12-01T10:00:40Z", Layers.BOTH, 1000),
            new Pin(4, "diy", 999L, "video", "2026-12-01T10:01:10Z", Layers.BATCH_ONLY, 0),
            new Pin(5, "diy", 1000L, "image", "2026-12-01T10:01:30Z", Layers.BOTH, 50),
            new Pin(6, "travel", 9999L, "image", "2026-12-01T10:01:50Z", Layers.BOTH, 150),
            new Pin(7, "travel", 10000L, "video", "2026-12-01T23:59:59.999Z", Layers.BOTH, 400),
            new Pin(8, "art", 99999L, "image", "2026-12-02T00:00:00Z", Layers.BOTH, 250),
            new Pin(9, "art", 100000L, "video", "2026-12-02T08:30:00Z", Layers.BOTH, 10),
            new Pin(10, "diy", 999999L, "image", "2026-12-02T08:30:10Z", Layers.BOTH, 20),
            new Pin(11, "diy", 1000000L, "video", "2026-12-02T08:30:20Z", Layers.BOTH, 30),
            new Pin(12, "travel", 2500000L, "image", "2026-12-02T08:30:40Z", Layers.BOTH, 40),
            new Pin(13, "travel", null, null, "2026-12-02T08:30:50Z", Layers.STREAM_ONLY, 5000));

    /** The stream's copy of this pin has another cleaned title: a real disagreement. */
    private static final int TITLE_DIFFERS = 3;
    /** The stream's copy of this pin came from another offset: lineage only, no disagreement. */
    private static final int OFFSET_DIFFERS = 2;
    /** When the batch job wrote its rows. */
    private static final Instant BATCH_PROCESSED = Instant.parse("2026-12-03T01:00:30Z");
    /** UTC+14 all year: 10:00 UTC there is already the next day. */
    private static final String SESSION_ZONE = "Pacific/Kiritimati";

    private static final List<String> VIEWS = List.of("pins_serving", "pins_per_day", "pins_per_category",
            "pins_follower_buckets", "pins_media_share", "pins_ingested_per_minute", "stream_latency_per_minute",
            "pipeline_runs_latest", "pins_layer_disagreement", "pins_layer_agreement");

    private static String schema;

    @BeforeAll
    static void migrateAndFill() throws SQLException {
        LocalStack stack = LocalStackExtension.stack();
        schema = TestSchemas.create(stack);
        PinSchema.migrate(TestSchemas.url(stack, schema), stack.dbUser(), stack.dbPassword());
        try (Connection c = TestSchemas.connect(stack, schema)) {
            for (Pin pin : PINS) {
                if (pin.in() != Layers.STREAM_ONLY) {
                    insert(c, "pins_batch", pin, "title " + pin.n(), pin.n(), BATCH_PROCESSED);
                }
                if (pin.in() != Layers.BATCH_ONLY) {
                    insert(c, "pins_stream", pin, pin.n() == TITLE_DIFFERS ? "title " + pin.n() + ", cleaned otherwise" : "title " + pin.n(),
                            pin.n() == OFFSET_DIFFERS ? 1000 + pin.n() : pin.n(), pin.ingestedAt().plusMillis(pin.streamMillis()));
                }
            }
            try (Statement st = c.createStatement()) {
                // two runs per job; the stream's newest is a query started afresh, its batch ids from 0 again
                st.execute("""
                        INSERT INTO pipeline_runs (job, run_id, batch_id, date_from, date_to, rows_read, rows_written, rows_rejected,
                                                   status, started_at, finished_at) VALUES
                          ('batch', 'batch-2026-12-01', 0, '2026-12-01', '2026-12-01', 8, 7, 1, 'succeeded',
                           '2026-12-02T01:00:00Z', '2026-12-02T01:00:30Z'),
                          ('batch', 'batch-2026-12-02', 0, '2026-12-02', '2026-12-02', 6, 5, 1, 'failed',
                           '2026-12-03T01:00:00Z', '2026-12-03T01:00:40Z'),
                          ('stream', 'query-a', 41, NULL, NULL, 5, 5, 0, 'succeeded', '2026-12-02T08:31:00Z', '2026-12-02T08:31:01Z'),
                          ('stream', 'query-b', 0, NULL, NULL, 3, 2, 1, 'running', '2026-12-02T08:32:00Z', NULL)""");
                st.execute("""
                        INSERT INTO pins_rejected (job, source, raw_length, reason, run_id, batch_id) VALUES
                          ('batch', 's3a://pinterestdata/pins/dt=2026-12-01/a.json#offset=90', 4, 'not JSON', 'batch-2026-12-01', 0),
                          ('batch', 's3a://pinterestdata/pins/dt=2026-12-02/b.json#offset=91', 4, 'not JSON', 'batch-2026-12-02', 0),
                          ('stream', 'kafka:PinterestTopic/1/91', 4, 'not JSON', 'query-b', 0)""");
            }
        }
    }

    @Test
    void exactlyTheViewsWithTheirColumns(LocalStack stack) throws SQLException {
        Map<String, String> expected = new LinkedHashMap<>();
        String pinColumns = "unique_id uuid, index integer, category text, title text, description text, tag_list text, "
                + "follower_count bigint, downloaded boolean, is_image_or_video text, image_src text, save_location text, "
                + "kafka_partition integer, kafka_offset bigint, ingested_at timestamp with time zone, processed_at timestamp with time zone";
        expected.put("pins_serving", pinColumns + ", layer text");
        expected.put("pins_per_day", "day date, pins bigint");
        expected.put("pins_per_category", "category text, pins bigint");
        expected.put("pins_follower_buckets", "bucket text, lower_bound bigint, pins bigint");
        expected.put("pins_media_share", "media_type text, pins bigint, share numeric");
        expected.put("pins_ingested_per_minute", "minute timestamp with time zone, pins bigint");
        expected.put("stream_latency_per_minute", "minute timestamp with time zone, pins bigint, p50_ms double precision, p99_ms double precision");
        expected.put("pipeline_runs_latest", "job text, run_id text, batch_id bigint, status text, rows_read bigint, rows_written bigint, "
                + "rows_rejected bigint, started_at timestamp with time zone, finished_at timestamp with time zone, quarantined bigint, lag interval");
        expected.put("pins_layer_disagreement", "unique_id uuid, problem text");
        expected.put("pins_layer_agreement", "in_both bigint, only_batch bigint, only_stream bigint, differ bigint");
        assertThat(expected.keySet()).containsExactlyElementsOf(VIEWS);

        try (Connection c = TestSchemas.connect(stack, schema)) {
            assertThat(rows(c, "SELECT table_name FROM information_schema.views WHERE table_schema = current_schema() ORDER BY 1",
                    rs -> rs.getString(1))).containsExactlyInAnyOrderElementsOf(VIEWS);
            assertThat(rows(c, "SELECT table_name, string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position) "
                            + "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name IN ("
                            + String.join(", ", VIEWS.stream().map(v -> "'" + v + "'").toList()) + ") GROUP BY 1",
                    rs -> rs.getString(1) + ": " + rs.getString(2)))
                    .containsExactlyInAnyOrderElementsOf(expected.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
        }
    }

    @Test
    void theServingLayerIsTheBatchLayerAndTheStreamRowsItHasNot(LocalStack stack) throws SQLException {
        try (Connection c = session(stack)) {
            List<String> expected = new ArrayList<>();
            for (Pin pin : PINS) {
                String layer = pin.in() == Layers.STREAM_ONLY ? "stream" : "batch";
                Instant processed = layer.equals("batch") ? BATCH_PROCESSED : pin.ingestedAt().plusMillis(pin.streamMillis());
                expected.add(pin.id() + " " + layer + " title " + pin.n() + " offset " + pin.n() + " processed " + processed);
            }
            assertThat(rows(c, "SELECT unique_id, layer, title, kafka_offset, processed_at FROM pins_serving ORDER BY unique_id",
                    rs -> rs.getObject(1) + " " + rs.getString(2) + " " + rs.getString(3) + " offset " + rs.getLong(4)
                            + " processed " + instant(rs, 5)))
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void pinsPerUtcDayWhateverTheSessionsZone(LocalStack stack) throws SQLException {
        try (Connection c = session(stack)) {
            assertThat(rows(c, "SELECT * FROM pins_per_day", rs -> rs.getString(1) + " " + rs.getLong(2)))
                    .containsExactly("2026-12-01 7", "2026-12-02 6");
        }
    }

    @Test
    void pinsPerCategoryMostFirst(LocalStack stack) throws SQLException {
        try (Connection c = session(stack)) {
            assertThat(rows(c, "SELECT * FROM pins_per_category", rs -> rs.getString(1) + " " + rs.getLong(2)))
                    .containsExactly("art 5", "diy 4", "travel 4");
        }
    }

    @Test
    void followerBucketsTakeEachBoundaryUpwardsAndNullAsUnknown(LocalStack stack) throws SQLException {
        try (Connection c = session(stack)) {
            assertThat(rows(c, "SELECT * FROM pins_follower_buckets", rs -> rs.getString(1) + " " + rs.getObject(2) + " " + rs.getLong(3)))
                    .containsExactly("0–99 0 2", "100–999 100 2", "1k–9.9k 1000 2", "10k–99.9k 10000 2", "100k–999k 100000 2",
                            "1M+ 1000000 2", "unknown null 1");
        }
    }

    @Test
    void mediaSharesOfAllPins(LocalStack stack) throws SQLException {
        try (Connection c = session(stack)) {
            assertThat(rows(c, "SELECT * FROM pins_media_share", rs -> rs.getString(1) + " " + rs.getLong(2) + " " + rs.getBigDecimal(3)))
                    .containsExactly("image 7 0.5385", "video 5 0.3846", "unknown 1 0.0769");
            assertThat(rows(c, "SELECT sum(share) FROM pins_media_share", rs -> rs.getBigDecimal(1)))
                    .singleElement().satisfies(sum -> assertThat(sum).isEqualByComparingTo(BigDecimal.ONE));
        }
    }

    @Test
    void pinsIngestedPerMinute(LocalStack stack) throws SQLException {
        try (Connection c = session(stack)) {
            assertThat(rows(c, "SELECT * FROM pins_ingested_per_minute", rs -> instant(rs, 1) + " " + rs.getLong(2)))
                    .containsExactly("2026-12-01T10:00:00Z 3", "2026-12-01T10:01:00Z 3", "2026-12-01T23:59:00Z 1",
                            "2026-12-02T00:00:00Z 1", "2026-12-02T08:30:00Z 5");
        }
    }

    /** percentile_cont interpolates: the p99 of 100, 200 and 1000 ms is 200 + 0.98 × 800. */
    @Test
    void streamLatencyPercentilesPerMinute(LocalStack stack) throws SQLException {
        try (Connection c = session(stack)) {
            assertThat(rows(c, "SELECT * FROM stream_latency_per_minute",
                    rs -> instant(rs, 1) + " " + rs.getLong(2) + String.format(Locale.ROOT, " p50 %.3f p99 %.3f", rs.getDouble(3), rs.getDouble(4))))
                    .containsExactly(
                            "2026-12-01T10:00:00Z 3 p50 200.000 p99 984.000",
                            "2026-12-01T10:01:00Z 2 p50 100.000 p99 149.000",
                            "2026-12-01T23:59:00Z 1 p50 400.000 p99 400.000",
                            "2026-12-02T00:00:00Z 1 p50 250.000 p99 250.000",
                            "2026-12-02T08:30:00Z 5 p50 30.000 p99 4801.600");
        }
    }

    @Test
    void eachJobsNewestRunWithItsQuarantineAndLag(LocalStack stack) throws SQLException {
        try (Connection c = session(stack)) {
            assertThat(rows(c, "SELECT job, run_id, batch_id, status, rows_read, rows_written, rows_rejected, started_at, finished_at, quarantined "
                            + "FROM pipeline_runs_latest",
                    rs -> String.join(" ", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), String.valueOf(instant(rs, 8)), String.valueOf(instant(rs, 9)), rs.getString(10))))
                    .containsExactly(
                            "batch batch-2026-12-02 0 failed 6 5 1 2026-12-03T01:00:00Z 2026-12-03T01:00:40Z 2",
                            "stream query-b 0 running 3 2 1 2026-12-02T08:32:00Z null 1");
            // now() is the transaction's: the newest acknowledgement each table holds is now() - lag
            assertThat(rows(c, "SELECT job, extract(epoch FROM now()) - extract(epoch FROM lag) FROM pipeline_runs_latest",
                    rs -> rs.getString(1) + " " + Instant.ofEpochMilli(rs.getBigDecimal(2).movePointRight(3).longValueExact())))
                    .containsExactly("batch 2026-12-02T08:30:40Z", "stream 2026-12-02T08:30:50Z");
        }
    }

    @Test
    void theLayersDisagreeOnlyAboutCleanedValuesAndMissingPins(LocalStack stack) throws SQLException {
        try (Connection c = session(stack)) {
            assertThat(rows(c, "SELECT * FROM pins_layer_disagreement ORDER BY unique_id", rs -> rs.getObject(1) + " " + rs.getString(2)))
                    .containsExactly(
                            new UUID(0, TITLE_DIFFERS) + " cleaned columns differ",
                            new UUID(0, 4) + " only in batch",
                            new UUID(0, 13) + " only in stream");
            assertThat(rows(c, "SELECT * FROM pins_layer_agreement",
                    rs -> "in both " + rs.getLong(1) + ", only batch " + rs.getLong(2) + ", only stream " + rs.getLong(3) + ", differ " + rs.getLong(4)))
                    .containsExactly("in both 11, only batch 1, only stream 1, differ 1");
        }
    }

    /** Without a row: every bucket at 0, the agreement at 0, no run, and no other view has a row. */
    @Test
    void anEmptyDatabase(LocalStack stack) throws SQLException {
        String empty = TestSchemas.create(stack);
        PinSchema.migrate(TestSchemas.url(stack, empty), stack.dbUser(), stack.dbPassword());
        try (Connection c = TestSchemas.connect(stack, empty)) {
            assertThat(rows(c, "SELECT bucket, pins FROM pins_follower_buckets", rs -> rs.getString(1) + " " + rs.getLong(2)))
                    .containsExactly("0–99 0", "100–999 0", "1k–9.9k 0", "10k–99.9k 0", "100k–999k 0", "1M+ 0", "unknown 0");
            assertThat(rows(c, "SELECT * FROM pins_layer_agreement", rs -> rs.getLong(1) + " " + rs.getLong(2) + " " + rs.getLong(3) + " " + rs.getLong(4)))
                    .containsExactly("0 0 0 0");
            for (String view : VIEWS) {
                if (!view.equals("pins_follower_buckets") && !view.equals("pins_layer_agreement")) {
                    assertThat(rows(c, "SELECT count(*) FROM " + view, rs -> rs.getLong(1))).as(view).containsExactly(0L);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static void insert(Connection c, String table, Pin pin, String title, long offset, Instant processed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (unique_id, \"index\", category, title, description, "
                + "tag_list, follower_count, downloaded, is_image_or_video, image_src, save_location, kafka_partition, kafka_offset, "
                + "ingested_at, processed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setObject(1, pin.id());
            ps.setInt(2, pin.n());
            ps.setString(3, pin.category());
            ps.setString(4, title);
            ps.setString(5, "about pin " + pin.n());
            ps.setString(6, "diy,craft");
            ps.setObject(7, pin.followers(), java.sql.Types.BIGINT);
            ps.setBoolean(8, pin.n() % 2 == 0);
            ps.setString(9, pin.media());
            ps.setString(10, "https://i.pinimg.com/" + pin.n() + ".jpg");
            ps.setString(11, "/data/post/" + pin.n());
            ps.setInt(12, pin.n() % 3);
            ps.setLong(13, offset);
            ps.setTimestamp(14, Timestamp.from(pin.ingestedAt()));
            ps.setTimestamp(15, Timestamp.from(processed));
            ps.executeUpdate();
        }
    }

    /** A connection to the filled schema whose session is in {@link #SESSION_ZONE}. */
    private static Connection session(LocalStack stack) throws SQLException {
        Connection c = TestSchemas.connect(stack, schema);
        try (Statement st = c.createStatement()) {
            st.execute("SET TIME ZONE '" + SESSION_ZONE + "'");
        }
        return c;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> rows(Connection c, String sql, Row<T> row) throws SQLException {
        List<T> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(row.read(rs));
            }
        }
        return rows;
    }
}
