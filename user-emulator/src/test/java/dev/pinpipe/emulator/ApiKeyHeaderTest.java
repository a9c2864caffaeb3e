package dev.pinpipe.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emulator sends the API key of its environment on both of its clients, and nothing when there is none. */
class ApiKeyHeaderTest {

    private static final byte[] PIN = new PinGenerator(1).pin(0);

    @TempDir
    Path dir;

    @Test
    void keyFromTheVariableOrTheFileNeverBoth() throws Exception {
        assertThat(ApiKeyHeader.from(Map.of())).isEmpty();
        assertThat(ApiKeyHeader.from(Map.of("PINPIPE_API_KEY", ""))).isEmpty();
        assertThat(ApiKeyHeader.from(Map.of("PINPIPE_API_KEY", "k1"))).contains("k1");
        Path file = Files.writeString(dir.resolve("key"), "k2\n");
        assertThat(ApiKeyHeader.from(Map.of("PINPIPE_API_KEY_FILE", file.toString()))).contains("k2");
        assertThatThrownBy(() -> ApiKeyHeader.from(Map.of("PINPIPE_API_KEY", "k1", "PINPIPE_API_KEY_FILE", file.toString())))
                .hasMessageContaining("PINPIPE_API_KEY_FILE");
    }

    @Test
    void bothClientsSendTheKeyWhenGivenOne() throws Exception {
        try (StubApi api = new StubApi((n, path, body) -> 200)) {
            new IngestClient(api.uri(), Duration.ofSeconds(10), 0, () -> false, Optional.of("k3")).postPin(PIN);
            new IngestClient(api.uri(), Duration.ofSeconds(10), 0, () -> false, Optional.of("k3")).postPins(java.util.List.of(PIN));
            new IngestClient(api.uri(), Duration.ofSeconds(10), 0, () -> false, Optional.empty()).postPin(PIN);
            new FixedRateLoad(api.uri(), new PooledPins(new PinGenerator(5), 16, 5), 20, 1, Optional.of("k4"))
                    .run(Duration.ofMillis(300));
            assertThat(api.apiKeys.subList(0, 3)).containsExactly("k3", "k3", null);
            assertThat(api.apiKeys.subList(3, api.apiKeys.size())).isNotEmpty().containsOnly("k4");
        }
    }
}
