package dev.pinpipe.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinpipe.core.PinJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

/**
 * One partition's progress marker: how many lines the archive holds per day, the newest record
 * time made durable, and when the archiver was last caught up with the partition's end. Plain Java;
 * {@link PinArchiver} feeds it and writes it to the bucket ({@link ArchiveStore#putProgress}).
 *
 * <h2>Why the counts are exact under crashes and rebalances</h2>
 * The counts travel <b>in the offset commit itself</b> (its metadata string), so they are committed
 * atomically with the offset. At every commit of offset C, the objects this owner has stored are
 * exactly the objects that end before C (C is the first offset not yet stored, see
 * {@link PartitionBuffer}), and the counts are those of the previous commit's metadata plus these
 * objects. A new owner (after a crash, a rebalance or a restart) restores the counts from the
 * committed metadata and reads again from C: every object it stores starts at or after C, so it was
 * not counted before (a replayed key is counted by the owner that writes it after the commit, never
 * twice), and an object before C is never rewritten, so a count never goes stale. Stored objects whose
 * commit was lost are counted again from zero with the replay that rewrites them. The marker in the
 * bucket is a copy of the last committed state (plus the caught-up time), written after the commit,
 * so it never counts a line the group has not committed; a lost write only delays it. A group
 * offset without this metadata (set by hand, or committed before markers existed) starts the counts
 * afresh at that offset: {@code counted_from_offset} and {@code counted_from_day} say so.
 *
 * <p>A line's day is its object's {@link ArchiveObject#day()}, the {@code dt=} folder it is in. Days
 * before {@code retention} (wall clock) are dropped, which keeps the metadata well under Kafka's
 * 4 KiB limit; so are days more than one day in the future (records with a broken clock).
 */
final class ArchiveProgress {

    private static final String NEWEST = "newest_record_time";
    private static final String CAUGHT_UP = "caught_up_at";
    private static final String FROM_OFFSET = "counted_from_offset";
    private static final String FROM_DAY = "counted_from_day";
    private static final String DAYS_FROM = "days_from";
    private static final String LINES = "lines_per_day";
    private static final long NONE = Long.MIN_VALUE;

    private final String topic;
    private final int partition;
    private final int retentionDays;
    private final TreeMap<String, Long> linesPerDay = new TreeMap<>();
    private final long countedFromOffset;
    private String countedFromDay;
    private long newestRecordTime = NONE;
    private long caughtUpAt = NONE;
    private String daysFrom;
    /** The state as of the last commit: what the marker shows; null before the first commit. */
    private String committedState;
    private long committedOffset;
    private boolean unpublished;
    private long lastPublished = NONE;

    private ArchiveProgress(String topic, int partition, int retentionDays, long countedFromOffset) {
        this.topic = topic;
        this.partition = partition;
        this.retentionDays = retentionDays;
        this.countedFromOffset = countedFromOffset;
    }

    /**
     * The progress a new owner of the partition starts from.
     *
     * @param metadata       the metadata of the group's committed offset (null or not ours: counting starts afresh)
     * @param startOffset    where this owner starts reading (the committed offset)
     */
    static ArchiveProgress restore(String topic, int partition, int retentionDays, String metadata, long startOffset) {
        JsonNode state = parse(metadata);
        if (state == null) {
            return new ArchiveProgress(topic, partition, retentionDays, startOffset);
        }
        ArchiveProgress progress = new ArchiveProgress(topic, partition, retentionDays, state.path(FROM_OFFSET).asLong());
        progress.countedFromDay = textOrNull(state.get(FROM_DAY));
        progress.newestRecordTime = time(state.get(NEWEST));
        progress.caughtUpAt = time(state.get(CAUGHT_UP));
        progress.daysFrom = textOrNull(state.get(DAYS_FROM));
        state.path(LINES).fields().forEachRemaining(day -> progress.linesPerDay.put(day.getKey(), day.getValue().asLong()));
        progress.committedState = metadata;
        progress.committedOffset = startOffset;
        return progress;
    }

    /** An object was stored (its PUT succeeded): its lines count for its day from the next commit on. */
    void stored(ArchiveObject object) {
        String day = object.day();
        linesPerDay.merge(day, (long) object.records(), Long::sum);
        if (countedFromDay == null) {
            countedFromDay = day;
        }
        newestRecordTime = Math.max(newestRecordTime, object.newestTimestamp());
    }

    /** Every record of the partition up to its end offset is stored and committed, as of {@code now}. */
    void caughtUp(long now) {
        caughtUpAt = now;
    }

    /** The metadata for a commit of {@code offset} now: the state including every object stored so far. */
    String commitMetadata(long now) {
        prune(now);
        return state().toString();
    }

    /** The group committed {@code offset} with {@link #commitMetadata}'s state: the marker may show it. */
    void committed(long offset, String metadata) {
        if (!metadata.equals(committedState) || offset != committedOffset) {
            unpublished = true;
        }
        committedState = metadata;
        committedOffset = offset;
    }

    /**
     * Whether the marker should be written now: when a commit changed it (at once if {@code eager},
     * else at most every {@code intervalMillis}), or to refresh the caught-up time every interval.
     */
    boolean due(long now, long intervalMillis, boolean eager) {
        if (committedState == null) {
            return false;
        }
        boolean intervalPassed = lastPublished == NONE || now - lastPublished >= intervalMillis;
        return unpublished ? eager || intervalPassed : caughtUpAt != NONE && intervalPassed;
    }

    /** The marker's body: the last committed state, the current caught-up time, and when it was written. */
    byte[] marker(long now) {
        ObjectNode marker = PinJson.MAPPER.createObjectNode();
        marker.put("topic", topic);
        marker.put("partition", partition);
        marker.put("committed_offset", committedOffset);
        ObjectNode committed = (ObjectNode) parse(committedState);
        if (caughtUpAt != NONE) {
            committed.put(CAUGHT_UP, iso(caughtUpAt));
        }
        marker.setAll(committed);
        marker.put("written_at", iso(now));
        return marker.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The marker is in the bucket as of {@code now}. */
    void published(long now) {
        unpublished = false;
        lastPublished = now;
    }

    /** {@code <folder><topic>+<partition>.json}, in the progress folder ({@link S3Properties#progressFolder()}). */
    String key(String folder) {
        return folder + topic + "+" + partition + ".json";
    }

    Map<String, Long> linesPerDay() {
        return Map.copyOf(linesPerDay);
    }

    private void prune(long now) {
        LocalDate today = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC).toLocalDate();
        daysFrom = today.minusDays(retentionDays).toString();
        String latest = today.plusDays(1).toString();
        linesPerDay.headMap(daysFrom).clear();
        linesPerDay.tailMap(latest, false).clear();
    }

    private ObjectNode state() {
        ObjectNode state = PinJson.MAPPER.createObjectNode();
        state.put(FROM_OFFSET, countedFromOffset);
        state.put(FROM_DAY, countedFromDay);
        state.put(DAYS_FROM, daysFrom);
        state.put(NEWEST, newestRecordTime == NONE ? null : iso(newestRecordTime));
        state.put(CAUGHT_UP, caughtUpAt == NONE ? null : iso(caughtUpAt));
        ObjectNode lines = state.putObject(LINES);
        linesPerDay.forEach(lines::put);
        return state;
    }

    private static JsonNode parse(String metadata) {
        if (metadata == null || !metadata.startsWith("{")) {
            return null;
        }
        try {
            JsonNode node = PinJson.parse(metadata);
            return node.has(LINES) ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }

    private static long time(JsonNode node) {
        return node == null || node.isNull() ? NONE : Instant.parse(node.asText()).toEpochMilli();
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
