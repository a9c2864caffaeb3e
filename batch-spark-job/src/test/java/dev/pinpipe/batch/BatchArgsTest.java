package dev.pinpipe.batch;

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
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.ParameterException;

class BatchArgsTest {

    /** 23:30 in New York is already the next day in UTC: the default day is the UTC one. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T04:30:00Z"), ZoneId.of("America/New_York"));

    private static BatchArgs parse(Map<String, String> env, String... args) {
        return BatchArgs.parse(args, env, CLOCK);
    }

    @Test
    void defaultsAreTheLocalStackAndTodayUtc() {
        BatchArgs args = parse(Map.of());
        assertThat(args.from()).isEqualTo(LocalDate.parse("2026-11-28"));
        assertThat(args.to()).isEqualTo(args.from());
        assertThat(args.s3Endpoint()).isEqualTo("http://127.0.0.1:9000");
        assertThat(args.s3Region()).isEqualTo("us-east-1");
        assertThat(args.s3AccessKey()).isEqualTo("pinpipe");
        assertThat(args.s3SecretKey()).isEqualTo("pinpipe-secret");
        assertThat(args.bucket()).isEqualTo(Settings.S3_BUCKET.localDefault());
        assertThat(args.prefix()).isEqualTo(Settings.S3_PREFIX.localDefault());
        assertThat(args.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/pinterest");
        assertThat(args.postgres().user()).isEqualTo("pinpipe");
        assertThat(args.masterOr(null)).isEqualTo("local[*]");
        assertThat(args.masterOr("spark://127.0.0.1:7077")).isNull();
    }

    @Test
    void aFlagWinsOverItsVariableWhichWinsOverTheDefault() {
        Map<String, String> env = Map.of(
                "PINPIPE_S3_ENDPOINT", "http://127.0.0.1:19000",
                "PINPIPE_S3_BUCKET", "from-env",
                "PINPIPE_S3_PREFIX", "env-prefix",
                "PINPIPE_S3_ACCESS_KEY", "env-key",
                "PINPIPE_S3_SECRET_KEY", "env-secret",
                "PINPIPE_JDBC_URL", "jdbc:postgresql://127.0.0.1:15432/pinterest",
                "PINPIPE_DB_USER", "env-user",
                "PINPIPE_DB_PASSWORD", "env-password",
                "PINPIPE_SPARK_MASTER", "spark://env:7077");
        BatchArgs args = parse(env, "--bucket", "from-flag", "--jdbc-url=jdbc:postgresql://db:5432/x", "--master", "local[2]",
                "--prefix", "/archive/pins/");
        assertThat(args.bucket()).isEqualTo("from-flag");
        assertThat(args.s3Endpoint()).isEqualTo("http://127.0.0.1:19000");
        assertThat(args.s3AccessKey()).isEqualTo("env-key");
        assertThat(args.s3SecretKey()).isEqualTo("env-secret");
        assertThat(args.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/x");
        assertThat(args.postgres().user()).isEqualTo("env-user");
        assertThat(args.postgres().password()).isEqualTo("env-password");
        assertThat(args.prefix()).isEqualTo("archive/pins");
        assertThat(args.masterOr("spark://elsewhere:7077")).isEqualTo("local[2]");

        BatchArgs fromEnv = parse(env);
        assertThat(fromEnv.bucket()).isEqualTo("from-env");
        assertThat(fromEnv.prefix()).isEqualTo("env-prefix");
        assertThat(fromEnv.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:15432/pinterest");
        assertThat(fromEnv.masterOr("spark://elsewhere:7077")).isEqualTo("spark://env:7077");

        BatchArgs flags = parse(env, "--s3-endpoint", "http://s3:9000", "--s3-region", "eu-west-1", "--s3-access-key", "flag-key",
                "--db-user", "flag-user");
        assertThat(flags.s3Endpoint()).isEqualTo("http://s3:9000");
        assertThat(flags.s3Region()).isEqualTo("eu-west-1");
        assertThat(flags.s3AccessKey()).isEqualTo("flag-key");
        assertThat(flags.postgres().user()).isEqualTo("flag-user");
    }

    @Test
    void aRangeCoversEveryDayInclusive() {
        BatchArgs args = parse(Map.of(), "--from", "2026-02-27", "--to", "2026-03-01");
        assertThat(args.days()).containsExactly(LocalDate.parse("2026-02-27"), LocalDate.parse("2026-02-28"),
                LocalDate.parse("2026-03-01"));
        assertThat(parse(Map.of(), "--date", "2026-11-27").days()).containsExactly(LocalDate.parse("2026-11-27"));
        assertThat(parse(Map.of(), "--from", "2026-11-27").days()).containsExactly(LocalDate.parse("2026-11-27"));
    }

    @Test
    void awsWithoutKeysUsesTheDefaultCredentialChain() {
        BatchArgs args = parse(Map.of("PINPIPE_S3_ENDPOINT", ""), "--s3-region", "eu-west-1");
        assertThat(args.s3Endpoint()).as("set and empty: AWS's own").isEmpty();
        assertThat(args.s3AccessKey()).isNull();
        Map<String, String> conf = S3aSettings.hadoopConf(args);
        assertThat(conf).containsEntry("fs.s3a.aws.credentials.provider", S3aSettings.DEFAULT_CHAIN)
                .containsEntry("fs.s3a.endpoint.region", "eu-west-1")
                .doesNotContainKeys("fs.s3a.endpoint", "fs.s3a.path.style.access", "fs.s3a.access.key");
        assertThat(parse(Map.of(), "--s3-endpoint", "").s3AccessKey()).as("the flag says the same").isNull();
        assertThat(parse(Map.of("PINPIPE_S3_ENDPOINT", ""), "--s3-endpoint", "http://s3:9000").s3Endpoint())
                .as("a flag wins over the empty variable").isEqualTo("http://s3:9000");

        BatchArgs withKeys = parse(Map.of("PINPIPE_S3_ACCESS_KEY", "AKIA", "PINPIPE_S3_SECRET_KEY", "s"), "--s3-endpoint", "");
        assertThat(S3aSettings.hadoopConf(withKeys)).containsEntry("fs.s3a.aws.credentials.provider", S3aSettings.SIMPLE_CREDENTIALS)
                .containsEntry("fs.s3a.access.key", "AKIA");
    }

    @Test
    void theLocalServerGetsPathStyleWithoutSsl() {
        Map<String, String> conf = S3aSettings.sparkConf(parse(Map.of()));
        assertThat(conf).containsEntry("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000")
                .containsEntry("spark.hadoop.fs.s3a.path.style.access", "true")
                .containsEntry("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
                .containsEntry("spark.hadoop.fs.s3a.aws.credentials.provider", S3aSettings.SIMPLE_CREDENTIALS);
    }

    @Test
    void neverPrintsSecrets() {
        String text = parse(Map.of("PINPIPE_S3_SECRET_KEY", "s3cr3t", "PINPIPE_S3_ACCESS_KEY", "k", "PINPIPE_DB_PASSWORD", "pw0rd",
                "PINPIPE_JDBC_URL", "jdbc:postgresql://db:5432/pinterest?ssl=true&password=urlpw")).toString();
        assertThat(text).doesNotContain("s3cr3t").doesNotContain("pw0rd").doesNotContain("urlpw")
                .contains("password=***", "jdbc:postgresql://db:5432/pinterest?ssl=true");
    }

    @Test
    void secretsCanComeFromFilesTheirTrailingNewlineStripped(@TempDir Path dir) throws IOException {
        Path password = Files.writeString(dir.resolve("db-password"), "pw from file\n");
        Path secret = Files.writeString(dir.resolve("s3-secret"), "s3 secret from file\r\n");
        BatchArgs args = parse(Map.of("PINPIPE_DB_PASSWORD_FILE", password.toString(),
                "PINPIPE_S3_ACCESS_KEY", "AKIA", "PINPIPE_S3_SECRET_KEY_FILE", secret.toString()));
        assertThat(args.postgres().password()).isEqualTo("pw from file");
        assertThat(args.s3SecretKey()).isEqualTo("s3 secret from file");
        assertThat(args.toString()).doesNotContain("from file");
    }

    @Test
    void aSecretAndItsFileTogetherAreAnErrorNamingBoth(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("secret"), "x");
        assertThatThrownBy(() -> parse(Map.of("PINPIPE_DB_PASSWORD", "pw", "PINPIPE_DB_PASSWORD_FILE", file.toString())))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("PINPIPE_DB_PASSWORD and PINPIPE_DB_PASSWORD_FILE");
        assertThatThrownBy(() -> parse(Map.of("PINPIPE_S3_SECRET_KEY", "s", "PINPIPE_S3_SECRET_KEY_FILE", file.toString())))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("PINPIPE_S3_SECRET_KEY and PINPIPE_S3_SECRET_KEY_FILE");
        assertThatThrownBy(() -> parse(Map.of("PINPIPE_DB_PASSWORD_FILE", dir.resolve("missing").toString())))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("PINPIPE_DB_PASSWORD_FILE: cannot read");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --db-password hunter2        | --db-password is not accepted | PINPIPE_DB_PASSWORD or PINPIPE_DB_PASSWORD_FILE
            --db-password=hunter2        | --db-password is not accepted | PINPIPE_DB_PASSWORD or PINPIPE_DB_PASSWORD_FILE
            --s3-secret-key hunter2      | --s3-secret-key is not accepted | PINPIPE_S3_SECRET_KEY or PINPIPE_S3_SECRET_KEY_FILE
            --s3-secret-key=hunter2      | --s3-secret-key is not accepted | PINPIPE_S3_SECRET_KEY or PINPIPE_S3_SECRET_KEY_FILE
            """)
    void secretFlagsAreRefusedNamingTheVariables(String line, String refused, String variables) throws Exception {
        assertThatThrownBy(() -> parse(Map.of(), line.split(" ")))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining(refused).hasMessageContaining(variables)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        Outcome refusedRun = main(Map.of(), line.split(" "));
        assertThat(refusedRun.exit()).isEqualTo(2);
        assertThat(refusedRun.err()).contains(refused).doesNotContain("hunter2");
        assertThat(main(Map.of(), "--help").out()).doesNotContain("--db-password").doesNotContain("--s3-secret-key")
                .contains("PINPIPE_DB_PASSWORD", "PINPIPE_S3_SECRET_KEY", "a secret: never a flag");
    }

    @Test
    void theDriverListensOnLoopbackUnlessTheBindAddressSaysOtherwise() {
        assertThat(parse(Map.of()).binding().localSparkConf())
                .containsEntry("spark.driver.bindAddress", "127.0.0.1").containsEntry("spark.driver.host", "127.0.0.1");
        assertThat(parse(Map.of("PINPIPE_BIND_ADDRESS", "0.0.0.0")).binding().localSparkConf())
                .containsEntry("spark.driver.bindAddress", "0.0.0.0").containsEntry("spark.driver.host", "127.0.0.1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            --date 2026-11-27 --from 2026-11-26 | either --date or --from/--to
            --to 2026-11-27                     | --to needs --from
            --date 27.11.2026                   | option '--date': expects YYYY-MM-DD, got '27.11.2026'
            --from 2026-11-27 --to 2026-11-26   | before --from
            --from 2020-01-01 --to 2026-01-01   | more than 366 days
            --dates 2026-11-27                  | Unknown options: '--dates'
            --bucket a --bucket b               | option '--bucket' (NAME) should be specified only once
            --bucket                            | Missing required parameter for option '--bucket'
            2026-11-27                          | Unmatched argument at index 0: '2026-11-27'
            --s3-access-key only                | both the S3 access key and secret key
            """)
    void rejectsBadArguments(String line, String message) throws Exception {
        assertThatThrownBy(() -> parse(Map.of(), line.split(" ")))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining(message);
        Outcome run = main(Map.of(), line.split(" "));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).startsWith("BatchJob: ").contains(message, "BatchJob --help");
    }

    @Test
    void aBadVariableNamesItselfAndFailsBeforeSpark() throws Exception {
        assertThatThrownBy(() -> parse(Map.of("PINPIPE_JDBC_URL", "jdbc:mysql://db/x")))
                .isInstanceOf(ParameterException.class).hasMessageContaining("expected a jdbc:postgresql: URL");
        Outcome run = main(Map.of("PINPIPE_S3_SECRET_KEY", "s", "PINPIPE_S3_SECRET_KEY_FILE", "/nowhere"));
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("PINPIPE_S3_SECRET_KEY and PINPIPE_S3_SECRET_KEY_FILE");
    }

    @Test
    void helpShowsEveryOptionWithItsVariableAndDefault() throws Exception {
        Outcome help = main(Map.of("PINPIPE_S3_BUCKET", "env-bucket"), "--date", "2026-11-27", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.err()).isEmpty();
        assertThat(help.out()).contains("Usage: BatchJob", "--date", "--from", "--to", "--s3-endpoint", "--s3-region",
                "--s3-access-key", "--bucket", "--prefix", "--jdbc-url", "--db-user", "--master",
                "Variable: PINPIPE_S3_ENDPOINT", "Default: " + Settings.S3_ENDPOINT.localDefault(),
                "Variable: PINPIPE_S3_PREFIX", "Default: " + Settings.S3_PREFIX.localDefault(),
                "Variable: PINPIPE_S3_BUCKET", "Default: env-bucket", "Variable: PINPIPE_SPARK_MASTER",
                "PINPIPE_BIND_ADDRESS", "Exit status:")
                .doesNotContain(Settings.S3_SECRET_KEY.localDefault(), "${");
        assertThat(parse(Map.of(), "--help")).as("parse leaves --help to its caller").isNull();
    }

    private record Outcome(int exit, String out, String err) {
    }

    /** BatchJob's main up to the job itself, which must not run. */
    private static Outcome main(Map<String, String> env, String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = JobCommandLine.run(new BatchCommand(CLOCK), argv, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args -> {
                    throw new AssertionError("the job ran with " + args);
                });
        return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
