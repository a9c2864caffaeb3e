package dev.pinpipe.emulator;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The ingest benchmark (not a test): against a running API, measures single-pin requests/s and latency
 * at fixed concurrency levels, latency at a fixed rate, and pins/s through {@code /pins}. Each phase
 * gets a warm-up first and its own pins (a pool of generated pins, each use with a fresh unique_id).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the ingest API: single-pin req/s and p50/p99 per concurrency, p99 at a fixed rate, pins/s through /pins.")
public final class IngestBench implements Callable<Integer> {

    @Option(names = "--api", descriptionKey = "PINPIPE_API_URL", description = "the API's base URL (env PINPIPE_API_URL, default ${DEFAULT-VALUE})")
    URI api;

    @Option(names = "--seconds", defaultValue = "10", description = "measured seconds per phase")
    int seconds;

    @Option(names = "--warmup", defaultValue = "3", description = "warm-up seconds before each phase")
    int warmup;

    @Option(names = "--levels", split = ",", defaultValue = "1,8,32,64", description = "concurrency levels of the single-pin phases")
    List<Integer> levels;

    @Option(names = "--fixed-rate", defaultValue = "2000", description = "requests/s of the fixed-rate phase (0 skips it)")
    int fixedRate;

    @Option(names = "--fixed-connections", defaultValue = "64", description = "keep-alive connections of the fixed-rate phase")
    int fixedConnections;

    @Option(names = "--batch-size", defaultValue = "1000", description = "pins per /pins request")
    int batchSize;

    @Option(names = "--batch-concurrency", defaultValue = "4", description = "/pins requests in flight")
    int batchConcurrency;

    @Option(names = "--seed", defaultValue = "1", description = "first seed; each phase uses the next")
    long seed;

    @Option(names = "--phases", split = ",", defaultValue = "levels,fixed,pins",
            description = "the phases to run, of levels (closed loop per --levels), fixed (--fixed-rate), pins (/pins)")
    Set<String> phases;

    @Option(names = "--json", description = "also print every phase as one JSON object a line")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int level : phases.contains("levels") ? levels : List.<Integer>of()) {
            rows.add(Row.of("single pin, concurrency " + level, phase(new RunPlan(Long.MAX_VALUE, null, 0, level, 1, null))));
        }
        FixedRateLoad.Result fixed = null;
        if (fixedRate > 0 && phases.contains("fixed")) {
            fixed = fixedRatePhase();
            rows.add(new Row("single pin, fixed " + fixedRate + " req/s", fixed, fixed.requestsPerSecond(),
                    fixed.ackedPerSecond(), fixed.p50Millis(), fixed.p99Millis(), fixed.sent() - fixed.ok()));
        }
        if (phases.contains("pins")) {
            rows.add(Row.of("/pins x" + batchSize + ", concurrency " + batchConcurrency,
                    phase(new RunPlan(Long.MAX_VALUE, null, 0, batchConcurrency, batchSize, null))));
        }

        System.out.printf(Locale.ROOT, "%-40s %12s %12s %10s %10s %8s%n", "phase", "req/s", "pins/s", "p50 ms", "p99 ms", "failed");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "%-40s %,12.0f %,12.0f %10.2f %10.2f %8d%n", row.phase(),
                    row.requestsPerSecond(), row.ackedPerSecond(), row.p50Millis(), row.p99Millis(), row.failed());
        }
        if (fixed != null) {
            System.out.printf(Locale.ROOT, "fixed %d req/s (open loop, %d connections, latency from each request's due time): "
                            + "%d sent, %.0f req/s achieved, p50 %.2f, p90 %.2f, p99 %.2f, p99.9 %.2f, max %.2f ms; "
                            + "%d non-2xx, %d connection errors%n",
                    fixedRate, fixedConnections, fixed.sent(), fixed.requestsPerSecond(), fixed.p50Millis(), fixed.p90Millis(),
                    fixed.p99Millis(), fixed.p999Millis(), fixed.maxMillis(), fixed.non2xx(), fixed.errors());
        }
        if (json) {
            for (Row row : rows) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("phase", row.phase());
                line.put("summary", row.summary());
                System.out.println(dev.pinpipe.core.PinJson.MAPPER.writeValueAsString(line));
            }
        }
        return rows.stream().allMatch(row -> row.failed() == 0) ? 0 : 1;
    }

    /** One line of the table; {@code summary} is what --json prints for it. */
    private record Row(String phase, Object summary, double requestsPerSecond, double ackedPerSecond,
            double p50Millis, double p99Millis, long failed) {

        static Row of(String phase, Summary s) {
            return new Row(phase, s, s.requestsPerSecond(), s.ackedPerSecond(), s.p50Millis(), s.p99Millis(), s.sent() - s.acked());
        }
    }

    /** Open loop: requests leave on schedule whatever the API does (see {@link FixedRateLoad}). */
    private FixedRateLoad.Result fixedRatePhase() throws InterruptedException {
        new FixedRateLoad(api, new PooledPins(new PinGenerator(seed), 4096, seed), fixedRate, fixedConnections)
                .run(Duration.ofSeconds(warmup));
        seed++;
        FixedRateLoad.Result result = new FixedRateLoad(api, new PooledPins(new PinGenerator(seed), 4096, seed), fixedRate, fixedConnections)
                .run(Duration.ofSeconds(seconds));
        seed++;
        return result;
    }

    private Summary phase(RunPlan plan) throws InterruptedException {
        run(plan, Duration.ofSeconds(warmup), seed++);
        return run(plan, Duration.ofSeconds(seconds), seed++);
    }

    private Summary run(RunPlan plan, Duration duration, long phaseSeed) throws InterruptedException {
        RunPlan timed = new RunPlan(plan.count(), duration, plan.rate(), plan.concurrency(), plan.batchSize(), plan.pause());
        RunStats stats = new RunStats();
        IngestClient client = new IngestClient(api, Duration.ofSeconds(30), 20, () -> false);
        new LoadRunner(client, new PooledPins(new PinGenerator(phaseSeed), 4096, phaseSeed), timed, stats, () -> false, phaseSeed).run();
        return stats.summary();
    }
}
