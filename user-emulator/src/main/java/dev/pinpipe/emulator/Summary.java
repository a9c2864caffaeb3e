package dev.pinpipe.emulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pinpipe.core.PinJson;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The end of a run: every pin sent is counted once as acked, rejected (400/413/415) or failed (no
 * answer after retries); latencies are per request.
 */
record Summary(
        long sent, long acked, long rejected, long failed, long retries, long requests,
        @JsonProperty("elapsed_seconds") double elapsedSeconds,
        @JsonProperty("acked_per_second") double ackedPerSecond,
        @JsonProperty("requests_per_second") double requestsPerSecond,
        @JsonProperty("p50_ms") double p50Millis,
        @JsonProperty("p99_ms") double p99Millis,
        @JsonProperty("max_ms") double maxMillis) {

    /** Every pin sent was acknowledged. */
    boolean allAcked() {
        return acked == sent;
    }

    String text() {
        return String.format(Locale.ROOT,
                "sent %d, acked %d, rejected %d, failed %d (retries %d) in %.1f s: %.0f pins/s, %.0f req/s, "
                        + "latency p50 %.2f ms, p99 %.2f ms, max %.2f ms",
                sent, acked, rejected, failed, retries, elapsedSeconds, ackedPerSecond, requestsPerSecond,
                p50Millis, p99Millis, maxMillis);
    }

    String json() {
        try {
            return PinJson.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
