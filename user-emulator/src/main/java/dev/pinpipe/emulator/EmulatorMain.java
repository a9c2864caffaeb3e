package dev.pinpipe.emulator;

import dev.pinpipe.core.config.CatalogueDefaults;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The user emulator: posts realistic pins (or a replayed NDJSON file) to the ingest API and reports what was acknowledged. */
@Command(name = "emulate", mixinStandardHelpOptions = true, subcommands = IngestBench.class,
        description = "Posts pins to the ingest API: generated in the seed's shape (reproducible from --seed) "
                + "or replayed from an NDJSON file. Exits 1 if any pin was not acknowledged.")
public final class EmulatorMain implements Callable<Integer> {

    @Option(names = "--api", descriptionKey = "PINPIPE_API_URL", description = "the API's base URL (env PINPIPE_API_URL, default ${DEFAULT-VALUE})")
    URI api;

    @Option(names = "--count", description = "pins to send (default: 1000; unlimited with --duration or --seed-mode)")
    Long count;

    @Option(names = "--duration", description = "stop starting requests after this long, e.g. 30s, 5m",
            converter = DurationConverter.class)
    Duration duration;

    @Option(names = "--rate", description = "pins per second over all workers; 0 = as fast as possible (default: ${DEFAULT-VALUE})", defaultValue = "0")
    double rate;

    @Option(names = "--concurrency", description = "requests in flight at once (default: ${DEFAULT-VALUE})", defaultValue = "8")
    int concurrency;

    @Option(names = "--batch-size", description = "pins per request; above 1 posts JSON arrays to /pins (default: ${DEFAULT-VALUE})", defaultValue = "1")
    int batchSize;

    @Option(names = "--seed", description = "seed of the generated pins (the seed emulator used 100) (default: ${DEFAULT-VALUE})", defaultValue = "100")
    long seed;

    @Option(names = "--from", paramLabel = "FILE", description = "replay the pins of this NDJSON file instead of generating")
    Path from;

    @Option(names = "--seed-mode", description = "behave like the seed's emulator: one pin at a time, a random 0-1 s pause, until Ctrl-C")
    boolean seedMode;

    @Option(names = "--json", description = "print the final summary as JSON on stdout")
    boolean json;

    @Option(names = "--ids-out", paramLabel = "FILE",
            description = "write '<acked|rejected|failed|partial> <unique_id>' per pin to FILE (what end-to-end checks read)")
    Path idsOut;

    @Option(names = "--max-retries", description = "retries of one request (503, connection errors) before its pins count as failed (default: ${DEFAULT-VALUE})",
            defaultValue = "20")
    int maxRetries;

    @Option(names = "--timeout", description = "timeout of one HTTP request (default: ${DEFAULT-VALUE})", defaultValue = "30s", converter = DurationConverter.class)
    Duration timeout;

    private volatile boolean stopping;

    public static void main(String[] args) {
        System.exit(commandLine(new CatalogueDefaults()).execute(args));
    }

    /** The command and its {@code bench} subcommand, their defaults from {@code defaults}. */
    static CommandLine commandLine(CommandLine.IDefaultValueProvider defaults) {
        return new CommandLine(new EmulatorMain()).setDefaultValueProvider(defaults);
    }

    @Override
    public Integer call() throws Exception {
        PinSource source = from != null ? FilePinSource.read(from) : new PinGenerator(seed);
        RunPlan plan = seedMode
                ? new RunPlan(count == null ? Long.MAX_VALUE : count, duration, 0, 1, 1, Duration.ofSeconds(1))
                : new RunPlan(count != null ? count : duration != null ? Long.MAX_VALUE : 1000,
                        duration, rate, concurrency, batchSize, null);
        RunStats stats = new RunStats();
        IngestClient client = new IngestClient(api, timeout, maxRetries, () -> stopping);
        PinOutcomeLog outcomes = idsOut == null ? null : new PinOutcomeLog(idsOut);
        LoadRunner runner = new LoadRunner(client, source, plan, stats, () -> stopping, seed).loggingOutcomes(outcomes);

        // Ctrl-C: stop starting requests, let the ones in flight finish, still print the summary
        CountDownLatch done = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            stopping = true;
            try {
                done.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(onCtrlC);

        Summary summary;
        try {
            if (System.console() != null) {
                try (ProgressLine ignored = ProgressLine.start(stats, System.err)) {
                    runner.run();
                }
            } else {
                runner.run();
            }
            summary = stats.summary();
            System.err.println(summary.text());
            if (json) {
                System.out.println(summary.json());
            }
        } finally {
            if (outcomes != null) {
                outcomes.close();
            }
            done.countDown();
        }
        if (!stopping) {
            Runtime.getRuntime().removeShutdownHook(onCtrlC);
        }
        return summary.allAcked() ? 0 : 1;
    }

    /** Accepts {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} and ISO-8601 ({@code PT30S}). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase();
            if (v.startsWith("pt") || v.startsWith("p")) {
                return Duration.parse(value.strip().toUpperCase());
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1));
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new CommandLine.TypeConversionException("not a duration: " + value + " (try 30s, 5m, 1h)");
            };
        }
    }
}
