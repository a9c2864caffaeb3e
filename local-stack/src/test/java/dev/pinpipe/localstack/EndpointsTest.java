package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointsTest {

    private final Endpoints endpoints = new Endpoints("127.0.0.1", 9092, 9000, 5432);

    @Test
    void defaultPortsGiveTheCatalogueDefaults() {
        assertThat(endpoints.env())
                .containsEntry("PINPIPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
                .containsEntry("PINPIPE_S3_ENDPOINT", "http://127.0.0.1:9000")
                .containsEntry("PINPIPE_S3_REGION", "us-east-1")
                .containsEntry("PINPIPE_S3_ACCESS_KEY", "pinpipe")
                .containsEntry("PINPIPE_S3_SECRET_KEY", "pinpipe-secret")
                .containsEntry("PINPIPE_S3_BUCKET", "pinterestdata")
                .containsEntry("PINPIPE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/pinterest")
                .containsEntry("PINPIPE_DB_USER", "pinpipe")
                .containsEntry("PINPIPE_DB_PASSWORD", "pinpipe")
                .containsEntry("PINPIPE_TOPIC", "PinterestTopic")
                .containsEntry("PINPIPE_DLT_TOPIC", "PinterestTopic.DLT");
        assertThat(endpoints.env().keySet()).allMatch(Settings::isKnown);
    }

    @Test
    void namesComeFromTheEnvironmentTheDeadLetterTopicFollowingTheTopic() {
        Endpoints.Names names = Endpoints.Names.from(Map.of("PINPIPE_TOPIC", "Other", "PINPIPE_S3_BUCKET", "elsewhere")::get);
        assertThat(names).isEqualTo(new Endpoints.Names("Other", "Other.DLT", "elsewhere"));
        assertThat(new Endpoints("127.0.0.1", 9092, 9000, 5432, 1, names).env())
                .containsEntry("PINPIPE_TOPIC", "Other")
                .containsEntry("PINPIPE_DLT_TOPIC", "Other.DLT")
                .containsEntry("PINPIPE_S3_BUCKET", "elsewhere");
        assertThat(Endpoints.Names.from(Map.of("PINPIPE_TOPIC", "Other", "PINPIPE_DLT_TOPIC", "Dead")::get).deadLetterTopic())
                .isEqualTo("Dead");
    }

    @Test
    void jsonIsOneFlatObjectOfTheEnvWithoutSecrets() {
        assertThat(endpoints.json())
                .startsWith("{\"PINPIPE_KAFKA_BOOTSTRAP\":\"127.0.0.1:9092\",")
                .endsWith("\"PINPIPE_PG_PORT\":\"5432\"}")
                .doesNotContain("\n")
                .doesNotContain("PASSWORD", "SECRET", Endpoints.S3_SECRET_KEY);
    }

    @Test
    void psqlLineConnectsOverTcp() {
        assertThat(endpoints.psqlCommand()).isEqualTo("psql -h 127.0.0.1 -p 5432 -U pinpipe pinterest");
    }
}
