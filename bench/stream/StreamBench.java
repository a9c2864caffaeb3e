// bench/stream/StreamBench.java — end-to-end latency of the speed layer, from the producer's
// acknowledgement to the row being visible in pins_stream. A single-file program (java StreamBench.java)
// run by run.sh with stream-spark-job's classpath (kafka-clients, postgresql). Not a test: it prints figures.

import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class StreamBench {

    /** Every n-th pin's latency is measured (about this many per second), the rest is load. */
    static final int SAMPLES_PER_SECOND = 500;
    static final long POLL_MS = 20;
    static final long SUSTAINED_P50_MS = 5_000;
    static final long DRAIN_MS = 10_000;
    static final Pattern UNIQUE_ID = Pattern.compile("\"unique_id\"\\s*:\\s*\"[^\"]*\"");
    static final Pattern INDEX = Pattern.compile("\"index\"\\s*:\\s*\\d+");
    /** The job's JVM and the postmaster, for CPU per pin (0: not measured). */
    static long jobPid;
    static long postgresPid;

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

    public static void main(String[] argv) throws Exception {
        Map<String, String> env = System.getenv();
        String bootstrap = env.getOrDefault("PINPIPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        String topic = arg(argv, "--topic", "PinterestTopic");
        int seconds = Integer.parseInt(arg(argv, "--seconds", "40"));
        int settleSeconds = Integer.parseInt(arg(argv, "--settle-seconds", "10"));
        int warmupSeconds = Integer.parseInt(arg(argv, "--warmup-seconds", "45"));
        if (settleSeconds >= seconds) {
            throw new IllegalArgumentException("--settle-seconds must be shorter than --seconds");
        }
        List<Integer> steady = ints(arg(argv, "--rates", "1000,5000"));
        List<Integer> ramp = ints(arg(argv, "--ramp", "8000,12000,16000,24000"));
        jobPid = Long.parseLong(arg(argv, "--job-pid", "0"));
        postgresPid = Long.parseLong(arg(argv, "--postgres-pid", "0"));
        String metrics = arg(argv, "--metrics-file", "");
        Path metricsFile = metrics.isBlank() ? null : Path.of(metrics);
        List<String> templates = Files.readAllLines(Path.of(arg(argv, "--sample", "pin-core/src/test/resources/sample-pins.ndjson")))
                .stream().filter(l -> !l.isBlank()).toList();

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all"); // as the ingest API: acknowledged = durable
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 65536);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
             Connection db = DriverManager.getConnection(env.getOrDefault("PINPIPE_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/pinterest"),
                     env.getOrDefault("PINPIPE_DB_USER", "pinpipe"), env.getOrDefault("PINPIPE_DB_PASSWORD", "pinpipe"))) {
            // The job's first micro-batches compile Spark's code and the JIT needs minutes of steady work
            // before a micro-batch costs what it will: warm up at the highest steady rate, then let it drain.
            int warmupRate = steady.stream().mapToInt(Integer::intValue).max().orElse(5000);
            System.out.printf(Locale.ROOT, "warm-up: %d s at %d pins/s, then until drained; each step's first %d s not counted%n",
                    warmupSeconds, warmupRate, settleSeconds);
            Step warm = run(producer, db, topic, templates, warmupRate, warmupSeconds, 0);
            System.out.printf(Locale.ROOT, "warm-up done: p50 %d ms, last third %d ms, drain %d ms%n", warm.p50(), warm.lastThirdP50(), warm.drainMs());
            List<Step> steps = new ArrayList<>();
            System.out.println("| rate (pins/s) | achieved | pins | samples | p50 ms | p99 ms | max ms | p50 first/last third | drain ms | sustained |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (int rate : steady) {
                steps.add(print(run(producer, db, topic, templates, rate, seconds, settleSeconds)));
            }
            Integer maxSustained = null;
            for (int rate : ramp) {
                Step step = print(run(producer, db, topic, templates, rate, seconds, settleSeconds));
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
        }
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

    /** CPU time (user + system) of a process so far, in µs, from /proc; 0 when unknown. */
    static long cpuMicros(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000; // clock ticks of 10 ms
        } catch (Exception e) {
            return 0;
        }
    }

    /** The postmaster and its backends (the job's connection and the poller's stay open all along). */
    static long postgresCpuMicros(long postmaster) {
        if (postmaster <= 0) {
            return 0;
        }
        long sum = cpuMicros(postmaster);
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(d -> d.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[1]) == postmaster) {
                        sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000;
                    }
                } catch (Exception e) {
                    // gone meanwhile
                }
            }
        } catch (Exception e) {
            return 0;
        }
        return sum;
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
    static Step run(KafkaProducer<String, byte[]> producer, Connection db, String topic, List<String> templates,
                    int rate, int seconds, int settleSeconds) throws Exception {
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
        long[] cpuAtSettle = {cpuMicros(jobPid), postgresCpuMicros(postgresPid)};
        for (long i = 0; i < total; i++) {
            if (i == settleIndex && settleIndex > 0) {
                cpuAtSettle = new long[] {cpuMicros(jobPid), postgresCpuMicros(postgresPid)};
            }
            long due = start + (long) (i * interval);
            long wait = due - System.nanoTime();
            if (wait > 200_000) {
                LockSupport.parkNanos(wait);
            }
            UUID id = UUID.randomUUID();
            String template = templates.get((int) (i % templates.size()));
            String pin = INDEX.matcher(UNIQUE_ID.matcher(template).replaceFirst("\"unique_id\": \"" + id + "\""))
                    .replaceFirst("\"index\": " + i);
            boolean sample = i % every == 0;
            if (sample) {
                sampled.incrementAndGet();
            }
            producer.send(new ProducerRecord<>(topic, id.toString(), pin.getBytes(StandardCharsets.UTF_8)), (md, e) -> {
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
        long jobCpu = cpuMicros(jobPid) - cpuAtSettle[0];
        long postgresCpu = postgresCpuMicros(postgresPid) - cpuAtSettle[1];
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
            try (PreparedStatement ps = db.prepareStatement("SELECT unique_id FROM pins_stream WHERE unique_id = ANY(?)")) {
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

    static String arg(String[] argv, String name, String dflt) {
        for (int i = 0; i + 1 < argv.length; i++) {
            if (argv[i].equals(name)) {
                return argv[i + 1];
            }
        }
        return dflt;
    }

    static List<Integer> ints(String csv) {
        return csv.isBlank() ? List.of() : Arrays.stream(csv.split(",")).map(String::trim).map(Integer::valueOf).toList();
    }
}
