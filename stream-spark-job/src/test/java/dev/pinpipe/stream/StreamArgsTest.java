package dev.pinpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinpipe.core.config.Settings;
import dev.pinpipe.spark.JobCommandLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

class StreamArgsTest {

    @Test
    void defaultsAreTheLocalNames() {
        StreamArgs args = StreamArgs.parse(new String[0], Map.of());

        assertThat(args.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(args.topic()).isEqualTo(Settings.TOPIC.localDefault());
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
        assertThat(args.metricsFile()).isEqualTo(Path.of("/var/pinpipe/metrics/stream-batches.ndjson"));
    }

    @Test
    void everyFlagReadsItsCatalogueVariable() {
        StreamArgs args = StreamArgs.parse(new String[0], Map.of(
                "PINPIPE_TOPIC", "OtherTopic",
                "PINPIPE_STREAM_CHECKPOINT", "s3a://bucket/checkpoints/stream",
                "PINPIPE_STREAM_EPOCH", "30s",
                "PINPIPE_STREAM_TRIGGER", "250ms",
                "PINPIPE_STREAM_MAX_OFFSETS_PER_TRIGGER", "1234",
                "PINPIPE_STREAM_METRICS_FILE", "/tmp/metrics.ndjson",
                "PINPIPE_SPARK_MASTER", "spark://master:7077",
                "PINPIPE_PG_PORT", "15432"));

        assertThat(args.topic()).isEqualTo("OtherTopic");
        assertThat(args.checkpoint()).isEqualTo("s3a://bucket/checkpoints/stream");
        assertThat(args.epoch()).isEqualTo(Duration.ofSeconds(30));
        assertThat(args.trigger()).isEqualTo(Duration.ofMillis(250));
        assertThat(args.maxOffsetsPerTrigger()).isEqualTo(1234);
        assertThat(args.metricsFile()).isEqualTo(Path.of("/tmp/metrics.ndjson"));
        assertThat(args.master()).contains("spark://master:7077");
        assertThat(args.postgres().jdbcUrl()).as("the default URL follows the port").isEqualTo("jdbc:postgresql://127.0.0.1:15432/pinterest");
    }

    @Test
    void aBlankVariableCountsAsUnset() {
        StreamArgs args = StreamArgs.parse(new String[0], Map.of("PINPIPE_TOPIC", " ", "PINPIPE_STREAM_MODE", ""));
        assertThat(args.topic()).isEqualTo(Settings.TOPIC.localDefault());
        assertThat(args.mode()).isEqualTo(StreamArgs.Mode.REAL_TIME);
    }

    @Test
    void flagsWinOverEnvironmentVariables() {
        StreamArgs args = StreamArgs.parse(new String[] {
                "--kafka-bootstrap", "b:1", "--topic=T", "--checkpoint", "s3a://bucket/checkpoints/stream",
                "--trigger", "500ms", "--jdbc-url", "jdbc:postgresql://flag/pinterest", "--master", "local[2]",
                "--max-offsets-per-trigger", "20000", "--metrics-file", "/tmp/m.ndjson"},
                Map.of("PINPIPE_KAFKA_BOOTSTRAP", "env:1", "PINPIPE_JDBC_URL", "jdbc:postgresql://env/pinterest",
                        "PINPIPE_DB_USER", "u", "PINPIPE_TOPIC", "EnvTopic", "PINPIPE_STREAM_CHECKPOINT", "/env/checkpoint",
                        "PINPIPE_STREAM_TRIGGER", "5s", "PINPIPE_SPARK_MASTER", "spark://env:7077",
                        "PINPIPE_STREAM_MAX_OFFSETS_PER_TRIGGER", "7", "PINPIPE_STREAM_METRICS_FILE", "/env/m.ndjson"));

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
                .isInstanceOf(ParameterException.class)
                .hasMessage("Invalid value for option '--mode': 'continuous' is neither real-time nor micro-batch");
    }

    @Test
    void durationsTakeMillisecondsSecondsOrMinutes() {
        StreamCommand.DurationConverter duration = new StreamCommand.DurationConverter();
        assertThat(duration.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(duration.convert("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(duration.convert("1m")).isEqualTo(Duration.ofMinutes(1));
        assertThatThrownBy(() -> StreamArgs.parse(new String[] {"--trigger", "soon"}, Map.of()))
                .isInstanceOf(ParameterException.class)
                .hasMessage("Invalid value for option '--trigger': 'soon' is not a duration like 500ms, 1s or 2m");
    }

    @Test
    void aBadValueFromAVariableNamesTheVariable() {
        assertThatThrownBy(() -> StreamArgs.parse(new String[0], Map.of("PINPIPE_STREAM_EPOCH", "soon")))
                .isInstanceOf(ParameterException.class)
                .hasMessage("Invalid value for option '--epoch': 'soon' is not a duration like 500ms, 1s or 2m (from PINPIPE_STREAM_EPOCH)");
        assertThatThrownBy(() -> StreamArgs.parse(new String[0], Map.of("PINPIPE_STREAM_MAX_OFFSETS_PER_TRIGGER", "-1")))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("'--max-offsets-per-trigger'").hasMessageEndingWith("(from PINPIPE_STREAM_MAX_OFFSETS_PER_TRIGGER)");
        assertThat(StreamArgs.parse(new String[] {"--epoch", "5s"}, Map.of("PINPIPE_STREAM_EPOCH", "soon")).epoch())
                .as("a flag wins over a bad variable").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void unknownOptionsAndMissingValuesAreUsageErrors() {
        assertThatThrownBy(() -> StreamArgs.parse(new String[] {"--tpoic", "x"}, Map.of()))
                .isInstanceOf(ParameterException.class).hasMessageContaining("--tpoic");
        assertThatThrownBy(() -> StreamArgs.parse(new String[] {"--topic"}, Map.of()))
                .isInstanceOf(ParameterException.class).hasMessageContaining("Missing required parameter for option '--topic'");
        for (String bad : new String[] {"0", "-5", "many"}) {
            assertThatThrownBy(() -> StreamArgs.parse(new String[] {"--max-offsets-per-trigger", bad}, Map.of()))
                    .isInstanceOf(ParameterException.class)
                    .hasMessage("Invalid value for option '--max-offsets-per-trigger': '" + bad + "' is not a positive whole number");
        }
    }

    @Test
    void helpPrintsEveryOptionWithItsVariableAndDefaultAndExitsZero() throws Exception {
        Outcome help = main(Map.of("PINPIPE_TOPIC", "EnvTopic"), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).contains("Usage: StreamJob", "--kafka-bootstrap=HOST:PORT", "--checkpoint", "--mode", "--epoch",
                "--trigger", "--jdbc-url", "--master", "--max-offsets-per-trigger", "--metrics-file",
                "Variable: PINPIPE_STREAM_CHECKPOINT", "Default: .pinpipe/checkpoints/stream",
                "Variable: PINPIPE_TOPIC", "Default: EnvTopic", "Variable: PINPIPE_JDBC_URL",
                "PINPIPE_DB_PASSWORD", "a secret: never a flag", "PINPIPE_KAFKA_PROPERTIES_FILE", "PINPIPE_BIND_ADDRESS",
                "Exit status:")
                .doesNotContain("--db-password", "${");
        assertThat(main(Map.of("PINPIPE_STREAM_TRIGGER", "soon"), "--help").exit())
                .as("help despite a bad variable").isZero();
    }

    @Test
    void aUsageErrorNamesTheFlagAndExitsTwo() throws Exception {
        Outcome bad = main(Map.of(), "--trigger", "soon");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).startsWith("StreamJob: Invalid value for option '--trigger': 'soon'").contains("--help");

        Outcome badSecret = main(Map.of("PINPIPE_DB_PASSWORD", "p", "PINPIPE_DB_PASSWORD_FILE", "/nowhere"));
        assertThat(badSecret.exit()).isEqualTo(2);
        assertThat(badSecret.err()).contains("PINPIPE_DB_PASSWORD and PINPIPE_DB_PASSWORD_FILE");
    }

    private record Outcome(int exit, String out, String err) {
    }

    /** StreamJob's main without starting anything: the job must not run. */
    private static Outcome main(Map<String, String> env, String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = JobCommandLine.run(new StreamCommand(), argv, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args -> {
                    throw new AssertionError("the job ran with " + args);
                });
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void thePasswordFlagIsRefusedNamingTheVariables() {
        for (String[] line : new String[][] {{"--db-password", "hunter2"}, {"--db-password=hunter2"}, {"--db-password"}}) {
            assertThatThrownBy(() -> StreamArgs.parse(line, Map.of()))
                    .isInstanceOf(ParameterException.class)
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
                .isInstanceOf(ParameterException.class)
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
                .isInstanceOf(ParameterException.class)
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
