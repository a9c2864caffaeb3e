package dev.pinpipe.ingest.pin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.pinpipe.core.FieldError;
import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.ingest.problem.BodyTooLargeException;
import dev.pinpipe.ingest.problem.InvalidPinException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a {@code POST /pins} body into pins, each with its exact posted bytes (a slice of the body)
 * and its validation. A body that is not a readable batch at all is one 400; a bad pin inside a
 * readable batch is only that pin's problem.
 */
final class PinBatchParser {

    /** Reads one element of the array; the contract mapper's trailing-token check would see the next element. */
    private static final ObjectReader ELEMENT_READER =
            PinJson.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final int maxPins;

    PinBatchParser(int maxPins) {
        this.maxPins = maxPins;
    }

    /** A JSON array of pins; each element's bytes are sliced out of the body by the parser's offsets. */
    List<PostedPin> parseArray(byte[] body) {
        List<PostedPin> pins = new ArrayList<>();
        try (JsonParser parser = PinJson.MAPPER.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw notABatch("expected a JSON array of pins");
            }
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null) {
                    throw notABatch("the array is not closed");
                }
                checkCount(pins.size());
                int start = (int) parser.currentTokenLocation().getByteOffset();
                JsonNode node = ELEMENT_READER.readTree(parser);
                int end = (int) parser.currentLocation().getByteOffset();
                pins.add(new PostedPin(pins.size(), Arrays.copyOfRange(body, start, end), PinValidator.validate(node)));
            }
            if (parser.nextToken() != null) {
                throw notABatch("unexpected content after the array");
            }
        } catch (JsonProcessingException e) {
            throw notABatch("the body is not valid JSON: " + e.getOriginalMessage() + " (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw notABatch("the body could not be read: " + e.getMessage());
        } catch (NumberFormatException e) {
            throw notABatch("the body is not valid JSON: " + PinJson.numberOutOfRange(e).getOriginalMessage());
        }
        return pins;
    }

    /** Newline-delimited JSON: one pin a line, blank lines skipped; a bad line is only that pin's problem. */
    List<PostedPin> parseNdjson(byte[] body) {
        List<PostedPin> pins = new ArrayList<>();
        int lineStart = 0;
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
                byte[] line = Arrays.copyOfRange(body, from, to);
                pins.add(new PostedPin(pins.size(), line, PinValidator.validate(line)));
            }
            lineStart = lineEnd + 1;
        }
        return pins;
    }

    private void checkCount(int pinsSoFar) {
        if (pinsSoFar == maxPins) {
            throw new BodyTooLargeException("more than " + maxPins + " pins in one request");
        }
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    private static InvalidPinException notABatch(String message) {
        return new InvalidPinException("The body is not a readable batch of pins.",
                List.of(new FieldError(PinFields.BODY, message)));
    }
}
