package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

/**
 * The stack with Kafka as a cluster of three brokers ({@code PINPIPE_KAFKA_BROKERS=3}), each a process
 * of its own: the topics have three replicas and {@code min.insync.replicas=2}, so with one broker
 * killed every acknowledged record is still there and producers with {@code acks=all} go on. It also
 * runs under a topic name of its own ({@code PINPIPE_TOPIC}): the stack creates that topic and its DLT,
 * never the catalogue's default, and hands the names on in its environment.
 */
class LocalStackClusterIT {

    private static final String TOPIC = "ClusterPins";

    @Test
    void threeBrokersKeepEveryAcknowledgedRecordWhileOneIsDown() throws Exception {
        Path run = Path.of("target", "local-stack", "cluster-" + System.currentTimeMillis()).toAbsolutePath();
        try (LocalStack stack = LocalStack.launch(run.resolve("data"), run.resolve("stack.log"), "embedded",
                Map.of(Settings.KAFKA_BROKERS.variable(), "3", Settings.TOPIC.variable(), TOPIC))) {
            assertThat(stack.kafkaBootstrap().split(",")).hasSize(3);
            assertThat(stack.env()).containsEntry("PINPIPE_KAFKA_BROKERS", "3")
                    .containsEntry("PINPIPE_TOPIC", TOPIC).containsEntry("PINPIPE_DLT_TOPIC", TOPIC + ".DLT");
            assertThat(stack.deadLetterTopic()).isEqualTo(TOPIC + ".DLT");
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
            try (Admin admin = Admin.create(p)) {
                assertThat(admin.describeCluster().nodes().get()).hasSize(3);
                assertThat(admin.listTopics().names().get()).contains(TOPIC, TOPIC + ".DLT")
                        .doesNotContain(Settings.TOPIC.localDefault(), Settings.DLT_TOPIC.localDefault());
                for (String topic : List.of(stack.topic(), stack.deadLetterTopic())) {
                    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                    assertThat(d.partitions()).hasSize(3).allSatisfy(part -> assertThat(part.replicas()).hasSize(3));
                    ConfigEntry minIsr = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, topic)))
                            .all().get().values().iterator().next().get("min.insync.replicas");
                    assertThat(minIsr.value()).isEqualTo("2");
                }
            }

            List<String> sent = new ArrayList<>();
            try (KafkaProducer<String, String> producer = Clients.producer(stack)) {
                send(producer, sent, "before", 100);
                stack.killKafkaBroker(2);
                send(producer, sent, "one-down", 100);   // two in-sync replicas left: still acknowledged
                stack.startKafkaBroker(2);
                send(producer, sent, "after", 100);
            }
            stack.killKafkaBroker(1);
            assertThat(readAll(stack, sent.size())).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    private static void send(KafkaProducer<String, String> producer, List<String> sent, String prefix, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            String value = prefix + "-" + i;
            producer.send(new ProducerRecord<>(TOPIC, value, value)).get();
            sent.add(value);
        }
    }

    private static List<String> readAll(LocalStack stack, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(stack, "cluster-it-" + System.nanoTime())) {
            List<TopicPartition> partitions = List.of(0, 1, 2).stream().map(i -> new TopicPartition(TOPIC, i)).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
