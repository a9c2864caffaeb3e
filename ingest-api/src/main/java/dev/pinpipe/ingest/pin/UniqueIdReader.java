package dev.pinpipe.ingest.pin;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.PinJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The Kafka key of a pin already found valid: its unique_id as {@code UUID.toString()} writes it
 * (stripped, lower case), read by streaming to the field and stopping there, instead of building the
 * validator's tree and {@code Pin} (a quarter of the API's CPU per pin when every pin took that path).
 */
final class UniqueIdReader {

    private UniqueIdReader() {
    }

    /** @param validPin a body {@code PinValidityCheck.isValid} accepted: one object with exactly one canonical UUID unique_id */
    static String of(byte[] validPin) {
        try (JsonParser parser = PinJson.MAPPER.createParser(validPin)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean uniqueId = PinFields.UNIQUE_ID.equals(parser.currentName());
                parser.nextToken();
                if (uniqueId) {
                    // canonical 8-4-4-4-12 hex (validated), so lower-casing it is exactly UUID.fromString(..).toString()
                    return parser.getText().strip().toLowerCase(Locale.ROOT);
                }
                parser.skipChildren();
            }
            throw new IllegalArgumentException("no unique_id");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
