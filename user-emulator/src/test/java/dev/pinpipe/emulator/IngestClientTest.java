package dev.pinpipe.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestClientTest {

    private static final byte[] PIN = new PinGenerator(1).pin(0);

    @Test
    void retries503AfterRetryAfterAndCountsThePinOnce() throws Exception {
        try (StubApi api = new StubApi((n, path, body) -> n < 2 ? 503 : 200)) {
            IngestClient client = new IngestClient(api.uri(), Duration.ofSeconds(10), 5, () -> false);
            long start = System.nanoTime();
            Outcome outcome = client.postPin(PIN);

            assertThat(outcome).isEqualTo(new Outcome(1, 0, 0, 2));
            // two Retry-After: 1 waits
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
            assertThat(api.requests.get()).isEqualTo(3);
        }
    }

    @Test
    void refusedPinIsRejectedWithoutRetry() throws Exception {
        try (StubApi api = new StubApi((n, path, body) -> 400)) {
            IngestClient client = new IngestClient(api.uri(), Duration.ofSeconds(10), 5, () -> false);
            assertThat(client.postPin(PIN)).isEqualTo(new Outcome(0, 1, 0, 0));
            assertThat(api.requests.get()).isEqualTo(1);
        }
    }

    @Test
    void batchCountsWhatTheApiAccepted() throws Exception {
        try (StubApi api = new StubApi((n, path, body) -> n == 0 ? 503 : 200)) {
            IngestClient client = new IngestClient(api.uri(), Duration.ofSeconds(10), 5, () -> false);
            PinGenerator generator = new PinGenerator(2);
            Outcome outcome = client.postPins(List.of(generator.pin(0), generator.pin(1), generator.pin(2)));
            assertThat(outcome).isEqualTo(new Outcome(3, 0, 0, 1));
        }
    }

    @Test
    void unreachableApiFailsAfterTheLastRetry() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        IngestClient client = new IngestClient(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(2), 2, () -> false);
        assertThat(client.postPin(PIN)).isEqualTo(new Outcome(0, 0, 1, 2));
    }
}
