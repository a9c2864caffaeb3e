package dev.pinpipe.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartitionBufferTest {

    private static final long T0 = 1_764_201_600_000L; // 2025-11-27T00:00:00Z
    private static final long ROTATE = 10_000;

    private static byte[] pin(long n) {
        return ("{\"index\": " + n + ", \"unique_id\": \"x\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static PartitionBuffer buffer(long start, int flushSize) {
        return new PartitionBuffer("PinterestTopic", 2, start, flushSize, ROTATE);
    }

    /** Stores everything released, committing as the archiver does; returns the stored objects. */
    private static List<ArchiveObject> drain(PartitionBuffer buffer) {
        List<ArchiveObject> stored = new ArrayList<>();
        for (;;) {
            ArchiveObject object = buffer.nextToStore();
            if (object != null) {
                stored.add(object);
                buffer.stored();
            } else if (buffer.isAwaitingCommit()) {
                buffer.committed(buffer.offsetToCommit().orElseThrow());
            } else {
                return stored;
            }
        }
    }

    @Test
    void closesAfterFlushSizeRecords() {
        PartitionBuffer buffer = buffer(0, 3);
        for (long o = 0; o < 7; o++) {
            buffer.append(o, T0 + o, pin(o));
        }
        List<ArchiveObject> objects = drain(buffer);
        assertThat(objects).extracting(ArchiveObject::firstOffset).containsExactly(0L, 3L);
        assertThat(objects).extracting(ArchiveObject::records).containsExactly(3, 3);
        assertThat(buffer.hasOpenObject()).isTrue();
        // offset 6 is still open: the commit stops at its start
        assertThat(buffer.offsetToCommit()).hasValue(6);
    }

    @Test
    void closesBeforeARecordRotateIntervalAfterTheFirst() {
        PartitionBuffer buffer = buffer(0, 1000);
        buffer.append(0, T0, pin(0));
        buffer.append(1, T0 + ROTATE - 1, pin(1));
        buffer.append(2, T0 + ROTATE, pin(2));
        List<ArchiveObject> objects = drain(buffer);
        assertThat(objects).singleElement().satisfies(o -> {
            assertThat(o.firstOffset()).isZero();
            assertThat(o.lastOffset()).isEqualTo(1);
            assertThat(o.idleCut()).isFalse();
        });
        assertThat(buffer.offsetToCommit()).hasValue(2);
    }

    @Test
    void replayFromACommittedBoundaryCutsTheSameObjectsWithTheSameBytes() {
        long[] timestamps = {0, 1, 2, 9_000, 10_500, 10_600, 30_000, 30_001, 30_002, 30_003, 30_004, 30_005, 50_000};
        PartitionBuffer first = buffer(0, 4);
        for (int o = 0; o < timestamps.length; o++) {
            first.append(o, T0 + timestamps[o], pin(o));
        }
        List<ArchiveObject> original = drain(first);
        long boundary = first.offsetToCommit().orElseThrow();

        // a restart at a boundary in the middle (the start of the second object) sees the same cuts
        long restart = original.get(1).firstOffset();
        PartitionBuffer replay = buffer(restart, 4);
        for (int o = (int) restart; o < timestamps.length; o++) {
            replay.append(o, T0 + timestamps[o], pin(o));
        }
        List<ArchiveObject> replayed = drain(replay);
        assertThat(replayed).hasSize(original.size() - 1);
        for (int i = 0; i < replayed.size(); i++) {
            ArchiveObject a = original.get(i + 1);
            ArchiveObject b = replayed.get(i);
            assertThat(b.key("pins/")).isEqualTo(a.key("pins/"));
            assertThat(b.body()).isEqualTo(a.body());
        }
        assertThat(replay.offsetToCommit()).hasValue(boundary);
    }

    @Test
    void idleCutReleasesNothingMoreUntilItsEndIsCommitted() {
        PartitionBuffer buffer = buffer(0, 2);
        buffer.append(0, T0, pin(0));
        buffer.cutIdle();
        buffer.append(1, T0 + 1, pin(1));
        buffer.append(2, T0 + 2, pin(2)); // closes [1, 2] by size

        ArchiveObject idle = buffer.nextToStore();
        assertThat(idle.idleCut()).isTrue();
        assertThat(idle.firstOffset()).isZero();
        buffer.stored();

        // the object after the idle cut waits for the commit of the cut's end
        assertThat(buffer.nextToStore()).isNull();
        assertThat(buffer.isAwaitingCommit()).isTrue();
        assertThat(buffer.offsetToCommit()).hasValue(1);
        buffer.committed(1);

        assertThat(buffer.nextToStore().firstOffset()).isEqualTo(1);
    }

    @Test
    void replayAfterAnUncommittedIdleCutRewritesTheSameKeyWithMoreLines() {
        PartitionBuffer original = buffer(0, 100);
        original.append(0, T0, pin(0));
        original.append(1, T0 + 1, pin(1));
        original.cutIdle();
        ArchiveObject idle = original.nextToStore();
        original.stored();
        // crash before the commit: the group is still at 0; later records joined the partition meanwhile
        PartitionBuffer replay = buffer(0, 100);
        for (long o = 0; o < 4; o++) {
            replay.append(o, T0 + o, pin(o));
        }
        replay.cutIdle();
        ArchiveObject rewritten = replay.nextToStore();
        assertThat(rewritten.key("pins/")).isEqualTo(idle.key("pins/"));
        assertThat(new String(rewritten.body(), StandardCharsets.UTF_8)).startsWith(new String(idle.body(), StandardCharsets.UTF_8));
        assertThat(rewritten.records()).isEqualTo(4);
    }

    @Test
    void commitsAtTheOldestUnstoredObjectAndSkipsDeadLetters() {
        PartitionBuffer buffer = buffer(10, 2);
        assertThat(buffer.offsetToCommit()).isEmpty();
        buffer.skip(10); // poison
        assertThat(buffer.offsetToCommit()).hasValue(11);
        buffer.append(11, T0, pin(11));
        buffer.append(12, T0, pin(12));
        buffer.append(13, T0, pin(13));
        // [11, 12] closed but not stored: nothing past 11 may be committed
        assertThat(buffer.offsetToCommit()).hasValue(11);
        buffer.committed(11);
        assertThat(buffer.offsetToCommit()).isEmpty();
        drain(buffer);
        assertThat(buffer.offsetToCommit()).hasValue(13);
    }

    @Test
    void recordsAlreadyHandledAreNotNew() {
        PartitionBuffer buffer = buffer(5, 10);
        assertThat(buffer.isNew(4)).isFalse();
        assertThat(buffer.isNew(5)).isTrue();
        buffer.append(5, T0, pin(5));
        buffer.skip(6);
        assertThat(buffer.isNew(6)).isFalse();
        assertThat(buffer.nextOffset()).isEqualTo(7);
    }

    @Test
    void keyIsTheUtcDateOfTheFirstRecordAndTheZeroPaddedFirstOffset() {
        PartitionBuffer buffer = buffer(0, 1);
        buffer.append(42, T0 - 1, pin(42)); // one millisecond before midnight UTC
        assertThat(buffer.nextToStore().key("pins/"))
                .isEqualTo("pins/dt=2025-11-26/PinterestTopic+2+00000000000000000042.json");
    }

    @Test
    void keyPadsEveryOffsetToTwentyDigits() {
        for (long offset : new long[] {0, 9, 10, 123_456_789_012L, Long.MAX_VALUE}) {
            ArchiveObject object = new ArchiveObject("PinterestTopic", 11, offset, offset, T0, T0, 1, new byte[0], false);
            assertThat(object.key("p/")).isEqualTo("p/dt=2025-11-27/PinterestTopic+11+%020d.json".formatted(offset));
        }
    }
}
