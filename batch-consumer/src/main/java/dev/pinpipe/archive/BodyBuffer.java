package dev.pinpipe.archive;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The growing body of one open object: a {@code ByteArrayOutputStream} without its synchronized
 * writes, which cost a lock per call at several calls per archived line, for a buffer only its
 * consumer thread ever touches.
 */
final class BodyBuffer {

    private static final byte[] LONG_MIN = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);

    private byte[] bytes;
    private int size;

    BodyBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    void write(int b) {
        ensureSpace(1);
        bytes[size++] = (byte) b;
    }

    void write(byte[] b, int offset, int length) {
        ensureSpace(length);
        System.arraycopy(b, offset, bytes, size, length);
        size += length;
    }

    void writeBytes(byte[] b) {
        write(b, 0, b.length);
    }

    /** {@code Long.toString(v)} as ASCII bytes, written in place (no String, no digit array per call). */
    void writeDecimal(long v) {
        if (v == Long.MIN_VALUE) {
            writeBytes(LONG_MIN);
            return;
        }
        ensureSpace(20);
        if (v < 0) {
            bytes[size++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long rest = v / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int at = size + digits;
        size = at;
        do {
            bytes[--at] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
    }

    /** Makes room for {@code length} more bytes at once (one growth check per line instead of one per piece). */
    void ensureSpace(int length) {
        int needed = size + length;
        if (needed < 0) {
            throw new IllegalStateException("an archive object cannot exceed 2 GiB");
        }
        if (needed > bytes.length) {
            int doubled = bytes.length * 2;
            bytes = Arrays.copyOf(bytes, Math.max(needed, doubled < 0 ? Integer.MAX_VALUE - 8 : doubled));
        }
    }

    /** A copy of the bytes written. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
