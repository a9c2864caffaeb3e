package dev.pinpipe.ingest.problem;

/**
 * A pin request without the configured API key, or with another one: 401. The message says what is
 * wrong with the header and never holds a key.
 */
public class ApiKeyRejectedException extends RuntimeException {

    private ApiKeyRejectedException(String message) {
        // no stack trace: a refused request is not a failure of the API
        super(message, null, false, false);
    }

    public static ApiKeyRejectedException missing() {
        return new ApiKeyRejectedException("is missing; this API requires an API key");
    }

    public static ApiKeyRejectedException wrong() {
        return new ApiKeyRejectedException("does not hold this API's key");
    }
}
