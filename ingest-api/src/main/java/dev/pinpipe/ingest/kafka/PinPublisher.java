package dev.pinpipe.ingest.kafka;

import dev.pinpipe.ingest.IngestProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.stereotype.Component;

/**
 * Publishes raw pins keyed by unique_id and reports the broker's ack.
 *
 * <p>{@link #send} never blocks longer than the producer's {@code max.block.ms}; the returned future
 * completes when the broker acked ({@code acks=all}) or the producer gave up
 * ({@code delivery.timeout.ms}). Callers answer a client only from a completed future, so no pin is
 * ever acknowledged that Kafka does not hold.
 */
@Component
public class PinPublisher {

    private static final Logger log = LoggerFactory.getLogger(PinPublisher.class);
    private static final long FAILURE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final KafkaTemplate<String, byte[]> kafka;
    private final String topic;
    private final long ackTimeoutNanos;
    private final Counter accepted;
    private final Counter failed;
    private final Timer publishLatency;
    /** nanoTime of the last failure logged: an outage fails thousands of sends a second, one line a second says it */
    private final AtomicLong lastFailureLogged = new AtomicLong(System.nanoTime() - FAILURE_LOG_INTERVAL_NANOS);

    public PinPublisher(KafkaTemplate<String, byte[]> kafka, IngestProperties properties, MeterRegistry meters) {
        this.kafka = kafka;
        this.topic = properties.topic();
        this.ackTimeoutNanos = properties.ackTimeout().toNanos();
        this.accepted = Counter.builder("pinpipe.ingest.pins.accepted")
                .description("pins the broker acknowledged").register(meters);
        this.failed = Counter.builder("pinpipe.ingest.publish.failures")
                .description("pins Kafka did not acknowledge in time (answered 503)").register(meters);
        this.publishLatency = Timer.builder("pinpipe.ingest.publish.latency")
                .description("from send to the broker's ack (or the producer giving up)")
                .publishPercentileHistogram()
                .register(meters);
    }

    /** Starts publishing one pin; the future fails with {@link PublishFailedException}. */
    public CompletableFuture<PinAck> send(String uniqueId, byte[] pinJson) {
        long start = System.nanoTime();
        CompletableFuture<SendResult<String, byte[]>> sent;
        try {
            sent = kafka.send(new ProducerRecord<>(topic, uniqueId, pinJson));
        } catch (RuntimeException e) {
            // max.block.ms passed waiting for metadata or buffer space: the broker is unreachable or overloaded
            publishLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return CompletableFuture.failedFuture(failure("Kafka did not take the pin: " + rootMessage(e), e));
        }
        return sent.handle((result, error) -> {
            publishLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (error != null) {
                throw failure("Kafka did not acknowledge the pin: " + rootMessage(error), error);
            }
            accepted.increment();
            RecordMetadata metadata = result.getRecordMetadata();
            return new PinAck(uniqueId, metadata.topic(), metadata.partition(), metadata.offset());
        });
    }

    /** Publishes one pin and waits for the ack, bounded by {@code pinpipe.ingest.ack-timeout}. */
    public PinAck publish(String uniqueId, byte[] pinJson) {
        return await(send(uniqueId, pinJson), System.nanoTime() + ackTimeoutNanos);
    }

    /** Waits for a future from {@link #send} until {@code deadlineNanos} (a {@link System#nanoTime} value). */
    public PinAck await(CompletableFuture<PinAck> ack, long deadlineNanos) {
        try {
            return ack.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof PublishFailedException publishFailed
                    ? publishFailed
                    : new PublishFailedException("Kafka did not acknowledge the pin", e.getCause());
        } catch (TimeoutException e) {
            throw new PublishFailedException("no ack from Kafka in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted waiting for Kafka", e);
        }
    }

    /** The deadline for acks of sends started now. */
    public long deadlineFromNow() {
        return System.nanoTime() + ackTimeoutNanos;
    }

    private PublishFailedException failure(String message, Throwable cause) {
        failed.increment();
        long now = System.nanoTime();
        long last = lastFailureLogged.get();
        if (now - last >= FAILURE_LOG_INTERVAL_NANOS && lastFailureLogged.compareAndSet(last, now)) {
            log.warn("{} (failures so far: {})", message, (long) failed.count());
        }
        return new PublishFailedException(message, cause);
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " (" + root.getMessage() + ")");
    }
}
