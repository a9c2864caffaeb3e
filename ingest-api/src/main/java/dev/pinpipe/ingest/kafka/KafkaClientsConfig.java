package dev.pinpipe.ingest.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;

/** What Boot does not wire itself: the health check's admin client and the producer's start/stop. */
@Configuration(proxyBeanMethods = false)
class KafkaClientsConfig {

    /** Built from Boot's {@code spring.kafka.admin.*} settings; one client reused by every health check. */
    @Bean(destroyMethod = "close")
    Admin kafkaAdminClient(KafkaAdmin kafkaAdmin) {
        return Admin.create(kafkaAdmin.getConfigurationProperties());
    }

    @Bean
    ProducerLifecycle producerLifecycle(KafkaTemplate<String, byte[]> kafka) {
        return new ProducerLifecycle(kafka);
    }
}
