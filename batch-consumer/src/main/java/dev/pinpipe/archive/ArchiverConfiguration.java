package dev.pinpipe.archive;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.SendResult;
import org.springframework.util.backoff.ExponentialBackOff;
import software.amazon.awssdk.services.s3.S3Client;

/** Wires the archiver: its listener container, the dead-letter recoverer and the S3 store. */
@Configuration(proxyBeanMethods = false)
class ArchiverConfiguration {

    @Bean
    PinArchiver pinArchiver(ArchiveStore store, DeadLetterPublishingRecoverer deadLetters, MeterRegistry registry,
            ArchiveProperties properties) {
        ArchiveMetrics metrics = new ArchiveMetrics(registry);
        return new PinArchiver(store, new DeadLetters(deadLetters, metrics), metrics, properties, Clock.systemUTC());
    }

    @Bean
    ArchiveStore archiveStore(S3Client s3, S3Properties properties) {
        return new ArchiveStore(s3, properties);
    }

    /**
     * Invalid pins go to the DLT with their original key, value and headers and spring-kafka's standard
     * headers: {@code kafka_dlt-exception-fqcn}, {@code -exception-cause-fqcn}, {@code -exception-message}
     * (the validator's reasons), {@code kafka_dlt-original-topic}, {@code -partition}, {@code -offset},
     * {@code -timestamp}, {@code -timestamp-type}, {@code -consumer-group}. The producer picks the DLT
     * partition, so the DLT needs no particular partition count. No stack trace: the reason is the whole story.
     */
    @Bean
    DeadLetterPublishingRecoverer deadLetterRecoverer(KafkaOperations<?, ?> template, ArchiveProperties properties) {
        DeadLetterPublishingRecoverer recoverer = new CauseKeepingRecoverer(template,
                (record, exception) -> new TopicPartition(properties.dltTopic(), -1));
        recoverer.excludeHeader(HeadersToAdd.EX_STACKTRACE);
        return recoverer;
    }

    /**
     * A batch listener whose offsets only {@link PinArchiver} commits (MANUAL with no acknowledgment:
     * the container itself never commits). A failed S3 write, commit or DLT send is retried by the
     * {@code DefaultErrorHandler}: consumer paused, exponential back-off, the same batch delivered
     * again, forever (an archive must not skip records), resuming when it succeeds. No exception type is
     * "not retryable": the listener settles every content problem itself (DLT), so whatever reaches the
     * handler is an outage, and the handler's recovery (logging the batch away) would leave a hole in the
     * archive. Idle-partition events drive the wall-clock flush of open objects.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<byte[], byte[]> archiverContainerFactory(
            ConsumerFactory<byte[], byte[]> consumerFactory, ObjectProvider<PinArchiver> archiver, ArchiveProperties properties) {
        ExponentialBackOff backOff = new ExponentialBackOff(properties.retryInitial().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryMax().toMillis());

        ConcurrentKafkaListenerContainerFactory<byte[], byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumerFactory);
        factory.setBatchListener(true);
        factory.setConcurrency(properties.concurrency());
        DefaultErrorHandler errorHandler = new DefaultErrorHandler(backOff);
        errorHandler.setClassifications(Map.of(), true);
        errorHandler.setRetryListeners(new OutageLog());
        factory.setCommonErrorHandler(errorHandler);
        ContainerProperties container = factory.getContainerProperties();
        container.setAckMode(AckMode.MANUAL);
        container.setAssignmentCommitOption(ContainerProperties.AssignmentCommitOption.NEVER);
        container.setIdlePartitionEventInterval(properties.rotateInterval().toMillis());
        // looked up when the container is created: the archiver's own @KafkaListener refers to this factory
        factory.setContainerCustomizer(c -> c.getContainerProperties().setConsumerRebalanceListener(archiver.getObject()));
        return factory;
    }

    /**
     * The standard recoverer, except that a send refused at once (the producer's own record-size check
     * throws from {@code send}) is thrown with its cause: the stock one logs it and throws without it,
     * and {@link DeadLetters} needs the cause to tell a record too large (permanent) from an outage.
     */
    static final class CauseKeepingRecoverer extends DeadLetterPublishingRecoverer {

        CauseKeepingRecoverer(KafkaOperations<?, ?> template,
                BiFunction<ConsumerRecord<?, ?>, Exception, TopicPartition> destinationResolver) {
            super(template, destinationResolver);
        }

        @Override
        protected void publish(ProducerRecord<Object, Object> outRecord, KafkaOperations<Object, Object> template,
                ConsumerRecord<?, ?> inRecord) {
            CompletableFuture<SendResult<Object, Object>> result;
            try {
                result = template.send(outRecord);
            } catch (RuntimeException e) {
                throw new KafkaException("Dead-letter publication to " + outRecord.topic() + " failed for: "
                        + KafkaUtils.format(inRecord), e);
            }
            verifySendResult(template, outRecord, result, inRecord);
        }
    }

    /** Says when archiving stalls (S3 or Kafka unavailable) and that it is still retrying, without a line per attempt. */
    private static final class OutageLog implements RetryListener {

        private static final Logger log = LoggerFactory.getLogger(PinArchiver.class);

        @Override
        public void failedDelivery(ConsumerRecords<?, ?> records, Exception ex, int deliveryAttempt) {
            if (deliveryAttempt == 1 || deliveryAttempt % 10 == 0) {
                Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                log.warn("Archiving paused, nothing committed, retrying (attempt {}): {}", deliveryAttempt, cause.toString());
            }
        }

        @Override
        public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
            // batch listener: only the batch variant is called
        }
    }
}
