package dev.pinpipe.core.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rule 1, {@code follower_count} → BIGINT: {@code "437"}→437, {@code "51k"}→51000, {@code "2M"}→2000000,
 * {@code "1.5k"}→1500 (a decimal only before a suffix, rounded half-up); anything else → null.
 * The seed's UDF raised on {@code "1.5k"} and empty strings; this one is total.
 */
public final class FollowerCountRule {

    public static final String COLUMN = "follower_count";

    /** Plain digits: the count itself. */
    public static final String DIGITS_REGEX = "^[0-9]+$";
    /** A whole or decimal number followed by one suffix letter; group 1 the number, group 2 the suffix. */
    public static final String SUFFIXED_REGEX = "^([0-9]+(\\.[0-9]+)?)([kKMB])$";
    public static final int SUFFIXED_NUMBER_GROUP = 1;
    public static final int SUFFIXED_SUFFIX_GROUP = 3;

    /** What each suffix multiplies by. */
    public static final Map<String, Long> MULTIPLIERS = Map.of(
            "k", 1_000L,
            "K", 1_000L,
            "M", 1_000_000L,
            "B", 1_000_000_000L);

    private static final Pattern DIGITS = Pattern.compile(DIGITS_REGEX);
    private static final Pattern SUFFIXED = Pattern.compile(SUFFIXED_REGEX);
    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private FollowerCountRule() {
    }

    /** The clean count, or null. {@code raw} is the JSON text of the value (an integer {@code 300} arrives as {@code "300"}). */
    public static Long clean(String raw) {
        String text = Text.trim(raw);
        if (text == null) {
            return null;
        }
        BigDecimal count;
        if (DIGITS.matcher(text).matches()) {
            count = new BigDecimal(text);
        } else {
            Matcher m = SUFFIXED.matcher(text);
            if (!m.matches()) {
                return null;
            }
            BigDecimal number = new BigDecimal(m.group(SUFFIXED_NUMBER_GROUP));
            count = number.multiply(BigDecimal.valueOf(MULTIPLIERS.get(m.group(SUFFIXED_SUFFIX_GROUP))))
                    .setScale(0, RoundingMode.HALF_UP);
        }
        return count.compareTo(MAX) > 0 ? null : count.longValueExact();
    }
}
