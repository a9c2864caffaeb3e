package dev.pinpipe.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** PinArchiver against a real Kafka broker and a real S3 server (local-stack). */
@ExtendWith(LocalStackExtension.class)
class PinArchiverIT {

    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static LocalStack stack;
    private static Admin admin;
    private static S3Client s3;

    @BeforeAll
    static void connect(LocalStack localStack) {
        stack = localStack;
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()));
        s3 = S3Client.builder()
                .endpointOverride(URI.create(stack.s3Endpoint()))
                .region(Region.of(stack.s3Region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(stack.s3AccessKey(), stack.s3SecretKey())))
                .build();
    }

    @AfterAll
    static void disconnect() {
        admin.close();
        s3.close();
    }

    @Test
    void everyPinIsArchivedOnceUnderDeterministicKeys() throws Exception {
        Scenario it = new Scenario("once");
        List<byte[]> pins = TestPins.generate(1000);
        try (ConfigurableApplicationContext archiver = it.startArchiver(100, "2s")) {
            it.produce(pins);
            it.awaitFullyArchived(pins.size());

            MeterRegistry metrics = archiver.getBean(MeterRegistry.class);
            assertThat(metrics.counter("pinpipe.archive.records").count()).isEqualTo(pins.size());
        }
        it.assertExactlyOnce(pins, 100);
    }

    @Test
    void restartInTheMiddleOfAnObjectAddsNoDuplicateNorExtraObject() throws Exception {
        Scenario it = new Scenario("restart");
        List<byte[]> pins = TestPins.generate(1000);
        Map<TopicPartition, Long> fullObjectsEnd;
        List<String> keysBeforeRestart;
        long expectedObjects;
        try (ConfigurableApplicationContext archiver = it.startArchiver(100, "1h")) {
            it.produce(pins);
            Map<TopicPartition, Long> ends = it.endOffsets();
            // with no idle flush (1 h), each partition stops at the start of its last, still open object
            fullObjectsEnd = ends.entrySet().stream()
                    .filter(e -> e.getValue() >= 100)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() / 100 * 100));
            await().atMost(WAIT).until(() -> it.committed().equals(fullObjectsEnd));
            keysBeforeRestart = it.archive().keys();
            assertThat(ends).isNotEqualTo(fullObjectsEnd); // some partition is in the middle of an object
            expectedObjects = ends.values().stream().mapToLong(end -> (end + 99) / 100).sum();
            // with S3 gone the stop cannot hand the open objects over: as in a crash, they are lost
            stack.stopS3();
        } finally {
            stack.startS3();
        }
        assertThat(it.committed()).isEqualTo(fullObjectsEnd);

        // as if partition 0's last commits had been lost in a crash after their PUTs: replay more
        TopicPartition p0 = new TopicPartition(it.topic, 0);
        admin.alterConsumerGroupOffsets(it.group, Map.of(p0, new OffsetAndMetadata(0))).all().get();

        try (ConfigurableApplicationContext archiver = it.startArchiver(100, "2s")) {
            it.awaitFullyArchived(pins.size());
        }
        it.assertExactlyOnce(pins, 100);
        assertThat(it.archive().keys()).containsAll(keysBeforeRestart).hasSize((int) expectedObjects);
    }

    @Test
    void poisonGoesToTheDeadLetterTopicWithItsReasonAndTheRestIsArchived() throws Exception {
        Scenario it = new Scenario("poison");
        List<byte[]> good = TestPins.generate(10);
        List<byte[]> values = new ArrayList<>(good.subList(0, 5));
        values.add("this is not { json".getBytes(StandardCharsets.UTF_8));
        values.add("{\"index\": 1, \"category\": \"diy\"}".getBytes(StandardCharsets.UTF_8));
        values.add(("{\"index\": \"one\", \"unique_id\": \"" + UUID.randomUUID() + "\", \"category\": 5}").getBytes(StandardCharsets.UTF_8));
        values.addAll(good.subList(5, 10));

        try (ConfigurableApplicationContext archiver = it.startArchiver(100, "1s")) {
            it.produceToPartition0(values);
            it.awaitFullyArchived(good.size());

            MeterRegistry metrics = archiver.getBean(MeterRegistry.class);
            assertThat(metrics.counter("pinpipe.archive.dead.lettered").count()).isEqualTo(3);
        }
        it.assertExactlyOnce(good, 100);

        List<ConsumerRecord<byte[], byte[]>> dead = it.deadLetters(3);
        assertThat(dead).extracting(r -> intHeader(r, "kafka_dlt-original-partition")).containsOnly(0);
        assertThat(dead).extracting(r -> longHeader(r, "kafka_dlt-original-offset")).containsExactly(5L, 6L, 7L);
        assertThat(dead).extracting(r -> textHeader(r, "kafka_dlt-exception-message")).satisfiesExactly(
                reason -> assertThat(reason).contains("body: the body is not valid JSON"),
                reason -> assertThat(reason).contains("unique_id: is required"),
                reason -> assertThat(reason).contains("index: must be an integer").contains("category: must be a string"));
        assertThat(dead.get(0).value()).isEqualTo(values.get(5));
    }

    @Test
    void whileS3IsDownNothingIsCommittedAndEverythingIsArchivedOnceItIsBack() throws Exception {
        Scenario it = new Scenario("s3down");
        List<byte[]> pins = TestPins.generate(300);
        try (ConfigurableApplicationContext archiver = it.startArchiver(50, "1s")) {
            HealthIndicator bucket = archiver.getBean("archiveBucketHealthIndicator", HealthIndicator.class);
            stack.stopS3();
            try {
                it.produce(pins);
                assertThat(bucket.health().getStatus()).isEqualTo(Status.DOWN);
                // full objects are cut at once and idle ones after 1 s; every PUT fails and is retried
                await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(10))
                        .until(() -> it.committed().isEmpty());
            } finally {
                stack.startS3();
            }
            it.awaitFullyArchived(pins.size());
            assertThat(bucket.health().getStatus()).isEqualTo(Status.UP);
        }
        it.assertExactlyOnce(pins, 50);
    }

    private static int intHeader(ConsumerRecord<?, ?> record, String name) {
        return ByteBuffer.wrap(header(record, name)).getInt();
    }

    private static long longHeader(ConsumerRecord<?, ?> record, String name) {
        return ByteBuffer.wrap(header(record, name)).getLong();
    }

    private static String textHeader(ConsumerRecord<?, ?> record, String name) {
        return new String(header(record, name), StandardCharsets.UTF_8);
    }

    private static byte[] header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header " + name).isNotNull();
        return header.value();
    }

    /** One test's own topic, group and key prefix, so tests never see each other's records. */
    private static final class Scenario {

        private static final Pattern KEY = Pattern.compile(
                "(?<prefix>.+/)dt=\\d{4}-\\d{2}-\\d{2}/(?<topic>[^+]+)\\+(?<partition>\\d+)\\+(?<offset>\\d{20})\\.json");

        final String topic;
        final String group;
        final String prefix;

        Scenario(String name) throws Exception {
            String run = name + "-" + UUID.randomUUID().toString().substring(0, 8);
            topic = "PinterestTopic." + run;
            group = "pin-archiver." + run;
            prefix = "it/" + run + "/pins/";
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }

        /** Starts the application and waits until each of its consumers owns one partition (no rebalance left to come). */
        ConfigurableApplicationContext startArchiver(int flushSize, String rotateInterval) {
            ConfigurableApplicationContext archiver = runArchiver(flushSize, rotateInterval);
            ConcurrentMessageListenerContainer<?, ?> container = (ConcurrentMessageListenerContainer<?, ?>)
                    archiver.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer(PinArchiver.LISTENER_ID);
            await().atMost(WAIT).until(() -> container.getContainers().stream()
                    .allMatch(consumer -> consumer.getAssignedPartitions() != null && consumer.getAssignedPartitions().size() == 1));
            return archiver;
        }

        private ConfigurableApplicationContext runArchiver(int flushSize, String rotateInterval) {
            return new SpringApplicationBuilder(BatchConsumerApplication.class).run(
                    "--server.port=0",
                    "--spring.kafka.bootstrap-servers=" + stack.kafkaBootstrap(),
                    "--spring.kafka.consumer.group-id=" + group,
                    "--pinpipe.archive.topic=" + topic,
                    "--pinpipe.archive.flush-size=" + flushSize,
                    "--pinpipe.archive.rotate-interval=" + rotateInterval,
                    "--pinpipe.archive.retry-initial=200ms",
                    "--pinpipe.archive.retry-max=1s",
                    "--pinpipe.s3.endpoint=" + stack.s3Endpoint(),
                    "--pinpipe.s3.region=" + stack.s3Region(),
                    "--pinpipe.s3.access-key=" + stack.s3AccessKey(),
                    "--pinpipe.s3.secret-key=" + stack.s3SecretKey(),
                    "--pinpipe.s3.bucket=" + stack.bucket(),
                    "--pinpipe.s3.prefix=" + prefix,
                    "--pinpipe.s3.call-timeout=5s");
        }

        void produce(List<byte[]> values) {
            send(values, null);
        }

        void produceToPartition0(List<byte[]> values) {
            send(values, 0);
        }

        private void send(List<byte[]> values, Integer partition) {
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer())) {
                for (byte[] value : values) {
                    producer.send(new ProducerRecord<>(topic, partition, keyOf(value), value));
                }
                producer.flush();
            }
        }

        /** The pin's unique_id as the API keys it; poison gets a random key. */
        private static String keyOf(byte[] value) {
            try {
                return TestPins.uniqueId(value);
            } catch (RuntimeException e) {
                return UUID.randomUUID().toString();
            }
        }

        ArchiveReader archive() {
            return new ArchiveReader(s3, stack.bucket(), prefix);
        }

        Map<TopicPartition, Long> endOffsets() throws Exception {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            IntStream.range(0, PARTITIONS).forEach(p -> latest.put(new TopicPartition(topic, p), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }

        /** The group's committed offsets (partitions without a commit left out). */
        Map<TopicPartition, Long> committed() throws Exception {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet().stream()
                    .filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }

        /** Waits until the archive holds {@code lines} lines and the group has committed the whole topic. */
        void awaitFullyArchived(int lines) throws Exception {
            Map<TopicPartition, Long> ends = endOffsets();
            ends.values().removeIf(end -> end == 0);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(500))
                    .until(() -> committed().equals(ends) && archive().lineCount() == lines);
        }

        /**
         * Every pin exactly once, objects named by their first record's coordinates, consecutive
         * objects of a partition never overlapping, none larger than the flush size.
         */
        void assertExactlyOnce(List<byte[]> pins, int flushSize) {
            Map<String, List<JsonNode>> objects = archive().objects();
            List<String> archivedIds = new ArrayList<>();
            Map<Integer, Long> nextOffsetOfPartition = new HashMap<>();
            for (Map.Entry<String, List<JsonNode>> object : objects.entrySet()) {
                Matcher key = KEY.matcher(object.getKey());
                assertThat(key.matches()).as(object.getKey()).isTrue();
                assertThat(key.group("prefix")).isEqualTo(prefix);
                assertThat(key.group("topic")).isEqualTo(topic);
                int partition = Integer.parseInt(key.group("partition"));
                List<JsonNode> lines = object.getValue();
                assertThat(lines).hasSizeBetween(1, flushSize);
                assertThat(lines.get(0).get("_kafka").get("offset").asLong()).isEqualTo(Long.parseLong(key.group("offset")));
                for (JsonNode line : lines) {
                    JsonNode kafka = line.get("_kafka");
                    assertThat(kafka.get("partition").asInt()).isEqualTo(partition);
                    long offset = kafka.get("offset").asLong();
                    // keys sort by offset within a partition (20 digits), so this walks the partition in order
                    assertThat(offset).isGreaterThanOrEqualTo(nextOffsetOfPartition.getOrDefault(partition, 0L));
                    nextOffsetOfPartition.put(partition, offset + 1);
                    archivedIds.add(line.get("unique_id").asText());
                }
            }
            Set<String> expected = pins.stream().map(TestPins::uniqueId).collect(Collectors.toSet());
            assertThat(archivedIds).hasSize(pins.size()).doesNotHaveDuplicates();
            assertThat(Set.copyOf(archivedIds)).isEqualTo(expected);
        }

        /** Reads the DLT from the beginning until {@code count} records of this scenario's topic arrived. */
        List<ConsumerRecord<byte[], byte[]>> deadLetters(int count) {
            List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.GROUP_ID_CONFIG, group + ".dlt-reader"),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("PinterestTopic.DLT"));
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (found.size() < count && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                        if (topic.equals(textHeader(record, "kafka_dlt-original-topic"))) {
                            found.add(record);
                        }
                    }
                }
            }
            assertThat(found).hasSize(count);
            found.sort((a, b) -> Long.compare(longHeader(a, "kafka_dlt-original-offset"), longHeader(b, "kafka_dlt-original-offset")));
            return found;
        }
    }
}
