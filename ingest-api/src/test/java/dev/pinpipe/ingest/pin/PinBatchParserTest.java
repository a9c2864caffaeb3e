package dev.pinpipe.ingest.pin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinpipe.core.FieldError;
import dev.pinpipe.core.SamplePins;
import dev.pinpipe.ingest.problem.BodyTooLargeException;
import dev.pinpipe.ingest.problem.InvalidPinException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PinBatchParserTest {

    private final PinBatchParser parser = new PinBatchParser(100);
    private final List<String> samples = SamplePins.rawLines();

    @Test
    void arrayElementsAreSlicedExactlyAsPosted() {
        String body = "[ " + String.join(" ,\n  ", samples) + " ]";
        List<PostedPin> pins = parser.parseArray(bytes(body));
        assertThat(pins).hasSize(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            assertThat(new String(pins.get(i).json(), StandardCharsets.UTF_8)).isEqualTo(samples.get(i));
            assertThat(pins.get(i).position()).isEqualTo(i);
            assertThat(pins.get(i).isValid()).isTrue();
        }
    }

    @Test
    void ndjsonLinesAreSlicedWithoutTheirLineEnds() {
        String body = String.join("\r\n\n", samples) + "\n";
        List<PostedPin> pins = parser.parseNdjson(bytes(body));
        assertThat(pins).extracting(p -> new String(p.json(), StandardCharsets.UTF_8)).containsExactlyElementsOf(samples);
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
        for (String body : List.of("{}", "[{}", "[1] 2", "not json", "[{\"index\": 1e99999999999}]")) {
            assertThatThrownBy(() -> parser.parseArray(bytes(body))).as(body)
                    .isInstanceOfSatisfying(InvalidPinException.class,
                            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("body"));
        }
    }

    @Test
    void aNumberOutOfRangeOnAnNdjsonLineIsThatPinsProblem() {
        List<PostedPin> pins = parser.parseNdjson(bytes(samples.get(0) + "\n{\"index\": 1e99999999999}\n"));
        assertThat(pins).extracting(PostedPin::isValid).containsExactly(true, false);
        assertThat(pins.get(1).validation().errors()).extracting(FieldError::field).containsExactly("body");
    }

    @Test
    void moreThanTheLimitOfPinsIsTooLarge() {
        PinBatchParser two = new PinBatchParser(2);
        assertThatThrownBy(() -> two.parseArray(bytes("[{},{},{}]"))).isInstanceOf(BodyTooLargeException.class);
        assertThatThrownBy(() -> two.parseNdjson(bytes("{}\n{}\n{}"))).isInstanceOf(BodyTooLargeException.class);
        assertThat(two.parseArray(bytes("[{},{}]"))).hasSize(2);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
