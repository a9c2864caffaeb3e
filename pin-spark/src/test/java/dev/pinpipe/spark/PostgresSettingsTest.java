package dev.pinpipe.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinpipe.core.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresSettingsTest {

    @Test
    void thePasswordComesFromTheVariableOrItsFile(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("pw"), "from file\n\n");
        assertThat(PostgresSettings.fromEnv(Map.of()).password()).isEqualTo("pinpipe");
        assertThat(PostgresSettings.fromEnv(Map.of("PINPIPE_DB_PASSWORD", "from env")).password()).isEqualTo("from env");
        assertThat(PostgresSettings.fromEnv(Map.of("PINPIPE_DB_PASSWORD_FILE", file.toString())).password()).isEqualTo("from file");
        // a blank variable beside the file counts as unset (compose passes "" for what it does not set)
        assertThat(PostgresSettings.fromEnv(Map.of("PINPIPE_DB_PASSWORD", "", "PINPIPE_DB_PASSWORD_FILE", file.toString()))
                .password()).isEqualTo("from file");
    }

    @Test
    void theUrlAndUserAreTheCataloguesUnlessSet() {
        PostgresSettings local = PostgresSettings.fromEnv(Map.of());
        assertThat(local.jdbcUrl()).isEqualTo(Settings.JDBC_URL.localDefault());
        assertThat(local.user()).isEqualTo(Settings.DB_USER.localDefault());
        assertThat(PostgresSettings.fromEnv(Map.of("PINPIPE_PG_PORT", "15432")).jdbcUrl())
                .as("the default URL names the local stack's port").isEqualTo("jdbc:postgresql://127.0.0.1:15432/pinterest");
        PostgresSettings set = PostgresSettings.fromEnv(Map.of("PINPIPE_JDBC_URL", "jdbc:postgresql://db/x", "PINPIPE_DB_USER", "u"));
        assertThat(set.jdbcUrl()).isEqualTo("jdbc:postgresql://db/x");
        assertThat(set.user()).isEqualTo("u");
    }

    @Test
    void bothAtOnceOrAnUnreadableFileAreErrorsThatNeverShowTheSecret(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("pw"), "s3cr3t");
        assertThatThrownBy(() -> PostgresSettings.fromEnv(Map.of("PINPIPE_DB_PASSWORD", "hunter2", "PINPIPE_DB_PASSWORD_FILE", file.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("both PINPIPE_DB_PASSWORD and PINPIPE_DB_PASSWORD_FILE are set: set only one");
        assertThatThrownBy(() -> PostgresSettings.fromEnv(Map.of("PINPIPE_DB_PASSWORD_FILE", dir.toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("PINPIPE_DB_PASSWORD_FILE: cannot read " + dir);
    }

    @Test
    void toStringMasksThePasswordAlsoInTheUrl() {
        PostgresSettings settings = new PostgresSettings("jdbc:postgresql://db/pinterest?user=u&password=urlpw&ssl=true", "u", "pw0rd");
        assertThat(settings.toString()).doesNotContain("pw0rd").doesNotContain("urlpw")
                .contains("password=***&ssl=true", "password=***]");
        assertThatThrownBy(() -> new PostgresSettings("jdbc:mysql://db/x?password=urlpw", "u", "p"))
                .hasMessageNotContaining("urlpw");
    }
}
