package dev.pinpipe.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.config.CatalogueDefaults;
import dev.pinpipe.core.config.Settings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Both commands take the API's address from the catalogue: the variable, else its default; a flag wins. */
class EmulatorOptionsTest {

    @Test
    void theApiComesFromPinpipeApiUrlElseTheCatalogueDefault() {
        assertThat(api(Map.of())).isEqualTo(URI.create(Settings.API_URL.localDefault()));
        assertThat(api(Map.of("PINPIPE_API_URL", "http://api.example:1"))).isEqualTo(URI.create("http://api.example:1"));
        assertThat(api(Map.of("PINPIPE_API_PORT", "9001"))).as("the default follows the port").isEqualTo(URI.create("http://127.0.0.1:9001"));
        assertThat(api(Map.of("PINPIPE_API_URL", "http://api.example:1"), "--api", "http://flag:2")).as("a flag wins")
                .isEqualTo(URI.create("http://flag:2"));
    }

    @Test
    void theBenchSubcommandToo() {
        CommandLine cmd = EmulatorMain.commandLine(new CatalogueDefaults(Map.of("PINPIPE_API_URL", "http://bench:3")));
        cmd.parseArgs("bench");
        assertThat(((IngestBench) cmd.getSubcommands().get("bench").getCommand()).api).isEqualTo(URI.create("http://bench:3"));
    }

    @Test
    void helpNamesTheDefault() {
        StringWriter out = new StringWriter();
        int exit = EmulatorMain.commandLine(new CatalogueDefaults(Map.of("PINPIPE_API_URL", "http://api.example:1")))
                .setOut(new PrintWriter(out)).execute("--help");
        assertThat(exit).isZero();
        assertThat(out.toString().replaceAll("\\s+", " ")).contains("env PINPIPE_API_URL, default http://api.example:1");
    }

    private static URI api(Map<String, String> env, String... args) {
        CommandLine cmd = EmulatorMain.commandLine(new CatalogueDefaults(env));
        cmd.parseArgs(args);
        return ((EmulatorMain) cmd.getCommand()).api;
    }
}
