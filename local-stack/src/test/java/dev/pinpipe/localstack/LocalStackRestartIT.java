package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Data survives restarts and crashes: each server stopped and started, then killed with {@code kill -9}
 * and started, through the control channel, then the whole
 * child process relaunched on the same data folder. Uses its own stack (not the shared one) because it
 * stops servers and needs to own the data folder. Always the embedded engine: surviving a relaunch on the
 * same folder is its promise; containers keep their data across stop/start only (README).
 */
class LocalStackRestartIT {

    private static final String GROUP = "restart-it";
    private static final String OBJECT = "pins/dt=2026-11-27/restart-it.json";
    private static final List<String> VALUES = List.of("v0", "v1", "v2", "v3");

    @Test
    void kafkaOffsetsS3ObjectsAndPostgresRowsSurviveEveryRestart() throws Exception {
        Path run = Path.of("target", "local-stack", "restart-" + System.currentTimeMillis()).toAbsolutePath();
        Path data = run.resolve("data");

        try (LocalStack stack = LocalStack.launch(data, run.resolve("first.log"), "embedded")) {
            write(stack);
            assertDataKept(stack);

            stack.stopKafka();
            stack.startKafka();
            assertDataKept(stack);

            stack.stopS3();
            try (S3Client s3 = Clients.s3(stack)) {
                assertThatThrownBy(() -> s3.listBuckets()).isInstanceOf(SdkClientException.class);
            }
            stack.startS3();
            assertDataKept(stack);

            stack.stopPostgres();
            assertThatThrownBy(() -> Clients.jdbc(stack).close()).isInstanceOf(SQLException.class);
            stack.startPostgres();
            assertDataKept(stack);

            // crashes: each server is a process of its own, so kill -9 takes down that one alone
            stack.killKafka();
            try (S3Client s3 = Clients.s3(stack); Connection c = Clients.jdbc(stack)) {
                assertThat(s3.listBuckets().buckets()).isNotEmpty();
                assertThat(c.isValid(5)).isTrue();
            }
            stack.startKafka();
            assertDataKept(stack);
            stack.killS3();
            stack.startS3();
            assertDataKept(stack);
            stack.killPostgres();
            assertThatThrownBy(() -> Clients.jdbc(stack).close()).isInstanceOf(SQLException.class);
            stack.startPostgres();
            assertDataKept(stack);
            assertCommitsSurviveAPostgresCrash(stack);
        }

        try (LocalStack again = LocalStack.launch(data, run.resolve("second.log"), "embedded")) {
            assertDataKept(again);
        }
    }

    /** Partition 0 of the stack's pin topic. */
    private static TopicPartition partition(LocalStack stack) {
        return new TopicPartition(stack.topic(), 0);
    }

    private static void write(LocalStack stack) throws Exception {
        TopicPartition partition = partition(stack);
        try (KafkaProducer<String, String> producer = Clients.producer(stack)) {
            for (String value : VALUES) {
                producer.send(new ProducerRecord<>(partition.topic(), partition.partition(), "k", value)).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(stack, GROUP)) {
            consumer.commitSync(Map.of(partition, new OffsetAndMetadata(2)));
        }
        try (S3Client s3 = Clients.s3(stack)) {
            s3.putObject(b -> b.bucket(stack.bucket()).key(OBJECT), RequestBody.fromString("kept\n"));
        }
        try (Connection c = Clients.jdbc(stack); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO pipeline_runs (job, run_id, started_at) VALUES ('batch', 'restart-it', now())");
        }
    }

    /** Single-row commits in a loop, a kill -9 in the middle: every commit that returned is there after restart. */
    private static void assertCommitsSurviveAPostgresCrash(LocalStack stack) throws Exception {
        try (Connection c = Clients.jdbc(stack); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS crash_it (id int PRIMARY KEY)");
        }
        List<Integer> committed = Collections.synchronizedList(new ArrayList<>());
        Thread writer = new Thread(() -> {
            try (Connection c = Clients.jdbc(stack); Statement st = c.createStatement()) {
                for (int id = 0; ; id++) {
                    st.executeUpdate("INSERT INTO crash_it VALUES (" + id + ")");
                    committed.add(id);   // autocommit: the commit has returned
                }
            } catch (SQLException crashed) {
                // the server is gone
            }
        });
        writer.start();
        Thread.sleep(1500);
        stack.killPostgres();
        writer.join(30_000);
        stack.startPostgres();
        assertThat(committed).as("commits before the crash").hasSizeGreaterThan(10);
        try (Connection c = Clients.jdbc(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM crash_it WHERE id <= " + committed.get(committed.size() - 1))) {
            rs.next();
            assertThat(rs.getInt(1)).as("committed rows after kill -9 and restart").isEqualTo(committed.size());
        }
    }

    private static void assertDataKept(LocalStack stack) throws Exception {
        TopicPartition partition = partition(stack);
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
            assertThat(committed.get(partition).offset()).isEqualTo(2);
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(stack, "reader-" + System.nanoTime())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < VALUES.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            assertThat(values).containsExactlyElementsOf(VALUES);
        }
        try (S3Client s3 = Clients.s3(stack)) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket(stack.bucket()).key(OBJECT)).asUtf8String()).isEqualTo("kept\n");
        }
        try (Connection c = Clients.jdbc(stack); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pipeline_runs WHERE run_id = 'restart-it'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
