package dev.pinpipe.localstack;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * What runs the servers: the embedded ones (the default, for tests too) or Docker containers through
 * Testcontainers, only when asked for. JDK only: the test side ({@link LocalStack}) names the value it passes.
 */
public enum Engine {
    EMBEDDED, CONTAINERS;

    /** The variable a test run sets to choose ({@code embedded|containers}); unset or blank: embedded. */
    public static final String TEST_VARIABLE = "PINPIPE_TEST_STACK";

    /** The one line that says the containers engine runs the servers; the test side echoes it. */
    public static final String NOTE_PREFIX = "local-stack: engine ";

    /** The choice made and the line to print about it ({@code null} for embedded: nothing to say). */
    public record Choice(Engine engine, String note) {
    }

    /** Thrown when {@code containers} is asked for and no engine answers: an explicit request must not fall back. */
    public static final class Unavailable extends IllegalStateException {
        Unavailable(String message) {
            super(message);
        }
    }

    /** The engine a test run asked for in {@code value} ({@link #TEST_VARIABLE}'s value): embedded when unset or blank. */
    public static Engine forTests(String value) {
        return value == null || value.isBlank() ? EMBEDDED : parse(value, TEST_VARIABLE);
    }

    /** {@code embedded} or {@code containers} (any case); {@code source} names where the value came from, for the error. */
    public static Engine parse(String value, String source) {
        String v = String.valueOf(value).strip();
        for (Engine e : values()) {
            if (e.option().equalsIgnoreCase(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException(source + " is embedded or containers, not '" + v + "'");
    }

    /** The value of {@code --engine} and of {@link #TEST_VARIABLE} that names this engine. */
    public String option() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Checks that this engine can run here. The probe (which may take a moment and talks to Docker)
     * runs only for {@code containers}, never for {@code embedded}.
     */
    public Choice choose(BooleanSupplier dockerAvailable) {
        if (this == EMBEDDED) {
            return new Choice(EMBEDDED, null);
        }
        if (!dockerAvailable.getAsBoolean()) {
            throw new Unavailable(NOTE_PREFIX + option() + ": no Docker engine found, and containers were asked for"
                    + " (--engine / " + TEST_VARIABLE + "); start one, or leave the embedded default");
        }
        return new Choice(CONTAINERS, NOTE_PREFIX + option() + ": using Testcontainers for Kafka/S3 (MinIO)/PostgreSQL");
    }
}
