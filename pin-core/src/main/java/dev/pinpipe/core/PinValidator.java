package dev.pinpipe.core;

import static dev.pinpipe.core.PinFields.BODY;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.pinpipe.core.rules.Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The one definition of a valid pin (docs/pin-contract.md §1), and of its canonical form.
 *
 * <p>One streaming pass of the contract's JSON parser ({@link PinJson#MAPPER}) checks the body and
 * reports every problem with its field name: UTF-8 only, one JSON object, no duplicate keys, no lone
 * surrogates anywhere, the required fields and the JSON types of the contract fields. Dirty values
 * of the right type ({@code "User Info Error"}, {@code "51k"}) are accepted: cleaning them is the
 * Spark jobs' work. A valid pin comes with its canonical JSON ({@link PinValidation#canonical()}),
 * which is what the API publishes and the archiver stores.
 */
public final class PinValidator {

    /** The 8-4-4-4-12 hex form, anchored at the very end ({@code \z}: {@code $} would also match before a final line break). */
    public static final String UUID_REGEX =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\z";
    private static final Pattern UUID_PATTERN = Pattern.compile(UUID_REGEX);

    /** What the contract asks of each field of {@link PinFields#ALL}, in that order. */
    private enum Kind { INDEX, UNIQUE_ID, CATEGORY, TEXT, TEXT_OR_INTEGER }

    private static final Kind[] KINDS = {
            Kind.INDEX, Kind.UNIQUE_ID, Kind.CATEGORY, Kind.TEXT, Kind.TEXT, Kind.TEXT_OR_INTEGER,
            Kind.TEXT, Kind.TEXT, Kind.TEXT, Kind.TEXT_OR_INTEGER, Kind.TEXT};
    private static final Map<String, Integer> FIELD_INDEX = new HashMap<>();

    static {
        for (int i = 0; i < PinFields.ALL.size(); i++) {
            FIELD_INDEX.put(PinFields.ALL.get(i), i);
        }
        if (KINDS.length != PinFields.ALL.size()) {
            throw new IllegalStateException("a kind for every contract field");
        }
    }

    /** The contract names pre-encoded, as the canonical form writes them for every pin. */
    private static final SerializedString[] NAMES = PinFields.ALL.stream().map(SerializedString::new).toArray(SerializedString[]::new);
    private static final int I_INDEX = PinFields.ALL.indexOf(PinFields.INDEX);
    private static final int I_UNIQUE_ID = PinFields.ALL.indexOf(PinFields.UNIQUE_ID);
    private static final int I_CATEGORY = PinFields.ALL.indexOf(PinFields.CATEGORY);

    private PinValidator() {
    }

    /** Validates a request body (or Kafka record value) that should hold one pin. */
    public static PinValidation validate(byte[] body) {
        return body == null ? PinValidation.invalid(List.of(emptyBody())) : validate(body, 0, body.length);
    }

    /** Validates the pin in {@code body[offset, offset + length)}. */
    public static PinValidation validate(byte[] body, int offset, int length) {
        int from = offset;
        int to = offset + length;
        if (length >= 3 && (body[from] & 0xFF) == 0xEF && (body[from + 1] & 0xFF) == 0xBB && (body[from + 2] & 0xFF) == 0xBF) {
            from += 3; // a UTF-8 byte-order mark (RFC 8259 lets a parser ignore it)
        }
        if (from == to) {
            return PinValidation.invalid(List.of(emptyBody()));
        }
        int bad = Utf8.firstInvalid(body, from, to);
        if (bad >= 0) {
            return bodyError(String.format(Locale.ROOT, "is not UTF-8 (byte 0x%02X at offset %d); JSON between systems "
                    + "is UTF-8 (RFC 8259), other encodings are refused", body[bad] & 0xFF, bad - offset));
        }
        for (int i = from; i < to; i++) {
            if (body[i] == 0) {
                return bodyError("holds a NUL byte at offset " + (i - offset) + ": not UTF-8 JSON (UTF-16 or UTF-32 are refused)");
            }
        }
        try (JsonParser parser = PinJson.MAPPER.getFactory().createParser(body, from, to - from)) {
            return new Pass(parser).run();
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            return bodyError("is not valid JSON: " + e.getOriginalMessage() + where);
        } catch (NumberFormatException e) {
            return bodyError("is not valid JSON: a number is out of range");
        } catch (IOException e) {
            return bodyError("could not be read: " + e.getMessage());
        }
    }

    private static FieldError emptyBody() {
        return new FieldError(BODY, "the body is empty; expected one pin as a JSON object");
    }

    private static PinValidation bodyError(String message) {
        return PinValidation.invalid(List.of(new FieldError(BODY, "the body " + message)));
    }

    /** One contract field's value as posted: its JSON kind and its text (a string's value, an integer's digits). */
    private record Value(JsonToken token, String text) {
    }

    /** One streaming pass over one pin. */
    private static final class Pass {

        private final JsonParser parser;
        private final Value[] values = new Value[PinFields.ALL.size()];
        private final List<FieldError> errors = new ArrayList<>(2);
        /** The unknown fields, copied as an object of their own while they are read (null: none). */
        private ByteArrayBuilder extrasBytes;
        private JsonGenerator extras;

        Pass(JsonParser parser) {
            this.parser = parser;
        }

        PinValidation run() throws IOException {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                return bodyError("must be one JSON object, found " + kind(token));
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                Integer field = FIELD_INDEX.get(name);
                if (field != null) {
                    values[field] = capture(name, value);
                } else {
                    copyUnknown(name);
                }
            }
            if (parser.nextToken() != null) {
                return bodyError("has content after the pin's closing brace");
            }
            check();
            if (!errors.isEmpty()) {
                return PinValidation.invalid(errors);
            }
            return PinValidation.valid(pin(), canonical());
        }

        private Value capture(String field, JsonToken token) throws IOException {
            switch (token) {
                case VALUE_STRING -> {
                    String text = parser.getText();
                    checkUnicode(field, text);
                    if (text.indexOf('\u0000') >= 0) {
                        errors.add(new FieldError(field, "must not contain U+0000 (PostgreSQL text cannot hold it)"));
                    }
                    return new Value(token, text);
                }
                case VALUE_NUMBER_INT -> {
                    String digits = switch (parser.getNumberType()) {
                        case INT, LONG -> Long.toString(parser.getLongValue());
                        default -> parser.getBigIntegerValue().toString();
                    };
                    return new Value(token, digits);
                }
                case START_OBJECT, START_ARRAY -> {
                    parser.skipChildren();
                    return new Value(token, null);
                }
                default -> {
                    return new Value(token, null);
                }
            }
        }

        /** An unknown field is kept (after the contract fields), with any value, checked for lone surrogates. */
        private void copyUnknown(String name) throws IOException {
            boolean ok = checkUnicode(BODY, name);
            String label = ok ? abbreviate(name) : BODY;
            if (extras == null) {
                extrasBytes = new ByteArrayBuilder(256);
                extras = PinJson.MAPPER.getFactory().createGenerator(extrasBytes);
                extras.writeStartObject();
            }
            if (ok && errors.isEmpty()) { // after any error the copy stops: the pin is refused anyway
                extras.writeFieldName(name);
            }
            int depth = 0;
            JsonToken token = parser.currentToken();
            for (;;) {
                ok = ok && errors.isEmpty();
                switch (token) {
                    case START_OBJECT -> {
                        depth++;
                        if (ok) {
                            extras.writeStartObject();
                        }
                    }
                    case START_ARRAY -> {
                        depth++;
                        if (ok) {
                            extras.writeStartArray();
                        }
                    }
                    case END_OBJECT -> {
                        depth--;
                        if (ok) {
                            extras.writeEndObject();
                        }
                    }
                    case END_ARRAY -> {
                        depth--;
                        if (ok) {
                            extras.writeEndArray();
                        }
                    }
                    case FIELD_NAME -> {
                        String key = parser.currentName();
                        if (checkUnicode(label, key) && ok) {
                            extras.writeFieldName(key);
                        }
                    }
                    case VALUE_STRING -> {
                        String text = parser.getText();
                        if (checkUnicode(label, text) && ok) {
                            extras.writeString(text);
                        }
                    }
                    // the number exactly as posted (the parser has checked its syntax)
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        if (ok) {
                            extras.writeNumber(parser.getText());
                        }
                    }
                    case VALUE_TRUE, VALUE_FALSE -> {
                        if (ok) {
                            extras.writeBoolean(token == JsonToken.VALUE_TRUE);
                        }
                    }
                    case VALUE_NULL -> {
                        if (ok) {
                            extras.writeNull();
                        }
                    }
                    default -> throw new IllegalStateException("unexpected token " + token);
                }
                if (depth == 0) {
                    return;
                }
                token = parser.nextToken();
            }
        }

        /** False (and an error) when the text holds a surrogate that is not half of a pair. */
        private boolean checkUnicode(String field, String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                        i++;
                        continue;
                    }
                    errors.add(new FieldError(field, String.format(Locale.ROOT,
                            "holds a lone surrogate (\\u%04X), which is not Unicode text", (int) c)));
                    return false;
                }
            }
            return true;
        }

        private void check() {
            Value index = values[I_INDEX];
            if (absent(index)) {
                errors.add(new FieldError(PinFields.INDEX, "is required"));
            } else if (index.token() != JsonToken.VALUE_NUMBER_INT) {
                errors.add(new FieldError(PinFields.INDEX, "must be an integer, found " + kind(index.token())));
            } else if (index.text().startsWith("-") && !index.text().equals("0")) {
                errors.add(new FieldError(PinFields.INDEX, "must be 0 or more, found " + abbreviate(index.text())));
            } else if (index.text().length() > 10 || Long.parseLong(index.text()) > Integer.MAX_VALUE) {
                errors.add(new FieldError(PinFields.INDEX, "must fit a 32-bit integer, found " + abbreviate(index.text())));
            }

            Value uniqueId = values[I_UNIQUE_ID];
            if (absent(uniqueId)) {
                errors.add(new FieldError(PinFields.UNIQUE_ID, "is required"));
            } else if (uniqueId.token() != JsonToken.VALUE_STRING) {
                errors.add(new FieldError(PinFields.UNIQUE_ID, "must be a string holding a UUID, found " + kind(uniqueId.token())));
            } else if (!UUID_PATTERN.matcher(Text.trim(uniqueId.text())).matches()) {
                errors.add(new FieldError(PinFields.UNIQUE_ID, "must be a UUID (8-4-4-4-12 hex digits; only ASCII whitespace "
                        + "around it is ignored), found \"" + abbreviate(uniqueId.text()) + "\""));
            }

            Value category = values[I_CATEGORY];
            if (absent(category)) {
                errors.add(new FieldError(PinFields.CATEGORY, "is required"));
            } else if (category.token() != JsonToken.VALUE_STRING) {
                errors.add(new FieldError(PinFields.CATEGORY, "must be a string, found " + kind(category.token())));
            } else if (Text.trim(category.text()).isEmpty()) {
                errors.add(new FieldError(PinFields.CATEGORY, "must not be blank"));
            }

            for (int i = 0; i < KINDS.length; i++) {
                Value value = values[i];
                if (absent(value)) {
                    continue;
                }
                if (KINDS[i] == Kind.TEXT && value.token() != JsonToken.VALUE_STRING) {
                    errors.add(new FieldError(PinFields.ALL.get(i), "must be a string or null, found " + kind(value.token())));
                } else if (KINDS[i] == Kind.TEXT_OR_INTEGER && value.token() != JsonToken.VALUE_STRING
                        && value.token() != JsonToken.VALUE_NUMBER_INT) {
                    errors.add(new FieldError(PinFields.ALL.get(i), "must be a string, an integer or null, found " + kind(value.token())));
                }
            }
        }

        private Pin pin() {
            return new Pin(
                    Integer.parseInt(values[I_INDEX].text()),
                    UUID.fromString(Text.trim(values[I_UNIQUE_ID].text())),
                    values[I_CATEGORY].text(),
                    text(PinFields.TITLE),
                    text(PinFields.DESCRIPTION),
                    text(PinFields.FOLLOWER_COUNT),
                    text(PinFields.TAG_LIST),
                    text(PinFields.IS_IMAGE_OR_VIDEO),
                    text(PinFields.IMAGE_SRC),
                    text(PinFields.DOWNLOADED),
                    text(PinFields.SAVE_LOCATION));
        }

        private String text(String field) {
            Value value = values[FIELD_INDEX.get(field)];
            return value == null ? null : value.text();
        }

        /**
         * The canonical form: compact UTF-8 JSON, the contract fields that were posted in contract order
         * ({@code index} as a plain integer, {@code unique_id} as the lowercase 36-char UUID, the rest
         * as posted: a string, an integer or null), then the unknown fields in posted order.
         */
        private byte[] canonical() throws IOException {
            // the unknown fields' generator is closed first, so the next one reuses its recycled buffers
            byte[] unknown = null;
            if (extras != null) {
                extras.writeEndObject();
                extras.close();
                unknown = extrasBytes.toByteArray();
            }
            ByteArrayBuilder out = new ByteArrayBuilder(512);
            try (JsonGenerator json = PinJson.MAPPER.getFactory().createGenerator(out)) {
                json.writeStartObject();
                for (int i = 0; i < values.length; i++) {
                    Value value = values[i];
                    if (value == null) {
                        continue;
                    }
                    json.writeFieldName(NAMES[i]);
                    if (i == I_INDEX) {
                        json.writeNumber(Integer.parseInt(value.text()));
                    } else if (i == I_UNIQUE_ID) {
                        json.writeString(Text.trim(value.text()).toLowerCase(Locale.ROOT));
                    } else if (value.token() == JsonToken.VALUE_STRING) {
                        json.writeString(value.text());
                    } else if (value.token() == JsonToken.VALUE_NUMBER_INT) {
                        json.writeNumber(value.text());
                    } else {
                        json.writeNull();
                    }
                }
                json.writeEndObject();
            }
            byte[] contract = out.toByteArray();
            if (unknown == null) {
                return contract;
            }
            // {contract…} + {unknown…} → {contract…,unknown…}
            byte[] joined = Arrays.copyOf(contract, contract.length + unknown.length - 1);
            joined[contract.length - 1] = ',';
            System.arraycopy(unknown, 1, joined, contract.length, unknown.length - 1);
            return joined;
        }
    }

    private static boolean absent(Value value) {
        return value == null || value.token() == JsonToken.VALUE_NULL;
    }

    private static String kind(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "an integer";
            case VALUE_NUMBER_FLOAT -> "a decimal number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_NULL -> "null";
            default -> token.name().toLowerCase(Locale.ROOT);
        };
    }

    /** At most 60 chars of posted text for a message, lone surrogates shown as U+FFFD (a message is JSON too). */
    private static String abbreviate(String s) {
        StringBuilder out = new StringBuilder(Math.min(s.length(), 60));
        for (int i = 0; i < s.length(); i++) {
            if (out.length() >= 57 && s.length() > 60) {
                return out.append("...").toString();
            }
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }
}
