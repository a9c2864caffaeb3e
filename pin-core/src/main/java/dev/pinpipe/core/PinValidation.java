package dev.pinpipe.core;

import java.util.List;

/** The outcome of validating one posted pin: the pin, or every problem found (never just the first). */
public record PinValidation(Pin pin, List<FieldError> errors) {

    public PinValidation {
        errors = List.copyOf(errors);
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    static PinValidation valid(Pin pin) {
        return new PinValidation(pin, List.of());
    }

    static PinValidation invalid(List<FieldError> errors) {
        return new PinValidation(null, errors);
    }
}
