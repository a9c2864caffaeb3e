package dev.pinpipe.ingest.pin;

import dev.pinpipe.core.PinValidation;

/** One pin of a request: its place in the request, its JSON bytes as posted, and what validation found. */
record PostedPin(int position, byte[] json, PinValidation validation) {

    boolean isValid() {
        return validation.isValid();
    }

    String uniqueId() {
        return validation.pin().uniqueId().toString();
    }
}
