package dev.pinpipe.spark;

import dev.pinpipe.core.PinFields;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Raw pins as JSON text that no polite client sends: arbitrary Unicode in every field (U+0085, U+2028,
 * U+2003, NBSP, control chars, U+0000, supplementary chars written raw or as escaped surrogate pairs),
 * placeholders and dirty counts wrapped in whitespace of every kind, integers beside strings, absent
 * and null fields, unknown fields, JSON whitespace between tokens.
 *
 * <p>Every text is well-formed JSON with the contract's JSON types for {@code unique_id},
 * {@code category} and the text fields (a string, or null/absent), so that the validator and Spark's
 * text reading judge the same thing: Spark reads every field as its JSON text and cannot tell
 * {@code "7"} from {@code 7}, where the validator refuses a string {@code index}. {@code index} takes
 * any JSON kind but a string.
 */
final class HostilePinJson {

    private static final String ABSENT = null;
    private static final List<String> PLACEHOLDERS = List.of("No Title Data Available", "No description available",
            "No description available Story format", "N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e", "Image src error.",
            "User Info Error", "Local save in /data/art", "Local save in ", "Local save in");
    private static final List<String> COUNTS = List.of("437", "51k", "2M", "1.5k", "1.0005k", "12kk", "-5", "2.5", "2m", "1.5 k",
            "007", "9223372036854775807", "9223372036854775808", "9.9999999995B", "0.5k", "1.99999k", "", "0", "1", "2", "1.0");
    private static final char[] SPECIAL = {' ', '\t', '\n', '\u000B', '\f', '\r', '\u0085', '\u2028', '\u2029', '\u2003',
            '\u00A0', '\u3000', '\u0001', '\u001F', '\u007F', '\uFEFF', 'a', 'Z', '7', '0', '.', 'k', 'K', 'M', 'B', 'm', '-',
            '+', ',', '"', '\\', '/', 'é', '{', '}'};

    private HostilePinJson() {
    }

    /** One raw pin's JSON text. */
    static Arbitrary<String> pins() {
        List<Arbitrary<String>> fields = new ArrayList<>();
        fields.add(member(PinFields.INDEX, index()));
        fields.add(member(PinFields.UNIQUE_ID, uniqueId()));
        fields.add(member(PinFields.CATEGORY, stringOrNull(category())));
        fields.add(member(PinFields.TITLE, stringOrNull(text())));
        fields.add(member(PinFields.DESCRIPTION, stringOrNull(text())));
        fields.add(member(PinFields.FOLLOWER_COUNT, textOrInteger(count())));
        fields.add(member(PinFields.TAG_LIST, stringOrNull(text())));
        fields.add(member(PinFields.IS_IMAGE_OR_VIDEO, stringOrNull(text())));
        fields.add(member(PinFields.IMAGE_SRC, stringOrNull(text())));
        fields.add(member(PinFields.DOWNLOADED, textOrInteger(count())));
        fields.add(member(PinFields.SAVE_LOCATION, stringOrNull(text())));
        fields.add(unknownFields());
        Arbitrary<String> space = Arbitraries.of("", "", "", " ", "\n", "\t ", "\r\n");
        fields.add(space);
        return Combinators.combine(fields).as(parts -> {
            String ws = parts.get(parts.size() - 1);
            List<String> members = new ArrayList<>();
            for (String part : parts.subList(0, parts.size() - 1)) {
                if (part != null && !part.isEmpty()) {
                    members.add(part);
                }
            }
            return ws + "{" + ws + String.join("," + ws, members) + ws + "}" + ws;
        });
    }

    /** {@code "name":value}, or null for an absent field. */
    private static Arbitrary<String> member(String name, Arbitrary<String> value) {
        return value.map(v -> v == ABSENT ? null : json(name, false) + ":" + v);
    }

    private static Arbitrary<String> index() {
        return Arbitraries.frequencyOf(
                Tuple.of(30, Arbitraries.integers().between(0, Integer.MAX_VALUE).map(String::valueOf)),
                Tuple.of(2, Arbitraries.of("0", "2147483647", "2147483648", "12345678901234567890", "99999999999")),
                Tuple.of(1, Arbitraries.longs().between(-1_000_000_000_000L, -1).map(String::valueOf)),
                Tuple.of(1, Arbitraries.of("1.0", "7.5", "1e3", "true", "false", "{}", "[1]", "null")),
                Tuple.of(1, Arbitraries.just(ABSENT)));
    }

    private static Arbitrary<String> uniqueId() {
        Arbitrary<String> uuid = Arbitraries.randomValue(random -> new UUID(random.nextLong(), random.nextLong()).toString());
        Arbitrary<String> edge = Arbitraries.of(" ", "\t", "\n", "\r\n", "\u000B", "\f", "\u0085", "\u2028", "\u00A0", "\u2003", "");
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(20, uuid),
                Tuple.of(5, uuid.map(u -> u.toUpperCase(Locale.ROOT))),
                Tuple.of(3, Combinators.combine(edge, uuid, edge).as((a, u, b) -> a + u + b)),
                Tuple.of(1, uuid.map(u -> u.replace('-', '_'))),
                Tuple.of(1, uuid.map(u -> u.substring(1))),
                Tuple.of(1, text()));
        return Arbitraries.frequencyOf(
                Tuple.of(30, text.map(t -> json(t, false))),
                Tuple.of(1, text.map(t -> json(t, true))),
                Tuple.of(1, Arbitraries.of("null", "5", "true", "{}")),
                Tuple.of(1, Arbitraries.just(ABSENT)));
    }

    private static Arbitrary<String> category() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, Arbitraries.of("art", " mens-fashion ", "diy-and-crafts\n", "quotes", "\u00A0", "\u2028")),
                Tuple.of(1, Arbitraries.of("", " ", "\t\r\n")),
                Tuple.of(3, text()));
    }

    /** Free text: pieces of whitespace of every kind, control chars, placeholders, counts and any code point. */
    static Arbitrary<String> text() {
        Arbitrary<String> special = Arbitraries.of(SPECIAL).map(String::valueOf);
        Arbitrary<String> anyCodePoint = Arbitraries.integers().between(1, 0x10FFFF)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE).map(Character::toString);
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(10, special),
                Tuple.of(4, anyCodePoint),
                Tuple.of(3, Arbitraries.of(PLACEHOLDERS)),
                Tuple.of(2, Arbitraries.of(COUNTS)),
                Tuple.of(2, Arbitraries.strings().alpha().ofMaxLength(8)),
                Tuple.of(1, Arbitraries.just("🎉")));
        Arbitrary<String> pieces = piece.list().ofMaxSize(6).map(p -> String.join("", p));
        // a rare U+0000: most pins stay valid, enough carry one
        return Arbitraries.frequencyOf(Tuple.of(150, pieces), Tuple.of(1, pieces.map(p -> p + "\u0000" + p)));
    }

    private static Arbitrary<String> count() {
        Arbitrary<String> edge = Arbitraries.of("", "", " ", "\t", "\n", "\u0085", "\u2028", "\u00A0");
        return Arbitraries.frequencyOf(
                Tuple.of(5, Combinators.combine(edge, Arbitraries.of(COUNTS), edge).as((a, c, b) -> a + c + b)),
                Tuple.of(2, text()));
    }

    private static Arbitrary<String> stringOrNull(Arbitrary<String> text) {
        return Arbitraries.frequencyOf(
                Tuple.of(8, text.map(t -> json(t, false))),
                Tuple.of(2, text.map(t -> json(t, true))),
                Tuple.of(1, Arbitraries.just("null")),
                Tuple.of(1, Arbitraries.just(ABSENT)));
    }

    private static Arbitrary<String> textOrInteger(Arbitrary<String> text) {
        return Arbitraries.frequencyOf(
                Tuple.of(6, stringOrNull(text)),
                Tuple.of(3, Arbitraries.bigIntegers().between(new java.math.BigInteger("-99999999999999999999999"),
                        new java.math.BigInteger("99999999999999999999999")).map(String::valueOf)),
                Tuple.of(2, Arbitraries.of("0", "1", "2", "-0", "437")));
    }

    private static Arbitrary<String> unknownFields() {
        Arbitrary<String> name = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6).map(n -> "x_" + n)),
                Tuple.of(1, Arbitraries.of("poster_name", "_corrupt_record", "Index", "unique_id ")));
        Arbitrary<String> value = Arbitraries.frequencyOf(
                Tuple.of(3, text().map(t -> json(t, false))),
                Tuple.of(1, Arbitraries.of("1", "-2.5e3", "true", "null", "[1,{\"a\":[]}]", "{\"index\":1}")));
        Arbitrary<String> second = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(6).map(n -> "z_" + n); // never a first name
        Arbitrary<String> first = Combinators.combine(name, value).as((n, v) -> json(n, false) + ":" + v);
        Arbitrary<String> other = Combinators.combine(second, value).as((n, v) -> json(n, false) + ":" + v);
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just("")),
                Tuple.of(2, first),
                Tuple.of(1, Combinators.combine(first, other).as((a, b) -> a + "," + b)));
    }

    /**
     * {@code s} as a JSON string: quotes, backslashes and control chars escaped; with {@code escapeAll}
     * every non-ASCII char as a backslash-u escape too, a supplementary char as its escaped surrogate pair.
     */
    static String json(String s, boolean escapeAll) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || (escapeAll && c > 0x7E)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
