package dev.pinpipe.ingest.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinpipe.core.FieldError;
import dev.pinpipe.core.SamplePins;
import dev.pinpipe.ingest.problem.BodyTooLargeException;
import dev.pinpipe.ingest.problem.InvalidPinException;
import dev.pinpipe.core.PinValidation;
import dev.pinpipe.core.PinValidator;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PinBatchParserTest {

    private final PinBatchParser parser = new PinBatchParser(100, 64 * 1024);
    private final List<String> samples = SamplePins.rawLines();

    @Test
    void arrayElementsAreValidatedInPlaceEachGivingItsCanonicalForm() {
        String body = "\uFEFF[ " + String.join(" ,\n  ", samples) + " ]";
        List<PostedPin> pins = parser.parseArray(bytes(body));
        assertThat(pins).hasSize(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            PinValidation alone = PinValidator.validate(bytes(samples.get(i)));
            assertThat(pins.get(i).position()).isEqualTo(i);
            assertThat(pins.get(i).isValid()).isTrue();
            assertThat(pins.get(i).validation().canonical()).isEqualTo(alone.canonical());
            assertThat(pins.get(i).validation().key()).isEqualTo(alone.key());
        }
    }

    @Test
    void scalarElementsAreSlicedWhole() {
        List<PostedPin> pins = parser.parseArray(bytes("[\"a string, with a comma\", 12345, true, null, []]"));
        assertThat(pins).extracting(p -> p.validation().errors().get(0).message()).containsExactly(
                "the body must be one JSON object, found a string", "the body must be one JSON object, found an integer",
                "the body must be one JSON object, found a boolean", "the body must be one JSON object, found null",
                "the body must be one JSON object, found an array");
    }

    @Test
    void ndjsonLinesAreValidatedWithoutTheirLineEnds() {
        String body = String.join("\r\n\n", samples) + "\n";
        List<PostedPin> pins = parser.parseNdjson(bytes(body));
        assertThat(pins).extracting(p -> p.validation().canonical())
                .containsExactlyElementsOf(samples.stream().map(s -> PinValidator.validate(bytes(s)).canonical()).toList());
    }

    @Test
    void aDuplicateKeyIsThatPinsProblem() {
        String id = "fbe53c66-3442-4773-b19e-d3ec6f54dddf";
        List<PostedPin> pins = parser.parseArray(bytes("[" + samples.get(0) + ", {\"index\": 1, \"index\": 2, \"unique_id\": \""
                + id + "\", \"category\": \"art\"}]"));
        assertThat(pins).extracting(PostedPin::isValid).containsExactly(true, false);
        assertThat(pins.get(1).validation().errors().get(0).message()).contains("Duplicate field 'index'");
    }

    @Test
    void aPinLargerThanThePinLimitIsThatPinsProblem() {
        PinBatchParser small = new PinBatchParser(10, 1000);
        String big = "{\"index\": 1, \"unique_id\": \"fbe53c66-3442-4773-b19e-d3ec6f54dddf\", \"category\": \"art\", "
                + "\"title\": \"" + "x".repeat(1000) + "\"}";
        for (List<PostedPin> pins : List.of(small.parseArray(bytes("[" + big + "]")), small.parseNdjson(bytes(big)))) {
            assertThat(pins.get(0).validation().errors()).extracting(FieldError::message)
                    .singleElement().asString().contains("more than the limit of 1000 bytes");
        }
    }

    @Test
    void aBodyThatIsNotUtf8IsOneProblemNamingTheEncoding() {
        String array = "[" + samples.get(0) + "]";
        Map<byte[], String> bodies = new LinkedHashMap<>();
        bodies.put(array.getBytes(StandardCharsets.UTF_16LE), "UTF-16LE");
        bodies.put(array.getBytes(StandardCharsets.UTF_16), "UTF-16BE (byte-order mark)");
        bodies.put(array.getBytes(Charset.forName("UTF-32BE")), "UTF-32BE");
        bodies.put(array.getBytes(Charset.forName("UTF-32LE")), "UTF-32LE");
        bodies.put("[{\"title\": \"caf\u00e9\"}]".getBytes(StandardCharsets.ISO_8859_1), "not UTF-8 (byte 0xE9 at offset 15)");
        bodies.forEach((body, named) -> {
            for (Runnable parse : List.<Runnable>of(() -> parser.parseArray(body), () -> parser.parseNdjson(body))) {
                assertThatThrownBy(parse::run).isInstanceOfSatisfying(InvalidPinException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                            assertThat(error.field()).isEqualTo("body");
                            assertThat(error.message()).contains(named);
                        }));
            }
        });
    }

    @Test
    void nestingDeeperThanAPinMayIsOneProblemOfTheBody() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> parser.parseArray(bytes(deep))).isInstanceOfSatisfying(InvalidPinException.class,
                e -> assertThat(e.errors().get(0).message()).contains("nests deeper than a pin may (64 levels"));
        // a pin nested as deep as a pin may be is still that pin's own business
        String nested = "{\"index\": 1, \"unique_id\": \"fbe53c66-3442-4773-b19e-d3ec6f54dddf\", \"category\": \"art\", \"x\": "
                + "[".repeat(63) + "]".repeat(63) + "}";
        assertThat(parser.parseArray(bytes("[" + nested + "]"))).singleElement().satisfies(p -> assertThat(p.isValid()).isTrue());
    }

    @Test
    void aBadElementIsOnlyThatPinsProblem() {
        String body = "[" + samples.get(0) + ", 5, {\"index\": \"seven\"}]";
        List<PostedPin> pins = parser.parseArray(bytes(body));
        assertThat(pins).extracting(PostedPin::isValid).containsExactly(true, false, false);
        assertThat(pins.get(2).validation().errors()).extracting(FieldError::field)
                .containsExactly("index", "unique_id", "category");
    }

    @Test
    void aBodyThatIsNotAnArrayIsOneProblemOfTheBody() {
        for (String body : List.of("{}", "[{}", "[1] 2", "not json")) {
            assertThatThrownBy(() -> parser.parseArray(bytes(body))).as(body)
                    .isInstanceOfSatisfying(InvalidPinException.class,
                            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("body"));
        }
    }

    @Test
    void aNumberOutOfRangeIsThatPinsProblem() {
        List<PostedPin> pins = parser.parseNdjson(bytes(samples.get(0) + "\n{\"index\": 1e99999999999}\n"));
        assertThat(pins).extracting(PostedPin::isValid).containsExactly(true, false);
        assertThat(pins.get(1).validation().errors()).extracting(FieldError::field).contains("index");
        assertThat(parser.parseArray(bytes("[{\"index\": 1e99999999999}]"))).extracting(PostedPin::isValid).containsExactly(false);
    }

    @Test
    void moreThanTheLimitOfPinsIsTooLarge() {
        PinBatchParser two = new PinBatchParser(2, 64 * 1024);
        assertThatThrownBy(() -> two.parseArray(bytes("[{},{},{}]"))).isInstanceOf(BodyTooLargeException.class);
        assertThatThrownBy(() -> two.parseNdjson(bytes("{}\n{}\n{}"))).isInstanceOf(BodyTooLargeException.class);
        assertThat(two.parseArray(bytes("[{},{}]"))).hasSize(2);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
