package dev.pinpipe.core;

import static dev.pinpipe.core.PinFields.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks a posted pin against the contract and reports every problem with its field name.
 *
 * <p>Only structure is checked here: required fields, JSON types and the UUID. Dirty values of the
 * right type ({@code "User Info Error"}, {@code "51k"}) are accepted, since cleaning them is the
 * Spark jobs' work and the archive must keep the pin as posted. Unknown fields are ignored.
 */
public final class PinValidator {

    /** The canonical 8-4-4-4-12 hex form; {@link UUID#fromString} alone also accepts shortened groups. */
    public static final String UUID_REGEX =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
    private static final Pattern UUID_PATTERN = Pattern.compile(UUID_REGEX);

    private static final List<String> OPTIONAL_TEXT =
            List.of(TITLE, DESCRIPTION, TAG_LIST, IS_IMAGE_OR_VIDEO, IMAGE_SRC, SAVE_LOCATION);
    private static final List<String> OPTIONAL_TEXT_OR_INTEGER = List.of(FOLLOWER_COUNT, DOWNLOADED);

    private PinValidator() {
    }

    /** Validates a request body (or Kafka record value) that should hold one pin. */
    public static PinValidation validate(byte[] body) {
        if (body == null || body.length == 0) {
            return PinValidation.invalid(List.of(new FieldError(BODY, "the body is empty; expected one pin as a JSON object")));
        }
        JsonNode node;
        try {
            node = PinJson.parse(body);
        } catch (JsonProcessingException e) {
            return PinValidation.invalid(List.of(new FieldError(BODY, "the body is not valid JSON: " + e.getOriginalMessage())));
        } catch (IOException e) {
            return PinValidation.invalid(List.of(new FieldError(BODY, "the body could not be read: " + e.getMessage())));
        }
        return validate(node);
    }

    /** Validates one parsed pin. */
    public static PinValidation validate(JsonNode node) {
        if (node == null || !node.isObject()) {
            String found = node == null ? "nothing" : kind(node);
            return PinValidation.invalid(List.of(new FieldError(BODY, "expected a JSON object, found " + found)));
        }
        List<FieldError> errors = new ArrayList<>();

        JsonNode index = node.get(INDEX);
        if (absent(index)) {
            errors.add(new FieldError(INDEX, "is required"));
        } else if (!index.isIntegralNumber()) {
            errors.add(new FieldError(INDEX, "must be an integer, found " + kind(index)));
        } else if (!index.canConvertToInt()) {
            errors.add(new FieldError(INDEX, "must fit a 32-bit integer, found " + index.asText()));
        } else if (index.intValue() < 0) {
            errors.add(new FieldError(INDEX, "must be 0 or more, found " + index.intValue()));
        }

        JsonNode uniqueId = node.get(UNIQUE_ID);
        if (absent(uniqueId)) {
            errors.add(new FieldError(UNIQUE_ID, "is required"));
        } else if (!uniqueId.isTextual()) {
            errors.add(new FieldError(UNIQUE_ID, "must be a string holding a UUID, found " + kind(uniqueId)));
        } else if (!UUID_PATTERN.matcher(uniqueId.textValue().strip()).matches()) {
            errors.add(new FieldError(UNIQUE_ID, "must be a UUID (8-4-4-4-12 hex digits), found \"" + abbreviate(uniqueId.textValue()) + "\""));
        }

        JsonNode category = node.get(CATEGORY);
        if (absent(category)) {
            errors.add(new FieldError(CATEGORY, "is required"));
        } else if (!category.isTextual()) {
            errors.add(new FieldError(CATEGORY, "must be a string, found " + kind(category)));
        } else if (category.textValue().isBlank()) {
            errors.add(new FieldError(CATEGORY, "must not be blank"));
        }

        for (String field : OPTIONAL_TEXT) {
            JsonNode value = node.get(field);
            if (!absent(value) && !value.isTextual()) {
                errors.add(new FieldError(field, "must be a string or null, found " + kind(value)));
            }
        }
        for (String field : OPTIONAL_TEXT_OR_INTEGER) {
            JsonNode value = node.get(field);
            if (!absent(value) && !value.isTextual() && !value.isIntegralNumber()) {
                errors.add(new FieldError(field, "must be a string, an integer or null, found " + kind(value)));
            }
        }

        if (!errors.isEmpty()) {
            return PinValidation.invalid(errors);
        }
        return PinValidation.valid(new Pin(
                index.intValue(),
                UUID.fromString(uniqueId.textValue().strip()),
                category.textValue().strip(),
                PinJson.text(node.get(TITLE)),
                PinJson.text(node.get(DESCRIPTION)),
                PinJson.text(node.get(FOLLOWER_COUNT)),
                PinJson.text(node.get(TAG_LIST)),
                PinJson.text(node.get(IS_IMAGE_OR_VIDEO)),
                PinJson.text(node.get(IMAGE_SRC)),
                PinJson.text(node.get(DOWNLOADED)),
                PinJson.text(node.get(SAVE_LOCATION))));
    }

    private static boolean absent(JsonNode value) {
        return value == null || value.isNull() || value.isMissingNode();
    }

    private static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> value.isIntegralNumber() ? "an integer" : "a decimal number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case NULL, MISSING -> "null";
            default -> value.getNodeType().name().toLowerCase();
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
