package dev.pinpipe.core;

/**
 * Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF). JSON between systems is UTF-8 (RFC 8259 §8.1); the JSON parser alone would also guess
 * UTF-16 or UTF-32 from the first bytes and be lenient inside strings.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** The offset of the first byte that is not part of well-formed UTF-8, or -1 when all are. */
    public static int firstInvalid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            byte c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            int lead = c & 0xFF;
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
                return i;
            }
            if (i + count >= to) {
                return i;
            }
            int second = b[i + 1] & 0xFF;
            if (second < min || second > max) {
                return i;
            }
            for (int k = i + 2; k <= i + count; k++) {
                if ((b[k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += count + 1;
        }
        return -1;
    }
}
