package dev.pinpipe.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.core.SamplePins;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ArchiveLineTest {

    private static String line(String value) {
        BodyBuffer out = new BodyBuffer(1);
        ArchiveLine.append(out, value.getBytes(StandardCharsets.UTF_8), 1, 42, 1_764_201_600_000L);
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void appendsKafkaLineageAsTheLastFieldAndKeepsThePinAsPosted() {
        assertThat(line("{\"index\": 1, \"title\": \"a } b\"}  \n"))
                .isEqualTo("{\"index\": 1, \"title\": \"a } b\","
                        + "\"_kafka\":{\"partition\":1,\"offset\":42,\"timestamp\":1764201600000}}\n");
    }

    @Test
    void writesEveryNumberAsLongToStringWould() {
        for (long n : new long[] {0, 7, 10, 1_000_000_007L, Long.MAX_VALUE, -1, -10, Long.MIN_VALUE}) {
            BodyBuffer out = new BodyBuffer(1);
            ArchiveLine.append(out, "{\"a\":1}".getBytes(StandardCharsets.UTF_8), 0, n, n);
            assertThat(new String(out.toByteArray(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"a\":1,\"_kafka\":{\"partition\":0,\"offset\":" + n + ",\"timestamp\":" + n + "}}\n");
        }
    }

    @Test
    void prettyPrintedPinStaysOnOneLine() {
        String line = line("{\n    \"index\": 1,\r\n    \"title\": \"x\"\n}");
        assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
        assertThat(line).doesNotContain("\r");
    }

    @Test
    void replacesEveryLineBreakWhereverItFalls() {
        for (int length = 0; length < 40; length++) {
            for (int at = 0; at < length; at++) {
                for (char lineBreak : new char[] {'\n', '\r'}) {
                    char[] inner = " \"ab\":1 ".repeat(8).substring(0, length).toCharArray();
                    inner[at] = lineBreak;
                    if (at + 3 < length) {
                        inner[at + 3] = '\n'; // a second one in the same or the next word
                    }
                    String value = "{" + new String(inner) + "}";
                    String expected = value.substring(0, value.length() - 1).replace('\n', ' ').replace('\r', ' ')
                            + ",\"_kafka\":{\"partition\":1,\"offset\":42,\"timestamp\":1764201600000}}\n";
                    assertThat(line(value)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void everySampleLineIsStillAValidPinWithItsFieldsUntouched() throws Exception {
        for (String raw : SamplePins.rawLines()) {
            JsonNode original = PinJson.parse(raw);
            if (!PinValidator.validate(original).isValid()) {
                continue;
            }
            JsonNode archived = PinJson.parse(line(raw));
            assertThat(PinValidator.validate(archived).isValid()).isTrue();
            assertThat(archived.get("_kafka").get("offset").asLong()).isEqualTo(42);
            ((com.fasterxml.jackson.databind.node.ObjectNode) archived).remove("_kafka");
            assertThat(archived).isEqualTo(original);
        }
    }

    @Test
    void refusesAValueThatIsNotAnObject() {
        assertThatThrownBy(() -> line("[1, 2]")).isInstanceOf(IllegalArgumentException.class);
    }
}
