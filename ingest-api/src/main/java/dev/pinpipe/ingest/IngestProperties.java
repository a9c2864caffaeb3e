package dev.pinpipe.ingest;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The API's own settings ({@code pinpipe.ingest.*}); the producer itself is configured under
 * {@code spring.kafka.producer.*}.
 *
 * @param topic            where accepted pins are published
 * @param maxBodySize      largest body {@code POST /pin} reads (larger → 413)
 * @param maxBatchBodySize largest body {@code POST /pins} reads (larger → 413)
 * @param maxBatchPins     most pins one {@code POST /pins} may carry (more → 413)
 * @param ackTimeout       longest a request waits for the broker's ack; a little above the
 *                         producer's {@code delivery.timeout.ms}, so the producer gives up first
 * @param retryAfter       the {@code Retry-After} a 503 advertises
 * @param healthTimeout    how long the Kafka health check waits for the cluster to answer
 */
@ConfigurationProperties("pinpipe.ingest")
public record IngestProperties(
        @DefaultValue("PinterestTopic") String topic,
        @DefaultValue("1000KB") DataSize maxBodySize,
        @DefaultValue("16MB") DataSize maxBatchBodySize,
        @DefaultValue("10000") int maxBatchPins,
        @DefaultValue("4s") Duration ackTimeout,
        @DefaultValue("2s") Duration retryAfter,
        @DefaultValue("2s") Duration healthTimeout) {
}
