package dev.pinpipe.archive;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.pinpipe.core.ArchiveLineFormat;
import dev.pinpipe.core.PinJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes pin-core's {@link ArchiveLineFormat}: a pin's canonical JSON ({@code PinValidation.canonical()}),
 * its closing {@code }} replaced by {@code ,"_kafka":{"partition":P,"offset":O,"timestamp":T}}} and a newline.
 *
 * <p>The canonical form is compact and escapes every control character, so the line never holds a
 * raw line break, and its bytes depend on the record alone (the object cuts stay replayable).
 * {@code _kafka} is reserved for the lineage: a top-level {@code _kafka} the producer posted is
 * dropped, otherwise the line would hold the key twice (not JSON to a strict reader, and a forged
 * lineage to a lenient one).
 */
final class ArchiveLine {

    /** {@code "_kafka":} as it appears before a member's value in compact JSON. */
    private static final byte[] LINEAGE_KEY = ascii(member(ArchiveLineFormat.LINEAGE));

    private ArchiveLine() {
    }

    /**
     * The pin as its line will hold it: the canonical form, without a posted top-level {@code _kafka}.
     *
     * @param canonicalPin a valid pin's canonical form ({@code PinValidation.canonical()})
     * @throws IllegalArgumentException when it is not a compact JSON object
     */
    static byte[] pin(byte[] canonicalPin) {
        byte[] pin = contains(canonicalPin, LINEAGE_KEY) ? withoutLineage(canonicalPin) : canonicalPin;
        if (!isCompactObject(pin)) {
            throw new IllegalArgumentException("not a canonical pin: expected a compact JSON object");
        }
        return pin;
    }

    /**
     * Appends the line of one pin to {@code out}: byte copies only, nothing here depends on content.
     *
     * @param pin what {@link #pin(byte[])} returned
     */
    static void append(BodyBuffer out, byte[] pin, int partition, long offset, long timestamp) {
        if (!isCompactObject(pin)) {
            throw new IllegalArgumentException("not a canonical pin: expected a compact JSON object");
        }
        int closingBrace = pin.length - 1;
        out.ensureSpace(closingBrace + MAX_LINEAGE_BYTES);
        out.write(pin, 0, closingBrace);
        if (closingBrace > 1) {
            out.write(',');
        }
        // written piece by piece: this runs for every archived pin, a String per line would be most of its cost
        out.writeBytes(PARTITION);
        out.writeDecimal(partition);
        out.writeBytes(OFFSET);
        out.writeDecimal(offset);
        out.writeBytes(TIMESTAMP);
        out.writeDecimal(timestamp);
        out.writeBytes(END);
    }

    private static boolean isCompactObject(byte[] pin) {
        return pin.length >= 2 && pin[0] == '{' && pin[pin.length - 1] == '}';
    }

    private static final byte[] PARTITION = ascii(member(ArchiveLineFormat.LINEAGE) + "{" + member(ArchiveLineFormat.PARTITION));
    private static final byte[] OFFSET = ascii("," + member(ArchiveLineFormat.OFFSET));
    private static final byte[] TIMESTAMP = ascii("," + member(ArchiveLineFormat.TIMESTAMP));
    private static final byte[] END = ascii("}}" + ArchiveLineFormat.LINE_END);
    private static final int MAX_LINEAGE_BYTES = 1 + PARTITION.length + OFFSET.length + TIMESTAMP.length + END.length + 3 * 20;

    /** A member's name as compact JSON writes it before the value: {@code "name":}. */
    private static String member(String name) {
        return "\"" + name + "\":";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Whether {@code needle} occurs in {@code bytes} (a cheap pre-check: most pins hold no such bytes).
     * Scans for the needle's second byte, rarer in JSON than its opening quote.
     */
    static boolean contains(byte[] bytes, byte[] needle) {
        byte anchor = needle[1];
        outer:
        for (int i = 1, last = bytes.length - needle.length + 1; i <= last; i++) {
            if (bytes[i] != anchor) {
                continue;
            }
            for (int k = 0; k < needle.length; k++) {
                if (bytes[i - 1 + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * The canonical pin without a top-level {@code _kafka} member, every other token copied exactly
     * (strings by value with the same generator settings, numbers by their text), so the result is
     * still the canonical form of what remains. Rare: only when the bytes {@code "_kafka":} occur.
     */
    static byte[] withoutLineage(byte[] canonicalPin) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(canonicalPin.length);
        try (JsonParser in = PinJson.MAPPER.createParser(canonicalPin);
                JsonGenerator out = PinJson.MAPPER.getFactory().createGenerator(bytes)) {
            int depth = 0;
            for (JsonToken token = in.nextToken(); token != null; token = in.nextToken()) {
                switch (token) {
                    case START_OBJECT -> {
                        depth++;
                        out.writeStartObject();
                    }
                    case START_ARRAY -> {
                        depth++;
                        out.writeStartArray();
                    }
                    case END_OBJECT -> {
                        depth--;
                        out.writeEndObject();
                    }
                    case END_ARRAY -> {
                        depth--;
                        out.writeEndArray();
                    }
                    case FIELD_NAME -> {
                        if (depth == 1 && ArchiveLineFormat.LINEAGE.equals(in.currentName())) {
                            in.nextToken();
                            in.skipChildren();
                        } else {
                            out.writeFieldName(in.currentName());
                        }
                    }
                    case VALUE_STRING -> out.writeString(in.getText());
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> out.writeNumber(in.getText());
                    case VALUE_TRUE, VALUE_FALSE -> out.writeBoolean(token == JsonToken.VALUE_TRUE);
                    case VALUE_NULL -> out.writeNull();
                    default -> throw new IllegalStateException("unexpected token " + token);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("not a canonical pin", e);
        }
        return bytes.toByteArray();
    }
}
