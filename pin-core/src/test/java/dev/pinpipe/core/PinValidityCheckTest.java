package dev.pinpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** PinValidityCheck must give the validator's verdict on every body, and settle the ordinary valid pin alone. */
class PinValidityCheckTest {

    private static final String ID = "c5521660-f3a3-4571-b476-189975a3adb3";

    static Stream<String> bodies() {
        return Stream.concat(SamplePins.rawLines().stream(), Stream.of(
                "{\"index\":0,\"unique_id\":\"" + ID + "\",\"category\":\"art\"}",
                "{\"index\":-0,\"unique_id\":\" " + ID.toUpperCase() + "\\n\",\"category\":\"art\",\"poster_name\":null}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"follower_count\":300,\"downloaded\":\"0\",\"title\":null}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"extra\":12345678901234567890123,\"flag\":true}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"nested\":{\"x\":[1,2.5]}}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"score\":1.5}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}   \n",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\"} trailing",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\"} {}",
                "{\"index\":1,\"index\":2,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"x\":1,\"x\":2}",
                "{\"index\":2147483648,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":-1,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":null,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":\"1\",\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":1.0,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":\"" + ID.replace('-', '_') + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":\"" + ID.substring(1) + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":\"g" + ID.substring(1) + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":42,\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\" \\t\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":null}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"title\":false}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"tag_list\":[\"a\"]}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"downloaded\":1.0}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"follower_count\":true}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"description\":\"bad \u0001 control\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\"",
                "[1,2]", "\"a string\"", "null", "   ", "not json", ""));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void givesTheValidatorsVerdict(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        assertThat(PinValidityCheck.isValid(bytes)).isEqualTo(PinValidator.validate(bytes).isValid());
        if (PinValidityCheck.isCertainlyValid(bytes)) {
            assertThat(PinValidator.validate(bytes).isValid()).isTrue();
        }
    }

    @Test
    void malformedUtf8InAnyStringIsInvalidAsInTheValidator() {
        byte[] bytes = ("{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"other\":\"xx\"}").getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 4] = (byte) 0xC3; // a two-byte lead followed by an ASCII byte
        assertThat(PinValidator.validate(bytes).isValid()).isFalse();
        assertThat(PinValidityCheck.isValid(bytes)).isFalse();
    }

    @Test
    void settlesTheValidSamplePinsWithoutTheValidator() {
        assertThat(SamplePins.rawLines()).filteredOn(line -> PinValidator.validate(line.getBytes(StandardCharsets.UTF_8)).isValid())
                .isNotEmpty()
                .allSatisfy(line -> assertThat(PinValidityCheck.isCertainlyValid(line.getBytes(StandardCharsets.UTF_8))).isTrue());
    }

    @Test
    void nullAndEmptyAreInvalid() {
        assertThat(PinValidityCheck.isValid(new byte[0])).isFalse();
    }
}
