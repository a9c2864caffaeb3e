package dev.pinpipe.localstack;

import java.util.function.BooleanSupplier;

/**
 * What runs the servers: the embedded ones in this JVM, Docker containers through Testcontainers, or
 * {@code auto} — containers when a Docker engine answers, else embedded. JDK only: the test side
 * ({@link LocalStack}) names the value it passes.
 */
public enum Engine {
    EMBEDDED, CONTAINERS, AUTO;

    /** The variable a test run sets to choose ({@code embedded|containers|auto}); tests default to {@code auto}. */
    public static final String TEST_VARIABLE = "PINPIPE_TEST_STACK";

    /** The one line that says which engine {@code auto} or {@code containers} picked; the test side echoes it. */
    public static final String NOTE_PREFIX = "local-stack: engine ";

    /** The choice made and the line to print about it ({@code null} for an explicit {@code embedded}: nothing to say). */
    public record Choice(Engine engine, String note) {
    }

    /** Thrown when {@code containers} is asked for and no engine answers: an explicit request must not fall back. */
    public static final class Unavailable extends IllegalStateException {
        Unavailable(String message) {
            super(message);
        }
    }

    /**
     * Resolves this request to {@link #EMBEDDED} or {@link #CONTAINERS}. The probe (which may take a moment
     * and talks to Docker) runs only when the answer depends on it, never for {@code embedded}.
     */
    public Choice choose(BooleanSupplier dockerAvailable) {
        String option = name().toLowerCase(java.util.Locale.ROOT);
        return switch (this) {
            case EMBEDDED -> new Choice(EMBEDDED, null);
            case CONTAINERS -> {
                if (!dockerAvailable.getAsBoolean()) {
                    throw new Unavailable(NOTE_PREFIX + option + ": no Docker engine found, and containers were asked for"
                            + " (--engine / " + TEST_VARIABLE + "); start one, or choose auto or embedded");
                }
                yield new Choice(CONTAINERS, NOTE_PREFIX + option + ": using Testcontainers for Kafka/S3 (MinIO)/PostgreSQL");
            }
            case AUTO -> dockerAvailable.getAsBoolean()
                    ? new Choice(CONTAINERS, NOTE_PREFIX + option + ": Docker engine found; using Testcontainers for Kafka/S3 (MinIO)/PostgreSQL")
                    : new Choice(EMBEDDED, NOTE_PREFIX + option + ": no Docker engine found; using the embedded Kafka/S3/PostgreSQL");
        };
    }
}
