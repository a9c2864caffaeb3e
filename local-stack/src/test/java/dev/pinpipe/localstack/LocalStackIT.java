package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Each server of the shared stack, used by its ordinary client. */
@ExtendWith(LocalStackExtension.class)
class LocalStackIT {

    @Test
    void topicsExistWithThreePartitions(LocalStack stack) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(stack.topic(), stack.deadLetterTopic())).allTopicNames().get();
            assertThat(topics.get(stack.topic()).partitions()).hasSize(3);
            assertThat(topics.get(stack.deadLetterTopic()).partitions()).hasSize(3);
        }
    }

    @Test
    void kafkaRecordRoundTripsWithItsKey(LocalStack stack) throws Exception {
        String key = UUID.randomUUID().toString();
        RecordMetadata sent;
        try (KafkaProducer<String, String> producer = Clients.producer(stack)) {
            sent = producer.send(new ProducerRecord<>(stack.topic(), key, "{\"unique_id\":\"" + key + "\"}")).get();
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(stack, "it-" + key)) {
            consumer.subscribe(List.of(stack.topic()));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.stream().noneMatch(r -> key.equals(r.key())) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
            }
            assertThat(seen).filteredOn(r -> key.equals(r.key()))
                    .singleElement()
                    .satisfies(r -> {
                        assertThat(r.partition()).isEqualTo(sent.partition());
                        assertThat(r.offset()).isEqualTo(sent.offset());
                        assertThat(r.value()).contains(key);
                    });
        }
    }

    @Test
    void s3PutThenListInTheBucket(LocalStack stack) {
        String key = "pins/dt=2026-11-27/it-" + UUID.randomUUID() + ".json";
        try (S3Client s3 = Clients.s3(stack)) {
            s3.putObject(b -> b.bucket(stack.bucket()).key(key), RequestBody.fromString("{\"a\":1}\n"));
            List<S3Object> listed = s3.listObjectsV2(b -> b.bucket(stack.bucket()).prefix("pins/")).contents();
            assertThat(listed).extracting(S3Object::key).contains(key);
            assertThat(s3.getObjectAsBytes(b -> b.bucket(stack.bucket()).key(key)).asUtf8String()).isEqualTo("{\"a\":1}\n");
        }
    }

    @Test
    void postgresHasThePinSchema(LocalStack stack) throws Exception {
        try (Connection c = Clients.jdbc(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")) {
            List<String> tables = new ArrayList<>();
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
            assertThat(tables).contains("pins_batch", "pins_stream", "pipeline_runs");
            assertThat(c.getMetaData().getDatabaseProductVersion()).startsWith("17.");
        }
    }

    @Test
    void envNamesEveryEndpoint(LocalStack stack) {
        assertThat(stack.env())
                .containsEntry("PINPIPE_KAFKA_BOOTSTRAP", stack.kafkaBootstrap())
                .containsEntry("PINPIPE_S3_ENDPOINT", stack.s3Endpoint())
                .containsEntry("PINPIPE_JDBC_URL", stack.jdbcUrl())
                .containsEntry("PINPIPE_S3_BUCKET", stack.bucket())
                .containsEntry("PINPIPE_TOPIC", stack.topic())
                .containsEntry("PINPIPE_DLT_TOPIC", stack.deadLetterTopic())
                .containsKeys("PINPIPE_S3_REGION", "PINPIPE_S3_ACCESS_KEY", "PINPIPE_S3_SECRET_KEY", "PINPIPE_DB_USER", "PINPIPE_DB_PASSWORD");
        assertThat(LocalStackExtension.stack()).isSameAs(stack);
    }
}
