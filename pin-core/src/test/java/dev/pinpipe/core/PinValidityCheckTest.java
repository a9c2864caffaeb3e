package dev.pinpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pinpipe.core.rules.RuleCases;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PinValidityCheck must give the validator's verdict on every body, and settle the ordinary valid pin
 * alone. The byte pass may only say "certainly valid" when the validator agrees; everything else is
 * the validator's own answer, so each check below compares the two.
 */
class PinValidityCheckTest {

    private static final String ID = "c5521660-f3a3-4571-b476-189975a3adb3";
    private static final String BASE = "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\"";

    static Stream<String> bodies() {
        return Stream.concat(SamplePins.rawLines().stream(), Stream.of(
                "{\"index\":0,\"unique_id\":\"" + ID + "\",\"category\":\"art\"}",
                "{\"index\":-0,\"unique_id\":\" " + ID.toUpperCase() + "\\n\",\"category\":\"art\",\"poster_name\":null}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"a\",\"follower_count\":300,\"downloaded\":\"0\",\"title\":null}",
                BASE + ",\"extra\":12345678901234567890123,\"flag\":true}",
                BASE + ",\"nested\":{\"x\":[1,2.5]}}",
                BASE + ",\"score\":1.5}",
                BASE + "}   \n",
                BASE + "} trailing",
                BASE + "} {}",
                "{\"index\":1,\"index\":2,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                BASE + ",\"x\":1,\"x\":2}",
                BASE + ",\"x\":1,\"y\":2,\"x\":3}",
                "{\"index\":2147483647,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":2147483648,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":-1,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":null,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":\"1\",\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":1.0,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":1e2,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":01,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":-,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":+1,\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"unique_id\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":\"" + ID.replace('-', '_') + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":\"" + ID.substring(1) + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":\"g" + ID.substring(1) + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":\"\\u0063" + ID.substring(1) + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":42,\"category\":\"a\"}",
                "{\"index\":1,\"unique\\u005fid\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"unique\\u005fid\":\"" + ID + "\",\"category\":\"a\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\" \\t\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"\\u0041\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"\\\"\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"\u3000\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"\u00a0\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"  \"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"\"}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":null}",
                "{\"index\":1,\"unique_id\":\"" + ID + "\"}",
                BASE + ",\"title\":false}",
                BASE + ",\"title\":\"caf\u00e9 \uD83D\uDE00 \\ud83d\\ude00 \\u00e9 \\/ \\b\\f\\n\\r\\t\\\\\"}",
                BASE + ",\"title\":\"\\ud83d\"}",
                BASE + ",\"title\":\"\\x41\"}",
                BASE + ",\"title\":\"\\u12\"}",
                BASE + ",\"title\":\"\\u00G1\"}",
                BASE + ",\"tag_list\":[\"a\"]}",
                BASE + ",\"downloaded\":1.0}",
                BASE + ",\"downloaded\":-7}",
                BASE + ",\"follower_count\":true}",
                BASE + ",\"description\":\"bad \u0001 control\"}",
                BASE + ",\"description\":\"raw \t tab\"}",
                BASE + ",}",
                BASE + ",\"x\":truex}",
                BASE + ",\"x\":nul}",
                BASE + ",\"x\":TRUE}",
                BASE + ",\"x\":NaN}",
                BASE + ",\"x\":1 /* c */}",
                BASE + ",'x':1}",
                BASE + ",x:1}",
                BASE + ",\"\":1}",
                BASE + "\u000b}",
                BASE + "\u00a0}",
                "\uFEFF" + BASE + "}",
                "\n\t " + BASE + "}\r\n",
                BASE,
                "{}", "{ }", "[1,2]", "\"a string\"", "null", "   ", "not json", ""));
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void givesTheValidatorsVerdict(String body) {
        assertSameVerdict(body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void malformedUtf8InAnyStringIsInvalidAsInTheValidator() {
        byte[] bytes = (BASE + ",\"other\":\"xx\"}").getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 4] = (byte) 0xC3; // a two-byte lead followed by an ASCII byte
        assertThat(PinValidator.validate(bytes).isValid()).isFalse();
        assertThat(PinValidityCheck.isValid(bytes)).isFalse();
    }

    @Test
    void everyUtf8ShapeInAStringOrAKeyGetsTheValidatorsVerdict() {
        // overlong forms, encoded surrogates, beyond U+10FFFF, stray continuations, truncated sequences
        String[] sequences = {"c280", "c0af", "c1bf", "dfbf", "e0a080", "e080af", "ed9fbf", "eda080", "edbfbf", "efbfbf",
                "f0908080", "f08fbfbf", "f48fbfbf", "f4908080", "f5808080", "f8888080", "80", "bf", "c2", "e0a0", "f09080",
                "fe", "ff", "c220", "e0a020", "00", "1f", "7f"};
        List<byte[]> bodies = new ArrayList<>();
        for (String hex : sequences) {
            byte[] seq = HexFormat.of().parseHex(hex);
            bodies.add(concat(BASE + ",\"title\":\"a", seq, "b\"}"));
            bodies.add(concat(BASE + ",\"k", seq, "\":1}"));
            bodies.add(concat("{\"index\":1,\"unique_id\":\"" + ID + "\",\"category\":\"", seq, "\"}"));
        }
        bodies.forEach(PinValidityCheckTest::assertSameVerdict);
    }

    @Test
    void everyRuleCaseInEveryFieldGetsTheValidatorsVerdict() {
        List<String> raws = new ArrayList<>();
        Stream.of(RuleCases.followerCount(), RuleCases.downloaded(), RuleCases.text())
                .flatMap(List::stream).forEach(c -> raws.add(c.raw()));
        raws.addAll(List.of("-0", "2147483647", "-2147483648", "123456789012345678", "1234567890123456789", "1e3", "0.0",
                "[]", "{}", "[1,{\"a\":[]}]", "{\"a\":1,\"a\":2}", "false", "\"\"", "\" \"", "\"\\t\"", "\"\u2003\"", "\"x\""));
        List<String> fields = new ArrayList<>(PinFields.ALL);
        fields.add("poster_name");
        int checked = 0;
        for (String field : fields) {
            for (String raw : raws) {
                // as a JSON string (the dirty text a client posts) and as raw JSON text (numbers, literals, nested)
                for (String value : raw == null ? List.of("null") : List.of(quote(raw), raw)) {
                    assertSameVerdict(withField(field, value));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(1_000);
    }

    @Test
    void generatedDirtyPinsAreSettledByTheBytePassWithTheValidatorsVerdict() {
        Random random = new Random(42);
        int settled = 0;
        for (int i = 0; i < 3_000; i++) {
            byte[] pin = generatedPin(random);
            assertThat(PinValidator.validate(pin).isValid()).as(new String(pin, StandardCharsets.UTF_8)).isTrue();
            assertSameVerdict(pin);
            if (PinValidityCheck.isCertainlyValid(pin)) {
                settled++;
            }
        }
        // every one: only escapes in keys or unique_id, or a category that starts with one, are left to the validator
        assertThat(settled).isEqualTo(3_000);
    }

    @Test
    void randomMutationsAndTruncationsGetTheValidatorsVerdict() {
        Random random = new Random(7);
        List<byte[]> bases = new ArrayList<>();
        SamplePins.rawLines().forEach(line -> bases.add(line.getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 50; i++) {
            bases.add(generatedPin(random));
        }
        byte[] interesting = "{}[]:,\"\\ \t\n-+.eE0123456789tfnulx/'*".getBytes(StandardCharsets.US_ASCII);
        int validMutants = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] body = bases.get(random.nextInt(bases.size()));
            int mutations = 1 + random.nextInt(3);
            for (int m = 0; m < mutations; m++) {
                body = mutate(body, random, interesting);
            }
            assertSameVerdict(body);
            if (PinValidator.validate(body).isValid()) {
                validMutants++;
            }
        }
        // the mutants must exercise both verdicts, not only broken JSON
        assertThat(validMutants).isBetween(1_000, 19_000);
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
        assertThat(PinValidityCheck.isCertainlyValid(null)).isFalse();
    }

    private static void assertSameVerdict(byte[] body) {
        boolean expected = PinValidator.validate(body).isValid();
        String shown = new String(body, StandardCharsets.UTF_8) + " " + HexFormat.of().formatHex(body, 0, Math.min(body.length, 400));
        if (PinValidityCheck.isCertainlyValid(body)) {
            assertThat(expected).as("the byte pass settled a body the validator rejects: %s", shown).isTrue();
        }
        assertThat(PinValidityCheck.isValid(body)).as(shown).isEqualTo(expected);
    }

    /** A valid pin in the shapes clients post: any field order, optional fields missing or null, integers or text, unicode, escapes, whitespace. */
    private static byte[] generatedPin(Random random) {
        List<String> members = new ArrayList<>();
        members.add(member("index", String.valueOf(random.nextInt(4) == 0 ? random.nextInt(Integer.MAX_VALUE) : random.nextInt(20_000))));
        String id = UUID.randomUUID().toString();
        members.add(member("unique_id", quote(random.nextBoolean() ? id : id.toUpperCase())));
        members.add(member("category", quote(pick(random, "diy-and-crafts", "quotes", "home decor", " art ", "café", "x\ty", "q \"x\""))));
        String[] texts = {"No Title Data Available", "", " ", "User Info Error", "N,o, ,T,a,g,s", "Local save in /data/art",
                "https://i.pinimg.com/originals/4b6587d88ef464d1.jpg", "quote \"inner\" \\ back/slash", "line\nbreak\ttab",
                "ünïcödé ✓ 日本語 😀", "\u0000\u001f", "multi-video(story page format)", "51k", "1.5M"};
        for (String field : List.of("title", "description", "tag_list", "is_image_or_video", "image_src", "save_location", "poster_name")) {
            switch (random.nextInt(6)) {
                case 0 -> { }
                case 1 -> members.add(member(field, "null"));
                default -> members.add(member(field, quote(pick(random, texts))));
            }
        }
        for (String field : List.of("follower_count", "downloaded")) {
            switch (random.nextInt(5)) {
                case 0 -> { }
                case 1 -> members.add(member(field, "null"));
                case 2 -> members.add(member(field, String.valueOf(random.nextInt(3) - 1 + random.nextInt(2) * random.nextInt(1_000_000))));
                default -> members.add(member(field, quote(pick(random, texts))));
            }
        }
        if (random.nextInt(4) == 0) {
            members.add(member(pick(random, "flag", "extra_ñ", "score_int"), pick(random, "true", "false", "null", "-12", "\"v\"")));
        }
        java.util.Collections.shuffle(members, random);
        String space = pick(random, "", " ", "\n  ", "\r\n\t");
        String json = "{" + space + String.join("," + space, members) + space + "}" + (random.nextInt(5) == 0 ? "\n" : "");
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] mutate(byte[] body, Random random, byte[] interesting) {
        if (body.length == 0) {
            return new byte[] {interesting[random.nextInt(interesting.length)]};
        }
        int at = random.nextInt(body.length);
        byte b = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : interesting[random.nextInt(interesting.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(6)) {
            case 0 -> { // replace one byte
                byte[] copy = body.clone();
                copy[at] = b;
                return copy;
            }
            case 1 -> { // insert one byte
                out.write(body, 0, at);
                out.write(b);
                out.write(body, at, body.length - at);
            }
            case 2 -> { // delete a short run
                int length = Math.min(body.length - at, 1 + random.nextInt(4));
                out.write(body, 0, at);
                out.write(body, at + length, body.length - at - length);
            }
            case 3 -> { // truncate
                return Arrays.copyOf(body, at);
            }
            case 4 -> { // repeat a run (duplicate keys, doubled values)
                int length = Math.min(body.length - at, 1 + random.nextInt(60));
                out.write(body, 0, at + length);
                out.write(body, at, body.length - at);
            }
            default -> { // swap two bytes
                byte[] copy = body.clone();
                int other = random.nextInt(body.length);
                copy[at] = body[other];
                copy[other] = body[at];
                return copy;
            }
        }
        return out.toByteArray();
    }

    private static byte[] withField(String field, String value) {
        String id = field.equals("unique_id") ? "" : "\"unique_id\":\"" + ID + "\",";
        String index = field.equals("index") ? "" : "\"index\":3,";
        String category = field.equals("category") ? "" : "\"category\":\"art\",";
        return ("{" + index + id + category + "\"" + field + "\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    }

    private static String member(String field, String value) {
        return quote(field) + ":" + value;
    }

    private static String quote(String text) {
        try {
            return PinJson.MAPPER.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... values) {
        return values[random.nextInt(values.length)];
    }

    private static byte[] concat(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
