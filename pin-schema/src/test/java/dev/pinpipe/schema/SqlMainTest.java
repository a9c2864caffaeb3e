package dev.pinpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Settings only; queries against a real PostgreSQL are local-stack's SqlMainIT. */
class SqlMainTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        return SqlMain.commandLine(env).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void helpShowsTheCataloguesSettingsAndNoPasswordFlag() {
        assertThat(run(Map.of("PINPIPE_PG_PORT", "15432"), "--help")).isZero();
        assertThat(out.toString()).contains("--jdbc-url", "PINPIPE_JDBC_URL", "jdbc:postgresql://127.0.0.1:15432/pinterest",
                "--db-user", "PINPIPE_DB_USER", "PINPIPE_DB_PASSWORD_FILE").doesNotContain("--db-password");
    }

    @Test
    void aQueryIsNeededAndAPasswordFlagIsRefused() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(run(Map.of(), "--db-password", "hunter2", "SELECT 1")).isEqualTo(2);
    }

    @Test
    void onlyPostgresUrlsAreTakenAndTheirPasswordIsMasked() {
        assertThat(run(Map.of("PINPIPE_JDBC_URL", "jdbc:mysql://db/pinterest?password=urlpw"), "SELECT 1")).isEqualTo(2);
        assertThat(err.toString()).contains("jdbc:postgresql:").contains("password=***").doesNotContain("urlpw");
    }

    @Test
    void bothPasswordVariablesAreABadSetting() {
        assertThat(run(Map.of("PINPIPE_DB_PASSWORD", "hunter2", "PINPIPE_DB_PASSWORD_FILE", "/run/secrets/db"), "SELECT 1")).isEqualTo(2);
        assertThat(err.toString()).contains("both PINPIPE_DB_PASSWORD and PINPIPE_DB_PASSWORD_FILE are set").doesNotContain("hunter2");
    }
}
