package dev.pinpipe.emulator;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counters and request latencies of one run, written by every worker. Reading intervals (progress line)
 * and the total (summary) is left to one reporting thread at a time.
 */
final class RunStats {

    private final LongAdder sent = new LongAdder();
    private final LongAdder acked = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder requests = new LongAdder();
    /** request latencies in microseconds */
    private final Recorder latencies = new Recorder(3);
    private final Histogram total = new Histogram(3);
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;

    void sending(int pins) {
        sent.add(pins);
    }

    void record(Outcome outcome, long latencyNanos) {
        acked.add(outcome.acked());
        rejected.add(outcome.rejected());
        failed.add(outcome.failed());
        retries.add(outcome.retries());
        requests.increment();
        latencies.recordValue(Math.max(1, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
    }

    long sent() {
        return sent.sum();
    }

    long acked() {
        return acked.sum();
    }

    long rejected() {
        return rejected.sum();
    }

    /** Latencies since the previous call, also added to the run's total. */
    Histogram interval() {
        Histogram interval = latencies.getIntervalHistogram();
        total.add(interval);
        return interval;
    }

    void finish() {
        endNanos = System.nanoTime();
    }

    Summary summary() {
        interval();
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        double seconds = (end - startNanos) / 1e9;
        return new Summary(sent.sum(), acked.sum(), rejected.sum(), failed.sum(), retries.sum(), requests.sum(),
                seconds, acked.sum() / Math.max(seconds, 1e-9), requests.sum() / Math.max(seconds, 1e-9),
                millis(total.getValueAtPercentile(50)), millis(total.getValueAtPercentile(99)),
                millis(total.getMaxValue()));
    }

    static double millis(long micros) {
        return micros / 1000.0;
    }
}
