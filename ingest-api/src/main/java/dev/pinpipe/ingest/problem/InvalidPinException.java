package dev.pinpipe.ingest.problem;

import dev.pinpipe.core.FieldError;
import java.util.List;

/** The body is not a valid pin (or not a readable batch): 400 naming every offending field. */
public class InvalidPinException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidPinException(List<FieldError> errors) {
        this(errors.size() == 1 ? "The pin has 1 problem." : "The pin has " + errors.size() + " problems.", errors);
    }

    /** @param detail the problem's one-line summary for the client */
    public InvalidPinException(String detail, List<FieldError> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
