package dev.pinpipe.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinpipe.core.config.Setting;
import dev.pinpipe.core.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

class JobCommandLineTest {

    @Command(name = "Probe")
    static final class Probe implements JobCommandLine.Options<String> {
        @Option(names = "--bucket", paramLabel = "NAME", descriptionKey = "PINPIPE_S3_BUCKET")
        String bucket;

        @Option(names = "--flush-size", paramLabel = "N", descriptionKey = "PINPIPE_ARCHIVE_FLUSH_SIZE")
        int flushSize;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
        boolean help;

        @Override
        public String settings(Map<String, String> env) {
            if (bucket.equals("refused")) {
                throw new IllegalArgumentException("no bucket named refused");
            }
            return bucket + "/" + flushSize;
        }

        @Override
        public List<Setting> environmentOnly() {
            return List.of(Settings.DB_USER, Settings.API_KEY);
        }
    }

    @Test
    void aFlagWinsOverItsVariableWhichWinsOverTheCataloguesDefault() {
        assertThat(JobCommandLine.parse(new Probe(), new String[0], Map.of()))
                .isEqualTo(Settings.S3_BUCKET.localDefault() + "/" + Settings.ARCHIVE_FLUSH_SIZE.localDefault());
        assertThat(JobCommandLine.parse(new Probe(), new String[0], Map.of("PINPIPE_S3_BUCKET", "env", "PINPIPE_ARCHIVE_FLUSH_SIZE", "7")))
                .isEqualTo("env/7");
        assertThat(JobCommandLine.parse(new Probe(), new String[] {"--bucket=flag", "--flush-size", "9"},
                Map.of("PINPIPE_S3_BUCKET", "env", "PINPIPE_ARCHIVE_FLUSH_SIZE", "7"))).isEqualTo("flag/9");
    }

    @Test
    void everySecretsFlagIsRefusedWithoutItsValue() {
        for (Setting secret : Settings.all().stream().filter(Setting::secret).toList()) {
            String flag = JobCommandLine.flagOf(secret);
            assertThat(flag).startsWith("--").doesNotContain("_");
            for (String[] line : new String[][] {{flag, "hunter2"}, {flag + "=hunter2"}, {flag}}) {
                assertThatThrownBy(() -> JobCommandLine.parse(new Probe(), line, Map.of()))
                        .isInstanceOf(ParameterException.class)
                        .hasMessage(JobCommandLine.refusal(flag, secret))
                        .hasMessageContaining(secret.variable() + " or " + secret.variable() + "_FILE");
            }
        }
        assertThat(JobCommandLine.flagOf(Settings.DB_PASSWORD)).isEqualTo("--db-password");
    }

    @Test
    void aBadValueSaysWhetherItCameFromTheVariable() {
        assertThatThrownBy(() -> JobCommandLine.parse(new Probe(), new String[] {"--flush-size", "many"}, Map.of()))
                .isInstanceOf(ParameterException.class)
                .hasMessage("Invalid value for option '--flush-size': 'many' is not an int");
        assertThatThrownBy(() -> JobCommandLine.parse(new Probe(), new String[0], Map.of("PINPIPE_ARCHIVE_FLUSH_SIZE", "many")))
                .isInstanceOf(ParameterException.class)
                .hasMessage("Invalid value for option '--flush-size': 'many' is not an int (from PINPIPE_ARCHIVE_FLUSH_SIZE)");
        assertThatThrownBy(() -> JobCommandLine.parse(new Probe(), new String[] {"--bucket", "refused"}, Map.of()))
                .as("what the settings refuse is a usage error too")
                .isInstanceOf(ParameterException.class).hasMessage("no bucket named refused");
    }

    @Test
    void runPrintsTheHelpOrTheUsageErrorAndOnlyThenRunsTheJob() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);

        assertThat(JobCommandLine.run(new Probe(), new String[] {"--bucket", "b"}, Map.of(), o, e, s -> s.length())).isEqualTo(6);
        assertThat(JobCommandLine.run(new Probe(), new String[] {"--nope"}, Map.of(), o, e, s -> 0)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Probe: Unknown option: '--nope'", "Probe --help");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();

        assertThat(JobCommandLine.run(new Probe(), new String[] {"--help"}, Map.of("PINPIPE_ARCHIVE_FLUSH_SIZE", "many"), o, e,
                s -> 1)).as("help despite a bad variable").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--bucket=NAME", "the archive's bucket", "Variable: PINPIPE_S3_BUCKET", "Default: " + Settings.S3_BUCKET.localDefault(),
                        "Only from the environment:", "PINPIPE_DB_USER", "Default: " + Settings.DB_USER.localDefault(),
                        "PINPIPE_API_KEY", "a secret: never a flag")
                .doesNotContain("--api-key", "`");
    }

    @Test
    void theHelpShowsADocWithoutItsMarkdown() {
        assertThat(JobCommandLine.CatalogueDocs.plain(Settings.BIND_ADDRESS))
                .isEqualTo("the address the processes listen on; 0.0.0.0 opens every interface (security.md)");
    }
}
