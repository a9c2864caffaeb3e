package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The real child process choosing its engine: the embedded stack unless containers are asked for,
 * and containers asked for without a Docker engine refused, never replaced by the embedded stack.
 */
class EngineSelectionIT {

    private final Path run = Path.of("target", "local-stack", "engine-" + System.currentTimeMillis()).toAbsolutePath();

    @Test
    void theDefaultIsTheEmbeddedStackWithoutAWord() throws Exception {
        String asked = System.getenv(Engine.TEST_VARIABLE);
        assumeTrue(asked == null || asked.isBlank(), Engine.TEST_VARIABLE + " is set for this run: no default to check");
        try (LocalStack stack = LocalStack.launch(run.resolve("data"), run.resolve("default.log"))) {
            assertThat(notes(stack.logFile())).as("engine lines").isEmpty();
            assertThat(Files.isDirectory(run.resolve("data/kafka"))).as("embedded broker's log folder").isTrue();
            try (Connection db = Clients.jdbc(stack); ResultSet rs = db.createStatement().executeQuery("SELECT count(*) FROM pins_batch")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void containersWithoutAnEngineFailTheLaunchWithTheReason() {
        assumeFalse(DockerProbe.dockerAvailable(), "a Docker engine answers here: nothing to refuse");
        assertThatThrownBy(() -> LocalStack.launch(run.resolve("data"), run.resolve("containers.log"), "containers"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exited (code 2)")
                .hasMessageContaining("local-stack: engine containers: no Docker engine found, and containers were asked for");
    }

    private static List<String> notes(Path log) throws Exception {
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith(Engine.NOTE_PREFIX)).toList();
    }
}
