package dev.pinpipe.ingest.pin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.pinpipe.core.FieldError;
import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.PinValidation;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.core.Utf8;
import dev.pinpipe.ingest.problem.BodyTooLargeException;
import dev.pinpipe.ingest.problem.InvalidPinException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a {@code POST /pins} body into pins and validates each with {@link PinValidator}, the one
 * definition of a valid pin. The body as a whole must be UTF-8 and a readable batch (else one 400);
 * a bad pin inside a readable batch is only that pin's problem.
 */
final class PinBatchParser {

    /**
     * Finds the array's elements without judging them: one level deeper than a pin may nest (the array
     * itself), and duplicate keys left to the validator, so they are the element's problem, not the batch's.
     */
    private static final JsonFactory SPLITTER = PinJson.MAPPER.getFactory().rebuild()
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(PinJson.MAX_NESTING_DEPTH + 1).build())
            .build();

    private final int maxPins;
    private final int maxPinBytes;

    /**
     * @param maxPins     most pins in one batch (more: 413)
     * @param maxPinBytes largest pin in a batch, as for {@code POST /pin} (a larger one is that pin's problem)
     */
    PinBatchParser(int maxPins, int maxPinBytes) {
        this.maxPins = maxPins;
        this.maxPinBytes = maxPinBytes;
    }

    /** A JSON array of pins; each element is validated in place, as a slice of the body found by the parser's offsets. */
    List<PostedPin> parseArray(byte[] body) {
        int from = checkEncoding(body);
        List<PostedPin> pins = new ArrayList<>();
        try (JsonParser parser = SPLITTER.createParser(body, from, body.length - from)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw notABatch(first == null ? "the body is empty; expected a JSON array of pins"
                        : "expected a JSON array of pins, found " + describe(first));
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw notABatch("the array is not closed");
                }
                checkCount(pins.size());
                // offsets are relative to where the parser started reading
                int start = from + (int) parser.currentTokenLocation().getByteOffset();
                if (token.isStructStart()) {
                    parser.skipChildren();
                } else {
                    parser.finishToken(); // a string's end is found only when its text is read
                }
                int end = from + (int) parser.currentLocation().getByteOffset();
                pins.add(validate(pins.size(), body, start, end));
            }
            if (parser.nextToken() != null) {
                throw notABatch("unexpected content after the array");
            }
        } catch (StreamConstraintsException e) {
            throw notABatch(e.getOriginalMessage().contains("nesting depth")
                    ? "the body nests deeper than a pin may (" + PinJson.MAX_NESTING_DEPTH + " levels of objects and arrays)"
                    : "the body exceeds a JSON parser limit: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw notABatch("the body is not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw notABatch("the body could not be read: " + e.getMessage());
        } catch (NumberFormatException e) {
            throw notABatch("the body is not valid JSON: a number is out of range");
        }
        return pins;
    }

    /** Newline-delimited JSON: one pin a line, blank lines skipped; a bad line is only that pin's problem. */
    List<PostedPin> parseNdjson(byte[] body) {
        List<PostedPin> pins = new ArrayList<>();
        int lineStart = checkEncoding(body);
        while (lineStart < body.length) {
            int lineEnd = lineStart;
            while (lineEnd < body.length && body[lineEnd] != '\n') {
                lineEnd++;
            }
            int from = lineStart;
            int to = lineEnd;
            while (from < to && isWhitespace(body[from])) {
                from++;
            }
            while (to > from && isWhitespace(body[to - 1])) {
                to--;
            }
            if (from < to) {
                checkCount(pins.size());
                pins.add(validate(pins.size(), body, from, to));
            }
            lineStart = lineEnd + 1;
        }
        return pins;
    }

    private PostedPin validate(int position, byte[] body, int start, int end) {
        int length = end - start;
        if (length > maxPinBytes) {
            return new PostedPin(position, new PinValidation(null, null, List.of(new FieldError(PinFields.BODY,
                    "the pin is " + length + " bytes, more than the limit of " + maxPinBytes + " bytes a pin (pinpipe.ingest.max-body-size)"))));
        }
        return new PostedPin(position, PinValidator.validate(body, start, length));
    }

    /**
     * The whole body must be UTF-8 (RFC 8259) before any of it is split: a UTF-16 or UTF-32 body would
     * otherwise be guessed by the parser. Returns where the JSON starts (after a UTF-8 byte-order mark).
     */
    static int checkEncoding(byte[] body) {
        int from = body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF ? 3 : 0;
        String other = otherEncoding(body);
        if (other != null) {
            throw notABatch("the body is " + other + ", not UTF-8: JSON between systems is UTF-8 (RFC 8259)");
        }
        int bad = Utf8.firstInvalid(body, from, body.length);
        if (bad >= 0) {
            throw notABatch(String.format(Locale.ROOT, "the body is not UTF-8 (byte 0x%02X at offset %d): JSON between "
                    + "systems is UTF-8 (RFC 8259), other encodings are refused", body[bad] & 0xFF, bad));
        }
        for (int i = from; i < body.length; i++) {
            if (body[i] == 0) {
                throw notABatch("the body holds a NUL byte at offset " + i + ": not UTF-8 JSON (UTF-16 or UTF-32 are refused)");
            }
        }
        return from;
    }

    /** The encoding a body's first bytes name (a byte-order mark, or the NUL pattern of RFC 4627 §3), or null. */
    private static String otherEncoding(byte[] b) {
        if (b.length >= 4 && b[0] == 0 && b[1] == 0 && (b[2] & 0xFF) == 0xFE && (b[3] & 0xFF) == 0xFF) {
            return "UTF-32BE (byte-order mark)";
        }
        if (b.length >= 4 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE && b[2] == 0 && b[3] == 0) {
            return "UTF-32LE (byte-order mark)";
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF) {
            return "UTF-16BE (byte-order mark)";
        }
        if (b.length >= 2 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE) {
            return "UTF-16LE (byte-order mark)";
        }
        if (b.length >= 4) {
            boolean z0 = b[0] == 0;
            boolean z1 = b[1] == 0;
            boolean z2 = b[2] == 0;
            boolean z3 = b[3] == 0;
            if (z0 && z1 && z2 && !z3) {
                return "UTF-32BE";
            }
            if (!z0 && z1 && z2 && z3) {
                return "UTF-32LE";
            }
            if (z0 && !z1 && z2 && !z3) {
                return "UTF-16BE";
            }
            if (!z0 && z1 && !z2 && z3) {
                return "UTF-16LE";
            }
        }
        return null;
    }

    private void checkCount(int pinsSoFar) {
        if (pinsSoFar == maxPins) {
            throw new BodyTooLargeException("more than " + maxPins + " pins in one request (pinpipe.ingest.max-batch-pins)");
        }
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object (post one pin to /pin, or wrap it in [ ])";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString();
        };
    }

    private static InvalidPinException notABatch(String message) {
        return new InvalidPinException("The body is not a readable batch of pins.",
                List.of(new FieldError(PinFields.BODY, message)));
    }
}
