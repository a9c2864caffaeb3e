package dev.pinpipe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.SamplePins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/** Sample pins (pin-core's test data) with fresh unique ids, so each test finds its own pins on the shared topic. */
final class TestPins {

    private TestPins() {
    }

    /** {@code n} raw pins as JSON text, each with a new unique_id; the sample's other fields, dirt included. */
    static List<String> fresh(int n) {
        List<JsonNode> samples = SamplePins.raw();
        return IntStream.range(0, n).mapToObj(i -> {
            ObjectNode pin = samples.get(i % samples.size()).deepCopy();
            pin.put("unique_id", UUID.randomUUID().toString());
            return pin.toString();
        }).toList();
    }

    static String uniqueId(String pinJson) {
        return parse(pinJson).get("unique_id").textValue();
    }

    static JsonNode parse(String json) {
        try {
            return PinJson.parse(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
