package dev.pinpipe.emulator;

/** What became of the pins of one request once retries are over: each pin counted in exactly one bucket. */
record Outcome(int acked, int rejected, int failed, int retries) {

    static Outcome acked(int pins, int retries) {
        return new Outcome(pins, 0, 0, retries);
    }

    static Outcome rejected(int pins, int retries) {
        return new Outcome(0, pins, 0, retries);
    }

    static Outcome failed(int pins, int retries) {
        return new Outcome(0, 0, pins, retries);
    }
}
