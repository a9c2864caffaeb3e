package dev.pinpipe.archive;

import java.nio.charset.StandardCharsets;

/**
 * One archive line: the raw pin exactly as posted, its closing {@code }} replaced by
 * {@code ,"_kafka":{"partition":P,"offset":O,"timestamp":T}}} and a newline.
 *
 * <p>The only bytes ever changed are raw CR/LF between tokens (a pretty-printed body), which become
 * spaces so that each pin stays on one line; JSON strings cannot hold raw line breaks, so no value
 * changes.
 */
final class ArchiveLine {

    private ArchiveLine() {
    }

    /**
     * Appends the line of one validated pin (a JSON object) to {@code out}.
     *
     * @throws IllegalArgumentException when the value does not end with a JSON object's {@code }}
     */
    static void append(BodyBuffer out, byte[] value, int partition, long offset, long timestamp) {
        int end = value.length;
        while (end > 0 && isJsonWhitespace(value[end - 1])) {
            end--;
        }
        if (end == 0 || value[end - 1] != '}') {
            throw new IllegalArgumentException("not a JSON object: the value does not end with '}'");
        }
        int closingBrace = end - 1;
        int from = 0;
        for (int i = 0; i < closingBrace; i++) {
            if (value[i] == '\n' || value[i] == '\r') {
                out.write(value, from, i - from);
                out.write(' ');
                from = i + 1;
            }
        }
        out.write(value, from, closingBrace - from);
        // written piece by piece: this runs for every archived pin, a String per line would be most of its cost
        out.writeBytes(PARTITION);
        writeDecimal(out, partition);
        out.writeBytes(OFFSET);
        writeDecimal(out, offset);
        out.writeBytes(TIMESTAMP);
        writeDecimal(out, timestamp);
        out.writeBytes(END);
    }

    private static final byte[] PARTITION = ascii(",\"_kafka\":{\"partition\":");
    private static final byte[] OFFSET = ascii(",\"offset\":");
    private static final byte[] TIMESTAMP = ascii(",\"timestamp\":");
    private static final byte[] END = ascii("}}\n");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code Long.toString(v)} as ASCII bytes, without the String. */
    private static void writeDecimal(BodyBuffer out, long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                out.writeBytes(ascii(Long.toString(v)));
                return;
            }
            out.write('-');
            v = -v;
        }
        byte[] digits = new byte[19];
        int at = digits.length;
        do {
            digits[--at] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        out.write(digits, at, digits.length - at);
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
