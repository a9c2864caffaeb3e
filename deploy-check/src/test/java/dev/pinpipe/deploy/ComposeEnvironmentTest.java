package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * compose and the services cannot drift apart: each container gets every PINPIPE_* variable its own
 * code names, so none silently falls back to its local default (127.0.0.1) inside a container.
 */
class ComposeEnvironmentTest {

    private static final ComposeFile COMPOSE = ComposeFile.load();

    private static final List<String> CORE = List.of("pin-core");
    private static final List<String> SPARK = List.of("pin-spark", "pin-core");

    /**
     * Compose service → the code whose variables its container must carry, and the libraries that
     * code uses. Airflow's container carries the DAG's variables and those of the batch job it runs.
     */
    static Stream<Arguments> services() {
        return Stream.of(
                arguments("ingest-api", List.of("ingest-api"), CORE),
                arguments("batch-consumer", List.of("batch-consumer"), CORE),
                arguments("stream-spark-job", List.of("stream-spark-job"), SPARK),
                arguments("batch-spark-job", List.of("batch-spark-job"), SPARK),
                arguments("user-emulator", List.of("user-emulator"), CORE),
                arguments("migrate", List.of("pin-schema"), CORE),
                arguments("airflow", List.of("airflow/dags", "batch-spark-job"), SPARK));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void containerEnvironmentCoversWhatTheServiceReads(String service, List<String> code, List<String> libraries) {
        Set<String> read = new TreeSet<>();
        code.forEach(dir -> read.addAll(ConfiguredVariables.of(dir, libraries)));
        Set<String> given = new TreeSet<>(COMPOSE.service(service).environment().keySet());
        given.removeIf(name -> !name.startsWith("PINPIPE_"));

        assertThat(read).as(service + " names no PINPIPE_* variable at all: is its configuration where we look?")
                .isNotEmpty();
        assertThat(given).as(service + ": compose environment vs. the variables " + code + " read").containsAll(read);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void valuesPointAtComposeHostnamesNotTheHost(String service, List<String> code, List<String> libraries) {
        COMPOSE.service(service).environment().forEach((name, value) ->
                assertThat(value).as(service + " " + name).isNotNull()
                        .doesNotContain("127.0.0.1").doesNotContain("localhost"));
    }
}
