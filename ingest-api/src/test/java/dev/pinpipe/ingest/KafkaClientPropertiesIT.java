package dev.pinpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;

/**
 * The file {@code PINPIPE_KAFKA_PROPERTIES_FILE} names reaches the producer and the admin client (which
 * the health check and the start-up size check use), against local-stack's real broker; a setting the
 * pipeline owns stops start-up.
 */
@ExtendWith(LocalStackExtension.class)
class KafkaClientPropertiesIT {

    /** Harmless settings Spring does not set itself, and a Kafka config-provider reference Spring must not resolve. */
    static final Map<String, Object> FILE_SETTINGS = Map.of(
            "metadata.max.age.ms", "123456",
            "reconnect.backoff.max.ms", "4321",
            "sasl.kerberos.service.name", "${file:/nowhere/kafka.properties:service}");

    @TempDir
    Path dir;

    @Test
    void theFilesSettingsReachTheProducerAndTheAdminClientAndPinsStillFlow(LocalStack stack) throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), """
                metadata.max.age.ms=123456
                reconnect.backoff.max.ms=4321
                sasl.kerberos.service.name=${file:/nowhere/kafka.properties:service}
                # the service's own per-client value wins over the file's
                request.timeout.ms=30000
                """);
        try (ConfigurableApplicationContext app = start(stack, file)) {
            Map<String, Object> producer = app.getBean(ProducerFactory.class).getConfigurationProperties();
            Map<String, Object> admin = app.getBean(KafkaAdmin.class).getConfigurationProperties();

            assertThat(producer).containsAllEntriesOf(FILE_SETTINGS).containsEntry("request.timeout.ms", "1500");
            assertThat(admin).containsAllEntriesOf(FILE_SETTINGS).containsEntry("request.timeout.ms", "2000");

            // the producer publishes, and the health check's admin client sees the cluster
            Api api = new Api(app.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
            assertThat(api.postJson("/pin", TestPins.fresh(1).get(0)).statusCode()).isEqualTo(200);
            Api management = new Api(app.getEnvironment().getRequiredProperty("local.management.port", Integer.class));
            assertThat(management.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aSettingThePipelineOwnsStopsStartUpNamingIt(LocalStack stack) throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), "security.protocol=PLAINTEXT\nacks=0\n");

        assertThatThrownBy(() -> start(stack, file).close())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("PINPIPE_KAFKA_PROPERTIES_FILE: acks cannot be set there");
    }

    private static ConfigurableApplicationContext start(LocalStack stack, Path file) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + stack.kafkaBootstrap(), "--PINPIPE_KAFKA_PROPERTIES_FILE=" + file));
        return new SpringApplicationBuilder(IngestApiApplication.class).run(args.toArray(String[]::new));
    }
}
