package dev.pinpipe.spring;

import dev.pinpipe.core.kafka.KafkaClientProperties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The file of {@link KafkaClientProperties} as Boot's {@code spring.kafka.properties.*}, which every Kafka
 * client of a service takes (producers, consumers, admin clients). Last in precedence: a key a service
 * sets for one client in its application.yml (a timeout, say) keeps the service's value.
 */
public class KafkaClientPropertiesSource implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(KafkaClientProperties.FILE_VARIABLE,
                KafkaClientProperties.fromEnv(environment::getProperty).springProperties()));
    }
}
