package dev.pinpipe.check;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** End offsets of the pin topic and its dead-letter topic ({@code PINPIPE_TOPIC}, {@code PINPIPE_DLT_TOPIC}): how many records each has ever held. */
public record TopicCensus(long pinRecords, long deadLetters) {

    public static TopicCensus take(PipelineEnv env) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafkaBootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        // counting must not create a topic the pipeline never used
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            return new TopicCensus(total(consumer, env.topic()), total(consumer, env.deadLetterTopic()));
        }
    }

    private static long total(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .collect(Collectors.toList());
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        return ends.values().stream().mapToLong(Long::longValue).sum();
    }
}
