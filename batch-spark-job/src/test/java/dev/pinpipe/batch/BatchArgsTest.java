package dev.pinpipe.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
        assertThat(args.bucket()).isEqualTo("pinterestdata");
        assertThat(args.prefix()).isEqualTo("pins");
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
                "PINPIPE_S3_ACCESS_KEY", "env-key",
                "PINPIPE_S3_SECRET_KEY", "env-secret",
                "PINPIPE_JDBC_URL", "jdbc:postgresql://127.0.0.1:15432/pinterest",
                "PINPIPE_DB_PASSWORD", "env-password");
        BatchArgs args = parse(env, "--bucket", "from-flag", "--jdbc-url=jdbc:postgresql://db:5432/x", "--master", "local[2]",
                "--prefix", "/archive/pins/");
        assertThat(args.bucket()).isEqualTo("from-flag");
        assertThat(args.s3Endpoint()).isEqualTo("http://127.0.0.1:19000");
        assertThat(args.s3AccessKey()).isEqualTo("env-key");
        assertThat(args.postgres().jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/x");
        assertThat(args.postgres().password()).isEqualTo("env-password");
        assertThat(args.prefix()).isEqualTo("archive/pins");
        assertThat(args.masterOr("spark://elsewhere:7077")).isEqualTo("local[2]");
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
        assertThat(args.s3AccessKey()).isNull();
        Map<String, String> conf = S3aSettings.hadoopConf(args);
        assertThat(conf).containsEntry("fs.s3a.aws.credentials.provider", S3aSettings.DEFAULT_CHAIN)
                .containsEntry("fs.s3a.endpoint.region", "eu-west-1")
                .doesNotContainKeys("fs.s3a.endpoint", "fs.s3a.path.style.access", "fs.s3a.access.key");

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
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PINPIPE_DB_PASSWORD and PINPIPE_DB_PASSWORD_FILE");
        assertThatThrownBy(() -> parse(Map.of("PINPIPE_S3_SECRET_KEY", "s", "PINPIPE_S3_SECRET_KEY_FILE", file.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PINPIPE_S3_SECRET_KEY and PINPIPE_S3_SECRET_KEY_FILE");
        assertThatThrownBy(() -> parse(Map.of("PINPIPE_DB_PASSWORD_FILE", dir.resolve("missing").toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PINPIPE_DB_PASSWORD_FILE: cannot read");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --db-password hunter2        | --db-password is not accepted | PINPIPE_DB_PASSWORD or PINPIPE_DB_PASSWORD_FILE
            --db-password=hunter2        | --db-password is not accepted | PINPIPE_DB_PASSWORD or PINPIPE_DB_PASSWORD_FILE
            --s3-secret-key hunter2      | --s3-secret-key is not accepted | PINPIPE_S3_SECRET_KEY or PINPIPE_S3_SECRET_KEY_FILE
            """)
    void secretFlagsAreRefusedNamingTheVariables(String line, String refused, String variables) {
        assertThatThrownBy(() -> parse(Map.of(), line.split(" ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(refused).hasMessageContaining(variables)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2"));
        assertThat(BatchArgs.USAGE).doesNotContain("--db-password").doesNotContain("--s3-secret-key")
                .contains("PINPIPE_DB_PASSWORD_FILE", "PINPIPE_S3_SECRET_KEY_FILE");
    }

    @Test
    void theDriverListensOnLoopbackUnlessTheBindAddressSaysOtherwise() {
        assertThat(parse(Map.of()).binding().localSparkConf())
                .containsEntry("spark.driver.bindAddress", "127.0.0.1").containsEntry("spark.driver.host", "127.0.0.1");
        assertThat(parse(Map.of("PINPIPE_BIND_ADDRESS", "0.0.0.0")).binding().localSparkConf())
                .containsEntry("spark.driver.bindAddress", "0.0.0.0").containsEntry("spark.driver.host", "127.0.0.1");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --date 2026-11-27 --from 2026-11-26 | either --date or --from/--to
            --to 2026-11-27                     | --to needs --from
            --date 27.11.2026                   | --date expects YYYY-MM-DD
            --from 2026-11-27 --to 2026-11-26   | before --from
            --from 2020-01-01 --to 2026-01-01   | more than 366 days
            --dates 2026-11-27                  | unknown option --dates
            --bucket a --bucket b               | --bucket given twice
            --bucket                            | --bucket needs a value
            2026-11-27                          | unexpected argument
            --s3-access-key only                | both the S3 access key and secret key
            """)
    void rejectsBadArguments(String line, String message) {
        assertThatThrownBy(() -> parse(Map.of(), line.split(" ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void helpIsAskedFor() {
        assertThat(BatchArgs.wantsHelp(new String[] {"--date", "2026-11-27", "--help"})).isTrue();
        assertThat(BatchArgs.wantsHelp(new String[] {"--date", "2026-11-27"})).isFalse();
        assertThat(BatchArgs.USAGE).contains("--date", "--from", "--to", "--s3-endpoint", "--bucket", "--prefix",
                "--jdbc-url", "--master", "PINPIPE_S3_ENDPOINT");
    }
}
