package dev.pinpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** Settings only; the migrations themselves run against a real PostgreSQL in local-stack's SchemaMigrationIT. */
class MigrateMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return MigrateMain.commandLine(env).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void helpNamesTheJobsVariablesAndNoPasswordFlag() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("--jdbc-url", "PINPIPE_JDBC_URL", "--db-user", "PINPIPE_DB_USER",
                "PINPIPE_DB_PASSWORD", "PINPIPE_DB_PASSWORD_FILE").doesNotContain("--db-password");
    }

    @Test
    void aPasswordFlagIsRefused() {
        assertThat(run(Map.of(), "--db-password", "hunter2")).isEqualTo(2);
    }

    @Test
    void bothPasswordVariablesAreRefusedWithoutShowingEither(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("pw"), "from-file");
        assertThat(run(Map.of("PINPIPE_DB_PASSWORD", "hunter2", "PINPIPE_DB_PASSWORD_FILE", file.toString()),
                "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/pinterest")).isEqualTo(2);
        assertThat(err.toString()).contains("both PINPIPE_DB_PASSWORD and PINPIPE_DB_PASSWORD_FILE are set")
                .doesNotContain("hunter2").doesNotContain("from-file");
    }

    @Test
    void anUnreadablePasswordFileIsABadSetting(@TempDir Path dir) {
        assertThat(run(Map.of("PINPIPE_DB_PASSWORD_FILE", dir.resolve("missing").toString()),
                "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/pinterest")).isEqualTo(2);
        assertThat(err.toString()).contains("PINPIPE_DB_PASSWORD_FILE: cannot read");
    }

    @Test
    void onlyPostgresUrlsAreTakenAndTheirPasswordIsMasked() {
        assertThat(run(Map.of(), "--jdbc-url", "jdbc:mysql://db/pinterest?password=urlpw")).isEqualTo(2);
        assertThat(err.toString()).contains("jdbc:postgresql:").contains("password=***").doesNotContain("urlpw");
    }

    @Test
    void theMigrationsAreOnTheClasspathWhereFlywayLooks() {
        String folder = PinSchema.LOCATION.substring("classpath:".length());
        assertThat(getClass().getClassLoader().getResource(folder + "/V1__pins.sql")).isNotNull();
        assertThat(getClass().getClassLoader().getResource(folder + "/V2__pins_rejected.sql")).isNotNull();
        assertThat(getClass().getClassLoader().getResource(folder + "/V3__views.sql")).isNotNull();
    }
}
