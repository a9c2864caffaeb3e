package dev.pinpipe.bench;

import dev.pinpipe.core.PinFields;
import dev.pinpipe.emulator.PinGenerator;
import java.nio.charset.StandardCharsets;

/**
 * The benchmarks' pins: the user emulator's {@link PinGenerator} (the one its load runner posts), so
 * pin {@code i} depends only on the seed and {@code i}, with its unique_id at hand for the Kafka key.
 */
final class BenchPins {

    /** The seed's emulator used {@code random.seed(100)}; so does every benchmark unless told otherwise. */
    static final String DEFAULT_SEED = "100";

    private static final String ID_MEMBER = "\"" + PinFields.UNIQUE_ID + "\":\"";
    private static final int UUID_LENGTH = 36;

    /** A generated pin: its JSON bytes and its unique_id. */
    record Pin(String uniqueId, byte[] json) {
    }

    private final PinGenerator generator;

    BenchPins(long seed) {
        this.generator = new PinGenerator(seed);
    }

    Pin pin(long i) {
        byte[] json = generator.pin(i);
        return new Pin(uniqueId(json), json);
    }

    /** The unique_id of a generated pin, found without parsing it (the generator writes compact JSON). */
    private static String uniqueId(byte[] json) {
        String text = new String(json, StandardCharsets.UTF_8);
        int at = text.indexOf(ID_MEMBER);
        if (at < 0) {
            throw new IllegalStateException("a generated pin without " + PinFields.UNIQUE_ID + ": " + text);
        }
        return text.substring(at + ID_MEMBER.length(), at + ID_MEMBER.length() + UUID_LENGTH);
    }
}
