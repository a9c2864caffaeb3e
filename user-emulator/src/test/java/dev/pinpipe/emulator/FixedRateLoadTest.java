package dev.pinpipe.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.PinJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class FixedRateLoadTest {

    @Test
    void sendsOnScheduleWithAFreshIdEachAndCountsNon2xx() throws Exception {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        try (StubApi api = new StubApi((n, path, body) -> {
            ids.add(uniqueId(body));
            return n == 3 ? 400 : 200;
        })) {
            FixedRateLoad.Result result = new FixedRateLoad(api.uri(), new PooledPins(new PinGenerator(5), 16, 5), 40, 3)
                    .run(Duration.ofSeconds(2));
            // 80 requests due over 2 s at 40/s, however fast the stub answers
            assertThat(result.sent()).isEqualTo(80);
            assertThat(result.ok()).isEqualTo(79);
            assertThat(result.non2xx()).isEqualTo(1);
            assertThat(result.errors()).isZero();
            assertThat(result.elapsedSeconds()).isGreaterThan(1.9);
            assertThat(result.p99Millis()).isLessThanOrEqualTo(result.maxMillis());
            assertThat(ids).hasSize(80);
            assertThat(api.requests.get()).isEqualTo(80);
        }
    }

    @Test
    void anUnreachableApiCountsErrorsInsteadOfHanging() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        FixedRateLoad.Result result = new FixedRateLoad(URI.create("http://127.0.0.1:" + port),
                new PooledPins(new PinGenerator(5), 16, 5), 20, 2).run(Duration.ofSeconds(1));
        assertThat(result.sent()).isEqualTo(20);
        assertThat(result.errors()).isEqualTo(20);
        assertThat(result.ok()).isZero();
    }

    private static String uniqueId(byte[] body) {
        try {
            return PinJson.parse(body).get("unique_id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
