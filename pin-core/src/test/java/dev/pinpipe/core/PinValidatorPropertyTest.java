package dev.pinpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.rules.Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The validator on generated hostile pins ({@link HostilePins}): it always answers, names a field for
 * every problem, and for an accepted pin gives a canonical form that is UTF-8, a fixed point, and
 * holds the same pin.
 */
class PinValidatorPropertyTest {

    @Property(tries = 3000)
    void answersEveryBodyWithAPinOrNamedProblems(@ForAll("bodies") byte[] body) {
        PinValidation v = PinValidator.validate(body);
        Statistics.collect(v.isValid() ? "valid" : v.errors().get(0).field());
        if (v.isValid()) {
            assertThat(v.canonical()).isNotNull();
            assertThat(v.errors()).isEmpty();
        } else {
            assertThat(v.pin()).isNull();
            assertThat(v.errors()).isNotEmpty().allSatisfy(e -> {
                assertThat(e.field()).isNotBlank();
                assertThat(e.message()).isNotBlank();
                assertThat(hasLoneSurrogate(e.field() + e.message())).as("a message is JSON too").isFalse();
            });
        }
    }

    @Property(tries = 3000)
    void theCanonicalFormIsAFixedPointHoldingTheSamePin(@ForAll("bodies") byte[] body) throws Exception {
        PinValidation v = PinValidator.validate(body);
        if (!v.isValid()) {
            return;
        }
        byte[] canonical = v.canonical();
        assertThat(Utf8.firstInvalid(canonical, 0, canonical.length)).isEqualTo(-1);
        for (byte b : canonical) {
            assertThat(b >= 0 && b < 0x20).as("compact JSON: no raw control char or NUL").isFalse();
        }
        PinValidation again = PinValidator.validate(canonical);
        assertThat(again.errors()).isEmpty();
        assertThat(again.canonical()).isEqualTo(canonical);
        assertThat(again.pin()).isEqualTo(v.pin());

        JsonNode node = PinJson.parse(canonical);
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        List<String> contract = names.stream().filter(PinFields.ALL::contains).toList();
        assertThat(contract).as("contract fields first, in contract order")
                .isEqualTo(PinFields.ALL.stream().filter(contract::contains).toList())
                .isEqualTo(names.subList(0, contract.size()));
        String uniqueId = node.get(PinFields.UNIQUE_ID).textValue();
        assertThat(uniqueId).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").isEqualTo(v.key());
        assertThat(PinCleaner.clean(v.pin())).isNotNull(); // the rules are total on every accepted pin
    }

    /** JSON between systems is UTF-8: a pin in any other encoding is refused for its encoding alone. */
    @Property(tries = 500)
    void otherEncodingsAreRefused(@ForAll("validPins") String json, @ForAll("otherEncodings") String encoding) {
        PinValidation v = PinValidator.validate(HostilePins.encode(json, encoding));
        assertThat(v.errors()).extracting(FieldError::field).containsExactly(PinFields.BODY);
        assertThat(v.errors().get(0).message()).containsAnyOf("not UTF-8", "NUL byte");
    }

    /** Only the six ASCII whitespace chars around a unique_id are ignored; any other char refuses it. */
    @Property(tries = 500)
    void onlyAsciiWhitespaceAroundTheUniqueIdIsIgnored(@ForAll("aroundChars") String around) {
        String json = "{\"index\":1,\"unique_id\":" + HostilePins.jsonString(around + "C5521660-F3A3-4571-B476-189975A3ADB3" + around, 1)
                + ",\"category\":\"a\"}";
        PinValidation v = PinValidator.validate(json.getBytes(StandardCharsets.UTF_8));
        boolean ascii = around.chars().allMatch(c -> Text.isWhitespace((char) c));
        assertThat(v.isValid()).as("around = %s", around.codePoints().mapToObj(Integer::toHexString).toList()).isEqualTo(ascii);
        if (ascii) {
            assertThat(v.key()).isEqualTo("c5521660-f3a3-4571-b476-189975a3adb3");
        }
    }

    @Property(tries = 2000)
    void trimRemovesExactlyTheAsciiWhitespaceAtTheEdges(@ForAll("texts") String text) {
        String trimmed = Text.trim(text);
        assertThat(text).contains(trimmed);
        if (!trimmed.isEmpty()) {
            assertThat(Text.isWhitespace(trimmed.charAt(0))).isFalse();
            assertThat(Text.isWhitespace(trimmed.charAt(trimmed.length() - 1))).isFalse();
        }
        int start = text.indexOf(trimmed);
        assertThat(text.substring(0, start).chars().allMatch(c -> Text.isWhitespace((char) c))).isTrue();
        assertThat(text.substring(start + trimmed.length()).chars().allMatch(c -> Text.isWhitespace((char) c))).isTrue();
    }

    @Example
    void whitespaceIsExactlyTheSixAsciiChars() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            assertThat(Text.isWhitespace(c)).as("U+%04X", (int) c).isEqualTo(Text.WHITESPACE.indexOf(c) >= 0);
        }
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        return HostilePins.body();
    }

    @Provide
    Arbitrary<String> validPins() {
        return HostilePins.pinJson().filter(json -> PinValidator.validate(json.getBytes(StandardCharsets.UTF_8)).isValid());
    }

    @Provide
    Arbitrary<String> otherEncodings() {
        return Arbitraries.of("UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE");
    }

    @Provide
    Arbitrary<String> aroundChars() {
        return Arbitraries.of(HostilePins.ODD_CHARS).list().ofMinSize(1).ofMaxSize(2).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> texts() {
        return HostilePins.text();
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
