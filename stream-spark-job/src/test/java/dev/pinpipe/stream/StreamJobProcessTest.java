package dev.pinpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import dev.pinpipe.localstack.Listeners;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * StreamJob as its own JVM, started the way ./pinpipe up starts it (java + target/classpath.txt):
 * killed with SIGKILL while pins flow, restarted from its checkpoint, then stopped with SIGTERM.
 * Every port it listens on (driver RPC, block manager, Spark UI) is on loopback.
 */
@ExtendWith(LocalStackExtension.class)
class StreamJobProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(300);

    @TempDir
    Path home;

    /** The children's output, kept after the run for a look when something fails. */
    private static final Path LOGS = Path.of("target", "process-test");

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void killLeftovers() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"micro-batch", "real-time"})
    void killedJvmRestartsFromItsCheckpointAndWritesEveryPinOnce(String mode, LocalStack stack) throws Exception {
        boolean realTime = mode.equals("real-time");
        int count = 1500;
        List<String> ids = TestPins.ids(count);
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            Thread producer = StreamJobTest.producer(kafka, ids, 300);
            producer.start();

            Process first = launch(stack, kafka.topic, mode, "first.log");
            await().atMost(WAIT).until(() -> TestDb.countPins(stack, ids) >= 300);
            List<Listeners.Listener> listening = Listeners.of(List.of(first.toHandle()));
            assertThat(listening).as("what the job listens on (RPC, block manager, UI)").hasSizeGreaterThanOrEqualTo(3)
                    .allMatch(Listeners.Listener::loopback);
            first.destroyForcibly(); // SIGKILL: no hook, no rollback by us, whatever micro-batch was running
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

            Process second = launch(stack, kafka.topic, mode, "second.log");
            producer.join(WAIT.toMillis());
            await().atMost(WAIT).until(() -> TestDb.countPins(stack, ids) == count);
            String queryId = queryId(mode + "-first.log");
            Callable<List<TestDb.Run>> runsOf = () -> realTime ? TestDb.realTimeRuns(stack, queryId) : TestDb.runs(stack, queryId);
            await().atMost(WAIT).until(() -> TestDb.sumRead(runsOf.call()) >= count);

            // the running job's metrics, read as Prometheus reads them, while a record that is no pin goes through;
            // sent once a first micro-batch or epoch has reported (Spark gives a run's first one no input rate)
            String endpoint = prometheusEndpoint(mode + "-second.log");
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> scrape(endpoint).getOrDefault(BATCH_DURATION, 0.0) > 0);
            kafka.sendBytes("not json", "not json at all".getBytes(StandardCharsets.UTF_8));
            AtomicReference<Map<String, Double>> scraped = new AtomicReference<>(Map.of());
            await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
                scraped.set(scrape(endpoint));
                return scraped.get().getOrDefault(REJECTED, 0.0) >= 1 && scraped.get().getOrDefault(INPUT_RATE, 0.0) > 0
                        && scraped.get().getOrDefault(PROCESSING_RATE, 0.0) > 0;
            });
            Map<String, Double> metrics = scraped.get();
            assertThat(metrics).as("what " + endpoint + " serves").containsKeys(StreamMetrics.SERIES.toArray(String[]::new));
            assertThat(metrics.get(REJECTED)).as("rejected rows: the one record that is no pin").isEqualTo(1);
            assertThat(metrics.get(WRITTEN)).as("rows this run wrote").isPositive().isLessThanOrEqualTo(count);
            assertThat(metrics.get(ACK_TO_ROW + "Count")).as("latencies measured: one per row written").isEqualTo(metrics.get(WRITTEN));
            assertThat(metrics.get(ACK_TO_ROW + "50thPercentile")).as("ack-to-row p50, ms").isPositive()
                    .isLessThanOrEqualTo(metrics.get(ACK_TO_ROW + "99thPercentile"));
            assertThat(metrics.get(ACK_TO_ROW + "Max")).as("ack-to-row max, ms").isLessThan(WAIT.toMillis());
            assertThat(metrics.get(BATCH_DURATION)).as("the last micro-batch's or epoch's duration, ms").isPositive();

            second.destroy(); // SIGTERM: the running micro-batch finishes, then the query stops
            assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(LOGS.resolve(mode + "-second.log"), StandardCharsets.UTF_8))
                    .contains("stopped; the next start resumes from its checkpoint");

            List<TestDb.Run> runs = runsOf.call();
            assertThat(TestDb.sumRead(runs)).isEqualTo(count + 1);
            assertThat(runs.stream().mapToLong(TestDb.Run::rowsWritten).sum()).isEqualTo(count);
            assertThat(TestDb.sumRejected(runs)).isEqualTo(1);
            if (!realTime) { // real-time mode's rows are per (partition, epoch)
                assertThat(runs.stream().mapToLong(TestDb.Run::batchId))
                        .containsExactlyElementsOf(LongStream.range(0, runs.size()).boxed().toList());
            }
            assertThat(TestDb.countPins(stack, ids)).isEqualTo(count);
        }
    }

    /**
     * A backlog larger than the job's heap: 700 pins of ~1 MB each wait in the topic before the job
     * starts with -Xmx640m (less than the backlog, which the first micro-batch takes whole). Every pin lands once and the job never restarts: rows are streamed into COPY
     * (micro-batch) or flushed in 16 MiB chunks (real-time), never held whole.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"micro-batch", "real-time"})
    void aBacklogLargerThanTheHeapIsWrittenInBoundedMemory(String mode, LocalStack stack) throws Exception {
        int count = 700;
        List<String> ids = TestPins.ids(count);
        String description = "d".repeat(1_000_000);
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            for (int i = 0; i < count; i++) {
                com.fasterxml.jackson.databind.node.ObjectNode pin =
                        (com.fasterxml.jackson.databind.node.ObjectNode) dev.pinpipe.core.PinJson.parse(TestPins.pin(ids.get(i), i, "large " + i));
                pin.put("description", description);
                kafka.sendAsync(ids.get(i), pin.toString());
            }
            kafka.flush();
            // micro-batch: no cap below the default 50 000, so the first micro-batch is the whole backlog
            Process job = launch(stack, kafka.topic, mode, "backlog.log", "-Xmx640m",
                    mode.equals("real-time") ? List.of("--epoch", "10s", "--master", "local[4]") : List.of("--master", "local[2]"));
            await().atMost(WAIT).until(() -> TestDb.countPins(stack, ids) == count || !job.isAlive());
            assertThat(job.isAlive()).as("the job is still running (see target/process-test/" + mode + "-backlog.log)").isTrue();
            assertThat(TestDb.countPins(stack, ids)).isEqualTo(count);
            String queryId = queryId(mode + "-backlog.log");
            await().atMost(WAIT).until(() -> TestDb.sumRead(mode.equals("real-time") ? TestDb.realTimeRuns(stack, queryId)
                    : TestDb.runs(stack, queryId)) == count);
        }
    }

    private static final String STREAMING = "metrics_pinpipe_stream_driver_spark_streaming_pins_stream_";
    private static final String INPUT_RATE = STREAMING + "inputRate_total_Value";
    private static final String PROCESSING_RATE = STREAMING + "processingRate_total_Value";
    private static final String BATCH_DURATION = STREAMING + "latency_Value";
    private static final String WRITTEN = "metrics_pinpipe_stream_driver_pinpipe_rowsWritten_Count";
    private static final String REJECTED = "metrics_pinpipe_stream_driver_pinpipe_rowsRejected_Count";
    private static final String ACK_TO_ROW = "metrics_pinpipe_stream_driver_pinpipe_ackToRowMs_";
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{[^}]*})?\\s+(\\S+)$", Pattern.MULTILINE);

    /** The Prometheus endpoint the job logs once its query runs ("… metrics for Prometheus <url>"). */
    private static String prometheusEndpoint(String log) throws IOException {
        Matcher m = Pattern.compile("metrics for Prometheus (http://\\S+)").matcher(Files.readString(LOGS.resolve(log), StandardCharsets.UTF_8));
        assertThat(m.find()).as("the Prometheus endpoint in " + log).isTrue();
        return m.group(1);
    }

    /** Every sample of the endpoint's text format, by series name (labels left out). */
    private static Map<String, Double> scrape(String endpoint) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(endpoint)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + endpoint).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        Matcher m = SAMPLE.matcher(response.body());
        while (m.find()) {
            samples.put(m.group(1), Double.valueOf(m.group(2)));
        }
        return samples;
    }

    /** The query id the job logs at start ("stream query <id> reading …"). */
    private static String queryId(String log) throws IOException {
        Matcher m = Pattern.compile("stream query (\\S+) reading").matcher(Files.readString(LOGS.resolve(log), StandardCharsets.UTF_8));
        assertThat(m.find()).as("the query id in " + log).isTrue();
        return m.group(1);
    }

    private Process launch(LocalStack stack, String topic, String mode, String log) throws IOException {
        return launch(stack, topic, mode, log, "-Xmx1g", mode.equals("real-time")
                ? List.of("--epoch", "10s", "--master", "local[4]")
                : List.of("--trigger", "500ms", "--master", "local[2]", "--max-offsets-per-trigger", "300"));
    }

    private Process launch(LocalStack stack, String topic, String mode, String log, String heap, List<String> modeArgs)
            throws IOException {
        log = mode + "-" + log;
        Files.createDirectories(LOGS);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(heap);
        command.addAll(Arrays.asList(System.getProperty("spark.jvm.options", "").trim().split("\\s+")));
        command.addAll(List.of("-cp", classpath(), StreamJob.class.getName(), "--topic", topic, "--mode", mode));
        command.addAll(modeArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(LOGS.resolve(log).toFile());
        builder.environment().putAll(stack.env());
        builder.environment().put("PINPIPE_HOME", home.toString());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1"); // as ./pinpipe sets it from PINPIPE_BIND_ADDRESS
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    /** What ./pinpipe up uses: the module's classes and target/classpath.txt (Spark included). */
    private static String classpath() throws IOException {
        Path target = Path.of("target");
        return target.resolve("classes").toAbsolutePath() + java.io.File.pathSeparator
                + Files.readString(target.resolve("classpath.txt")).trim();
    }
}
