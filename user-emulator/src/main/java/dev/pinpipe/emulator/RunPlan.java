package dev.pinpipe.emulator;

import java.time.Duration;

/**
 * How a run sends: how many pins (or for how long), how fast, how many at once and how many a request.
 *
 * @param count       pins to send at most ({@link Long#MAX_VALUE}: until the duration ends or Ctrl-C)
 * @param duration    stop starting new requests after this long (null: no limit)
 * @param rate        pins per second over all workers, 0 = as fast as the API answers
 * @param concurrency requests in flight at once (one worker thread each)
 * @param batchSize   pins per request; above 1 the run posts JSON arrays to {@code /pins}
 * @param pause       seed mode: a random pause of 0 up to this before each request (null: none)
 */
record RunPlan(long count, Duration duration, double rate, int concurrency, int batchSize, Duration pause) {

    RunPlan {
        if (concurrency < 1 || batchSize < 1 || count < 0 || rate < 0) {
            throw new IllegalArgumentException("concurrency and batch size must be 1 or more; count and rate 0 or more");
        }
    }
}
