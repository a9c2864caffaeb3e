package dev.pinpipe.archive;

import dev.pinpipe.core.kafka.KafkaClientProperties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The file of {@link KafkaClientProperties} as Boot's {@code spring.kafka.properties.*}, which the consumer,
 * the dead-letter producer and the admin client all take. Last in precedence: a key this service
 * sets for one client in application.yml (a timeout, say) keeps the service's value. Registered in spring.factories.
 */
public class KafkaClientPropertiesSource implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource(KafkaClientProperties.FILE_VARIABLE,
                KafkaClientProperties.fromEnv(environment::getProperty).springProperties()));
    }
}
