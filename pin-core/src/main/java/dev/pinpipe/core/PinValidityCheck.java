package dev.pinpipe.core;

import static dev.pinpipe.core.PinFields.CATEGORY;
import static dev.pinpipe.core.PinFields.DESCRIPTION;
import static dev.pinpipe.core.PinFields.DOWNLOADED;
import static dev.pinpipe.core.PinFields.FOLLOWER_COUNT;
import static dev.pinpipe.core.PinFields.IMAGE_SRC;
import static dev.pinpipe.core.PinFields.INDEX;
import static dev.pinpipe.core.PinFields.IS_IMAGE_OR_VIDEO;
import static dev.pinpipe.core.PinFields.SAVE_LOCATION;
import static dev.pinpipe.core.PinFields.TAG_LIST;
import static dev.pinpipe.core.PinFields.TITLE;
import static dev.pinpipe.core.PinFields.UNIQUE_ID;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * {@link PinValidator}'s verdict without its work: {@link #isValid(byte[])} answers exactly
 * {@code PinValidator.validate(body).isValid()}, for hot paths that only need yes or no (the archiver
 * checks every record it stores and needs the reasons only for the rare invalid one).
 *
 * <p>A valid pin is settled in one streaming pass over the flat object (no tree, no {@link Pin}, no
 * regex): the same strict parser as {@link PinJson#MAPPER} (duplicate keys, trailing tokens and
 * malformed text still fail), the same rules as the validator. Whatever that pass does not settle
 * for certain — any rule failing, a nested value or a decimal anywhere (the tree would parse those
 * further), a parse error — is handed to {@link PinValidator} itself, so the answer never differs.
 */
public final class PinValidityCheck {

    private PinValidityCheck() {
    }

    /** Whether the body is a valid pin: the same answer as {@code PinValidator.validate(body).isValid()}. */
    public static boolean isValid(byte[] body) {
        return isCertainlyValid(body) || PinValidator.validate(body).isValid();
    }

    /** The streaming pass: true only when the body is certainly a valid pin; false means "ask the validator". */
    static boolean isCertainlyValid(byte[] body) {
        if (body == null || body.length == 0) {
            return false;
        }
        try (JsonParser parser = PinJson.MAPPER.createParser(body)) {
            // duplicates are found below on the one level looked at, without the parser's per-object HashSet
            parser.disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean index = false;
            boolean uniqueId = false;
            boolean category = false;
            String[] fields = new String[16];
            int fieldCount = 0;
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (fieldCount == fields.length || contains(fields, fieldCount, field)) {
                    return false;
                }
                fields[fieldCount++] = field;
                JsonToken value = parser.nextToken();
                if (value.isStructStart() || value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_EMBEDDED_OBJECT) {
                    return false;
                }
                boolean ok = switch (field) {
                    case INDEX -> index = value == JsonToken.VALUE_NUMBER_INT
                            && parser.getNumberType() == JsonParser.NumberType.INT && parser.getIntValue() >= 0;
                    case UNIQUE_ID -> uniqueId = value == JsonToken.VALUE_STRING && isCanonicalUuid(parser.getText().strip());
                    case CATEGORY -> category = value == JsonToken.VALUE_STRING && !parser.getText().isBlank();
                    case TITLE, DESCRIPTION, TAG_LIST, IS_IMAGE_OR_VIDEO, IMAGE_SRC, SAVE_LOCATION ->
                            value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NULL;
                    case FOLLOWER_COUNT, DOWNLOADED ->
                            value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NULL;
                    default -> true;
                };
                if (!ok) {
                    return false;
                }
                if (value == JsonToken.VALUE_STRING) {
                    parser.getTextLength(); // decodes the string as the tree would: malformed UTF-8 fails here too
                }
            }
            return token == JsonToken.END_OBJECT && index && uniqueId && category && parser.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean contains(String[] fields, int count, String field) {
        for (int i = 0; i < count; i++) {
            if (fields[i].equals(field)) {
                return true;
            }
        }
        return false;
    }

    /** {@link PinValidator#UUID_REGEX} by hand: 8-4-4-4-12 hex digits. */
    private static boolean isCanonicalUuid(String s) {
        if (s.length() != 36) {
            return false;
        }
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            boolean ok = i == 8 || i == 13 || i == 18 || i == 23
                    ? c == '-'
                    : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
