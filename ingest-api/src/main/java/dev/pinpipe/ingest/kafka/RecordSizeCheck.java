package dev.pinpipe.ingest.kafka;

import dev.pinpipe.core.PinValidation;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.ingest.IngestProperties;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * At start-up: the largest pin the API accepts ({@code pinpipe.ingest.max-body-size}, published as its
 * canonical form) must fit the producer's {@code max.request.size} and {@code buffer.memory} and the
 * topic's {@code max.message.bytes} (the broker's {@code message.max.bytes} while the topic does not
 * exist). Otherwise such a pin would be refused by Kafka after the API accepted it, so the API does not start.
 */
@Component
class RecordSizeCheck implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(RecordSizeCheck.class);
    static final String BODY_SETTING = "pinpipe.ingest.max-body-size";
    private static final int ADMIN_TIMEOUT_MS = 10_000;

    private final Admin admin;
    private final Map<String, Object> producerConfig;
    private final IngestProperties properties;

    RecordSizeCheck(Admin admin, ProducerFactory<String, byte[]> producers, IngestProperties properties) {
        this.admin = admin;
        this.producerConfig = producers.getConfigurationProperties();
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        long maxBody = properties.maxBodySize().toBytes();
        CompressionType compression = CompressionType.forName(String.valueOf(
                producerConfig.getOrDefault(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none")));
        int record = recordUpperBound(Math.toIntExact(maxBody), compression);
        List<String> problems = new ArrayList<>();

        long maxRequest = longSetting(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
        if (record > maxRequest) {
            problems.add(String.format("%s (%d bytes) does not fit the producer's max.request.size (%d bytes): a pin of that "
                    + "size is a record of up to %d bytes. Lower %s or raise spring.kafka.producer.properties.max.request.size.",
                    BODY_SETTING, maxBody, maxRequest, record, BODY_SETTING));
        }
        long bufferMemory = longSetting(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L * 1024 * 1024);
        if (record > bufferMemory) {
            problems.add(String.format("%s (%d bytes) does not fit the producer's buffer.memory (%d bytes). Lower %s or "
                    + "raise spring.kafka.producer.buffer-memory.", BODY_SETTING, maxBody, bufferMemory, BODY_SETTING));
        }
        int batch = record + compressionOverhead(compression, record);
        Optional<Limit> limit = brokerLimit();
        limit.filter(l -> batch > l.bytes()).ifPresent(l -> problems.add(String.format("%s (%d bytes) does not fit %s "
                + "(%d bytes): a pin of that size is a record batch of up to %d bytes, which the broker would refuse. Lower %s "
                + "or raise the topic's max.message.bytes.", BODY_SETTING, maxBody, l.name(), l.bytes(), batch, BODY_SETTING)));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The ingest API's size limit does not fit Kafka's: " + String.join(" ", problems));
        }
        limit.ifPresent(l -> log.info("{} {} bytes: a pin of that size is a record batch of up to {} bytes, within {} ({} bytes) "
                + "and max.request.size ({} bytes)", BODY_SETTING, maxBody, batch, l.name(), l.bytes(), maxRequest));
    }

    /**
     * The largest record a pin of {@code maxBody} posted bytes can make, by Kafka's own estimate: the
     * canonical form of a pin that size (never longer than the posted pin) keyed by its 36-char UUID.
     */
    static int recordUpperBound(int maxBody, CompressionType compression) {
        String head = "{\"index\":2147483647,\"unique_id\":\"" + new UUID(0, 0) + "\",\"category\":\"c\",\"description\":\"";
        String tail = "\"}";
        byte[] body = (head + "x".repeat(Math.max(0, maxBody - head.length() - tail.length())) + tail)
                .getBytes(StandardCharsets.US_ASCII);
        PinValidation pin = PinValidator.validate(body);
        byte[] value = new byte[Math.max(maxBody, pin.canonical().length)];
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, compression,
                pin.key().getBytes(StandardCharsets.UTF_8), value, new Header[0]);
    }

    /**
     * What compressing can add to incompressible bytes: Kafka's lz4 frame stores a block that does not
     * shrink as is (4 bytes a 64 KiB block, 11 of frame); the other codecs' worst cases stay below n/6 + 64.
     */
    static int compressionOverhead(CompressionType compression, int bytes) {
        return switch (compression) {
            case NONE -> 0;
            case LZ4 -> 11 + 4 * (bytes / 65_536 + 1);
            default -> bytes / 6 + 64;
        };
    }

    /** The topic's max.message.bytes, or the broker's message.max.bytes when the topic does not exist yet. */
    private Optional<Limit> brokerLimit() {
        String topic = properties.topic();
        try {
            try {
                return Optional.of(new Limit("the topic " + topic + "'s max.message.bytes",
                        configValue(new ConfigResource(ConfigResource.Type.TOPIC, topic), TopicConfig.MAX_MESSAGE_BYTES_CONFIG)));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(ADMIN_TIMEOUT_MS)).nodes()
                    .get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            String node = Integer.toString(nodes.iterator().next().id());
            return Optional.of(new Limit("the broker's message.max.bytes (the topic " + topic + " does not exist yet)",
                    configValue(new ConfigResource(ConfigResource.Type.BROKER, node), "message.max.bytes")));
        } catch (ExecutionException | TimeoutException e) {
            // an unreachable broker must not keep the API from starting (readiness says DOWN meanwhile)
            log.warn("could not read Kafka's message size limit ({}); {} is not checked against it",
                    e instanceof ExecutionException ? e.getCause() : e, BODY_SETTING);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private long configValue(ConfigResource resource, String name) throws ExecutionException, InterruptedException, TimeoutException {
        Config config = admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().timeoutMs(ADMIN_TIMEOUT_MS))
                .all().get(ADMIN_TIMEOUT_MS, TimeUnit.MILLISECONDS).get(resource);
        ConfigEntry entry = config.get(name);
        if (entry == null || entry.value() == null) {
            throw new ExecutionException(resource + " has no " + name, new IllegalStateException(resource + " has no " + name));
        }
        return Long.parseLong(entry.value());
    }

    private long longSetting(String name, long kafkaDefault) {
        Object value = producerConfig.get(name);
        return value == null ? kafkaDefault : value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
    }

    /** A broker-side size limit and the setting it comes from. */
    private record Limit(String name, long bytes) {
    }
}
