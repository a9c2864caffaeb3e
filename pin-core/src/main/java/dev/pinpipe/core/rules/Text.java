package dev.pinpipe.core.rules;

/**
 * How every form of the rules trims text: the six ASCII whitespace chars of {@link #WHITESPACE} are
 * removed from both ends, nothing else. Unicode spaces and separators (U+00A0, U+2003, U+2028, …) are
 * content, never trimmed, in Java and in Spark alike (Spark's {@code trim(column, chars)} takes the
 * same set).
 */
public final class Text {

    /** The edge chars trimmed: space, tab, line feed, vertical tab, form feed, carriage return. */
    public static final String WHITESPACE = " \t\n\u000B\f\r";

    private Text() {
    }

    /** Whether {@code c} is one of {@link #WHITESPACE}. */
    public static boolean isWhitespace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /** The text without edge whitespace; null stays null. */
    public static String trim(String raw) {
        if (raw == null) {
            return null;
        }
        int from = 0;
        int to = raw.length();
        while (from < to && isWhitespace(raw.charAt(from))) {
            from++;
        }
        while (to > from && isWhitespace(raw.charAt(to - 1))) {
            to--;
        }
        return from == 0 && to == raw.length() ? raw : raw.substring(from, to);
    }

    /** Trimmed, or null when blank. */
    public static String trimToNull(String raw) {
        String trimmed = trim(raw);
        return trimmed == null || trimmed.isEmpty() ? null : trimmed;
    }
}
