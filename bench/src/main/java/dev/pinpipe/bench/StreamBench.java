package dev.pinpipe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pinpipe.core.config.CatalogueDefaults;
import dev.pinpipe.core.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * End-to-end latency of the speed layer, from the producer's acknowledgement to the row being visible in
 * pins_stream. Run by bench/stream/run.sh on the stream job's class path (kafka-clients, postgresql); not
 * a test: it prints figures. See bench/stream/README.md.
 */
@Command(name = "stream-bench", mixinStandardHelpOptions = true,
        description = "Produces pins straight to Kafka at steady rates, then a ramp, and measures acknowledgement → row visible in pins_stream.")
public final class StreamBench implements Callable<Integer> {

    /** Every n-th pin's latency is measured (about this many per second), the rest is load. */
    static final int SAMPLES_PER_SECOND = 500;
    static final long POLL_MS = 20;
    static final long SUSTAINED_P50_MS = 5_000;
    static final long DRAIN_MS = 10_000;
    record Step(int rate, double achieved, long sent, int samples, long p50, long p99, long max,
                long firstThirdP50, long lastThirdP50, long drainMs, boolean sustained, Instant from, Instant to,
                long countedPins, long jobCpuMicros, long postgresCpuMicros) {
    }

    /**
     * The job's own figures (its metrics file, one line per micro-batch) for the micro-batches that
     * started while a step's counted pins were produced: medians per micro-batch, and the job JVM's CPU
     * per pin, which a machine busy with other work distorts much less than the durations.
     */
    record JobView(int batches, long rowsTotal, long rows, long batchMs, long planMs, long sparkJobMs, long postgresMs,
                   long walCommitMs, long commitOffsetsMs, long cpuMs, double cpuMicrosPerPin) {

        static JobView of(Path metricsFile, Instant from, Instant to) throws Exception {
            if (metricsFile == null || !Files.exists(metricsFile)) {
                return null;
            }
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> batches = new ArrayList<>();
            for (String line : Files.readAllLines(metricsFile)) {
                JsonNode b = json.readTree(line);
                Instant at = Instant.parse(b.path("timestamp").asText());
                if (!at.isBefore(from) && at.isBefore(to) && !b.path("replay").asBoolean() && b.path("rowsRead").asLong() > 0) {
                    batches.add(b);
                }
            }
            if (batches.isEmpty()) {
                return null;
            }
            long cpu = batches.stream().mapToLong(b -> b.path("cpuMs").asLong()).sum();
            long rows = batches.stream().mapToLong(b -> b.path("rowsRead").asLong()).sum();
            return new JobView(batches.size(), rows, median(batches, "rowsRead"), median(batches, "batchDurationMs"),
                    median(batches, "writerMs", "plan"), median(batches, "writerMs", "sparkJob"), median(batches, "writerMs", "postgres"),
                    median(batches, "phasesMs", "walCommit"), median(batches, "phasesMs", "commitOffsets"),
                    median(batches, "cpuMs"), 1000.0 * cpu / rows);
        }

        private static long median(List<JsonNode> batches, String... path) {
            return percentile(batches.stream().mapToLong(b -> {
                JsonNode n = b;
                for (String p : path) {
                    n = n.path(p);
                }
                return n.asLong(-1);
            }).toArray(), 0.5);
        }
    }

    @Option(names = "--topic", paramLabel = "TOPIC", descriptionKey = "PINPIPE_TOPIC", description = "the topic the stream job reads (default ${DEFAULT-VALUE})")
    String topic;

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT[,…]", descriptionKey = "PINPIPE_KAFKA_BOOTSTRAP", description = "Kafka (default ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--jdbc-url", paramLabel = "URL", descriptionKey = "PINPIPE_JDBC_URL", description = "the database pins_stream is in (default ${DEFAULT-VALUE})")
    String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER", descriptionKey = "PINPIPE_DB_USER", description = "the database user (default ${DEFAULT-VALUE}; the password only from the environment, as the job reads it)")
    String dbUser;

    @Option(names = "--metrics-file", paramLabel = "FILE", descriptionKey = "PINPIPE_STREAM_METRICS_FILE",
            description = "the job's metrics file, one line per micro-batch (default ${DEFAULT-VALUE})")
    Path metricsFile;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "40", description = "length of each step (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--settle-seconds", paramLabel = "S", defaultValue = "10", description = "a step's first seconds, not counted (default ${DEFAULT-VALUE})")
    int settleSeconds;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "45", description = "the warm-up at the highest steady rate (default ${DEFAULT-VALUE})")
    int warmupSeconds;

    @Option(names = "--rates", paramLabel = "R", defaultValue = "1000,5000", split = ",", description = "the steady rates, pins/s (default ${DEFAULT-VALUE})")
    List<Integer> steady;

    @Option(names = "--ramp", paramLabel = "R[,R…]", defaultValue = "8000,12000,16000,24000",
            description = "then these rates until one is not sustained; blank: none (default ${DEFAULT-VALUE})")
    String ramp;

    @Option(names = "--job-pid", paramLabel = "PID", defaultValue = "0", description = "the stream job's JVM, for its CPU per pin (default: not measured)")
    long jobPid;

    @Option(names = "--postgres-pid", paramLabel = "PID", defaultValue = "0", description = "the postmaster, for PostgreSQL's CPU per pin (default: not measured)")
    long postgresPid;

    @Option(names = "--seed", paramLabel = "S", defaultValue = BenchPins.DEFAULT_SEED, description = "the generated pins' seed (default ${DEFAULT-VALUE})")
    long seed;

    /** Pin i of the whole run (warm-up and steps): every pin has its own unique_id. */
    private BenchPins pins;
    private long nextPin;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StreamBench()).setDefaultValueProvider(new CatalogueDefaults()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (settleSeconds >= seconds) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--settle-seconds must be shorter than --seconds");
        }
        List<Integer> rampRates = ramp.isBlank() ? List.of() : Arrays.stream(ramp.split(",")).map(String::strip).map(Integer::valueOf).toList();
        pins = new BenchPins(seed);

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all"); // as the ingest API: acknowledged = durable
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
             Connection db = DriverManager.getConnection(jdbcUrl, dbUser, Settings.DB_PASSWORD.secretValue(System::getenv))) {
            // The job's first micro-batches compile Spark's code and the JIT needs minutes of steady work
            // before a micro-batch costs what it will: warm up at the highest steady rate, then let it drain.
            int warmupRate = steady.stream().mapToInt(Integer::intValue).max().orElse(5000);
            System.out.printf(Locale.ROOT, "warm-up: %d s at %d pins/s, then until drained; each step's first %d s not counted%n",
                    warmupSeconds, warmupRate, settleSeconds);
            Step warm = run(producer, db, warmupRate, warmupSeconds, 0);
            System.out.printf(Locale.ROOT, "warm-up done: p50 %d ms, last third %d ms, drain %d ms%n", warm.p50(), warm.lastThirdP50(), warm.drainMs());
            List<Step> steps = new ArrayList<>();
            System.out.println("| rate (pins/s) | achieved | pins | samples | p50 ms | p99 ms | max ms | p50 first/last third | drain ms | sustained |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (int rate : steady) {
                steps.add(print(run(producer, db, rate, seconds, settleSeconds)));
            }
            Integer maxSustained = null;
            for (int rate : rampRates) {
                Step step = print(run(producer, db, rate, seconds, settleSeconds));
                steps.add(step);
                if (!step.sustained() || step.achieved() < 0.95 * rate) {
                    break;
                }
                maxSustained = rate;
            }
            for (Step s : steps) {
                if (s.sustained() && s.achieved() >= 0.95 * s.rate() && (maxSustained == null || s.rate() > maxSustained)) {
                    maxSustained = s.rate();
                }
            }
            System.out.println("max sustained rate measured: " + (maxSustained == null ? "none" : maxSustained + " pins/s"));
            System.out.println();
            System.out.println("The job's view (metrics file; micro-batches of each step's counted part; medians per micro-batch):");
            System.out.println("| rate (pins/s) | micro-batches | rows | batch ms | plan ms | Spark job ms | Postgres ms | walCommit ms | commitOffsets ms | JVM CPU ms | job CPU µs/pin | Postgres CPU µs/pin |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (Step s : steps) {
                printJob(s, JobView.of(metricsFile, s.from(), s.to()));
            }
            System.out.println("the job's own per-micro-batch figures: " + metricsFile);
        }
        return 0;
    }

    /**
     * CPU per pin: the job JVM's and Postgres' CPU time while the step's counted pins were produced,
     * divided by the rows the job read in micro-batches started meanwhile (a job that falls behind
     * works on older pins; the pins produced would flatter it), or by the pins produced when the
     * metrics file says nothing.
     */
    static void printJob(Step s, JobView v) {
        if (v == null) {
            System.out.printf(Locale.ROOT, "| %d | (no metrics) | | | | | | | | | %.0f | %.0f |%n", s.rate(),
                    (double) s.jobCpuMicros() / s.countedPins(), (double) s.postgresCpuMicros() / s.countedPins());
            return;
        }
        System.out.printf(Locale.ROOT, "| %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.0f | %.0f |%n", s.rate(), v.batches(), v.rows(), v.batchMs(),
                v.planMs(), v.sparkJobMs(), v.postgresMs(), v.walCommitMs(), v.commitOffsetsMs(), v.cpuMs(),
                (double) s.jobCpuMicros() / v.rowsTotal(), (double) s.postgresCpuMicros() / v.rowsTotal());
    }

    /** The job JVM's CPU time so far, in µs; 0 when not measured. */
    private long jobCpuMicros() {
        return Math.max(0, ProcCpu.processNanos(jobPid)) / 1000;
    }

    /** PostgreSQL's: the postmaster and its backends (the job's connection and the poller's stay open all along). */
    private long postgresCpuMicros() {
        return Math.max(0, ProcCpu.withChildrenNanos(postgresPid)) / 1000;
    }

    static Step print(Step s) {
        System.out.printf(Locale.ROOT, "| %d | %.0f | %d | %d | %d | %d | %d | %d / %d | %d | %s |%n", s.rate(), s.achieved(), s.sent(),
                s.samples(), s.p50(), s.p99(), s.max(), s.firstThirdP50(), s.lastThirdP50(), s.drainMs(), s.sustained() ? "yes" : "no");
        return s;
    }

    /**
     * Produces at {@code rate} for {@code seconds}, measuring sampled pins until every one is visible.
     * Pins acknowledged in the first {@code settleSeconds} are not counted: the job is still adapting
     * to the new rate there (the first micro-batches of a step hold the previous rate's tail).
     */
    private Step run(KafkaProducer<String, byte[]> producer, Connection db, int rate, int seconds, int settleSeconds) throws Exception {
        int every = Math.max(1, rate / SAMPLES_PER_SECOND);
        Map<UUID, Long> acked = new ConcurrentHashMap<>();             // sampled id → ack time (ns)
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>(); // {ack ns, visible ns}
        AtomicLong sampled = new AtomicLong();
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        double interval = 1e9 / rate;
        Poller poller = new Poller(db, acked, seen);
        poller.start();
        long settleIndex = (long) rate * settleSeconds;
        long[] cpuAtSettle = {jobCpuMicros(), postgresCpuMicros()};
        for (long i = 0; i < total; i++) {
            if (i == settleIndex && settleIndex > 0) {
                cpuAtSettle = new long[] {jobCpuMicros(), postgresCpuMicros()};
            }
            long due = start + (long) (i * interval);
            long wait = due - System.nanoTime();
            if (wait > 200_000) {
                LockSupport.parkNanos(wait);
            }
            BenchPins.Pin pin = pins.pin(nextPin++);
            boolean sample = i % every == 0;
            UUID id = sample ? UUID.fromString(pin.uniqueId()) : null;
            if (sample) {
                sampled.incrementAndGet();
            }
            producer.send(new ProducerRecord<>(topic, pin.uniqueId(), pin.json()), (md, e) -> {
                if (sample && e == null) {
                    acked.put(id, System.nanoTime());
                } else if (sample) {
                    sampled.decrementAndGet(); // never acknowledged, so never expected downstream
                }
            });
        }
        producer.flush();
        long produced = System.nanoTime();
        Instant producedAt = Instant.now();
        long countedPins = total - settleIndex;
        long jobCpu = jobCpuMicros() - cpuAtSettle[0];
        long postgresCpu = postgresCpuMicros() - cpuAtSettle[1];
        Instant settledWall = producedAt.minusNanos(produced - start - TimeUnit.SECONDS.toNanos(settleSeconds));
        double achieved = total / ((produced - start) / 1e9);
        long drainDeadline = produced + TimeUnit.SECONDS.toNanos(180);
        while ((!acked.isEmpty() || seen.size() < sampled.get()) && System.nanoTime() < drainDeadline) {
            Thread.sleep(POLL_MS);
        }
        long drainMs = (System.nanoTime() - produced) / 1_000_000;
        poller.interrupt();
        poller.join();

        long settledAt = start + TimeUnit.SECONDS.toNanos(settleSeconds);
        List<long[]> samples = new ArrayList<>(seen.stream().filter(s -> s[0] >= settledAt).toList());
        samples.sort((a, b) -> Long.compare(a[0], b[0]));   // by ack time: thirds of the step
        long[] lat = samples.stream().mapToLong(s -> (s[1] - s[0]) / 1_000_000).toArray();
        int third = Math.max(1, lat.length / 3);
        long first = percentile(Arrays.copyOfRange(lat, 0, third), 0.5);
        long last = percentile(Arrays.copyOfRange(lat, lat.length - third, lat.length), 0.5);
        long[] sorted = lat.clone();
        Arrays.sort(sorted);
        // Kept up = the lag stayed bounded: pins of the step's last third were visible within
        // SUSTAINED_P50_MS (median), and once producing stopped the rest was visible within DRAIN_MS.
        // A growing lag fails both; so does a job that is simply too slow for the rate.
        boolean sustained = acked.isEmpty() && last >= 0 && last <= SUSTAINED_P50_MS && drainMs <= DRAIN_MS;
        return new Step(rate, achieved, total, lat.length, percentile(sorted, 0.5), percentile(sorted, 0.99),
                sorted.length == 0 ? -1 : sorted[sorted.length - 1], first, last, drainMs, sustained, settledWall, producedAt,
                countedPins, jobCpu, postgresCpu);
    }

    static long percentile(long[] values, double q) {
        if (values.length == 0) {
            return -1;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(q * sorted.length) - 1))];
    }

    /** Every POLL_MS asks Postgres which acknowledged sample pins are visible (primary-key lookups). */
    static final class Poller extends Thread {
        private final Connection db;
        private final Map<UUID, Long> acked;
        private final ConcurrentLinkedQueue<long[]> seen;

        Poller(Connection db, Map<UUID, Long> acked, ConcurrentLinkedQueue<long[]> seen) {
            super("visibility-poller");
            setDaemon(true);
            this.db = db;
            this.acked = acked;
            this.seen = seen;
        }

        @Override
        public void run() {
            try (PreparedStatement ps = db.prepareStatement("SELECT unique_id FROM " + Settings.PINS_STREAM_TABLE + " WHERE unique_id = ANY(?)")) {
                while (!isInterrupted()) {
                    if (!acked.isEmpty()) {
                        Array ids = db.createArrayOf("uuid", acked.keySet().toArray());
                        ps.setArray(1, ids);
                        try (ResultSet rs = ps.executeQuery()) {
                            long now = System.nanoTime();
                            while (rs.next()) {
                                UUID id = (UUID) rs.getObject(1);
                                Long ack = acked.remove(id);
                                if (ack != null) {
                                    seen.add(new long[] {ack, now});
                                }
                            }
                        }
                    }
                    Thread.sleep(POLL_MS);
                }
            } catch (InterruptedException e) {
                // done
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
