package dev.pinpipe.core.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class KafkaClientPropertiesTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"pinpipe\" password=\"s3cr=t;\\\"x\";";

    @TempDir
    Path dir;

    @Test
    void readsKafkasClientPropertiesFormatValuesWithSpacesQuotesAndEqualsSigns() throws IOException {
        Path file = write("""
                # a comment
                security.protocol=SASL_SSL
                sasl.mechanism = SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\
                    username="pinpipe" password="s3cr=t;\\\\"x";
                ssl.truststore.location=/etc/kafka/truststore.jks
                ssl.endpoint.identification.algorithm=
                """);

        KafkaClientProperties properties = KafkaClientProperties.fromEnv(Map.of(KafkaClientProperties.FILE_VARIABLE, file + "\n")::get);

        assertThat(properties.entries()).containsExactly(
                Map.entry("sasl.jaas.config", JAAS),
                Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("ssl.endpoint.identification.algorithm", ""),
                Map.entry("ssl.truststore.location", "/etc/kafka/truststore.jks"));
        assertThat(properties.prefixed("kafka.")).containsEntry("kafka.security.protocol", "SASL_SSL").hasSize(5);
    }

    @Test
    void unsetOrBlankIsNoSetting() {
        assertThat(KafkaClientProperties.fromEnv(Map.<String, String>of()::get).isEmpty()).isTrue();
        assertThat(KafkaClientProperties.fromEnv(Map.of(KafkaClientProperties.FILE_VARIABLE, " ")::get))
                .isEqualTo(KafkaClientProperties.NONE);
    }

    static final String[] REFUSED = {"bootstrap.servers", "key.serializer", "value.deserializer", "enable.idempotence",
        "acks", "isolation.level", "enable.auto.commit", "transactional.id", "group.id", "auto.offset.reset"};

    @ParameterizedTest
    @FieldSource("REFUSED")
    void aSettingThePipelineOwnsIsRefusedByName(String key) throws IOException {
        Path file = write("security.protocol=SSL\n" + key + "=x\n");

        assertThatThrownBy(() -> KafkaClientProperties.load(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PINPIPE_KAFKA_PROPERTIES_FILE: " + key + " cannot be set there");
    }

    @Test
    void aLineThatIsNoSettingIsRefusedWithoutQuotingIt() throws IOException {
        // a JAAS config wrapped without its trailing backslash: the second line parses as a key of its own
        Path file = write("sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required\n"
                + "  password=\"hunter2\";\n");

        assertThatThrownBy(() -> KafkaClientProperties.load(file))
                .hasMessageContaining("a key is not a setting of Kafka's producer, consumer or admin client")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aMisspelledSettingIsRefused() throws IOException {
        Path file = write("security.protocl=SASL_SSL\n");

        assertThatThrownBy(() -> KafkaClientProperties.load(file)).hasMessage("PINPIPE_KAFKA_PROPERTIES_FILE: a key is not a "
                + "setting of Kafka's producer, consumer or admin client; it starts with 'sec…'");
        assertThat(KafkaClientProperties.load(write("config.providers=file\nconfig.providers.file.class="
                + "org.apache.kafka.common.config.provider.FileConfigProvider\n")).entries()).hasSize(2);
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("missing.properties");
        assertThatThrownBy(() -> KafkaClientProperties.fromEnv(Map.of(KafkaClientProperties.FILE_VARIABLE, missing.toString())::get))
                .hasMessage("PINPIPE_KAFKA_PROPERTIES_FILE: cannot read " + missing + " as a .properties file (NoSuchFileException)");
    }

    @Test
    void toStringMasksSecretsAndShowsTheRest() {
        KafkaClientProperties properties = new KafkaClientProperties(Map.of(
                "security.protocol", "SASL_SSL",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.password", "trust-pw",
                "ssl.key.password", "key-pw",
                "ssl.keystore.key", "-----BEGIN PRIVATE KEY-----",
                "sasl.oauthbearer.client.credentials.client.secret", "oauth-secret",
                "ssl.keystore.location", "/etc/kafka/keystore.p12"));

        assertThat(properties.toString())
                .contains("security.protocol=SASL_SSL", "ssl.keystore.location=/etc/kafka/keystore.p12",
                        "sasl.jaas.config=***", "ssl.truststore.password=***", "ssl.key.password=***",
                        "ssl.keystore.key=***", "sasl.oauthbearer.client.credentials.client.secret=***")
                .doesNotContain("s3cr", "trust-pw", "key-pw", "BEGIN", "oauth-secret");
    }

    @Test
    void springPropertiesLeaveKafkasConfigProviderReferencesToKafka() {
        KafkaClientProperties properties = new KafkaClientProperties(Map.of(
                "metadata.max.age.ms", "123456", "ssl.keystore.password", "${file:/run/secrets/kafka.properties:pw}"));

        assertThat(properties.springProperties()).containsExactly(
                Map.entry("spring.kafka.properties.metadata.max.age.ms", "123456"),
                Map.entry("spring.kafka.properties.ssl.keystore.password", "\\${file:/run/secrets/kafka.properties:pw}"));
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("client.properties"), text);
    }
}
