package dev.pinpipe.core;

import static dev.pinpipe.core.PinFields.CATEGORY;
import static dev.pinpipe.core.PinFields.DESCRIPTION;
import static dev.pinpipe.core.PinFields.DOWNLOADED;
import static dev.pinpipe.core.PinFields.FOLLOWER_COUNT;
import static dev.pinpipe.core.PinFields.IMAGE_SRC;
import static dev.pinpipe.core.PinFields.INDEX;
import static dev.pinpipe.core.PinFields.IS_IMAGE_OR_VIDEO;
import static dev.pinpipe.core.PinFields.SAVE_LOCATION;
import static dev.pinpipe.core.PinFields.TAG_LIST;
import static dev.pinpipe.core.PinFields.TITLE;
import static dev.pinpipe.core.PinFields.UNIQUE_ID;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@link PinValidator}'s verdict without its work: {@link #isValid(byte[])} answers exactly
 * {@code PinValidator.validate(body).isValid()}, for hot paths that only need yes or no (the archiver
 * checks every record it stores and needs the reasons only for the rare invalid one).
 *
 * <p>An ordinary valid pin is settled by one pass over its bytes, with no parser, tree, String or
 * {@link Pin}: a flat JSON object whose keys are plain (unescaped) text, whose values are strings,
 * integers, {@code true}, {@code false} or {@code null}, and which meets the validator's rules. The
 * pass is strictly narrower than what {@link PinJson#MAPPER} accepts (well-formed UTF-8 only, no
 * escaped surrogates, integers of at most 18 digits, no leading zeros, no trailing commas, no
 * comments, JSON whitespace only, no duplicate keys), so whatever it accepts the validator accepts.
 * Anything it does not settle for certain — a rule failing, a nested value, a decimal, an escape in
 * a key or in {@code unique_id}, text it cannot prove non-blank, any doubt about the syntax — is handed
 * to {@link PinValidator} itself, so the answer never differs (PinValidityCheckTest compares both on
 * the samples, the rule table, generated dirty pins and thousands of random mutations).
 */
public final class PinValidityCheck {

    /** What the validator asks of a contract field's value. */
    private enum Kind { INDEX, UNIQUE_ID, CATEGORY, TEXT, TEXT_OR_INTEGER, ANY }

    private static final byte[][] FIELD_NAMES = {
            bytes(INDEX), bytes(UNIQUE_ID), bytes(CATEGORY), bytes(TITLE), bytes(DESCRIPTION), bytes(TAG_LIST),
            bytes(IS_IMAGE_OR_VIDEO), bytes(IMAGE_SRC), bytes(SAVE_LOCATION), bytes(FOLLOWER_COUNT), bytes(DOWNLOADED)};
    private static final Kind[] FIELD_KINDS = {
            Kind.INDEX, Kind.UNIQUE_ID, Kind.CATEGORY, Kind.TEXT, Kind.TEXT, Kind.TEXT,
            Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.TEXT_OR_INTEGER, Kind.TEXT_OR_INTEGER};
    /** FIELD_NAMES' indexes by name length: a key is compared with the names of its own length only. */
    private static final int[][] FIELDS_BY_LENGTH = fieldsByLength();
    private static final int REQUIRED = 0b111; // index, unique_id, category: the first three names
    private static final byte[] TRUE = bytes("true");
    private static final byte[] FALSE = bytes("false");
    private static final byte[] NULL = bytes("null");

    /** Unknown keys remembered for the duplicate check; a pin with more is handed to the validator. */
    private static final int MAX_UNKNOWN_KEYS = 16;
    /** Keys longer than this are handed to the validator (the parser limits names, 50 000 by default). */
    private static final int MAX_KEY_BYTES = 1_000;
    /** Longer integers are handed to the validator (the parser limits numbers, 1 000 digits by default). */
    private static final int MAX_DIGITS = 18;
    /** Longer bodies are handed to the validator (the parser limits strings, 20 M chars by default). */
    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private PinValidityCheck() {
    }

    /** Whether the body is a valid pin: the same answer as {@code PinValidator.validate(body).isValid()}. */
    public static boolean isValid(byte[] body) {
        return isCertainlyValid(body) || PinValidator.validate(body).isValid();
    }

    /** The byte pass: true only when the body is certainly a valid pin; false means "ask the validator". */
    static boolean isCertainlyValid(byte[] body) {
        return body != null && body.length > 0 && body.length <= MAX_BODY_BYTES && new Scan(body).isCertainlyValidPin();
    }

    /** One pass over one body; every method returns -1 (or false) for "not settled here". */
    private static final class Scan {

        private final byte[] b;
        private final int n;
        /** Set by {@link #string(int)}: whether the string held an escape. */
        private boolean escaped;
        /** Set by {@link #integer(int)}: its value when it has at most {@link #MAX_DIGITS} digits, and its sign. */
        private long integer;
        private boolean negative;

        Scan(byte[] body) {
            this.b = body;
            this.n = body.length;
        }

        boolean isCertainlyValidPin() {
            int i = whitespace(0);
            if (i >= n || b[i] != '{') {
                return false;
            }
            i = whitespace(i + 1);
            if (i < n && b[i] == '}') {
                return false; // {} lacks the required fields
            }
            int seen = 0;
            long[] unknown = null;
            int unknownCount = 0;
            for (;;) {
                // key
                if (i >= n || b[i] != '"') {
                    return false;
                }
                int keyStart = i + 1;
                int keyEnd = string(i) - 1;
                if (keyEnd < 0 || escaped || keyEnd - keyStart > MAX_KEY_BYTES) {
                    return false;
                }
                int field = field(keyStart, keyEnd - keyStart);
                if (field >= 0) {
                    if ((seen & (1 << field)) != 0) {
                        return false;
                    }
                    seen |= 1 << field;
                } else {
                    if (unknown == null) {
                        unknown = new long[MAX_UNKNOWN_KEYS];
                    }
                    if (unknownCount == MAX_UNKNOWN_KEYS || contains(unknown, unknownCount, keyStart, keyEnd)) {
                        return false;
                    }
                    unknown[unknownCount++] = (long) keyStart << 32 | keyEnd;
                }
                i = whitespace(keyEnd + 1);
                if (i >= n || b[i] != ':') {
                    return false;
                }
                i = whitespace(i + 1);
                // value
                i = value(i, field < 0 ? Kind.ANY : FIELD_KINDS[field]);
                if (i < 0) {
                    return false;
                }
                i = whitespace(i);
                if (i >= n) {
                    return false;
                }
                if (b[i] == '}') {
                    break;
                }
                if (b[i] != ',') {
                    return false;
                }
                i = whitespace(i + 1);
            }
            return (seen & REQUIRED) == REQUIRED && whitespace(i + 1) == n;
        }

        /** The value at {@code i} for a field of this kind: the index after it, or -1 when it is not certainly acceptable. */
        private int value(int i, Kind kind) {
            if (i >= n) {
                return -1;
            }
            byte c = b[i];
            if (c == '"') {
                int end = string(i);
                if (end < 0) {
                    return -1;
                }
                return switch (kind) {
                    case INDEX -> -1;
                    case UNIQUE_ID -> !escaped && isCanonicalUuid(i + 1, end - 1) ? end : -1;
                    case CATEGORY -> isCertainlyNotBlank(i + 1, end - 1) ? end : -1;
                    case TEXT, TEXT_OR_INTEGER, ANY -> end;
                };
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                int end = integer(i);
                if (end < 0) {
                    return -1;
                }
                return switch (kind) {
                    case INDEX -> integer <= Integer.MAX_VALUE && (integer == 0 || !negative) ? end : -1;
                    case TEXT_OR_INTEGER, ANY -> end;
                    case UNIQUE_ID, CATEGORY, TEXT -> -1;
                };
            }
            if (kind == Kind.ANY && (c == 't' || c == 'f')) {
                return c == 't' ? literal(i, TRUE) : literal(i, FALSE);
            }
            if (c == 'n' && (kind == Kind.TEXT || kind == Kind.TEXT_OR_INTEGER || kind == Kind.ANY)) {
                return literal(i, NULL);
            }
            return -1; // nested values, decimals, required fields' nulls, wrong types, bad syntax
        }

        /**
         * The string whose opening quote is at {@code i}: the index after its closing quote, or -1
         * unless every byte is certainly accepted by the parser (no raw control chars, well-formed
         * UTF-8, known escapes, no escaped surrogate).
         */
        private int string(int i) {
            escaped = false;
            int j = i + 1;
            for (;;) {
                byte c;
                // the plain run: printable ASCII other than quote and backslash (bytes are signed: >= 0x20 is also below 0x80)
                while (j < n && (c = b[j]) >= 0x20 && c != '"' && c != '\\') {
                    j++;
                }
                if (j >= n) {
                    return -1;
                }
                c = b[j];
                if (c == '"') {
                    return j + 1;
                }
                if (c == '\\') {
                    escaped = true;
                    j = escape(j + 1);
                } else if (c < 0) {
                    j = utf8(j);
                } else {
                    return -1; // a raw control char
                }
                if (j < 0) {
                    return -1;
                }
            }
        }

        /**
         * Whether the string between these indexes is certainly not blank: a printable ASCII char other
         * than a space before any escape (an escape may stand for whitespace; other non-ASCII may be whitespace).
         */
        private boolean isCertainlyNotBlank(int from, int to) {
            for (int k = from; k < to; k++) {
                byte c = b[k];
                if (c == '\\') {
                    return false;
                }
                if (c > ' ' && c < 0x7F) {
                    return true;
                }
            }
            return false;
        }

        /** After a backslash at {@code i - 1}: the index after the escape, or -1. */
        private int escape(int i) {
            if (i >= n) {
                return -1;
            }
            switch (b[i]) {
                case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                    return i + 1;
                }
                case 'u' -> {
                    if (i + 4 >= n) {
                        return -1;
                    }
                    int code = 0;
                    for (int k = i + 1; k <= i + 4; k++) {
                        int digit = Character.digit(b[k], 16);
                        if (digit < 0) {
                            return -1;
                        }
                        code = code << 4 | digit;
                    }
                    return code >= 0xD800 && code <= 0xDFFF ? -1 : i + 5;
                }
                default -> {
                    return -1;
                }
            }
        }

        /** A UTF-8 sequence led by the byte at {@code i}: the index after it when well-formed (RFC 3629), else -1. */
        private int utf8(int i) {
            int lead = b[i] & 0xFF;
            int count;
            int min = 0x80;
            int max = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                count = 1;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                count = 2;
                if (lead == 0xE0) {
                    min = 0xA0; // no overlong forms
                } else if (lead == 0xED) {
                    max = 0x9F; // no surrogates
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                count = 3;
                if (lead == 0xF0) {
                    min = 0x90;
                } else if (lead == 0xF4) {
                    max = 0x8F; // nothing above U+10FFFF
                }
            } else {
                return -1;
            }
            if (i + count >= n) {
                return -1;
            }
            int second = b[i + 1] & 0xFF;
            if (second < min || second > max) {
                return -1;
            }
            for (int k = i + 2; k <= i + count; k++) {
                if ((b[k] & 0xC0) != 0x80) {
                    return -1;
                }
            }
            return i + count + 1;
        }

        /**
         * The integer at {@code i}: the index after it, or -1 when it is not a plain JSON integer of at
         * most {@link #MAX_DIGITS} digits (a decimal, an exponent, a leading zero, a lone minus).
         */
        private int integer(int i) {
            negative = b[i] == '-';
            int j = negative ? i + 1 : i;
            int first = j;
            long value = 0;
            while (j < n && b[j] >= '0' && b[j] <= '9') {
                value = value * 10 + (b[j] - '0');
                j++;
            }
            int digits = j - first;
            if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && b[first] == '0')) {
                return -1;
            }
            if (j < n && (b[j] == '.' || b[j] == 'e' || b[j] == 'E')) {
                return -1;
            }
            integer = value;
            return j;
        }

        /** The literal (true, false, null) at {@code i}: the index after it, or -1. */
        private int literal(int i, byte[] word) {
            int end = i + word.length;
            return end <= n && Arrays.equals(b, i, end, word, 0, word.length) ? end : -1;
        }

        /** {@link PinValidator#UUID_REGEX} on raw bytes: 8-4-4-4-12 hex digits, nothing around them. */
        private boolean isCanonicalUuid(int from, int to) {
            if (to - from != 36) {
                return false;
            }
            for (int k = 0; k < 36; k++) {
                byte c = b[from + k];
                boolean ok = k == 8 || k == 13 || k == 18 || k == 23
                        ? c == '-'
                        : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        /** The contract field this key names (its index in FIELD_NAMES), or -1: only the names of its length are compared. */
        private int field(int from, int length) {
            if (length >= FIELDS_BY_LENGTH.length) {
                return -1;
            }
            for (int f : FIELDS_BY_LENGTH[length]) {
                byte[] name = FIELD_NAMES[f];
                int k = 0;
                while (k < length && b[from + k] == name[k]) {
                    k++;
                }
                if (k == length) {
                    return f;
                }
            }
            return -1;
        }

        private boolean contains(long[] keys, int count, int from, int to) {
            for (int k = 0; k < count; k++) {
                int start = (int) (keys[k] >>> 32);
                int end = (int) keys[k];
                if (Arrays.equals(b, start, end, b, from, to)) {
                    return true;
                }
            }
            return false;
        }

        /** The first index at or after {@code i} that is not JSON whitespace. */
        private int whitespace(int i) {
            while (i < n) {
                byte c = b[i];
                if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                    return i;
                }
                i++;
            }
            return i;
        }
    }

    private static int[][] fieldsByLength() {
        int longest = Arrays.stream(FIELD_NAMES).mapToInt(name -> name.length).max().orElse(0);
        int[][] byLength = new int[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int l = length;
            byLength[length] = java.util.stream.IntStream.range(0, FIELD_NAMES.length).filter(f -> FIELD_NAMES[f].length == l).toArray();
        }
        return byLength;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
