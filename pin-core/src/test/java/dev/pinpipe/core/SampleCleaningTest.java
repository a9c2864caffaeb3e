package dev.pinpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole shared sample through the validator and the plain-Java rules equals the expected rows, field by field. */
class SampleCleaningTest {

    @Test
    void everySamplePinIsValidAndCleansToItsExpectedRow() {
        Map<String, Map<String, Object>> expected = SamplePins.expectedById();
        assertThat(SamplePins.rawLines()).hasSameSizeAs(expected.values());
        for (String raw : SamplePins.rawLines()) {
            PinValidation validation = PinValidator.validate(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(validation.errors()).as("errors of %s", raw).isEmpty();
            Map<String, Object> row = SamplePins.row(PinCleaner.clean(validation.pin()));
            Map<String, Object> want = expected.get(row.get("unique_id"));
            assertThat(want).as("expected row for %s", row.get("unique_id")).isNotNull();
            for (String column : SamplePins.EXPECTED_COLUMNS) {
                assertThat(row.get(column)).as("%s of pin %s", column, row.get("unique_id")).isEqualTo(want.get(column));
            }
        }
    }
}
