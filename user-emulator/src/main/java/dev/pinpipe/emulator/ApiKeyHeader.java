package dev.pinpipe.emulator;

import dev.pinpipe.core.config.Settings;
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
        String key = Settings.API_KEY.secretValue(env::get);
        return key == null || key.isBlank() ? Optional.empty() : Optional.of(key.strip());
    }
}
