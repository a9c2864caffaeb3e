package dev.pinpipe.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The ingest API's key, sent as {@value #NAME} when the API requires one: from {@code PINPIPE_API_KEY}
 * or the file {@code PINPIPE_API_KEY_FILE} names (never both), as the API itself reads it. Never a flag,
 * so it shows in no process list.
 */
final class ApiKeyHeader {

    static final String NAME = "X-API-Key";

    private ApiKeyHeader() {
    }

    /** The key from the process environment, or empty when the API is open. */
    static Optional<String> fromEnvironment() {
        return from(System.getenv());
    }

    static Optional<String> from(Map<String, String> env) {
        String key = env.getOrDefault("PINPIPE_API_KEY", "");
        String file = env.getOrDefault("PINPIPE_API_KEY_FILE", "");
        if (!key.isEmpty() && !file.isEmpty()) {
            throw new IllegalArgumentException("PINPIPE_API_KEY and PINPIPE_API_KEY_FILE are both set: set one of them");
        }
        if (!file.isEmpty()) {
            try {
                key = Files.readString(Path.of(file), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the API key file " + file + " (PINPIPE_API_KEY_FILE)", e);
            }
        }
        key = key.strip();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }
}
