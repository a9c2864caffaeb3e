package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** docker-compose.yml settles by itself: every long-running service proves its health, every image is fixed. */
class ComposeFileTest {

    private final ComposeFile compose = ComposeFile.load();

    @Test
    void everyLongRunningServiceHasAHealthCheck() {
        List<String> missing = new ArrayList<>();
        compose.services().values().stream().filter(s -> !s.oneShot() && s.healthTest().isEmpty()).forEach(s -> missing.add(s.name()));
        assertThat(missing).as("services without a health check").isEmpty();
    }

    @Test
    void everyImageIsPinnedToARelease() {
        List<String> floating = new ArrayList<>();
        compose.services().values().forEach(s -> {
            String image = s.image().orElse(null);
            if (image == null || !ImageRef.parse(image).pinned()) {
                floating.add(s.name() + " → " + image);
            }
        });
        assertThat(floating).as("services whose image is missing, untagged, 'latest' or a moving tag").isEmpty();
    }

    @Test
    void dependenciesWaitForHealthOrCompletion() {
        List<String> wrong = new ArrayList<>();
        compose.services().values().forEach(s -> s.dependsOn().forEach((dependency, condition) -> {
            String expected = compose.service(dependency).oneShot()
                    ? "service_completed_successfully" : "service_healthy";
            if (!expected.equals(condition)) {
                wrong.add(s.name() + " → " + dependency + ": " + condition + " (want " + expected + ")");
            }
        }));
        assertThat(wrong).isEmpty();
    }

    @Test
    void oneShotServicesAreNeverRestarted() {
        compose.services().values().stream().filter(ComposeFile.Service::oneShot).forEach(s ->
                assertThat(s.restart()).as(s.name() + " restart policy").contains("no"));
    }

    @Test
    void onlyTheOnDemandToolsWaitForAProfile() {
        Map<String, List<String>> onDemand = Map.of(
                "user-emulator", List.of("emulator"),
                "batch-spark-job", List.of("batch"));
        compose.services().values().forEach(s -> assertThat(s.profiles()).as(s.name() + " profiles")
                .isEqualTo(onDemand.getOrDefault(s.name(), List.of())));
    }

    @Test
    void pipelineServicesAreBuiltFromThisRepository() {
        for (String service : List.of("ingest-api", "batch-consumer", "stream-spark-job", "user-emulator",
                "batch-spark-job", "airflow")) {
            assertThat(compose.service(service).dockerfile()).as(service)
                    .contains("docker/" + service + ".Dockerfile");
            assertThat(compose.service(service).buildContext()).as(service + " build context").contains(".");
        }
    }
}
