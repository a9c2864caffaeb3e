package dev.pinpipe.core;

import dev.pinpipe.core.rules.TextRule;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of hostile pins for property tests in every module (shared through pin-core's
 * test-jar): arbitrary Unicode in every field (separators, control chars, surrogate pairs, lone
 * surrogates as escapes), the seed's placeholders and dirty counts, integers where strings are
 * expected, unknown and duplicate fields, deep nesting, and bodies in encodings other than UTF-8.
 *
 * <p>Pins are written as JSON text by hand, so escapes, duplicate keys and lone surrogates appear
 * exactly as a hostile client would send them.
 */
public final class HostilePins {

    /** Chars that break naive definitions of "whitespace" or "line". */
    public static final List<String> ODD_CHARS = List.of(
            " ", "\t", "\n", "\r", "\u000B", "\f", "\u0000", "\u0001", "\u001F", "\u007F", "\u0085", "\u00A0",
            "\u1680", "\u2000", "\u2003", "\u200B", "\u2028", "\u2029", "\u202F", "\u205F", "\u3000", "\uFEFF",
            "\uFFFD", "\uFFFF", "é", "ß", "漢", "\uD83D\uDE00", "\"", "\\", "/", "{", "}", "[", ",", ":");

    private static final List<String> DIRTY_VALUES = dirtyValues();

    private HostilePins() {
    }

    /** Text of any kind: mostly short, from odd chars, dirty values, any code point. */
    public static Arbitrary<String> text() {
        Arbitrary<String> odd = Arbitraries.of(ODD_CHARS);
        Arbitrary<String> anyCodePoint = Arbitraries.integers().between(0, 0x10FFFF)
                .filter(cp -> cp < 0xD800 || cp > 0xDFFF)
                .map(Character::toString);
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(12);
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, odd), net.jqwik.api.Tuple.of(3, Arbitraries.of(DIRTY_VALUES)),
                net.jqwik.api.Tuple.of(2, anyCodePoint), net.jqwik.api.Tuple.of(3, ascii));
        return piece.list().ofMaxSize(5).map(parts -> String.join("", parts));
    }

    /** A JSON string literal of {@code text}, each char escaped or raw at random (a seed picks which). */
    public static String jsonString(String text, long seed) {
        StringBuilder out = new StringBuilder("\"");
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) || random.nextInt(8) == 0) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c)); // surrogates only as escapes
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** A JSON value for a contract text field: mostly a string, sometimes an integer, null or a wrong type. */
    public static Arbitrary<String> textValue() {
        Arbitrary<String> string = Combinators.combine(text(), Arbitraries.longs()).as(HostilePins::jsonString);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(40, string),
                net.jqwik.api.Tuple.of(4, Arbitraries.of("0", "1", "-0", "437", "-5", "12345678901234567890123", "null")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("true", "1.5", "[]", "{}", "{\"a\":[1,{\"b\":null}]}", "1e999999")));
    }

    /** A unique_id value: a UUID in either case, with ASCII or other whitespace around it, or not a UUID at all. */
    public static Arbitrary<String> uniqueIdValue() {
        Arbitrary<String> uuid = Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()).toString());
        Arbitrary<String> cased = Combinators.combine(uuid, Arbitraries.of(true, false))
                .as((id, upper) -> upper ? id.toUpperCase(Locale.ROOT) : id);
        Arbitrary<String> around = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(" ", "\t", "\n", "\r\n", "\u000B", "\f")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(ODD_CHARS)));
        Arbitrary<String> wrapped = Combinators.combine(around, cased, around, Arbitraries.longs())
                .as((before, id, after, seed) -> jsonString(before + id + after, seed));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(40, wrapped),
                net.jqwik.api.Tuple.of(1, textValue()));
    }

    /** An index value: mostly a valid int, sometimes at or past the edges or of a wrong type. */
    public static Arbitrary<String> indexValue() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.integers().between(0, Integer.MAX_VALUE).map(String::valueOf)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("-0", "-1", "2147483647", "2147483648", "99999999999999999999",
                        "7.0", "1e3", "\"7\"", "null", "true")));
    }

    /** A category value: mostly non-blank text, sometimes blank or of a wrong type. */
    public static Arbitrary<String> categoryValue() {
        Arbitrary<String> string = Combinators.combine(text(), Arbitraries.longs()).as(HostilePins::jsonString);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.of("\"mens-fashion\"", "\"art\"", "\" quotes \"")),
                net.jqwik.api.Tuple.of(4, string),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("\"\"", "\" \\t \"", "null", "5")));
    }

    /**
     * A pin as JSON text: every contract field present or absent at random, in random order, with
     * hostile values, unknown fields, and now and then a duplicate key, deep nesting or trailing text.
     */
    public static Arbitrary<String> pinJson() {
        Arbitrary<List<String[]>> optional = Combinators.combine(PinFields.ALL.subList(3, PinFields.ALL.size()).stream()
                .map(field -> textValue().injectNull(0.3).map(value -> new String[] {field, value}))
                .toList()).as(ArrayList::new);
        Arbitrary<List<String[]>> unknown = Combinators.combine(
                        Combinators.combine(text(), Arbitraries.longs()).as(HostilePins::jsonString), textValue())
                .as((key, value) -> new String[] {key, value}).list().ofMaxSize(3);
        Arbitrary<String> oddity = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(60, Arbitraries.just("")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("dup", "deep", "trailing", "array")));
        return Combinators.combine(indexValue().injectNull(0.01), uniqueIdValue().injectNull(0.01),
                        categoryValue().injectNull(0.01), optional, unknown, oddity, Arbitraries.longs())
                .as((index, uniqueId, category, fields, extra, odd, seed) -> {
                    List<String> members = new ArrayList<>();
                    add(members, PinFields.INDEX, index);
                    add(members, PinFields.UNIQUE_ID, uniqueId);
                    add(members, PinFields.CATEGORY, category);
                    fields.forEach(f -> add(members, f[0], f[1]));
                    extra.forEach(f -> members.add(f[0] + ":" + f[1]));
                    java.util.Collections.shuffle(members, new java.util.Random(seed));
                    switch (odd) {
                        case "dup" -> members.add("\"category\":\"again\"");
                        case "deep" -> members.add("\"nested\":" + "[".repeat(70) + "]".repeat(70));
                        default -> { }
                    }
                    String json = "{" + String.join(seed % 2 == 0 ? "," : " ,\n ", members) + "}";
                    return switch (odd) {
                        case "trailing" -> json + " x";
                        case "array" -> "[" + json + "]";
                        default -> json;
                    };
                });
    }

    /** Bodies: a pin's JSON text in UTF-8 mostly, else in another encoding, with or without a byte-order mark. */
    public static Arbitrary<byte[]> body() {
        Arbitrary<String> encoding = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(30, Arbitraries.just("UTF-8")),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("UTF-8+BOM", "UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32LE", "UTF-32BE",
                        "ISO-8859-1", "windows-1252")));
        return Combinators.combine(pinJson(), encoding).as(HostilePins::encode);
    }

    /** The text in an encoding ({@code UTF-8+BOM}: UTF-8 after a byte-order mark); unmappable chars become '?'. */
    public static byte[] encode(String json, String encoding) {
        if (encoding.equals("UTF-8+BOM")) {
            byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[utf8.length + 3];
            out[0] = (byte) 0xEF;
            out[1] = (byte) 0xBB;
            out[2] = (byte) 0xBF;
            System.arraycopy(utf8, 0, out, 3, utf8.length);
            return out;
        }
        return json.getBytes(Charset.forName(encoding));
    }

    private static void add(List<String> members, String field, String value) {
        if (value != null) {
            members.add("\"" + field + "\":" + value);
        }
    }

    private static List<String> dirtyValues() {
        List<String> values = new ArrayList<>(List.of("User Info Error", "51k", "2M", "1.5k", "1.0005k", " 12k ", "12kk",
                "2.5", "-5", "007", "1.5 k", "2m", "9999999999999999999", "0", "1", " 1 ", "Local save in ", "Local save in  /x"));
        for (TextRule rule : TextRule.values()) {
            values.addAll(rule.placeholders());
        }
        return List.copyOf(values);
    }
}
