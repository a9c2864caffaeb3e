package dev.pinpipe.archive;

import java.util.Arrays;

/**
 * The growing body of one open object: a {@code ByteArrayOutputStream} without its synchronized
 * writes, which cost a lock per call at several calls per archived line, for a buffer only its
 * consumer thread ever touches.
 */
final class BodyBuffer {

    private byte[] bytes;
    private int size;

    BodyBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    void write(int b) {
        ensureCapacity(size + 1);
        bytes[size++] = (byte) b;
    }

    void write(byte[] b, int offset, int length) {
        ensureCapacity(size + length);
        System.arraycopy(b, offset, bytes, size, length);
        size += length;
    }

    void writeBytes(byte[] b) {
        write(b, 0, b.length);
    }

    /** A copy of the bytes written. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, bytes.length * 2));
        }
    }
}
