package dev.pinpipe.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one JSON mapper of the pin contract (Jackson 2), configured strictly: duplicate keys and trailing tokens are errors. */
public final class PinJson {

    /**
     * How deep a pin may nest (unknown fields may hold objects and arrays; the contract fields are
     * flat). Well below the JSON parsers' own defaults, Spark's included, so whatever passes here
     * every stage can parse.
     */
    public static final int MAX_NESTING_DEPTH = 64;

    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private PinJson() {
    }

    /** Parses one JSON document; throws {@link IOException} (with a location) when it is not JSON. */
    public static JsonNode parse(byte[] json) throws IOException {
        try {
            return MAPPER.readTree(json);
        } catch (NumberFormatException e) {
            throw numberOutOfRange(e);
        }
    }

    public static JsonNode parse(String json) throws IOException {
        try {
            return MAPPER.readTree(json);
        } catch (NumberFormatException e) {
            throw numberOutOfRange(e);
        }
    }

    /**
     * A number BigDecimal cannot hold ({@code 1e99999999999}) makes Jackson throw an unchecked
     * NumberFormatException; for a client it is just bad JSON, and it must never escape as a crash
     * (the archiver would retry such a record forever instead of dead-lettering it).
     */
    public static JsonParseException numberOutOfRange(NumberFormatException e) {
        return new JsonParseException((JsonParser) null, "a number is out of range: " + e.getMessage(), e);
    }

    /** Serialises a node back to compact JSON bytes (for batch bodies split into single pins). */
    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The raw text of a scalar the way Spark's JSON reader fills a string column: a JSON string's
     * value, any other value's JSON text, null for absent or JSON null.
     */
    public static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        return node.isTextual() ? node.textValue() : node.toString();
    }

}
