package dev.pinpipe.stream;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A topic of its own for one test (3 partitions, like PinterestTopic) and a producer shaped like the
 * ingest API's: key = unique_id, value = the pin JSON bytes, acks=all.
 */
final class TestKafka implements AutoCloseable {

    final String topic;
    private final KafkaProducer<String, byte[]> producer;

    private TestKafka(String bootstrap, String topic) {
        this.topic = topic;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024); // a test sends a 1 MB value
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    static TestKafka newTopic(String bootstrap) throws Exception {
        String topic = "stream-test-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return new TestKafka(bootstrap, topic);
    }

    /** Sends and waits for the acknowledgement. */
    void send(String key, String value) throws Exception {
        sendBytes(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends and waits; returns where the record landed as {@code <partition>/<offset>}. */
    String sendBytes(String key, byte[] value) throws Exception {
        RecordMetadata sent = producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        return sent.partition() + "/" + sent.offset();
    }

    /** Sends without waiting; {@link #flush()} waits for every acknowledgement. */
    void sendAsync(String key, String value) {
        producer.send(new ProducerRecord<>(topic, key, value.getBytes(StandardCharsets.UTF_8)));
    }

    void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
