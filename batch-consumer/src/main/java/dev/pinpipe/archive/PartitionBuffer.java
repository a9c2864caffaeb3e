package dev.pinpipe.archive;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * Cuts one partition's records into archive objects and says which offset may be committed.
 * Plain Java, no Kafka or S3: {@link PinArchiver} feeds it and stores what it releases.
 *
 * <h2>Why the archive holds every pin exactly once</h2>
 * <ol>
 * <li><b>Content cuts are replayable.</b> An object closes after {@code flushSize} records, or before
 *     a record whose timestamp is {@code rotateMillis} or more after the object's first timestamp.
 *     Both depend only on the records, so reading the partition again from the same first record cuts
 *     the same objects, with the same keys (partition + first offset) and the same bytes.</li>
 * <li><b>Every restart begins at a boundary.</b> The committed offset is the first offset of the oldest
 *     object not yet stored, or when none is open the next offset to read (whose first valid record
 *     necessarily starts a new object). So after a crash, a rebalance or a discarded buffer the
 *     partition is read again from the start of an object, and point 1 rewrites the same objects:
 *     an overwrite, never an extra key.</li>
 * <li><b>The idle cut is committed before anything depends on it.</b> An open object idle on the wall
 *     clock for {@code rotateMillis} (or handed over when its partition is revoked) is closed by
 *     {@link #cutIdle()}; that cut is NOT a function of the content, so a replay may carry the same
 *     object further (the records that came later join it).
 *     That is harmless for the idle object itself: the replay starts at the same first offset, so it
 *     writes the same key with a superset of the lines. It would be a duplicate only if an object
 *     starting after the idle cut had been stored while the cut was still uncommitted (the replay
 *     would put those records into the longer object AND leave the stored one in place). Hence, once
 *     an idle-cut object is stored, {@link #nextToStore()} releases nothing more until
 *     {@link #committed(long)} confirms the boundary after it; from then on restarts begin at that
 *     boundary and point 1 applies again.</li>
 * </ol>
 * Records already handled (offset below {@link #nextOffset()}) are ignored, so a batch the error
 * handler delivers again after a failed S3 write is harmless.
 */
final class PartitionBuffer {

    private final String topic;
    private final int partition;
    private final int flushSize;
    private final long rotateMillis;

    /** Closed objects waiting to be stored, oldest first. */
    private final Deque<ArchiveObject> closed = new ArrayDeque<>();
    private OpenObject open;
    private long nextOffset;
    private long committed;
    /** An idle-cut object was stored and its end is not committed yet: release nothing until it is. */
    private boolean awaitingCommit;
    /** Initial capacity of the next object's body: the last one's size and some, so it is not regrown line by line. */
    private int expectedBytes = 64 * 1024;

    /**
     * @param startOffset the consumer's position when the partition was assigned (the committed offset,
     *                    or the reset position when the group has none)
     */
    PartitionBuffer(String topic, int partition, long startOffset, int flushSize, long rotateMillis) {
        this.topic = topic;
        this.partition = partition;
        this.flushSize = flushSize;
        this.rotateMillis = rotateMillis;
        this.nextOffset = startOffset;
        this.committed = startOffset;
    }

    /** The offset after the last record handled. */
    long nextOffset() {
        return nextOffset;
    }

    /** Whether this record still has to be handled (it is not already in an object or on the DLT). */
    boolean isNew(long offset) {
        return offset >= nextOffset;
    }

    /** The record at {@code offset} was handled elsewhere (sent to the DLT): step over it. */
    void skip(long offset) {
        nextOffset = offset + 1;
    }

    /**
     * Adds a valid pin ({@link ArchiveLine#pin}: its canonical form); may close the open object (before
     * it on time, after it on size).
     */
    void append(long offset, long timestamp, byte[] pin) {
        if (open != null && timestamp - open.firstTimestamp >= rotateMillis) {
            close(false);
        }
        if (open == null) {
            open = new OpenObject(offset, timestamp);
        }
        open.add(offset, timestamp, pin);
        nextOffset = offset + 1;
        if (open.records == flushSize) {
            close(false);
        }
    }

    /**
     * Closes the open object for a reason other than its content: the partition has been idle, or is
     * being handed over (see the class comment, point 3).
     */
    void cutIdle() {
        if (open != null) {
            close(true);
        }
    }

    boolean hasOpenObject() {
        return open != null;
    }

    /** Whether every record handled is stored and committed: nothing open, nothing waiting. */
    boolean isSettled() {
        return open == null && closed.isEmpty() && !awaitingCommit && nextOffset == committed;
    }

    /** The oldest closed object to store now, or null when there is none or a commit must come first. */
    ArchiveObject nextToStore() {
        return awaitingCommit ? null : closed.peekFirst();
    }

    /** Whether a stored idle cut must be committed before anything else of this partition is stored. */
    boolean isAwaitingCommit() {
        return awaitingCommit;
    }

    /** The object returned by {@link #nextToStore()} is stored. */
    void stored() {
        ArchiveObject object = closed.removeFirst();
        if (object.idleCut()) {
            awaitingCommit = true;
        }
    }

    /** The offset to commit now, if it moved since the last commit. */
    OptionalLong offsetToCommit() {
        long boundary = boundary();
        return boundary > committed ? OptionalLong.of(boundary) : OptionalLong.empty();
    }

    /** The group's committed offset for this partition is now {@code offset}. */
    void committed(long offset) {
        committed = offset;
        awaitingCommit = false;
    }

    /** Where a re-read must start: the first record not yet stored. */
    private long boundary() {
        if (!closed.isEmpty()) {
            return closed.peekFirst().firstOffset();
        }
        if (open != null) {
            return open.firstOffset;
        }
        return nextOffset;
    }

    private void close(boolean idle) {
        byte[] body = open.body.toByteArray();
        closed.addLast(new ArchiveObject(topic, partition, open.firstOffset, open.lastOffset, open.firstTimestamp,
                open.newestTimestamp, open.records, body, idle));
        open = null;
        expectedBytes = Math.max(expectedBytes, body.length + body.length / 8);
    }

    private final class OpenObject {
        final long firstOffset;
        final long firstTimestamp;
        long newestTimestamp;
        final BodyBuffer body = new BodyBuffer(expectedBytes);
        long lastOffset;
        int records;

        OpenObject(long firstOffset, long firstTimestamp) {
            this.firstOffset = firstOffset;
            this.firstTimestamp = firstTimestamp;
            this.newestTimestamp = firstTimestamp;
        }

        void add(long offset, long timestamp, byte[] pin) {
            ArchiveLine.append(body, pin, partition, offset, timestamp);
            lastOffset = offset;
            newestTimestamp = Math.max(newestTimestamp, timestamp);
            records++;
        }
    }
}
