package dev.pinpipe.ingest;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The API's own settings ({@code pinpipe.ingest.*}), each from its {@code PINPIPE_…} variable in application.yml
 * (defaults: pin-core's settings catalogue); the producer itself is configured under {@code spring.kafka.producer.*}.
 *
 * @param topic            where accepted pins are published
 * @param maxBodySize      largest body {@code POST /pin} reads (larger → 413)
 * @param maxBatchBodySize largest body {@code POST /pins} reads (larger → 413)
 * @param maxBatchPins     most pins one {@code POST /pins} may carry (more → 413)
 * @param ackTimeout       longest a request waits for the broker's ack; a little above the
 *                         producer's {@code delivery.timeout.ms}, so the producer gives up first
 * @param retryAfter       the {@code Retry-After} a 503 advertises
 * @param healthTimeout    how long the Kafka health check waits for the cluster to answer
 * @param apiKey           when set, the key every {@code POST /pin} and {@code /pins} must carry in
 *                         {@code X-API-Key}; empty: the API is open (never logged, see {@link #toString})
 * @param apiKeyFile       a file holding that key instead (not both)
 */
@ConfigurationProperties("pinpipe.ingest")
public record IngestProperties(
        String topic,
        DataSize maxBodySize,
        DataSize maxBatchBodySize,
        int maxBatchPins,
        Duration ackTimeout,
        Duration retryAfter,
        Duration healthTimeout,
        String apiKey,
        Path apiKeyFile) {

    /** Every setting but the key itself, which no log or error message may show. */
    @Override
    public String toString() {
        return "IngestProperties[topic=" + topic + ", maxBodySize=" + maxBodySize + ", maxBatchBodySize=" + maxBatchBodySize
                + ", maxBatchPins=" + maxBatchPins + ", ackTimeout=" + ackTimeout + ", retryAfter=" + retryAfter
                + ", healthTimeout=" + healthTimeout + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "(none)" : "(set)")
                + ", apiKeyFile=" + apiKeyFile + "]";
    }
}
