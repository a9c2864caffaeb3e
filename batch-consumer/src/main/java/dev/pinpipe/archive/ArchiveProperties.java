package dev.pinpipe.archive;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the archive is cut and where poison goes.
 *
 * @param topic          the topic archived
 * @param dltTopic       where records that are not valid pins go
 * @param flushSize      an object closes after this many records
 * @param rotateInterval an object closes when the next record's timestamp is this much after its first
 *                       record's; an open object idle (wall clock) for this long is flushed as well
 * @param retryInitial   first wait before retrying a failed S3 write or commit (doubles up to retryMax)
 * @param retryMax       longest wait between retries; retries never stop
 * @param concurrency    consumer threads (each owns some partitions and their buffers); more than the
 *                       partition count only idles, several let one thread validate while another PUTs
 * @param progressInterval a partition's progress marker is written at most this often while records flow,
 *                       and refreshed this often while the partition is idle and caught up
 * @param progressRetention the markers' lines per day cover this many days back (wall clock)
 */
@ConfigurationProperties("pinpipe.archive")
public record ArchiveProperties(
        String topic,
        String dltTopic,
        int flushSize,
        Duration rotateInterval,
        Duration retryInitial,
        Duration retryMax,
        int concurrency,
        Duration progressInterval,
        Duration progressRetention) {

    public ArchiveProperties {
        if (flushSize < 1) {
            throw new IllegalArgumentException("pinpipe.archive.flush-size must be at least 1, was " + flushSize);
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("pinpipe.archive.concurrency must be at least 1, was " + concurrency);
        }
        if (progressInterval.isNegative() || progressInterval.isZero()) {
            throw new IllegalArgumentException("pinpipe.archive.progress-interval must be positive, was " + progressInterval);
        }
        if (progressRetention.toDays() < 1 || progressRetention.toDays() > 100) {
            throw new IllegalArgumentException("pinpipe.archive.progress-retention must be 1 to 100 days, was " + progressRetention);
        }
        if (rotateInterval.isNegative() || rotateInterval.isZero()) {
            throw new IllegalArgumentException("pinpipe.archive.rotate-interval must be positive, was " + rotateInterval);
        }
    }
}
