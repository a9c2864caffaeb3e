package dev.pinpipe.emulator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Runs a {@link RunPlan}: {@code concurrency} workers claim the next pins, wait for their slot when a
 * rate is set, post them and record the outcome. With a rate, latency is measured from the slot the
 * request was due in, so a slow API shows up as latency instead of silently lowering the rate.
 */
final class LoadRunner {

    private final IngestClient client;
    private final PinSource source;
    private final RunPlan plan;
    private final RunStats stats;
    private final BooleanSupplier stopping;
    private final long seed;
    private final AtomicLong nextPin = new AtomicLong();
    private final AtomicLong nextSlot = new AtomicLong();
    private final long limit;
    private long deadline;
    private PinOutcomeLog outcomes;

    LoadRunner(IngestClient client, PinSource source, RunPlan plan, RunStats stats, BooleanSupplier stopping, long seed) {
        this.client = client;
        this.source = source;
        this.plan = plan;
        this.stats = stats;
        this.stopping = stopping;
        this.seed = seed;
        this.limit = Math.min(plan.count(), source.size());
    }

    /** Also writes each pin's outcome to {@code log} (the {@code --ids-out} file). */
    LoadRunner loggingOutcomes(PinOutcomeLog log) {
        this.outcomes = log;
        return this;
    }

    /** Runs until every pin is sent, the duration is over or {@code stopping} turns true; blocks till then. */
    void run() throws InterruptedException {
        long start = System.nanoTime();
        deadline = plan.duration() == null ? Long.MAX_VALUE : start + plan.duration().toNanos();
        nextSlot.set(start);
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < plan.concurrency(); w++) {
            int worker = w;
            Thread thread = new Thread(() -> work(worker), "emulator-" + w);
            thread.setDaemon(true);
            workers.add(thread);
            thread.start();
        }
        for (Thread thread : workers) {
            thread.join();
        }
        stats.finish();
    }

    private void work(int worker) {
        SplittableRandom pauses = new SplittableRandom(seed + worker);
        long intervalNanos = plan.rate() > 0 ? (long) (1e9 / plan.rate()) : 0;
        while (!stopping.getAsBoolean() && System.nanoTime() < deadline) {
            long first = nextPin.getAndAdd(plan.batchSize());
            if (first >= limit) {
                return;
            }
            int n = (int) Math.min(plan.batchSize(), limit - first);
            if (plan.pause() != null && !pause(pauses.nextLong(plan.pause().toNanos() + 1))) {
                return;
            }
            long due = System.nanoTime();
            if (intervalNanos > 0) {
                due = nextSlot.getAndAdd(intervalNanos * n);
                if (!sleepUntil(due)) {
                    return;
                }
            }
            stats.sending(n);
            Outcome outcome;
            List<byte[]> pins = new ArrayList<>(n);
            for (long i = first; i < first + n; i++) {
                pins.add(source.pin(i));
            }
            if (n == 1 && plan.batchSize() == 1) {
                outcome = client.postPin(pins.get(0));
            } else {
                outcome = client.postPins(pins);
            }
            stats.record(outcome, System.nanoTime() - due);
            if (outcomes != null) {
                outcomes.record(pins, outcome);
            }
        }
    }

    private boolean pause(long nanos) {
        return sleepUntil(System.nanoTime() + nanos);
    }

    /** False when the run stops while waiting. */
    private boolean sleepUntil(long nanoTime) {
        for (long left = nanoTime - System.nanoTime(); left > 0; left = nanoTime - System.nanoTime()) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            // parking, not spinning: the API under test shares the same few cores
            LockSupport.parkNanos(Math.min(left, 100_000_000L));
        }
        return !stopping.getAsBoolean() && !Thread.currentThread().isInterrupted();
    }
}
