package dev.pinpipe.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The one rule for a secret setting: its value comes from the variable {@code NAME}, or from the file
 * the variable {@code NAME_FILE} names (its trailing newlines stripped), never both. A blank value
 * counts as unset. Never from a command line, which {@code ps} shows; no message holds the secret.
 */
public final class Secrets {

    /** What names the file holding a secret: {@code NAME} + this suffix. */
    public static final String FILE_SUFFIX = "_FILE";

    private Secrets() {
    }

    /** A JDBC URL (or a message quoting one) with the value of any {@code password=} parameter masked. */
    public static String redactedJdbcUrl(String text) {
        return text.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
    }

    /** The secret {@code name} from the environment {@code env}; null when neither variable is set. */
    public static String fromEnv(Map<String, String> env, String name) {
        return resolve(name, env.get(name), env.get(name + FILE_SUFFIX));
    }

    /**
     * The secret {@code name} from an inline {@code value} or a {@code file} (either may be null or blank);
     * null when neither is given.
     *
     * @throws IllegalArgumentException both given, or the file unreadable
     */
    public static String resolve(String name, String value, String file) {
        boolean inline = value != null && !value.isBlank();
        if (file == null || file.isBlank()) {
            return inline ? value : null;
        }
        if (inline) {
            throw new IllegalArgumentException("both " + name + " and " + name + FILE_SUFFIX + " are set: set only one");
        }
        Path path = Path.of(file.strip());
        try {
            return Files.readString(path).replaceFirst("(\\r?\\n)+$", "");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(name + FILE_SUFFIX + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
        }
    }
}
