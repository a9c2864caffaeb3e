package dev.pinpipe.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared sample (test resources of pin-core, reachable by other modules through its test-jar):
 * raw pins in the seed's shape and the clean row each must become.
 */
public final class SamplePins {

    public static final String RAW = "sample-pins.ndjson";
    public static final String EXPECTED = "sample-pins.expected.ndjson";

    /** The columns an expected row holds, in the order of the expected file. */
    public static final List<String> EXPECTED_COLUMNS = List.of("unique_id", "index", "category", "title",
            "description", "tag_list", "follower_count", "downloaded", "is_image_or_video", "image_src",
            "save_location");

    private SamplePins() {
    }

    /** The raw lines, exactly as in the file. */
    public static List<String> rawLines() {
        return lines(RAW);
    }

    public static List<JsonNode> raw() {
        return rawLines().stream().map(SamplePins::parse).toList();
    }

    /** Expected clean rows keyed by unique_id, each as column → value (Long, Boolean, Integer, String or null). */
    public static Map<String, Map<String, Object>> expectedById() {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (String line : lines(EXPECTED)) {
            JsonNode node = parse(line);
            Map<String, Object> row = new LinkedHashMap<>();
            for (String column : EXPECTED_COLUMNS) {
                row.put(column, value(column, node.get(column)));
            }
            rows.put(node.get("unique_id").textValue(), row);
        }
        return rows;
    }

    /** A clean pin as the same column → value map, for comparing with {@link #expectedById()}. */
    public static Map<String, Object> row(CleanPin pin) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("unique_id", pin.uniqueId().toString());
        row.put("index", pin.index());
        row.put("category", pin.category());
        row.put("title", pin.title());
        row.put("description", pin.description());
        row.put("tag_list", pin.tagList());
        row.put("follower_count", pin.followerCount());
        row.put("downloaded", pin.downloaded());
        row.put("is_image_or_video", pin.isImageOrVideo());
        row.put("image_src", pin.imageSrc());
        row.put("save_location", pin.saveLocation());
        return row;
    }

    private static Object value(String column, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        return switch (column) {
            case "index" -> v.intValue();
            case "follower_count" -> v.longValue();
            case "downloaded" -> v.booleanValue();
            default -> v.textValue();
        };
    }

    private static JsonNode parse(String line) {
        try {
            return PinJson.parse(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(String resource) {
        try (InputStream in = SamplePins.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            List<String> lines = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
