package dev.pinpipe.check;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling: every wait in the demo and the pipeline tests has a deadline. */
public final class Await {

    private Await() {
    }

    /** Polls until the condition holds; returns the seconds waited, or throws with {@code what} after the timeout. */
    public static double until(String what, Duration timeout, Duration every, BooleanSupplier condition) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return (System.nanoTime() - start) / 1e9;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e; // a server may be restarting: keep polling until the deadline
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        IllegalStateException timeoutError = new IllegalStateException("timed out after " + timeout + " waiting for " + what);
        if (last != null) {
            timeoutError.addSuppressed(last);
        }
        throw timeoutError;
    }
}
