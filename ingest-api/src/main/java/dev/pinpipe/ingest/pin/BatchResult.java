package dev.pinpipe.ingest.pin;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pinpipe.core.FieldError;
import java.util.List;

/** The answer of {@code POST /pins}: counts, and one result per posted pin in request order. */
public record BatchResult(int accepted, int rejected, List<PinResult> results) {

    /** What became of one pin of the batch. */
    public sealed interface PinResult permits Accepted, Rejected {
    }

    /** Published and acknowledged by the broker. */
    public record Accepted(int position, @JsonProperty("unique_id") String uniqueId, int partition, long offset)
            implements PinResult {
    }

    /** Invalid, not published. */
    public record Rejected(int position, List<FieldError> errors) implements PinResult {
    }
}
