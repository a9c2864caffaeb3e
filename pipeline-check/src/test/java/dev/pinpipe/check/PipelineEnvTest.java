package dev.pinpipe.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks read the variables every process reads, with the catalogue's defaults. */
class PipelineEnvTest {

    @Test
    void defaultsAreTheCatalogues() {
        PipelineEnv env = PipelineEnv.from(Map.of());
        assertThat(env.topic()).isEqualTo(Settings.TOPIC.localDefault());
        assertThat(env.deadLetterTopic()).isEqualTo(Settings.DLT_TOPIC.localDefault());
        assertThat(env.kafkaBootstrap()).isEqualTo(Settings.KAFKA_BOOTSTRAP.localDefault());
        assertThat(env.jdbcUrl()).isEqualTo(Settings.JDBC_URL.localDefault());
        assertThat(env.dbPassword()).isEqualTo(Settings.DB_PASSWORD.localDefault());
        assertThat(env.archiveKeyPrefix()).isEqualTo(Settings.S3_PREFIX.localDefault() + "/");
        assertThat(env.s3PathStyle()).isTrue();
    }

    @Test
    void variablesWinAndTheDeadLetterTopicFollowsTheTopic() {
        PipelineEnv env = PipelineEnv.from(Map.of("PINPIPE_TOPIC", "Elsewhere", "PINPIPE_KAFKA_PORT", "19092",
                "PINPIPE_PG_PORT", "15432", "PINPIPE_S3_PREFIX", "archive/", "PINPIPE_API_URL", "http://api:1"));
        assertThat(env.topic()).isEqualTo("Elsewhere");
        assertThat(env.deadLetterTopic()).isEqualTo("Elsewhere.DLT");
        assertThat(env.kafkaBootstrap()).isEqualTo("127.0.0.1:19092");
        assertThat(env.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:15432/pinterest");
        assertThat(env.archiveKeyPrefix()).as("one slash, given or not").isEqualTo("archive/");
        assertThat(env.apiUrl()).isEqualTo("http://api:1");
    }
}
