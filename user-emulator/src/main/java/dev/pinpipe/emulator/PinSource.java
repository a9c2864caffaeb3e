package dev.pinpipe.emulator;

/** Where the pins a run sends come from: pin {@code i} for any {@code i} below {@link #size()}. */
public interface PinSource {

    /** How many pins there are ({@link Long#MAX_VALUE} for a generator). */
    long size();

    /** Pin {@code i} as JSON bytes, the exact body to post. Safe to call from many threads. */
    byte[] pin(long i);
}
