package dev.pinpipe.archive;

import java.io.ByteArrayOutputStream;
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
    static void append(ByteArrayOutputStream out, byte[] value, int partition, long offset, long timestamp) {
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
        out.writeBytes(lineage(partition, offset, timestamp));
    }

    private static byte[] lineage(int partition, long offset, long timestamp) {
        return (",\"_kafka\":{\"partition\":" + partition + ",\"offset\":" + offset + ",\"timestamp\":" + timestamp + "}}\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
