package dev.pinpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamArgsTest {

    @Test
    void defaultsAreTheLocalNames() {
        StreamArgs args = StreamArgs.parse(new String[0], Map.of());

        assertThat(args.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(args.topic()).isEqualTo("PinterestTopic");
        assertThat(args.checkpoint()).isEqualTo(Path.of(".pinpipe", "checkpoints", "stream").toString());
        assertThat(args.mode()).isEqualTo(StreamArgs.Mode.REAL_TIME);
        assertThat(args.epoch()).isEqualTo(Duration.ofMinutes(1));
        assertThat(args.trigger()).isEqualTo(Duration.ofSeconds(1));
        assertThat(args.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/pinterest");
        assertThat(args.postgres().user()).isEqualTo("pinpipe");
        assertThat(args.master()).isEmpty();
        assertThat(args.maxOffsetsPerTrigger()).isEqualTo(50_000);
        assertThat(args.metricsFile()).isEqualTo(Path.of(".pinpipe", "metrics", "stream-batches.ndjson"));
    }

    @Test
    void environmentVariablesReplaceTheDefaults() {
        StreamArgs args = StreamArgs.parse(new String[0], Map.of(
                "PINPIPE_KAFKA_BOOTSTRAP", "kafka:29092",
                "PINPIPE_JDBC_URL", "jdbc:postgresql://db:5432/pinterest",
                "PINPIPE_DB_USER", "u", "PINPIPE_DB_PASSWORD", "p",
                "PINPIPE_HOME", "/var/pinpipe"));

        assertThat(args.kafkaBootstrap()).isEqualTo("kafka:29092");
        assertThat(args.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/pinterest");
        assertThat(args.postgres().user()).isEqualTo("u");
        assertThat(args.postgres().password()).isEqualTo("p");
        assertThat(args.checkpoint()).isEqualTo("/var/pinpipe/checkpoints/stream");
    }

    @Test
    void flagsWinOverEnvironmentVariables() {
        StreamArgs args = StreamArgs.parse(new String[] {
                "--kafka-bootstrap", "b:1", "--topic=T", "--checkpoint", "s3a://bucket/checkpoints/stream",
                "--trigger", "500ms", "--jdbc-url", "jdbc:postgresql://flag/pinterest", "--master", "local[2]",
                "--max-offsets-per-trigger", "20000", "--metrics-file", "/tmp/m.ndjson"},
                Map.of("PINPIPE_KAFKA_BOOTSTRAP", "env:1", "PINPIPE_JDBC_URL", "jdbc:postgresql://env/pinterest",
                        "PINPIPE_DB_USER", "u"));

        assertThat(args.kafkaBootstrap()).isEqualTo("b:1");
        assertThat(args.topic()).isEqualTo("T");
        assertThat(args.checkpoint()).isEqualTo("s3a://bucket/checkpoints/stream");
        assertThat(args.trigger()).isEqualTo(Duration.ofMillis(500));
        assertThat(args.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://flag/pinterest");
        assertThat(args.postgres().user()).isEqualTo("u");
        assertThat(args.master()).contains("local[2]");
        assertThat(args.maxOffsetsPerTrigger()).isEqualTo(20_000);
        assertThat(args.metricsFile()).isEqualTo(Path.of("/tmp/m.ndjson"));
    }

    @Test
    void theModeComesFromTheFlagOrPinpipeStreamMode() {
        assertThat(StreamArgs.parse(new String[0], Map.of("PINPIPE_STREAM_MODE", "micro-batch")).mode())
                .isEqualTo(StreamArgs.Mode.MICRO_BATCH);
        assertThat(StreamArgs.parse(new String[] {"--mode", "real-time", "--epoch", "30s"},
                Map.of("PINPIPE_STREAM_MODE", "micro-batch"))).satisfies(args -> {
                    assertThat(args.mode()).isEqualTo(StreamArgs.Mode.REAL_TIME);
                    assertThat(args.epoch()).isEqualTo(Duration.ofSeconds(30));
                });
        assertThatThrownBy(() -> StreamArgs.parse(new String[] {"--mode", "continuous"}, Map.of()))
                .hasMessageContaining("--mode: 'continuous'");
    }

    @Test
    void triggerTakesMillisecondsSecondsOrMinutes() {
        assertThat(StreamArgs.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(StreamArgs.duration("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(StreamArgs.duration("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> StreamArgs.duration("soon")).hasMessageContaining("500ms");
    }

    @Test
    void helpAndUnknownOptionsAreReported() {
        assertThatThrownBy(() -> StreamArgs.parse(new String[] {"--help"}, Map.of()))
                .isInstanceOf(StreamArgs.HelpRequested.class);
        assertThatThrownBy(() -> StreamArgs.parse(new String[] {"--tpoic", "x"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tpoic");
        assertThatThrownBy(() -> StreamArgs.parse(new String[] {"--topic"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> StreamArgs.parse(new String[] {"--max-offsets-per-trigger", "0"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StreamArgs.USAGE).contains("--checkpoint", "--trigger", "PINPIPE_JDBC_URL");
    }

    @Test
    void thePasswordFlagIsRefusedNamingTheVariables() {
        for (String[] line : new String[][] {{"--db-password", "hunter2"}, {"--db-password=hunter2"}}) {
            assertThatThrownBy(() -> StreamArgs.parse(line, Map.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--db-password is not accepted")
                    .hasMessageContaining("PINPIPE_DB_PASSWORD or PINPIPE_DB_PASSWORD_FILE")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        }
    }

    @Test
    void thePasswordCanComeFromAFileButNotFromBoth(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("db-password"), "pw from file\n");
        StreamArgs args = StreamArgs.parse(new String[0], Map.of("PINPIPE_DB_PASSWORD_FILE", file.toString()));
        assertThat(args.postgres().password()).isEqualTo("pw from file");
        assertThat(args.toString()).doesNotContain("pw from file").contains("password=***");

        assertThatThrownBy(() -> StreamArgs.parse(new String[0],
                Map.of("PINPIPE_DB_PASSWORD", "p", "PINPIPE_DB_PASSWORD_FILE", file.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PINPIPE_DB_PASSWORD and PINPIPE_DB_PASSWORD_FILE");
    }

    @Test
    void theKafkaPropertiesFileBecomesTheSourcesKafkaOptionsAndIsMasked(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=PLAIN
                sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\
                  username="pinpipe" password="hunter2";
                metadata.max.age.ms=123456
                """);
        StreamArgs args = StreamArgs.parse(new String[] {"--kafka-bootstrap", "b:9096", "--topic", "T"},
                Map.of("PINPIPE_KAFKA_PROPERTIES_FILE", file.toString()));

        assertThat(KafkaPinSource.options(args)).containsAllEntriesOf(Map.of(
                "kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "PLAIN",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"pinpipe\" password=\"hunter2\";",
                "kafka.metadata.max.age.ms", "123456",
                "kafka.bootstrap.servers", "b:9096",
                "subscribe", "T",
                "startingOffsets", "earliest"));
        assertThat(args.toString()).contains("security.protocol=SASL_SSL", "sasl.jaas.config=***").doesNotContain("hunter2");
        assertThat(KafkaPinSource.options(StreamArgs.parse(new String[0], Map.of())))
                .as("no file: the job's own options only").containsOnlyKeys("kafka.bootstrap.servers", "subscribe",
                        "startingOffsets", "failOnDataLoss");
        assertThat(KafkaPinSource.options(StreamArgs.parse(new String[] {"--mode", "micro-batch"}, Map.of())))
                .as("micro-batches are capped").containsEntry("maxOffsetsPerTrigger", "50000");
    }

    @Test
    void aKafkaSettingThePipelineOwnsIsRefusedByName(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("client.properties"), "isolation.level=read_uncommitted\n");

        assertThatThrownBy(() -> StreamArgs.parse(new String[0], Map.of("PINPIPE_KAFKA_PROPERTIES_FILE", file.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PINPIPE_KAFKA_PROPERTIES_FILE: isolation.level cannot be set there");
    }

    @Test
    void theDriverListensOnTheBindAddress() {
        StreamArgs local = StreamArgs.parse(new String[0], Map.of());
        assertThat(local.binding().localSparkConf()).containsEntry("spark.driver.bindAddress", "127.0.0.1");
        assertThat(local.binding().uiMismatch(Map.of("SPARK_LOCAL_IP", "127.0.0.1"))).isEmpty();
        assertThat(local.binding().uiMismatch(Map.of())).get().asString().contains("0.0.0.0", "SPARK_LOCAL_IP=127.0.0.1");

        StreamArgs open = StreamArgs.parse(new String[0], Map.of("PINPIPE_BIND_ADDRESS", "0.0.0.0"));
        assertThat(open.binding().localSparkConf()).containsEntry("spark.driver.bindAddress", "0.0.0.0")
                .containsEntry("spark.driver.host", "127.0.0.1");
        assertThat(open.binding().uiMismatch(Map.of())).isEmpty();
    }
}
