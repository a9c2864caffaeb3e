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

    record Step(int rate, double achieved, long sent, int samples, long p50, long p99, long max,
                long firstThirdP50, long lastThirdP50, long drainMs, boolean sustained) {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> env = System.getenv();
        String bootstrap = env.getOrDefault("PINPIPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
        String topic = arg(argv, "--topic", "PinterestTopic");
        int seconds = Integer.parseInt(arg(argv, "--seconds", "30"));
        List<Integer> steady = ints(arg(argv, "--rates", "1000,5000"));
        List<Integer> ramp = ints(arg(argv, "--ramp", "8000,12000,16000,24000"));
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
            System.out.printf(Locale.ROOT, "warm-up: 5 s at 500 pins/s%n");
            run(producer, db, topic, templates, 500, 5);
            List<Step> steps = new ArrayList<>();
            System.out.println("| rate (pins/s) | achieved | pins | samples | p50 ms | p99 ms | max ms | p50 first/last third | drain ms | sustained |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (int rate : steady) {
                steps.add(print(run(producer, db, topic, templates, rate, seconds)));
            }
            Integer maxSustained = null;
            for (int rate : ramp) {
                Step step = print(run(producer, db, topic, templates, rate, seconds));
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
        }
    }

    static Step print(Step s) {
        System.out.printf(Locale.ROOT, "| %d | %.0f | %d | %d | %d | %d | %d | %d / %d | %d | %s |%n", s.rate(), s.achieved(), s.sent(),
                s.samples(), s.p50(), s.p99(), s.max(), s.firstThirdP50(), s.lastThirdP50(), s.drainMs(), s.sustained() ? "yes" : "no");
        return s;
    }

    /** Produces at {@code rate} for {@code seconds}, measuring sampled pins until every one is visible. */
    static Step run(KafkaProducer<String, byte[]> producer, Connection db, String topic, List<String> templates,
                    int rate, int seconds) throws Exception {
        int every = Math.max(1, rate / SAMPLES_PER_SECOND);
        Map<UUID, Long> acked = new ConcurrentHashMap<>();             // sampled id → ack time (ns)
        ConcurrentLinkedQueue<long[]> seen = new ConcurrentLinkedQueue<>(); // {ack ns, visible ns}
        AtomicLong sampled = new AtomicLong();
        long total = (long) rate * seconds;
        long start = System.nanoTime();
        double interval = 1e9 / rate;
        Poller poller = new Poller(db, acked, seen);
        poller.start();
        for (long i = 0; i < total; i++) {
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
        double achieved = total / ((produced - start) / 1e9);
        long drainDeadline = produced + TimeUnit.SECONDS.toNanos(180);
        while ((!acked.isEmpty() || seen.size() < sampled.get()) && System.nanoTime() < drainDeadline) {
            Thread.sleep(POLL_MS);
        }
        long drainMs = (System.nanoTime() - produced) / 1_000_000;
        poller.interrupt();
        poller.join();

        List<long[]> samples = new ArrayList<>(seen);
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
                sorted.length == 0 ? -1 : sorted[sorted.length - 1], first, last, drainMs, sustained);
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
