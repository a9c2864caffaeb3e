package dev.pinpipe.report;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A few hundred pins whose every view row is known: pins 0..279 in pins_batch, 30..299 in pins_stream
 * (five of the shared ones with another title there), one acknowledged every 6 s from {@link #START},
 * the stream's rows 500..1400 ms after; a batch run, stream micro-batches and a few quarantined records.
 */
final class KnownPins {

    static final int PINS = 300;
    static final int BATCH_UNTIL = 280;      // pins [0, 280) are in pins_batch
    static final int STREAM_FROM = 30;       // pins [30, 300) are in pins_stream
    static final int STREAM_MICRO_BATCHES = 25;
    static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    /** A category that would end the page's script element if it were not escaped. */
    static final String HOSTILE_CATEGORY = "quotes</script><script>window.pwned = true</script>";
    static final List<String> CATEGORIES = List.of("art", "beauty", "christmas", "diy-and-crafts", "education",
            "finance", "home-decor", "travel", HOSTILE_CATEGORY);
    /** One per follower bucket, 'unknown' (null) last. */
    static final List<Long> FOLLOWERS = Arrays.asList(42L, 420L, 4_200L, 42_000L, 420_000L, 4_200_000L, null);

    private KnownPins() {
    }

    static void insert(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("TRUNCATE pins_batch, pins_stream, pipeline_runs, pins_rejected");
        }
        String columns = "(unique_id, \"index\", category, title, description, tag_list, follower_count, downloaded,"
                + " is_image_or_video, image_src, save_location, kafka_partition, kafka_offset, ingested_at, processed_at)"
                + " VALUES (?, ?, ?, ?, 'a pin', 'tag', ?, true, ?, 'https://example.com/i.jpg', '/data/pins', ?, ?, ?, ?)";
        try (PreparedStatement batch = c.prepareStatement("INSERT INTO pins_batch " + columns);
                PreparedStatement stream = c.prepareStatement("INSERT INTO pins_stream " + columns)) {
            for (int i = 0; i < PINS; i++) {
                Instant ingested = START.plusSeconds(6L * i);
                if (i < BATCH_UNTIL) {
                    bind(batch, i, "title " + i, ingested, START.plus(Duration.ofHours(1)));
                    batch.addBatch();
                }
                if (i >= STREAM_FROM) {
                    String title = differs(i) ? "another title " + i : "title " + i;
                    bind(stream, i, title, ingested, ingested.plusMillis(latencyMs(i)));
                    stream.addBatch();
                }
            }
            batch.executeBatch();
            stream.executeBatch();
        }
        try (PreparedStatement run = c.prepareStatement("INSERT INTO pipeline_runs (job, run_id, batch_id, date_from, date_to,"
                + " rows_read, rows_written, rows_rejected, status, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Instant batchStart = START.plus(Duration.ofMinutes(50));
            addRun(run, "batch", "batch-2026-11-27", 0, BATCH_UNTIL + 5, BATCH_UNTIL, 5, batchStart, batchStart.plusSeconds(40));
            for (int b = 0; b < STREAM_MICRO_BATCHES; b++) {
                Instant at = START.plusSeconds(3 * 60 + 60L * b);
                addRun(run, "stream", "query-1", b, 11, 10, 1, at, at.plusMillis(800));
            }
            run.executeBatch();
        }
        try (PreparedStatement q = c.prepareStatement("INSERT INTO pins_rejected (job, source, raw_value, raw_length, reason, run_id, batch_id)"
                + " VALUES (?, ?, ?, 9, 'not a pin: no unique_id', ?, 0)")) {
            for (int n = 0; n < 5; n++) {
                quarantine(q, "batch", "s3a://pinterestdata/pins/dt=2026-11-27/part-0.jsonl#" + n, "batch-2026-11-27");
            }
            for (int n = 0; n < 3; n++) {
                quarantine(q, "stream", "kafka:PinterestTopic/0/" + n, "query-1");
            }
            q.executeBatch();
        }
    }

    /** Five pins in both layers whose cleaned title differs. */
    static boolean differs(int i) {
        return i >= STREAM_FROM && i < BATCH_UNTIL && i % 50 == 0;
    }

    static long latencyMs(int i) {
        return 500 + (i % 10) * 100L;
    }

    static String mediaType(int i) {
        return i % 10 < 7 ? "image" : i % 10 < 9 ? "video" : "multi-video(story page format)";
    }

    static UUID id(int i) {
        return new UUID(0x5eed_0000_0000_0000L, i);
    }

    private static void bind(PreparedStatement ps, int i, String title, Instant ingested, Instant processed) throws SQLException {
        ps.setObject(1, id(i));
        ps.setInt(2, i);
        ps.setString(3, CATEGORIES.get(i % CATEGORIES.size()));
        ps.setString(4, title);
        ps.setObject(5, FOLLOWERS.get(i % FOLLOWERS.size()));
        ps.setString(6, mediaType(i));
        ps.setInt(7, i % 3);
        ps.setLong(8, i);
        ps.setTimestamp(9, Timestamp.from(ingested));
        ps.setTimestamp(10, Timestamp.from(processed));
    }

    private static void addRun(PreparedStatement ps, String job, String runId, long batchId, long read, long written,
            long rejected, Instant started, Instant finished) throws SQLException {
        ps.setString(1, job);
        ps.setString(2, runId);
        ps.setLong(3, batchId);
        LocalDate day = job.equals("batch") ? LocalDate.of(2026, 11, 27) : null;
        ps.setObject(4, day, Types.DATE);
        ps.setObject(5, day, Types.DATE);
        ps.setLong(6, read);
        ps.setLong(7, written);
        ps.setLong(8, rejected);
        ps.setString(9, "succeeded");
        ps.setTimestamp(10, Timestamp.from(started));
        ps.setTimestamp(11, Timestamp.from(finished));
        ps.addBatch();
    }

    private static void quarantine(PreparedStatement ps, String job, String source, String runId) throws SQLException {
        ps.setString(1, job);
        ps.setString(2, source);
        ps.setBytes(3, "{\"bad\":1}".getBytes(StandardCharsets.UTF_8));
        ps.setString(4, runId);
        ps.addBatch();
    }
}
