package dev.pinpipe.core.rules;

/**
 * Rule 2, {@code downloaded} → BOOLEAN: {@code 1} → true, {@code 0} → false (an integer or the
 * strings {@code "1"}/{@code "0"}); anything else, booleans included, → null.
 */
public final class DownloadedRule {

    public static final String COLUMN = "downloaded";
    public static final String TRUE_TEXT = "1";
    public static final String FALSE_TEXT = "0";

    private DownloadedRule() {
    }

    /** {@code raw} is the JSON text of the value, so the integer 1 and the string "1" both arrive as "1". */
    public static Boolean clean(String raw) {
        String text = Text.trim(raw);
        if (TRUE_TEXT.equals(text)) {
            return Boolean.TRUE;
        }
        if (FALSE_TEXT.equals(text)) {
            return Boolean.FALSE;
        }
        return null;
    }
}
