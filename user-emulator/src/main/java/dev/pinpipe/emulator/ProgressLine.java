package dev.pinpipe.emulator;

import java.io.PrintStream;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The live line on a terminal: totals so far, the rate and latencies of the last second. */
final class ProgressLine implements AutoCloseable {

    private final RunStats stats;
    private final PrintStream out;
    private final Thread thread;
    private volatile boolean closed;

    private ProgressLine(RunStats stats, PrintStream out) {
        this.stats = stats;
        this.out = out;
        this.thread = new Thread(this::loop, "progress");
        this.thread.setDaemon(true);
    }

    static ProgressLine start(RunStats stats, PrintStream out) {
        ProgressLine line = new ProgressLine(stats, out);
        line.thread.start();
        return line;
    }

    private void loop() {
        long lastAcked = 0;
        long lastTime = System.nanoTime();
        while (!closed) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long acked = stats.acked();
            Histogram interval = stats.interval();
            double rate = (acked - lastAcked) / ((now - lastTime) / 1e9);
            out.printf(Locale.ROOT, "\rsent %,d  acked %,d  rejected %,d  %,.0f pins/s  p50 %.1f ms  p99 %.1f ms   ",
                    stats.sent(), acked, stats.rejected(), rate,
                    RunStats.millis(interval.getValueAtPercentile(50)), RunStats.millis(interval.getValueAtPercentile(99)));
            out.flush();
            lastAcked = acked;
            lastTime = now;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join();
        out.println();
    }
}
