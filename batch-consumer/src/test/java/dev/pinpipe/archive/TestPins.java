package dev.pinpipe.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.core.SamplePins;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Valid pins of the sample's shape, each with its own unique_id and index. */
final class TestPins {

    private static final List<JsonNode> VALID_SAMPLES = SamplePins.raw().stream()
            .filter(pin -> PinValidator.validate(PinJson.bytes(pin)).isValid())
            .toList();

    private TestPins() {
    }

    static List<byte[]> generate(int count) {
        List<byte[]> pins = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ObjectNode pin = VALID_SAMPLES.get(i % VALID_SAMPLES.size()).deepCopy();
            pin.put("index", i);
            pin.put("unique_id", UUID.randomUUID().toString());
            pins.add(PinJson.bytes(pin));
        }
        return pins;
    }

    static String uniqueId(byte[] pin) {
        try {
            return PinJson.parse(pin).get("unique_id").asText();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
