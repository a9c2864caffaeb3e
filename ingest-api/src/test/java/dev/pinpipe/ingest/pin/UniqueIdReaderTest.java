package dev.pinpipe.ingest.pin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.PinValidator;
import dev.pinpipe.core.PinValidityCheck;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key read by streaming is the validator's own: {@code validate(body).pin().uniqueId().toString()}. */
class UniqueIdReaderTest {

    @Test
    void sameKeyAsTheValidator() {
        List<String> pins = List.of(
                "{\"index\": 1, \"unique_id\": \"fbe53c66-3442-4773-b19e-d3ec6f54dddf\", \"category\": \"art\"}",
                // upper case and edge whitespace: the key is the UUID's canonical text
                "{\"index\": 1, \"unique_id\": \"  FBE53C66-3442-4773-B19E-D3EC6F54DDDF\\t\", \"category\": \"art\"}",
                // fields before it, nested ones (skipped whole) and one holding the same name
                "{\"poster\": {\"unique_id\": \"00000000-0000-0000-0000-000000000000\"}, \"tags\": [\"unique_id\", [1]],"
                        + " \"title\": \"unique_id\", \"category\": \"art\", \"index\": 7,"
                        + " \"unique_id\": \"0AbCdEf1-2345-6789-aBcD-ef0123456789\"}");
        for (String pin : pins) {
            byte[] body = pin.getBytes(StandardCharsets.UTF_8);
            assertThat(PinValidityCheck.isValid(body)).isTrue();
            assertThat(UniqueIdReader.of(body)).isEqualTo(PinValidator.validate(body).pin().uniqueId().toString());
        }
    }
}
