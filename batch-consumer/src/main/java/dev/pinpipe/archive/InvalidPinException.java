package dev.pinpipe.archive;

import dev.pinpipe.core.FieldError;
import java.util.List;
import java.util.stream.Collectors;

/** A record value that is not a valid pin; its message is the reason written to the DLT headers. */
final class InvalidPinException extends RuntimeException {

    InvalidPinException(List<FieldError> errors) {
        super(errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; ")), null, false, false);
    }
}
