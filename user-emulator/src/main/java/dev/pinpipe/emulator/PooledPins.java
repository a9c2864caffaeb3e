package dev.pinpipe.emulator;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * For the benchmark: a pool of generated pins reused round-robin, each use with a fresh unique_id,
 * so the client spends almost nothing per pin and leaves the shared cores to the API under test.
 */
final class PooledPins implements PinSource {

    private static final byte[] ID_FIELD = "\"unique_id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int UUID_LENGTH = 36;

    private final byte[][] pool;
    private final int[] idOffsets;
    private final long seed;

    PooledPins(PinGenerator generator, int size, long seed) {
        this.pool = new byte[size][];
        this.idOffsets = new int[size];
        this.seed = seed;
        for (int i = 0; i < size; i++) {
            pool[i] = generator.pin(i);
            idOffsets[i] = indexOf(pool[i], ID_FIELD) + ID_FIELD.length;
        }
    }

    @Override
    public long size() {
        return Long.MAX_VALUE;
    }

    @Override
    public byte[] pin(long i) {
        int slot = (int) (i % pool.length);
        byte[] pin = pool[slot].clone();
        // a version-4-shaped UUID unique per (seed, i)
        UUID id = new UUID((seed << 16 & ~0xF000L) | 0x4000L, i & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L);
        byte[] text = id.toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, pin, idOffsets[slot], UUID_LENGTH);
        return pin;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("no unique_id in a generated pin");
    }
}
