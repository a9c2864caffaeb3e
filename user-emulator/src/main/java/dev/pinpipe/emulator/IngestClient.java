package dev.pinpipe.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.PinJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Posts pins to the ingest API over HTTP/1.1 (JDK client, kept-alive connections) and retries what
 * may succeed later: 503/502/504/429 and connection errors, waiting as {@code Retry-After} says or
 * backing off exponentially. A request is retried whole; its pins are counted once, by its final answer.
 */
final class IngestClient {

    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final HttpClient http;
    private final URI pinUri;
    private final URI pinsUri;
    private final Duration requestTimeout;
    private final int maxRetries;
    private final BooleanSupplier stopping;
    private final Optional<String> apiKey;

    /** A client that sends the API key of the environment ({@link ApiKeyHeader}), if any. */
    IngestClient(URI api, Duration requestTimeout, int maxRetries, BooleanSupplier stopping) {
        this(api, requestTimeout, maxRetries, stopping, ApiKeyHeader.fromEnvironment());
    }

    /**
     * @param api        the API's base URL, e.g. {@code http://127.0.0.1:8000}
     * @param maxRetries retries of one request before its pins count as failed
     * @param stopping   true once the run is interrupted: no more retries
     * @param apiKey     sent as {@code X-API-Key} when present
     */
    IngestClient(URI api, Duration requestTimeout, int maxRetries, BooleanSupplier stopping, Optional<String> apiKey) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String base = api.toString().replaceAll("/+$", "");
        this.pinUri = URI.create(base + "/pin/");   // the seed emulator's path
        this.pinsUri = URI.create(base + "/pins");
        this.requestTimeout = requestTimeout;
        this.maxRetries = maxRetries;
        this.stopping = stopping;
        this.apiKey = apiKey;
    }

    /** {@code POST /pin/} with one pin. */
    Outcome postPin(byte[] pin) {
        HttpRequest request = request(pinUri, "application/json", pin);
        return exchange(request, 1, body -> Outcome.acked(1, 0));
    }

    /** {@code POST /pins} with a JSON array of pins; the answer says how many were accepted. */
    Outcome postPins(List<byte[]> pins) {
        HttpRequest request = request(pinsUri, "application/json", jsonArray(pins));
        return exchange(request, pins.size(), body -> {
            JsonNode answer = PinJson.parse(body);
            return new Outcome(answer.path("accepted").asInt(), answer.path("rejected").asInt(), 0, 0);
        });
    }

    private Outcome exchange(HttpRequest request, int pins, AnswerReader okAnswer) {
        for (int attempt = 0; ; attempt++) {
            Optional<Duration> wait;
            try {
                HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                int status = response.statusCode();
                if (status == 200) {
                    Outcome outcome = okAnswer.read(response.body());
                    return new Outcome(outcome.acked(), outcome.rejected(), outcome.failed(), attempt);
                }
                if (!retriable(status)) {
                    // 400, 413, 415: the same request would be refused again
                    return status >= 400 && status < 500 ? Outcome.rejected(pins, attempt) : Outcome.failed(pins, attempt);
                }
                wait = retryAfter(response);
            } catch (IOException e) {
                wait = Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.failed(pins, attempt);
            }
            if (attempt >= maxRetries || stopping.getAsBoolean()) {
                return Outcome.failed(pins, attempt);
            }
            if (!sleep(wait.orElse(backoff(attempt)))) {
                return Outcome.failed(pins, attempt);
            }
        }
    }

    private HttpRequest request(URI uri, String contentType, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        apiKey.ifPresent(key -> request.header(ApiKeyHeader.NAME, key));
        return request.build();
    }

    private static boolean retriable(int status) {
        return status == 503 || status == 502 || status == 504 || status == 429;
    }

    /** {@code Retry-After} in seconds (the API's form); an HTTP date is not worth parsing here. */
    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static Duration backoff(int attempt) {
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(attempt, 10));
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }

    /** Sleeps in short steps so an interrupted run stops retrying promptly; false if it should stop. */
    private boolean sleep(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        try {
            while (System.nanoTime() < until) {
                if (stopping.getAsBoolean()) {
                    return false;
                }
                Thread.sleep(Math.max(1, Math.min(100, (until - System.nanoTime()) / 1_000_000)));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] jsonArray(List<byte[]> pins) {
        int size = 2 + pins.size();
        for (byte[] pin : pins) {
            size += pin.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size);
        out.write('[');
        for (int i = 0; i < pins.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(pins.get(i));
        }
        out.write(']');
        return out.toByteArray();
    }

    @FunctionalInterface
    private interface AnswerReader {
        Outcome read(byte[] body) throws IOException;
    }
}
