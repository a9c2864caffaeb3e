package dev.pinpipe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @Test
    void fromTheVariableOrTheFileItsFileVariableNames(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("secret"), "from file\r\n\n");
        assertThat(Secrets.fromEnv(Map.of(), "S")).isNull();
        assertThat(Secrets.fromEnv(Map.of("S", "inline"), "S")).isEqualTo("inline");
        assertThat(Secrets.fromEnv(Map.of("S_FILE", file.toString()), "S")).isEqualTo("from file");
        assertThat(Secrets.fromEnv(Map.of("S", " ", "S_FILE", file.toString()), "S")).as("blank counts as unset").isEqualTo("from file");
        assertThat(Secrets.resolve("S", null, "")).isNull();
    }

    @Test
    void bothOrAnUnreadableFileAreErrorsWithoutTheSecret(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("secret"), "s3cr3t");
        assertThatThrownBy(() -> Secrets.fromEnv(Map.of("S", "hunter2", "S_FILE", file.toString()), "S"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("both S and S_FILE are set: set only one");
        assertThatThrownBy(() -> Secrets.fromEnv(Map.of("S_FILE", dir.toString()), "S"))
                .hasMessageStartingWith("S_FILE: cannot read " + dir)
                .hasMessageNotContaining("s3cr3t");
    }
}
