package dev.pinpipe.ingest.kafka;

import dev.pinpipe.ingest.IngestProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import dev.pinpipe.core.PinValidation;
import java.util.ArrayList;
import java.util.List;
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
 * Publishes valid pins, each as its canonical form keyed by its lowercase unique_id (what
 * {@link PinValidation} holds: never the posted bytes), and reports the broker's acks.
 *
 * <p>A request waits until one deadline ({@code pinpipe.ingest.ack-timeout}) at most, plus at most one
 * producer {@code max.block.ms}; a pin counts as published only once the broker acked it
 * ({@code acks=all}), so no pin is ever acknowledged that Kafka does not hold.
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

    /** Publishes one valid pin (its canonical form, keyed by its lowercase unique_id) and waits for the ack. */
    public PinAck publish(PinValidation pin) {
        long deadline = deadlineFromNow();
        return await(send(pin, null), deadline);
    }

    /**
     * Publishes valid pins in order and returns their acks in that order, all within one deadline
     * ({@code pinpipe.ingest.ack-timeout} from now): every pin is sent before any ack is awaited, so the
     * producer batches them. Sending stops at the first failure or once the deadline passed, so a broker
     * outage holds the request for one {@code max.block.ms} at most past the deadline, never one per pin.
     *
     * @throws PublishFailedException when any pin was not acknowledged in time (the client retries them all)
     */
    public List<PinAck> publishAll(List<PinValidation> pins) {
        long deadline = deadlineFromNow();
        // completed by the first pin that fails: no more sends, no more waiting
        CompletableFuture<PinAck> firstFailure = new CompletableFuture<>();
        List<CompletableFuture<PinAck>> sent = new ArrayList<>(pins.size());
        for (PinValidation pin : pins) {
            if (firstFailure.isDone()) {
                break;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw failure("no ack from Kafka in time: the deadline passed after sending " + sent.size()
                        + " of " + pins.size() + " pins", null);
            }
            sent.add(send(pin, firstFailure));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
        await(CompletableFuture.anyOf(all, firstFailure).thenApply(done -> null), deadline);
        List<PinAck> acks = new ArrayList<>(sent.size());
        for (CompletableFuture<PinAck> ack : sent) {
            acks.add(ack.join()); // all complete and none failed
        }
        return acks;
    }

    /**
     * Starts publishing one pin; the future fails with {@link PublishFailedException}, which also
     * completes {@code firstFailure} (when given). Blocks at most the producer's {@code max.block.ms}
     * (no metadata, or its buffer full).
     */
    private CompletableFuture<PinAck> send(PinValidation pin, CompletableFuture<PinAck> firstFailure) {
        if (!pin.isValid()) {
            throw new IllegalArgumentException("only a valid pin is published");
        }
        String key = pin.key();
        long start = System.nanoTime();
        CompletableFuture<SendResult<String, byte[]>> sent;
        try {
            sent = kafka.send(new ProducerRecord<>(topic, key, pin.canonical()));
        } catch (RuntimeException e) {
            // max.block.ms passed waiting for metadata or buffer space: the broker is unreachable or overloaded
            publishLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return failed(failure("Kafka did not take the pin: " + rootMessage(e), e), firstFailure);
        }
        return sent.handle((result, error) -> {
            publishLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (error != null) {
                PublishFailedException failure = failure("Kafka did not acknowledge the pin: " + rootMessage(error), error);
                if (firstFailure != null) {
                    firstFailure.completeExceptionally(failure);
                }
                throw failure;
            }
            accepted.increment();
            RecordMetadata metadata = result.getRecordMetadata();
            return new PinAck(key, metadata.topic(), metadata.partition(), metadata.offset());
        });
    }

    private static CompletableFuture<PinAck> failed(PublishFailedException failure, CompletableFuture<PinAck> firstFailure) {
        if (firstFailure != null) {
            firstFailure.completeExceptionally(failure);
        }
        return CompletableFuture.failedFuture(failure);
    }

    /** Waits for a future from {@link #send} until {@code deadlineNanos} (a {@link System#nanoTime} value). */
    private static <T> T await(CompletableFuture<T> ack, long deadlineNanos) {
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

    private long deadlineFromNow() {
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
