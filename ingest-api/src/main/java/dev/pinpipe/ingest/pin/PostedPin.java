package dev.pinpipe.ingest.pin;

import dev.pinpipe.core.PinValidation;

/** One pin of a request: its place in the request and what validation found (the canonical pin when valid). */
record PostedPin(int position, PinValidation validation) {

    boolean isValid() {
        return validation.isValid();
    }
}
