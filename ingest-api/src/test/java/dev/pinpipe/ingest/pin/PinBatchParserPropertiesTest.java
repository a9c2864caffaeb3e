package dev.pinpipe.ingest.pin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.PinValidation;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.ingest.problem.BodyTooLargeException;
import dev.pinpipe.ingest.problem.InvalidPinException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Generated batches: a batch's pins are exactly what pin-core says of each pin alone; no body crashes the parser. */
class PinBatchParserPropertiesTest {

    private final PinBatchParser parser = new PinBatchParser(50, 4_096);

    @Property(tries = 300)
    void eachElementAndLineIsValidatedExactlyAsThePinAlone(@ForAll("pins") @Size(max = 20) List<String> pins) {
        String array = "[" + String.join(" ,\n", pins) + "]";
        String ndjson = String.join("\r\n", pins) + "\n";
        List<PostedPin> fromArray = parser.parseArray(array.getBytes(StandardCharsets.UTF_8));
        List<PostedPin> fromLines = parser.parseNdjson(ndjson.getBytes(StandardCharsets.UTF_8));
        assertThat(fromArray).hasSameSizeAs(pins);
        for (int i = 0; i < pins.size(); i++) {
            PinValidation alone = PinValidator.validate(pins.get(i).getBytes(StandardCharsets.UTF_8));
            for (PostedPin posted : List.of(fromArray.get(i), fromLines.get(i))) {
                assertThat(posted.position()).isEqualTo(i);
                assertThat(posted.validation().errors()).isEqualTo(alone.errors());
                assertThat(posted.validation().canonical()).isEqualTo(alone.canonical());
            }
        }
    }

    @Property(tries = 2_000)
    void anyBodyIsABatchOrAClientError(@ForAll("hostileBodies") byte[] body) {
        for (boolean ndjson : new boolean[] {false, true}) {
            try {
                List<PostedPin> pins = ndjson ? parser.parseNdjson(body) : parser.parseArray(body);
                assertThat(pins.size()).isLessThanOrEqualTo(50);
            } catch (InvalidPinException | BodyTooLargeException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    /** Pins with odd but legal spellings (case, whitespace, escapes, unknown fields) and some broken ones. */
    @Provide
    Arbitrary<List<String>> pins() {
        Arbitrary<String> id = Arbitraries.create(UUID::randomUUID).map(UUID::toString);
        Arbitrary<String> spelledId = Combinators.combine(id, Arbitraries.of("", " ", "\\t", "\\u2028", "\\n "),
                Arbitraries.of(true, false)).as((u, pad, upper) -> pad + (upper ? u.toUpperCase(Locale.ROOT) : u) + pad);
        Arbitrary<String> text = Arbitraries.strings().withCharRange('\u0000', '\uFFFF').ofMaxLength(12)
                .map(PinBatchParserPropertiesTest::jsonString);
        Arbitrary<String> pin = Combinators.combine(spelledId, text, Arbitraries.integers().between(-2, 99),
                Arbitraries.of("", ", \"extra\": [1, {\"a\": null}]", ", \"title\": 5", ", \"x\": \"\\ud800\"", ", \"category\": \"dup\""))
                .as((u, t, index, more) -> "{\"index\": " + index + ", \"unique_id\": \"" + u + "\", \"category\": " + t
                        + ", \"description\": " + t + more + "}");
        return pin.list();
    }

    /** Raw bytes, JSON-ish fragments and other encodings: anything a client may send. */
    @Provide
    Arbitrary<byte[]> hostileBodies() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<byte[]> fragments = Arbitraries.of("[", "]", "{", "}", ",", "\"", ":", "1", "null", "\\u0000", "\\ud800", " ", "\n",
                        "\"unique_id\"", "\uFEFF", "\u2028", "1e999999999")
                .list().ofMaxSize(40).map(parts -> String.join("", parts).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> otherEncodings = Combinators.combine(fragments, Arbitraries.of(StandardCharsets.UTF_16LE,
                StandardCharsets.UTF_16BE, StandardCharsets.UTF_16, StandardCharsets.ISO_8859_1))
                .as((b, charset) -> new String(b, StandardCharsets.UTF_8).getBytes(charset));
        return Arbitraries.oneOf(raw, fragments, otherEncodings);
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
