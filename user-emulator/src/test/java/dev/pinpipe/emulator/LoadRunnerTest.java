package dev.pinpipe.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.PinJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadRunnerTest {

    @Test
    void everyPinIsCountedOnceThroughRetries() throws Exception {
        // every fifth request is answered 503 first
        try (StubApi api = new StubApi((n, path, body) -> n % 5 == 4 ? 503 : 200)) {
            Summary summary = run(api, new RunPlan(60, null, 0, 4, 1, null));
            assertThat(summary.sent()).isEqualTo(60);
            assertThat(summary.acked()).isEqualTo(60);
            assertThat(summary.retries()).isPositive();
            assertThat(summary.allAcked()).isTrue();
            assertThat(api.requests.get()).isEqualTo(60 + (int) summary.retries());
        }
    }

    @Test
    void batchesCoverTheCountExactly() throws Exception {
        try (StubApi api = new StubApi((n, path, body) -> 200)) {
            Summary summary = run(api, new RunPlan(250, null, 0, 3, 100, null));
            assertThat(summary.sent()).isEqualTo(250);
            assertThat(summary.acked()).isEqualTo(250);
            assertThat(summary.requests()).isEqualTo(3);
        }
    }

    @Test
    void rejectedPinsMakeTheRunUnsuccessful() throws Exception {
        try (StubApi api = new StubApi((n, path, body) -> n == 0 ? 400 : 200)) {
            Summary summary = run(api, new RunPlan(10, null, 0, 1, 1, null));
            assertThat(summary.rejected()).isEqualTo(1);
            assertThat(summary.allAcked()).isFalse();
        }
    }

    @Test
    void rateIsHeld() throws Exception {
        try (StubApi api = new StubApi((n, path, body) -> 200)) {
            Summary summary = run(api, new RunPlan(40, null, 20, 4, 1, null));
            // 40 pins at 20/s take about two seconds however fast the API answers
            assertThat(summary.elapsedSeconds()).isGreaterThan(1.8);
            assertThat(summary.acked()).isEqualTo(40);
        }
    }

    @Test
    void idsOutNamesTheOutcomeOfEveryPin(@TempDir Path dir) throws Exception {
        Path ids = dir.resolve("sent.ids");
        try (StubApi api = new StubApi((n, path, body) -> n == 0 ? 400 : 200);
                PinOutcomeLog log = new PinOutcomeLog(ids)) {
            RunStats stats = new RunStats();
            IngestClient client = new IngestClient(api.uri(), Duration.ofSeconds(10), 5, () -> false);
            new LoadRunner(client, new PinGenerator(9), new RunPlan(10, null, 0, 1, 1, null), stats, () -> false, 9)
                    .loggingOutcomes(log).run();
        }
        List<String> lines = Files.readAllLines(ids);
        assertThat(lines).hasSize(10);
        assertThat(lines.get(0)).isEqualTo("rejected " + PinJson.parse(new PinGenerator(9).pin(0)).get("unique_id").asText());
        assertThat(lines.subList(1, 10)).allMatch(l -> l.startsWith("acked "));
        assertThat(lines.stream().map(l -> l.split(" ")[1]).distinct()).hasSize(10);
    }

    private static Summary run(StubApi api, RunPlan plan) throws InterruptedException {
        RunStats stats = new RunStats();
        IngestClient client = new IngestClient(api.uri(), Duration.ofSeconds(10), 5, () -> false);
        new LoadRunner(client, new PinGenerator(9), plan, stats, () -> false, 9).run();
        return stats.summary();
    }
}
