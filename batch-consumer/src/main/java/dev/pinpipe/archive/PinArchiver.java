package dev.pinpipe.archive;

import dev.pinpipe.core.PinValidation;
import dev.pinpipe.core.PinValidator;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.event.ListenerContainerPartitionIdleEvent;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

/**
 * Archives every pin of the topic to S3 exactly once: per partition a {@link PartitionBuffer} cuts the
 * records into objects, {@link ArchiveStore} PUTs them, and only then is the offset committed, never
 * beyond the first record not yet stored (the reasoning is in {@link PartitionBuffer}).
 *
 * <p>The archiver is total: every record is validated once ({@link PinValidator}), a valid pin is
 * archived in its canonical form, and anything else (null, empty, not UTF-8, not a pin, or any failure
 * of a content-dependent step) goes to the dead-letter topic at once ({@link DeadLetters}), and the
 * partition moves on. Only infrastructure fails: a failure to store, commit or dead-letter is thrown to
 * the container's {@code DefaultErrorHandler}, which pauses the consumer and calls this listener again
 * with the same batch after a back-off, without end: already handled records are skipped, the objects
 * still waiting are PUT again, and nothing is committed until they are stored.
 *
 * <p>Per partition an {@link ArchiveProgress} counts the lines stored per day; its state is committed
 * as the offset's metadata (the exactness argument is its class comment) and copied to the partition's
 * progress marker in the bucket after the commit: at once when an idle flush or a hand-over changed
 * it, at most every {@code progress-interval} while records flow, and every interval while the
 * partition is idle and caught up (its position at the end offset, everything stored and committed),
 * to refresh the caught-up time. A marker that cannot be written is only logged: archiving goes on.
 *
 * <p>Everything here runs on the consumer's thread (listener, idle events, rebalance callbacks), and
 * each consumer has its own buffers, so the listener can run with any concurrency.
 */
class PinArchiver implements ConsumerAwareRebalanceListener {

    static final String LISTENER_ID = "pin-archiver";

    private static final Logger log = LoggerFactory.getLogger(PinArchiver.class);

    private final Map<Consumer<?, ?>, Map<TopicPartition, PartitionBuffer>> buffersByConsumer = new ConcurrentHashMap<>();
    private final Map<Consumer<?, ?>, Map<TopicPartition, ArchiveProgress>> progressByConsumer = new ConcurrentHashMap<>();
    private final ArchiveStore store;
    private final DeadLetters deadLetters;
    private final ArchiveMetrics metrics;
    private final int flushSize;
    private final long rotateMillis;
    private final long progressMillis;
    private final int retentionDays;
    private final Clock clock;

    PinArchiver(ArchiveStore store, DeadLetters deadLetters, ArchiveMetrics metrics, ArchiveProperties properties, Clock clock) {
        this.store = store;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.flushSize = properties.flushSize();
        this.rotateMillis = properties.rotateInterval().toMillis();
        this.progressMillis = properties.progressInterval().toMillis();
        this.retentionDays = (int) properties.progressRetention().toDays();
        this.clock = clock;
    }

    @KafkaListener(id = LISTENER_ID, idIsGroup = false, topics = "${pinpipe.archive.topic}", containerFactory = "archiverContainerFactory")
    public void archive(List<ConsumerRecord<byte[], byte[]>> records, Consumer<?, ?> consumer) {
        Map<TopicPartition, PartitionBuffer> buffers = buffersOf(consumer);
        Map<TopicPartition, Long> positions = new HashMap<>();
        // a batch holds runs of records of one partition: look the partition up once per run, not per record
        TopicPartition partition = null;
        PartitionBuffer buffer = null;
        long position = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (partition == null || record.partition() != partition.partition() || !record.topic().equals(partition.topic())) {
                partition = new TopicPartition(record.topic(), record.partition());
                buffer = buffers.get(partition);
                position = buffer == null ? 0 : positions.computeIfAbsent(partition, consumer::position);
            }
            // null: revoked while this batch was being retried; not new: handled before a retry
            if (buffer == null || !buffer.isNew(record.offset())) {
                continue;
            }
            // at or past the position: fetched before the partition was revoked and assigned again
            // (the consumer went back to the committed offset and will deliver it again in order)
            if (record.offset() >= position) {
                continue;
            }
            absorb(record, buffer, consumer);
        }
        storeAndCommit(consumer, buffers);
        publishProgress(consumer, buffers, false);
    }

    /**
     * Flushes a partition's open object after {@code rotate-interval} without records (wall clock).
     * That cut is not a function of the content; it stays duplicate-free because it is committed
     * before any later object of the partition is stored, see {@link PartitionBuffer} point 3.
     * A failure here is only logged: the object waits in the buffer for the next batch or idle event,
     * and nothing after it is stored or committed meanwhile.
     */
    @EventListener(condition = "event.listenerId.startsWith('" + LISTENER_ID + "')")
    public void onIdlePartition(ListenerContainerPartitionIdleEvent event) {
        Consumer<?, ?> consumer = event.getConsumer();
        Map<TopicPartition, PartitionBuffer> buffers = buffersOf(consumer);
        PartitionBuffer buffer = buffers.get(event.getTopicPartition());
        if (buffer == null) {
            return;
        }
        buffer.cutIdle();
        try {
            storeAndCommit(consumer, buffers);
        } catch (RuntimeException e) {
            log.warn("Could not flush idle {}; it stays buffered and uncommitted: {}", event.getTopicPartition(), e.toString());
            return;
        }
        publishProgress(consumer, Map.of(event.getTopicPartition(), buffer), true);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionBuffer> buffers = buffersOf(consumer);
        Map<TopicPartition, ArchiveProgress> progress = progressOf(consumer);
        Map<TopicPartition, OffsetAndMetadata> committed = partitions.isEmpty() ? Map.of() : consumer.committed(Set.copyOf(partitions));
        for (TopicPartition partition : partitions) {
            long start = consumer.position(partition);
            buffers.put(partition, new PartitionBuffer(partition.topic(), partition.partition(), start, flushSize, rotateMillis));
            OffsetAndMetadata offset = committed.get(partition);
            String metadata = offset != null && offset.offset() == start ? offset.metadata() : null;
            progress.put(partition, ArchiveProgress.restore(partition.topic(), partition.partition(), retentionDays, metadata, start));
        }
    }

    /**
     * Hands revoked partitions over at a clean boundary (a rebalance, or the consumer closing at
     * shutdown): the open objects are cut and stored and their end committed, so the next owner
     * re-reads nothing and re-sends no poison to the DLT. Like the idle flush this cut is not decided
     * by content, and it is safe for the same reason (PartitionBuffer point 3): it is committed before
     * anything after it is stored, and if the commit is lost the replay rewrites the same key.
     * When S3 or the commit fails here the remaining buffers are dropped: their records are not
     * committed, so the next owner reads them again from the last boundary (point 2).
     */
    @Override
    public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionBuffer> revoked = remove(consumer, partitions);
        Map<TopicPartition, ArchiveProgress> progress = progressOf(consumer);
        revoked.values().forEach(PartitionBuffer::cutIdle);
        try {
            storeAndCommit(consumer, revoked);
            publishProgress(consumer, revoked, true);
        } catch (RuntimeException e) {
            log.warn("Could not hand over {}; their uncommitted records will be read again: {}", revoked.keySet(), e.toString());
        } finally {
            revoked.keySet().forEach(progress::remove);
            if (progress.isEmpty()) {
                progressByConsumer.remove(consumer);
            }
        }
    }

    /** Lost partitions belong to another consumer already: nothing may be committed, the buffers are dropped. */
    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        remove(consumer, partitions);
        Map<TopicPartition, ArchiveProgress> progress = progressOf(consumer);
        partitions.forEach(progress::remove);
        if (progress.isEmpty()) {
            progressByConsumer.remove(consumer);
        }
    }

    private Map<TopicPartition, PartitionBuffer> remove(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        Map<TopicPartition, PartitionBuffer> buffers = buffersOf(consumer);
        Map<TopicPartition, PartitionBuffer> removed = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionBuffer buffer = buffers.remove(partition);
            if (buffer != null) {
                removed.put(partition, buffer);
            }
        }
        if (buffers.isEmpty()) {
            buffersByConsumer.remove(consumer);
        }
        return removed;
    }

    private Map<TopicPartition, PartitionBuffer> buffersOf(Consumer<?, ?> consumer) {
        return buffersByConsumer.computeIfAbsent(consumer, c -> new HashMap<>());
    }

    private Map<TopicPartition, ArchiveProgress> progressOf(Consumer<?, ?> consumer) {
        return progressByConsumer.computeIfAbsent(consumer, c -> new HashMap<>());
    }

    /**
     * Writes the markers that are due (see the class comment); a partition counts as caught up when
     * everything it handled is stored and committed and the consumer's lag on it is 0.
     */
    private void publishProgress(Consumer<?, ?> consumer, Map<TopicPartition, PartitionBuffer> buffers, boolean eager) {
        Map<TopicPartition, ArchiveProgress> progress = progressOf(consumer);
        long now = clock.millis();
        buffers.forEach((partition, buffer) -> {
            ArchiveProgress marker = progress.get(partition);
            if (marker == null) {
                return;
            }
            if (buffer.isSettled() && consumer.currentLag(partition).orElse(-1) == 0) {
                marker.caughtUp(now);
            }
            if (marker.due(now, progressMillis, eager)) {
                try {
                    store.putProgress(marker, now);
                    marker.published(now);
                } catch (RuntimeException e) {
                    log.warn("Could not write the progress marker of {}; it is written again later: {}", partition, e.toString());
                }
            }
        });
    }

    private void absorb(ConsumerRecord<byte[], byte[]> record, PartitionBuffer buffer, Consumer<?, ?> consumer) {
        byte[] pin = null;
        String reason;
        // the content-dependent steps: whatever they throw, this record goes to the DLT, it never stalls the partition
        try {
            PinValidation validation = PinValidator.validate(record.value());
            if (validation.isValid()) {
                pin = ArchiveLine.pin(validation.canonical());
                reason = null;
            } else {
                reason = InvalidPinException.reason(validation.errors());
            }
        } catch (RuntimeException e) {
            reason = "body: could not be archived: " + e;
        }
        if (pin != null) {
            buffer.append(record.offset(), record.timestamp(), pin);
        } else {
            // outside the try: a failed DLT send is an outage, thrown so the batch is retried
            deadLetters.send(record, consumer, reason);
            buffer.skip(record.offset());
        }
    }

    private void storeAndCommit(Consumer<?, ?> consumer, Map<TopicPartition, PartitionBuffer> buffers) {
        buffers.forEach((partition, buffer) -> storeReleased(consumer, partition, buffer));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        buffers.forEach((partition, buffer) -> buffer.offsetToCommit().ifPresent(offset -> offsets.put(partition, offset)));
        commit(consumer, buffers, offsets);
    }

    private void storeReleased(Consumer<?, ?> consumer, TopicPartition partition, PartitionBuffer buffer) {
        for (;;) {
            ArchiveObject object = buffer.nextToStore();
            if (object != null) {
                store.put(object);
                buffer.stored();
                progressOf(consumer).get(partition).stored(object);
                metrics.stored(object);
            } else if (buffer.isAwaitingCommit()) {
                // an idle cut was just stored: commit its end before the partition's next object
                commit(consumer, Map.of(partition, buffer), Map.of(partition, buffer.offsetToCommit().orElseThrow()));
            } else {
                return;
            }
        }
    }

    /** Commits the offsets, each with its partition's progress as metadata (see {@link ArchiveProgress}). */
    private void commit(Consumer<?, ?> consumer, Map<TopicPartition, PartitionBuffer> buffers, Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        Map<TopicPartition, ArchiveProgress> progress = progressOf(consumer);
        long now = clock.millis();
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        offsets.forEach((partition, offset) ->
                commits.put(partition, new OffsetAndMetadata(offset, progress.get(partition).commitMetadata(now))));
        consumer.commitSync(commits);
        commits.forEach((partition, offset) -> {
            buffers.get(partition).committed(offset.offset());
            progress.get(partition).committed(offset.offset(), offset.metadata());
        });
    }
}
