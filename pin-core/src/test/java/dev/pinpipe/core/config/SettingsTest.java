package dev.pinpipe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class SettingsTest {

    static final Path CONFIGURATION_MD = Path.of("..", "docs", "configuration.md");
    static final String BEGIN = "<!-- settings: generated from pin-core's Settings; regenerate with the command above -->\n";
    /** Where the test writes docs/configuration.md with the catalogue's table, to copy over a stale one. */
    static final Path REGENERATED = Path.of("target", "configuration.md");
    static final String END = "<!-- end of settings -->";

    @TempDir
    Path dir;

    @Test
    void aVariableWinsOverTheDefaultAndReferencesFollowIt() {
        assertThat(Settings.TOPIC.value(Map.<String, String>of()::get)).isEqualTo("PinterestTopic");
        assertThat(Settings.DLT_TOPIC.value(Map.<String, String>of()::get)).isEqualTo("PinterestTopic.DLT");
        Map<String, String> env = Map.of("PINPIPE_TOPIC", "Other", "PINPIPE_KAFKA_PORT", "19092");
        assertThat(Settings.TOPIC.value(env::get)).isEqualTo("Other");
        assertThat(Settings.DLT_TOPIC.value(env::get)).isEqualTo("Other.DLT");
        assertThat(Settings.KAFKA_BOOTSTRAP.value(env::get)).isEqualTo("127.0.0.1:19092");
        assertThat(Settings.KAFKA_BOOTSTRAP.value(Map.of("PINPIPE_KAFKA_BOOTSTRAP", "k:1")::get)).isEqualTo("k:1");
        assertThat(Settings.TOPIC.value(Map.of("PINPIPE_TOPIC", "  ")::get)).as("blank is unset").isEqualTo("PinterestTopic");
    }

    @Test
    void keysFollowTheVariables() {
        assertThat(Settings.API_MANAGEMENT_PORT.key()).isEqualTo("pinpipe.api-management-port");
        assertThat(Settings.all()).extracting(Setting::variable).doesNotHaveDuplicates();
        assertThat(Settings.isKnown("PINPIPE_DB_PASSWORD_FILE")).isTrue();
        assertThat(Settings.isKnown("PINPIPE_TOPIC_FILE")).isFalse();
        assertThatThrownBy(() -> Settings.named("PINPIPE_NOPE")).hasMessageContaining("PINPIPE_NOPE");
    }

    @Test
    void aSecretComesFromItsVariableOrItsFile() throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "from-file\n");
        assertThat(Settings.DB_PASSWORD.secretValue(Map.of("PINPIPE_DB_PASSWORD_FILE", file.toString())::get)).isEqualTo("from-file");
        assertThat(Settings.DB_PASSWORD.secretValue(Map.<String, String>of()::get)).isEqualTo("pinpipe");
        assertThatThrownBy(() -> Settings.DB_PASSWORD.secretValue(
                Map.of("PINPIPE_DB_PASSWORD", "x", "PINPIPE_DB_PASSWORD_FILE", file.toString())::get))
                .hasMessageContaining("set only one");
    }

    @Command(name = "probe", mixinStandardHelpOptions = true)
    static class Probe {
        @Option(names = "--topic", descriptionKey = "PINPIPE_TOPIC")
        String topic;
        @Option(names = "--bootstrap", descriptionKey = "PINPIPE_KAFKA_BOOTSTRAP")
        String bootstrap;
    }

    @Test
    void picocliTakesItsDefaultsFromTheCatalogue() {
        Probe probe = new Probe();
        new CommandLine(probe).setDefaultValueProvider(new CatalogueDefaults(Map.of("PINPIPE_TOPIC", "FromEnv")))
                .parseArgs("--bootstrap", "flag:1");
        assertThat(probe.topic).isEqualTo("FromEnv");
        assertThat(probe.bootstrap).as("a flag wins").isEqualTo("flag:1");
        assertThat(new CommandLine(new Probe()).setDefaultValueProvider(new CatalogueDefaults(Map.of()))
                .setOut(new java.io.PrintWriter(new java.io.StringWriter())).execute("--help"))
                .as("--help, whose descriptionKey is picocli's own").isZero();
    }

    @Test
    void docsConfigurationHoldsTheGeneratedTable() throws Exception {
        String doc = Files.readString(CONFIGURATION_MD);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("docs/configuration.md marks the generated table").isNotNegative();
        Files.writeString(REGENERATED, doc.substring(0, begin + BEGIN.length()) + Settings.markdownTable() + doc.substring(end));
        assertThat(doc.substring(begin + BEGIN.length(), end))
                .as("docs/configuration.md is stale: cp pin-core/" + REGENERATED + " docs/configuration.md")
                .isEqualTo(Settings.markdownTable());
    }
}
