package dev.pinpipe.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.SamplePins;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Fresh pins shaped like the shared sample (dirty values included), each with a new unique_id. */
final class TestPins {

    private TestPins() {
    }

    /** A pin built from sample line {@code n % size} with a new id and the given title. */
    static String pin(String uniqueId, int n, String title) {
        List<com.fasterxml.jackson.databind.JsonNode> sample = SamplePins.raw();
        ObjectNode pin = ((ObjectNode) sample.get(n % sample.size())).deepCopy();
        pin.put("unique_id", uniqueId);
        pin.put("index", n);
        pin.put("title", title);
        return pin.toString();
    }

    static List<String> ids(int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    static String json(Object value) throws Exception {
        return PinJson.MAPPER.writeValueAsString(value);
    }
}
