package dev.pinpipe.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.config.CatalogueDefaults;
import dev.pinpipe.core.config.Setting;
import dev.pinpipe.core.config.Settings;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The archive stage's benchmark: pins/s from a pre-filled topic to the local S3 server, for
 * PinArchiver (the real application, default settings) and for a "one object per message" consumer
 * that mimics the seed's (poll, then one PUT of the pretty-printed pin per message as consumer{i}.json),
 * side by side in one run. Prints a table and one JSON line (pins_per_s, per_message_pins_per_s, ratio).
 *
 * <p>Run through {@code bench/archive/run}, on batch-consumer's class path; see bench/archive/README.md.
 */
@Command(name = "archive-bench", mixinStandardHelpOptions = true,
        description = "Pins/s archived to S3 by PinArchiver vs one object per message (the seed's way), from a pre-filled topic.")
public final class ArchiveBench implements Callable<Integer> {

    /** batch-consumer's application, named: its jar is Spring Boot's repackaged one, so it runs from its class path. */
    private static final String ARCHIVER_APPLICATION = "dev.pinpipe.archive.BatchConsumerApplication";

    @Option(names = "--pins", paramLabel = "N", defaultValue = "1000000", description = "pins to pre-fill the topic with (default ${DEFAULT-VALUE})")
    int pinsToFill;

    @Option(names = "--per-message-pins", paramLabel = "M", defaultValue = "20000", description = "pins the one-object-per-message consumer archives (default ${DEFAULT-VALUE})")
    int perMessagePinsAsked;

    @Option(names = "--input", paramLabel = "FILE", description = "pre-fill with this NDJSON file's lines (repeated as needed) instead of generated pins")
    Path input;

    @Option(names = "--seed", paramLabel = "S", defaultValue = BenchPins.DEFAULT_SEED, description = "the generated pins' seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "archive this topic an earlier run filled (its JSON line names it) instead of filling a new one")
    String existingTopic;

    @Option(names = "--warmup-passes", paramLabel = "W", defaultValue = "1", description = "whole passes over the topic before the measured one (default ${DEFAULT-VALUE})")
    int warmupPasses;

    @Option(names = "--stack-pid", paramLabel = "PID", defaultValue = "0", description = "the JVM running Kafka and the S3 server, for its CPU per pin (default: not measured)")
    long stackPid;

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT[,…]", descriptionKey = "PINPIPE_KAFKA_BOOTSTRAP", description = "Kafka (default ${DEFAULT-VALUE})")
    String bootstrap;

    @Option(names = "--s3-endpoint", paramLabel = "URL", descriptionKey = "PINPIPE_S3_ENDPOINT", description = "the S3 endpoint (default ${DEFAULT-VALUE})")
    String endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", descriptionKey = "PINPIPE_S3_REGION", description = "the S3 region (default ${DEFAULT-VALUE})")
    String region;

    @Option(names = "--s3-access-key", paramLabel = "KEY", descriptionKey = "PINPIPE_S3_ACCESS_KEY", description = "the S3 access key (default ${DEFAULT-VALUE})")
    String accessKey;

    @Option(names = "--s3-bucket", paramLabel = "BUCKET", descriptionKey = "PINPIPE_S3_BUCKET", description = "the bucket; the run's objects go under bench/<run>/ (default ${DEFAULT-VALUE})")
    String bucket;

    private final String run = "bench-" + System.currentTimeMillis();

    public static void main(String[] args) {
        // the bench's own Kafka clients log at WARN like the application (logback's default is DEBUG)
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        int exit = new CommandLine(new ArchiveBench()).setDefaultValueProvider(new CatalogueDefaults()).execute(args);
        System.exit(exit); // the Kafka/S3 clients' daemon-less threads must not keep the JVM
    }

    @Override
    public Integer call() throws Exception {
        String topic = existingTopic != null ? existingTopic : "bench.archive." + run;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
             S3Client s3 = s3()) {
            int pins;
            if (existingTopic == null) {
                admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
                long fillStart = System.nanoTime();
                fill(topic, pinsToFill, input);
                log("pre-filled %s with %,d pins in %.1f s", topic, pinsToFill, seconds(fillStart));
                pins = pinsToFill;
            } else {
                pins = (int) endOffsets(admin, topic).values().stream().mapToLong(Long::longValue).sum();
                log("reusing %s: %,d pins", topic, pins);
            }
            int perMessagePins = Math.min(perMessagePinsAsked, pins);

            // The archiver is a long-running service whose per-request code (S3 PUT, commit, fetch) warms up
            // over thousands of requests (docs/performance.md): whole passes over the same topic (own group and
            // prefix) come first, reported as the first pass in a fresh JVM; the pass after them is measured.
            Result first = null;
            for (int pass = 1; pass <= warmupPasses; pass++) {
                Result warmup = pinArchiver(admin, topic, pins, "warmup" + pass);
                log("warm-up pass %d: %,.0f pins/s, %.1f µs CPU per pin in this JVM, %s in the stack's", pass, warmup.pinsPerSecond, warmup.cpuMicrosPerPin,
                        warmup.stackCpu("not measured", " µs"));
                if (pass == 1) {
                    first = warmup;
                }
            }
            Result pinpipe = pinArchiver(admin, topic, pins, "pinpipe");
            log("PinArchiver: %,d pins in %,d objects, %.0f pins/s, %.1f µs CPU per pin in this JVM (%.1f over the second half), %s in the stack's (%.1f s end to end incl. startup and the 10 s idle flush of the last objects)",
                    pins, pinpipe.objects, pinpipe.pinsPerSecond, pinpipe.cpuMicrosPerPin, pinpipe.warmCpuMicrosPerPin,
                    pinpipe.stackCpu("not measured (no --stack-pid)", " µs"),
                    pinpipe.endToEndSeconds);
            String threadCpu = pinpipe.threadCpuMicrosPerPin.entrySet().stream()
                    .map(e -> "\"%s\":%.2f".formatted(e.getKey(), e.getValue())).collect(Collectors.joining(",", "{", "}"));
            log("PinArchiver: µs CPU per pin by thread group of this JVM (consumer = the archiver's own threads): %s", threadCpu);

            Result perMessage = perMessage(s3, topic, perMessagePins);
            log("one object per message: %,d pins, %.0f pins/s, %.1f µs CPU per pin in this JVM", perMessagePins, perMessage.pinsPerSecond, perMessage.cpuMicrosPerPin);
            deleteRunObjects(s3);

            double ratio = pinpipe.pinsPerSecond / perMessage.pinsPerSecond;
            System.out.printf("%n| mode | pins | objects | pins/s | µs CPU/pin (archiver JVM) | µs CPU/pin (stack JVM) |%n|---|---:|---:|---:|---:|---:|%n");
            if (first != null) {
                System.out.printf("| PinArchiver, first pass in a fresh JVM (warm-up, not the figure) | %,d | %,d | %,.0f | %.1f | %s |%n", pins, first.objects, first.pinsPerSecond,
                        first.cpuMicrosPerPin, first.stackCpu("–", ""));
            }
            System.out.printf("| PinArchiver (flush-size 1000, rotate 10 s)%s | %,d | %,d | %,.0f | %.1f | %s |%n", first == null ? "" : ", after %d warm-up pass(es)".formatted(warmupPasses),
                    pins, pinpipe.objects, pinpipe.pinsPerSecond, pinpipe.cpuMicrosPerPin, pinpipe.stackCpu("–", ""));
            System.out.printf("| one object per message (the seed's way) | %,d | %,d | %,.0f | %.1f | – |%n", perMessagePins, perMessagePins, perMessage.pinsPerSecond, perMessage.cpuMicrosPerPin);
            System.out.printf("| ratio | | | %.0f× | | |%n%n", ratio);
            System.out.printf("{\"pins\":%d,\"pins_per_s\":%.0f,\"objects\":%d,\"end_to_end_s\":%.2f,\"cpu_us_per_pin\":%.2f,\"warm_cpu_us_per_pin\":%.2f,\"per_message_pins\":%d,"
                            + "\"per_message_pins_per_s\":%.0f,\"per_message_cpu_us_per_pin\":%.2f,\"ratio\":%.1f,\"stack_cpu_us_per_pin\":%.2f,\"thread_cpu_us_per_pin\":%s,\"warmup_passes\":%d,\"first_pass_pins_per_s\":%.0f,\"first_pass_cpu_us_per_pin\":%.2f,\"first_pass_stack_cpu_us_per_pin\":%.2f,\"topic\":\"%s\"}%n",
                    pins, pinpipe.pinsPerSecond, pinpipe.objects, pinpipe.endToEndSeconds, pinpipe.cpuMicrosPerPin, pinpipe.warmCpuMicrosPerPin, perMessagePins,
                    perMessage.pinsPerSecond, perMessage.cpuMicrosPerPin, ratio, pinpipe.stackCpuMicrosPerPin, threadCpu,
                    warmupPasses, first == null ? -1 : first.pinsPerSecond, first == null ? -1 : first.cpuMicrosPerPin, first == null ? -1 : first.stackCpuMicrosPerPin, topic);
        }
        return 0;
    }

    /**
     * cpuMicrosPerPin: this JVM's CPU time per pin (the broker and S3 server run elsewhere) — a figure the machine's load barely moves.
     * warmCpuMicrosPerPin: the same over the second half of the pins (mostly past the JIT's warm-up).
     * stackCpuMicrosPerPin: the same for the process --stack-pid names (the JVM running Kafka and the S3 server), -1 when not given.
     */
    private record Result(double pinsPerSecond, long objects, double endToEndSeconds, double cpuMicrosPerPin, double warmCpuMicrosPerPin,
            double stackCpuMicrosPerPin, Map<String, Double> threadCpuMicrosPerPin) {

        /** The stack's µs per pin for a table or log line, or {@code unmeasured} when no stack pid was given. */
        String stackCpu(String unmeasured, String unit) {
            return stackCpuMicrosPerPin < 0 ? unmeasured : "%.1f%s".formatted(stackCpuMicrosPerPin, unit);
        }
    }

    /** The groups this JVM's CPU is split into: the archiver's consumer threads, the JIT, the GC, everything else (and jit_c2, the C2 part of jit). */
    private static final List<String> THREAD_GROUPS = List.of("consumer", "jit", "gc", "other", "jit_c2");

    private static String threadGroup(String comm) {
        if (comm.startsWith("pin-archiver")) {
            return "consumer";
        }
        if (comm.contains("CompilerThre")) {
            return "jit";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("VM Thread") || comm.startsWith("ParGC")) {
            return "gc";
        }
        return "other";
    }

    /**
     * This JVM's CPU nanos per thread group (ProcCpu: ticks of 10 ms, so only meaningful over seconds):
     * what the archiver's own threads cost, apart from the JIT compiling them in a short run.
     */
    private static Map<String, Long> threadCpuNanos() {
        List<ProcCpu.ThreadCpu> threads = ProcCpu.threadsOfThisProcess();
        if (threads.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> cpu = new HashMap<>();
        THREAD_GROUPS.forEach(group -> cpu.put(group, 0L));
        for (ProcCpu.ThreadCpu thread : threads) {
            cpu.merge(threadGroup(thread.name()), thread.nanos(), Long::sum);
            if (thread.name().startsWith("C2 CompilerThre")) {
                cpu.merge("jit_c2", thread.nanos(), Long::sum); // the part of "jit" that is C2
            }
        }
        return cpu;
    }

    /**
     * Pre-fills the topic as the ingest API's producer writes it (ingest-api's application.yml): key unique_id,
     * value the pin's bytes, lz4, acks=all, batches of at most 64 KiB, linger 2 ms.
     */
    private void fill(String topic, int pins, Path input) throws Exception {
        List<String> lines = input == null ? List.of() : Files.readAllLines(input);
        ObjectMapper json = new ObjectMapper();
        BenchPins generated = new BenchPins(seed);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.BATCH_SIZE_CONFIG, 65536,
                ProducerConfig.BUFFER_MEMORY_CONFIG, 67108864L), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < pins; i++) {
                BenchPins.Pin pin;
                if (lines.isEmpty()) {
                    pin = generated.pin(i);
                } else {
                    String line = lines.get(i % lines.size());
                    pin = new BenchPins.Pin(json.readTree(line).get(PinFields.UNIQUE_ID).asText(), line.getBytes(StandardCharsets.UTF_8));
                }
                producer.send(new ProducerRecord<>(topic, pin.uniqueId(), pin.json()));
            }
            producer.flush();
        }
    }

    /**
     * The real application with its default cutting settings. Throughput is measured on the
     * "pinpipe.archive.records" counter, from its first move to its last move before the idle
     * flush of the final open objects (that flush waits for 10 s of idleness by design and is
     * reported separately as the end-to-end time).
     */
    private Result pinArchiver(Admin admin, String topic, int pins, String pass) throws Exception {
        long start = System.nanoTime();
        // configured through the variables it reads (command-line properties win over the environment);
        // the S3 secret key it reads from the environment as this JVM does
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(Class.forName(ARCHIVER_APPLICATION)).run(
                property(Settings.ARCHIVER_PORT, "0"),
                property(Settings.ARCHIVER_GROUP, "pin-archiver." + run + "." + pass),
                property(Settings.TOPIC, topic),
                property(Settings.KAFKA_BOOTSTRAP, bootstrap),
                property(Settings.S3_ENDPOINT, endpoint),
                property(Settings.S3_REGION, region),
                property(Settings.S3_ACCESS_KEY, accessKey),
                property(Settings.S3_BUCKET, bucket),
                property(Settings.S3_PREFIX, "bench/" + run + "/" + pass))) {
            MeterRegistry metrics = app.getBean(MeterRegistry.class);
            List<long[]> moves = new ArrayList<>(); // {nanos, records, process CPU nanos, stack CPU nanos} at each change of the counter
            // per-thread CPU at most every 0.5 s (reading every thread's stat each 5 ms would cost more than it shows): {move index, snapshot}
            List<Map.Entry<Integer, Map<String, Long>>> threadSnapshots = new ArrayList<>();
            long last = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (last < pins && System.nanoTime() < deadline) {
                long now = (long) metrics.counter("pinpipe.archive.records").count();
                if (now != last) {
                    moves.add(new long[] {System.nanoTime(), now, ProcCpu.thisProcessNanos(), ProcCpu.processNanos(stackPid)});
                    last = now;
                    if (threadSnapshots.isEmpty() || System.nanoTime() - moves.get(threadSnapshots.get(threadSnapshots.size() - 1).getKey())[0] > 500_000_000L) {
                        threadSnapshots.add(Map.entry(moves.size() - 1, threadCpuNanos()));
                    }
                }
                Thread.sleep(5);
            }
            if (last != pins) {
                throw new IllegalStateException("archived " + last + " of " + pins + " pins within 30 min");
            }
            double endToEnd = seconds(start);
            // the last move before a pause of more than 5 s ends the measured span (the idle flush comes after it)
            int end = moves.size() - 1;
            for (int i = 1; i < moves.size(); i++) {
                if (moves.get(i)[0] - moves.get(i - 1)[0] > Duration.ofSeconds(5).toNanos()) {
                    end = i - 1;
                    break;
                }
            }
            int endIndex = end;
            long[] first = moves.get(0);
            long[] lastMove = moves.get(end);
            double rate = (lastMove[1] - first[1]) / ((lastMove[0] - first[0]) / 1e9);
            double cpuMicrosPerPin = (lastMove[2] - first[2]) / 1e3 / (lastMove[1] - first[1]);
            double stackCpuMicrosPerPin = first[3] < 0 || lastMove[3] < 0 ? -1 : (lastMove[3] - first[3]) / 1e3 / (lastMove[1] - first[1]);
            // the second half of the pins alone: the JIT has mostly finished compiling the archiver by then
            long[] half = moves.get(0);
            for (int i = 0; i <= end && moves.get(i)[1] - first[1] < (lastMove[1] - first[1]) / 2; i++) {
                half = moves.get(i + 1);
            }
            double warmCpuMicrosPerPin = (lastMove[2] - half[2]) / 1e3 / Math.max(1, lastMove[1] - half[1]);
            // per thread group, between the first snapshot and the last one within the measured span
            Map<String, Double> threadCpu = new java.util.LinkedHashMap<>();
            Map.Entry<Integer, Map<String, Long>> from = threadSnapshots.get(0);
            Map.Entry<Integer, Map<String, Long>> to = threadSnapshots.stream().filter(e -> e.getKey() <= endIndex).reduce((a, b) -> b).orElse(from);
            long pinsBetween = moves.get(to.getKey())[1] - moves.get(from.getKey())[1];
            if (pinsBetween > 0 && !from.getValue().isEmpty()) {
                THREAD_GROUPS.forEach(group -> threadCpu.put(group, (to.getValue().get(group) - from.getValue().get(group)) / 1e3 / pinsBetween));
            }
            long objects = (long) metrics.counter("pinpipe.archive.objects").count();
            // the span on the JVM's clock, to line it up with -Xlog / LogCompilation stamps (seconds since JVM start)
            double uptimeNow = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
            long nanosNow = System.nanoTime();
            log("measured span: JVM uptime %.2f s to %.2f s", uptimeNow - (nanosNow - first[0]) / 1e9, uptimeNow - (nanosNow - lastMove[0]) / 1e9);
            checkCommitted(admin, topic, "pin-archiver." + run + "." + pass);
            return new Result(rate, objects, endToEnd, cpuMicrosPerPin, warmCpuMicrosPerPin, stackCpuMicrosPerPin, threadCpu);
        }
    }

    /** The group's committed offsets must equal the topic's end: every pin archived and acknowledged. */
    private static void checkCommitted(Admin admin, String topic, String group) throws Exception {
        Map<TopicPartition, Long> ends = endOffsets(admin, topic);
        Map<TopicPartition, Long> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        if (!committed.equals(ends)) {
            throw new IllegalStateException("committed " + committed + " but the topic ends at " + ends);
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        IntStream.range(0, 3).forEach(p -> latest.put(new TopicPartition(topic, p), OffsetSpec.latest()));
        return admin.listOffsets(latest).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** The seed's consumer: poll, then per message one PUT of the pretty-printed pin as consumer{i}.json. */
    private Result perMessage(S3Client s3, String topic, int pins) throws Exception {
        ObjectMapper json = new ObjectMapper();
        String prefix = "bench/" + run + "/per-message/";
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "seed-archiver." + run,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            int i = 0;
            long first = 0;
            long firstCpu = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
            while (i < pins && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (i == 0) {
                        first = System.nanoTime();
                        firstCpu = ProcCpu.thisProcessNanos();
                    }
                    JsonNode pin = json.readTree(record.value());
                    String key = prefix + "consumer" + (++i) + ".json";
                    s3.putObject(b -> b.bucket(bucket).key(key),
                            RequestBody.fromBytes(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(pin)));
                    if (i == pins) {
                        break;
                    }
                }
            }
            double cpuMicrosPerPin = (ProcCpu.thisProcessNanos() - firstCpu) / 1e3 / i;
            return new Result(i / seconds(first), i, seconds(first), cpuMicrosPerPin, cpuMicrosPerPin, -1, Map.of());
        }
    }

    /** The run's objects are only measured, never read: left in place they would fill the local S3 server's disk. */
    private void deleteRunObjects(S3Client s3) {
        long deleted = 0;
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix("bench/" + run + "/"))) {
            if (!page.contents().isEmpty()) {
                List<ObjectIdentifier> keys = page.contents().stream().map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
                s3.deleteObjects(b -> b.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
                deleted += keys.size();
            }
        }
        log("deleted the run's %,d objects (bench/%s/)", deleted, run);
    }

    private S3Client s3() {
        return S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(region))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey,
                        Settings.S3_SECRET_KEY.secretValue(System::getenv))))
                .build();
    }

    /** A command-line property named by the variable the application reads, which wins over the environment. */
    private static String property(Setting setting, String value) {
        return "--" + setting.variable() + "=" + value;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void log(String format, Object... args) {
        System.err.printf("[archive bench] " + format + "%n", args);
    }
}
