package dev.pinpipe.ingest.auth;

import dev.pinpipe.core.Secrets;
import dev.pinpipe.core.config.Settings;
import dev.pinpipe.ingest.IngestProperties;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The key clients must send in {@value #HEADER}, from {@link Settings#API_KEY} or the file its
 * {@code _FILE} variable names (one of them, never both). Holds the bytes only: no
 * {@code toString}, message or log shows them.
 */
public final class ApiKey {

    /** The request header that carries the key. */
    public static final String HEADER = "X-API-Key";

    /** How messages name the two settings. */
    static final String SETTINGS = Settings.API_KEY.variable() + " or " + Settings.API_KEY.variable() + Secrets.FILE_SUFFIX;

    private final byte[] key;

    private ApiKey(byte[] key) {
        this.key = key;
    }

    /**
     * The configured key, or empty when neither setting is given (the API is open).
     *
     * @throws IllegalStateException both settings given, the file unreadable, or a key a header cannot carry
     */
    public static Optional<ApiKey> of(IngestProperties properties) {
        String key;
        try {
            key = Secrets.resolve(Settings.API_KEY.variable(), properties.apiKey(),
                    properties.apiKeyFile() == null ? null : properties.apiKeyFile().toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (key == null) {
            return Optional.empty();
        }
        // a header value loses surrounding blanks
        key = key.strip();
        if (key.isEmpty() || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalStateException("the API key (" + SETTINGS + ")"
                    + " must be one or more visible ASCII characters (no spaces or control characters)");
        }
        return Optional.of(new ApiKey(key.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Whether a request's header value is the key, in time that depends only on the length of what
     * was sent ({@link MessageDigest#isEqual} walks its first argument).
     */
    boolean matches(String sent) {
        return sent != null && MessageDigest.isEqual(sent.getBytes(StandardCharsets.ISO_8859_1), key);
    }

    @Override
    public String toString() {
        return "ApiKey[(set)]";
    }
}
