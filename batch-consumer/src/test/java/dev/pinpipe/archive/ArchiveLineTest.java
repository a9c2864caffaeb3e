package dev.pinpipe.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pinpipe.core.ArchiveLineFormat;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.PinValidation;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.core.SamplePins;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArchiveLineTest {

    /** The lineage as archives already hold it, spelled out: a change of the format shows here. */
    private static final String LINEAGE = "\"_kafka\":{\"partition\":1,\"offset\":42,\"timestamp\":1764201600000}}\n";
    private static final ArchiveLineFormat.Lineage READ_BACK = new ArchiveLineFormat.Lineage(1, 42, 1_764_201_600_000L);

    private static String line(byte[] pin) {
        BodyBuffer out = new BodyBuffer(1);
        ArchiveLine.append(out, ArchiveLine.pin(pin), 1, 42, 1_764_201_600_000L);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static String line(String pin) {
        return line(pin.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] canonical(String posted) {
        PinValidation v = PinValidator.validate(posted.getBytes(StandardCharsets.UTF_8));
        assertThat(v.errors()).isEmpty();
        return v.canonical();
    }

    @Test
    void appendsKafkaLineageAsTheLastField() {
        assertThat(line("{\"index\":1,\"title\":\"a } b\"}")).isEqualTo("{\"index\":1,\"title\":\"a } b\"," + LINEAGE);
        assertThat(line("{}")).isEqualTo("{" + LINEAGE);
    }

    @Test
    void writesEveryNumberAsLongToStringWould() {
        for (long n : new long[] {0, 7, 9, 10, 99, 100, 1_000_000_007L, Long.MAX_VALUE, -1, -9, -10, Long.MIN_VALUE + 1, Long.MIN_VALUE}) {
            BodyBuffer out = new BodyBuffer(1);
            ArchiveLine.append(out, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 0, n, n);
            assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"a\":1,\"_kafka\":{\"partition\":0,\"offset\":" + n + ",\"timestamp\":" + n + "}}\n");
        }
    }

    @Test
    void aPrettyPrintedPinWithLineBreaksInItsValuesBecomesOneCanonicalLine() {
        String posted = "\uFEFF{\r\n  \"category\": \"a\\nb\\r\\u2028c\",\n  \"unique_id\": \"  0C8A0F4E-3D5B-4B7C-9E1A-2F3D4C5B6A7F \",\n"
                + "  \"index\": 7\n}\n";
        byte[] canonical = canonical(posted);
        String line = line(canonical);
        assertThat(line).isEqualTo("{\"index\":7,\"unique_id\":\"0c8a0f4e-3d5b-4b7c-9e1a-2f3d4c5b6a7f\","
                + "\"category\":\"a\\nb\\r\u2028c\"," + LINEAGE);
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        assertThat(line).doesNotContain("\r");
    }

    @Test
    void everySampleLineIsItsCanonicalPinPlusLineageAndAFixedPoint() throws Exception {
        int checked = 0;
        for (String raw : SamplePins.rawLines()) {
            PinValidation v = PinValidator.validate(raw.getBytes(StandardCharsets.UTF_8));
            if (!v.isValid()) {
                continue;
            }
            String line = line(v.canonical());
            String pin = new String(v.canonical(), StandardCharsets.UTF_8);
            assertThat(line).isEqualTo(pin.substring(0, pin.length() - 1) + "," + LINEAGE);

            JsonNode archived = PinJson.parse(line);
            assertThat(ArchiveLineFormat.lineage(archived)).isEqualTo(READ_BACK);
            ((ObjectNode) archived).remove(ArchiveLineFormat.LINEAGE);
            assertThat(archived).isEqualTo(PinJson.parse(v.canonical()));
            // the line is itself a canonical pin (its lineage an unknown field after the others)
            byte[] lineBytes = line.substring(0, line.length() - 1).getBytes(StandardCharsets.UTF_8);
            assertThat(PinValidator.validate(lineBytes).canonical()).isEqualTo(lineBytes);
            checked++;
        }
        assertThat(checked).isPositive();
    }

    @Test
    void aPostedTopLevelKafkaFieldIsDroppedAndNothingElse() throws Exception {
        String id = "0c8a0f4e-3d5b-4b7c-9e1a-2f3d4c5b6a7f";
        byte[] canonical = canonical("{\"index\":1,\"unique_id\":\"" + id + "\",\"category\":\"art\","
                + "\"_kafka\":{\"partition\":9,\"offset\":9223372036854775807},"
                + "\"x\":{\"_kafka\":1.50e3,\"y\":[\"\\\"_kafka\\\":\",-0,12345678901234567890123]},\"key\\\"_kafka\":\"_kafka\"}");
        String line = line(canonical);
        assertThat(line).isEqualTo("{\"index\":1,\"unique_id\":\"" + id + "\",\"category\":\"art\","
                + "\"x\":{\"_kafka\":1.50e3,\"y\":[\"\\\"_kafka\\\":\",-0,12345678901234567890123]},\"key\\\"_kafka\":\"_kafka\","
                + LINEAGE);
        assertThat(ArchiveLineFormat.lineage(PinJson.parse(line))).isEqualTo(READ_BACK);
    }

    @Test
    void leavesAPinWithoutATopLevelKafkaFieldAsItIs() {
        byte[] canonical = canonical("{\"index\":1,\"unique_id\":\"0c8a0f4e-3d5b-4b7c-9e1a-2f3d4c5b6a7f\",\"category\":\"art\","
                + "\"x\":{\"_kafka\":{}}}");
        assertThat(ArchiveLine.pin(canonical)).isEqualTo(canonical);
    }

    @Test
    void refusesAValueThatIsNotACompactObject() {
        assertThatThrownBy(() -> ArchiveLine.pin("[1, 2]".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArchiveLine.pin("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArchiveLine.pin(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }
}
