package dev.pinpipe.core.rules;

import java.util.regex.Pattern;

/**
 * How the rules trim text. Spark's {@code trim()} removes spaces only and Java's {@code strip()} all
 * Unicode whitespace, so both forms use this one regular expression instead and agree on tabs and
 * line breaks.
 */
public final class Text {

    /** Leading or trailing whitespace ({@code \s}: space, tab, line breaks, form feed, vertical tab). */
    public static final String EDGE_WHITESPACE_REGEX = "^\\s+|\\s+$";
    private static final Pattern EDGE_WHITESPACE = Pattern.compile(EDGE_WHITESPACE_REGEX);

    private Text() {
    }

    /** The text without edge whitespace; null stays null. */
    public static String trim(String raw) {
        return raw == null ? null : EDGE_WHITESPACE.matcher(raw).replaceAll("");
    }

    /** Trimmed, or null when blank. */
    public static String trimToNull(String raw) {
        String trimmed = trim(raw);
        return trimmed == null || trimmed.isEmpty() ? null : trimmed;
    }
}
