package dev.pinpipe.archive;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerAwareRecordRecoverer;

/**
 * Sends records that are not valid pins to the dead-letter topic through spring-kafka's recoverer
 * (the original record's key, value and headers, plus the standard {@code kafka_dlt-*} headers),
 * and waits for the DLT's ack.
 *
 * <p>A failed send is thrown (the error handler retries the batch: a DLT that is down is an outage),
 * except when the DLT refuses the record as too large, which no retry can change: a record near the
 * topic's size limit no longer fits once the DLT headers are added. Then a truncated copy goes
 * instead: the first {@link #KEPT_BYTES} bytes of key and value, the original headers dropped, and a
 * {@value #TRUNCATED_HEADER} header saying what was cut; if even that is refused, the same with an
 * empty value. The DLT coordinates and reason headers are the same as for any poison record.
 */
final class DeadLetters {

    /** Text header on a truncated dead letter: the original sizes and what was kept. */
    static final String TRUNCATED_HEADER = "pinpipe_dlt-truncated";
    static final int KEPT_BYTES = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final ConsumerAwareRecordRecoverer recoverer;
    private final ArchiveMetrics metrics;

    DeadLetters(ConsumerAwareRecordRecoverer recoverer, ArchiveMetrics metrics) {
        this.recoverer = recoverer;
        this.metrics = metrics;
    }

    /** Dead-letters {@code record} with {@code reason}; returns once the DLT holds it, throws when it could not. */
    void send(ConsumerRecord<byte[], byte[]> record, Consumer<?, ?> consumer, String reason) {
        InvalidPinException exception = new InvalidPinException(reason, consumer.groupMetadata().groupId());
        try {
            recoverer.accept(record, consumer, exception);
        } catch (RuntimeException e) {
            if (!isTooLarge(e)) {
                throw e;
            }
            log.warn("{}-{}@{} is too large for the dead-letter topic; a truncated copy goes instead",
                    record.topic(), record.partition(), record.offset());
            try {
                recoverer.accept(truncated(record, KEPT_BYTES), consumer, exception);
            } catch (RuntimeException again) {
                if (!isTooLarge(again)) {
                    throw again;
                }
                recoverer.accept(truncated(record, 0), consumer, exception);
            }
            metrics.deadLetterTruncated();
        }
        metrics.deadLettered();
    }

    /** Whether the DLT (producer or broker) refused the record for its size: permanent, unlike an outage. */
    static boolean isTooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return true;
            }
        }
        return false;
    }

    /** A copy with the same coordinates, key and value cut to {@code kept} bytes, no original headers, and the truncation header. */
    static ConsumerRecord<byte[], byte[]> truncated(ConsumerRecord<byte[], byte[]> record, int kept) {
        byte[] key = cut(record.key(), kept);
        byte[] value = cut(record.value(), kept);
        RecordHeaders headers = new RecordHeaders();
        String what = "value " + size(record.value()) + " bytes, " + size(value) + " kept; key " + size(record.key())
                + " bytes, " + size(key) + " kept; " + record.headers().toArray().length + " original headers dropped";
        headers.add(TRUNCATED_HEADER, what.getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.timestampType(), key == null ? -1 : key.length, value == null ? -1 : value.length,
                key, value, headers, record.leaderEpoch());
    }

    private static byte[] cut(byte[] bytes, int kept) {
        return bytes == null || bytes.length <= kept ? bytes : Arrays.copyOf(bytes, kept);
    }

    private static String size(byte[] bytes) {
        return bytes == null ? "null" : Integer.toString(bytes.length);
    }
}
