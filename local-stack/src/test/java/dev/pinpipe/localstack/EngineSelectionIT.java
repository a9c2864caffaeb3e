package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The real child process choosing its engine. Written for a machine without a Docker engine (this one,
 * CI); where one answers, {@code auto} must pick the containers instead and the first test checks that.
 */
class EngineSelectionIT {

    private final Path run = Path.of("target", "local-stack", "engine-" + System.currentTimeMillis()).toAbsolutePath();

    @Test
    void autoStartsTheEngineTheProbeFindsAndSaysWhichInOneLine() throws Exception {
        boolean docker = DockerProbe.dockerAvailable();
        try (LocalStack stack = LocalStack.launch(run.resolve("data"), run.resolve("auto.log"), "auto")) {
            List<String> notes = notes(stack.logFile());
            assertThat(notes).containsExactly(docker
                    ? "local-stack: engine auto: Docker engine found; using Testcontainers for Kafka/S3 (MinIO)/PostgreSQL"
                    : "local-stack: engine auto: no Docker engine found; using the embedded Kafka/S3/PostgreSQL");
            if (!docker) {
                assertThat(Files.isDirectory(run.resolve("data/kafka"))).as("embedded broker's log folder").isTrue();
            }
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
