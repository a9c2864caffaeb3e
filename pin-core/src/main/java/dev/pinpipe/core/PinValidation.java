package dev.pinpipe.core;

import java.util.List;

/**
 * The outcome of validating one posted pin: the pin and its canonical JSON, or every problem found
 * (never just the first).
 *
 * @param canonical the pin's canonical form (UTF-8 JSON, see {@link PinValidator}); null when invalid
 */
public record PinValidation(Pin pin, byte[] canonical, List<FieldError> errors) {

    public PinValidation {
        errors = List.copyOf(errors);
    }

    public boolean isValid() {
        return errors.isEmpty();
    }

    /** The Kafka key of a valid pin: its {@code unique_id} as the lowercase 36-char UUID. */
    public String key() {
        return pin.uniqueId().toString();
    }

    static PinValidation valid(Pin pin, byte[] canonical) {
        return new PinValidation(pin, canonical, List.of());
    }

    static PinValidation invalid(List<FieldError> errors) {
        return new PinValidation(null, null, errors);
    }
}
