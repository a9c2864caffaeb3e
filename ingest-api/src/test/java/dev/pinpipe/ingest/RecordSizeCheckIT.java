package dev.pinpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinpipe.core.config.Settings;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.unit.DataSize;

/**
 * The API refuses to start when its largest pin ({@code max-body-size}, as a canonical record) would
 * not fit Kafka: the topic's {@code max.message.bytes} (the broker's {@code message.max.bytes} before
 * the topic exists) or the producer's {@code max.request.size}. The broker is local-stack's, with
 * Kafka's default limits (1 MiB + 12 bytes).
 */
@ExtendWith(LocalStackExtension.class)
class RecordSizeCheckIT {

    @Test
    void theDefaultsFit(LocalStack stack) {
        try (ConfigurableApplicationContext app = start(stack)) {
            assertThat(app.isRunning()).isTrue();
            // the settings are the catalogue's (or the environment's, as every process reads them)
            IngestProperties settings = app.getBean(IngestProperties.class);
            assertThat(settings.topic()).isEqualTo(PinIngestIT.TOPIC);
            assertThat(settings.maxBodySize()).isEqualTo(DataSize.parse(Settings.INGEST_MAX_BODY_SIZE.value(System::getenv)));
            assertThat(settings.maxBatchPins()).isEqualTo(Settings.INGEST_MAX_BATCH_PINS.intValue(System::getenv));
            assertThat(settings.ackTimeout()).isEqualTo(DurationStyle.detectAndParse(Settings.INGEST_ACK_TIMEOUT.value(System::getenv)));
            assertThat(settings.healthTimeout()).isEqualTo(DurationStyle.detectAndParse(Settings.INGEST_HEALTH_TIMEOUT.value(System::getenv)));
        }
    }

    @Test
    void aBodyLimitOverTheTopicsMaxMessageBytesStopsStartUp(LocalStack stack) {
        assertThatThrownBy(() -> start(stack, "--" + Settings.INGEST_MAX_BODY_SIZE.variable() + "=1100KB").close())
                .rootCause().hasMessageContainingAll("pinpipe.ingest.max-body-size (1126400 bytes) does not fit",
                        "the topic " + PinIngestIT.TOPIC + "'s max.message.bytes (1048588 bytes)")
                .hasMessageNotContaining("max.request.size (");
    }

    @Test
    void aTopicNotCreatedYetIsCheckedAgainstTheBrokersMessageMaxBytes(LocalStack stack) {
        String topic = "NotCreatedYet-" + UUID.randomUUID();
        assertThatThrownBy(() -> start(stack, "--" + Settings.TOPIC.variable() + "=" + topic, "--pinpipe.ingest.max-body-size=1100KB").close())
                .rootCause().hasMessageContainingAll("pinpipe.ingest.max-body-size (1126400 bytes)",
                        "the broker's message.max.bytes (the topic " + topic + " does not exist yet) (1048588 bytes)");
    }

    @Test
    void aBodyLimitOverTheProducersMaxRequestSizeStopsStartUp(LocalStack stack) {
        assertThatThrownBy(() -> start(stack, "--spring.kafka.producer.properties.max.request.size=1000000").close())
                .rootCause().hasMessageContainingAll("pinpipe.ingest.max-body-size (1024000 bytes) does not fit the producer's "
                        + "max.request.size (1000000 bytes)", "spring.kafka.producer.properties.max.request.size");
    }

    private static ConfigurableApplicationContext start(LocalStack stack, String... args) {
        List<String> all = new ArrayList<>(List.of("--server.port=0", "--spring.kafka.bootstrap-servers=" + stack.kafkaBootstrap()));
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(IngestApiApplication.class).run(all.toArray(String[]::new));
    }
}
