package dev.pinpipe.archive;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The archiver's own counters (consumer lag comes from the Kafka client metrics that Spring Boot
 * binds to Micrometer: {@code kafka.consumer.fetch.manager.records.lag}).
 */
final class ArchiveMetrics {

    private final Counter records;
    private final Counter objects;
    private final Counter bytes;
    private final Counter deadLettered;
    private final Counter deadLetterTruncated;

    ArchiveMetrics(MeterRegistry registry) {
        records = Counter.builder("pinpipe.archive.records").description("pins stored in archive objects (re-stored ones after a replay included)").register(registry);
        objects = Counter.builder("pinpipe.archive.objects").description("archive objects written").register(registry);
        bytes = Counter.builder("pinpipe.archive.bytes").baseUnit("bytes").description("archive bytes written").register(registry);
        deadLettered = Counter.builder("pinpipe.archive.dead.lettered").description("records sent to the dead-letter topic").register(registry);
        deadLetterTruncated = Counter.builder("pinpipe.archive.dead.lettered.truncated")
                .description("dead letters sent truncated: the record was too large for the dead-letter topic").register(registry);
    }

    void stored(ArchiveObject object) {
        records.increment(object.records());
        objects.increment();
        bytes.increment(object.body().length);
    }

    void deadLettered() {
        deadLettered.increment();
    }

    void deadLetterTruncated() {
        deadLetterTruncated.increment();
    }
}
