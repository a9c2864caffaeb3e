package dev.pinpipe.check;

import static dev.pinpipe.check.PipelineHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cluster mode of docs/cluster.md under faults: {@code ./pinpipe up --cluster} (Kafka as three brokers,
 * a Spark master and two workers, the stream job submitted to the master) under a steady emulator load,
 * then {@code kill -9} of one broker (back with {@code ./pinpipe restart-server kafka-2}), of the Spark
 * worker running the stream job's executor (its tasks move to the other worker; the worker comes back with
 * {@code up --cluster}) and of the stream driver ({@code up --cluster} submits it again; it resumes from its
 * checkpoint). Then the batch job runs on the cluster for every archived day while the worker running its
 * executor is killed (Spark's task retries finish it), and every layer is reconciled: no acknowledged pin
 * lost, none doubled. On demand only: {@code ./mvnw -pl pipeline-check verify -Dit.test=ClusterFaultIT}.
 */
class ClusterFaultIT {

    private static final List<String> PROCESSES = List.of("stack", "ingest-api", "batch-consumer", "stream-job",
            "spark-master", "spark-worker-1", "spark-worker-2");
    private static final Pattern QUERY = Pattern.compile("stream query (\\S+) reading");

    private final List<String> faults = new ArrayList<>();
    private Launcher launcher;
    private Map<String, String> vars;

    @Test
    void clusterModeLosesAndDoublesNothingUnderFaults() throws Exception {
        vars = new LinkedHashMap<>(PipelineHarness.freshEnvironment("cluster-fault"));
        int kafka = SparkClusterIT.freePorts(3);
        vars.put("PINPIPE_KAFKA_PORT", Integer.toString(kafka));
        vars.put("PINPIPE_KAFKA_BOOTSTRAP", "127.0.0.1:" + kafka + ",127.0.0.1:" + (kafka + 1) + ",127.0.0.1:" + (kafka + 2));
        // empty = unset for the launcher: up --cluster's own default of three brokers is what runs
        vars.put("PINPIPE_KAFKA_BROKERS", "");
        vars.put("PINPIPE_SPARK_MASTER_PORT", Integer.toString(SparkClusterIT.freePorts(1)));
        vars.put("PINPIPE_SPARK_MASTER_UI_PORT", Integer.toString(SparkClusterIT.freePorts(1)));
        vars.put("PINPIPE_SPARK_WORKER_UI_PORT", Integer.toString(SparkClusterIT.freePorts(2)));
        vars.put("PINPIPE_SPARK_WORKERS", "2");
        launcher = PipelineHarness.launcher(vars);
        PipelineEnv env = PipelineEnv.from(launcher.env());
        Path ids = PipelineHarness.ids(launcher, "cluster-fault");
        Process load = null;
        try {
            launcher.require(minutes(10), "up", "--cluster");
            assertThat(launcher.run(minutes(1), "status")).as("./pinpipe status exit code").isZero();
            assertThat(Files.readString(launcher.home().resolve("launcher/launcher-status.log")))
                    .containsPattern("stream-job +running +\\d+ +healthy on spark://")
                    .contains("kafka-1", "kafka-2", "kafka-3");
            String queryId = queryId("stream-job.log");

            load = launcher.start("emulate", "--duration", "10m", "--rate", "50", "--concurrency", "8",
                    "--max-retries", "200", "--seed", "31", "--ids-out", ids.toString());
            Thread.sleep(8000);

            // 1. one of three brokers: the topics have 3 replicas and min.insync.replicas=2, so acks=all goes on
            long t0 = System.nanoTime();
            ProcessHandle broker = kafkaBroker(2);
            broker.destroyForcibly();
            broker.onExit().get(20, TimeUnit.SECONDS);
            Thread.sleep(5000);
            launcher.require(minutes(3), "restart-server", "kafka-2");
            fault("kill -9 kafka-2 (pid " + broker.pid() + "), down 5 s", t0, "restarted by ./pinpipe restart-server kafka-2");
            Thread.sleep(8000);

            // 2. the worker running the stream job's executor: the master gives the app the other worker
            t0 = System.nanoTime();
            int streamWorker = workerRunning("pinpipe-stream");
            launcher.kill9("spark-worker-" + streamWorker);
            int other = 3 - streamWorker;
            awaitExecutor(other, "pinpipe-stream");
            double moved = seconds(t0);
            launcher.require(minutes(3), "up", "--cluster");
            fault("kill -9 spark-worker-" + streamWorker + " while streaming", t0,
                    String.format("executor on spark-worker-%d after %.1f s; worker back with up --cluster", other, moved));
            Thread.sleep(8000);

            // 3. the stream driver (the SparkSubmit process): submitted again, it resumes from its checkpoint
            t0 = System.nanoTime();
            launcher.kill9("stream-job");
            launcher.require(minutes(5), "up", "--cluster");
            assertThat(queryId("stream-job.log")).as("the resubmitted query resumes its checkpoint").isEqualTo(queryId);
            fault("kill -9 stream driver", t0, "resubmitted by up --cluster, same query " + queryId);
            Thread.sleep(8000);

            load.destroy();
            assertThat(load.waitFor(3, TimeUnit.MINUTES)).as("emulator stopped").isTrue();
            SentPins sent = SentPins.read(ids);
            assertThat(sent.acked()).as("the load was acknowledged at all").isNotEmpty();
            ArchiveCensus archive = Drain.archive(env, sent.acked(), minutes(4)).census();
            TableCensus stream = Drain.table(env, "pins_stream", "stream", sent.acked(), minutes(4)).census();

            // 4. the batch job beside the stream job (one core each); the worker of its executor dies mid-run
            boolean killedDuringBatch = false;
            for (String date : archive.dates()) {
                Process batch = launcher.start("batch", "--cluster", "--date", date);
                t0 = System.nanoTime();
                int batchWorker = killedDuringBatch ? 0 : awaitAnyExecutor("pinpipe-batch", batch);
                if (batchWorker > 0) {
                    launcher.kill9("spark-worker-" + batchWorker);
                    launcher.require(minutes(3), "up", "--cluster");
                }
                assertThat(batch.waitFor(10, TimeUnit.MINUTES)).as("batch --cluster --date %s finished", date).isTrue();
                assertThat(batch.exitValue()).as("batch --cluster --date %s exit code", date).isZero();
                if (batchWorker > 0) {
                    killedDuringBatch = true;
                    fault("kill -9 spark-worker-" + batchWorker + " during batch --date " + date, t0,
                            "worker back with up --cluster; the run finished on its retried tasks");
                }
            }
            TableCensus batchTable = TableCensus.take(env, "pins_batch", "batch");
            Reconciliation r = Reconciliation.of("cluster mode: kafka-2, worker, driver, worker in batch",
                    sent.sent(), sent.acked(), ArchiveCensus.take(env), stream, batchTable);
            faults.forEach(System.out::println);
            System.out.println("FAULTS " + r.line() + " in_doubt=" + sent.inDoubt().size());
            assertThat(killedDuringBatch).as("a worker was killed while the batch job ran").isTrue();
            assertThat(r.lost()).as(r.line()).isZero();
            assertThat(r.doubled()).as(r.line()).isZero();
        } finally {
            if (load != null) {
                load.destroyForcibly();
            }
            launcher.run(minutes(3), "down");
        }
        PipelineHarness.assertNothingLeft(launcher, PROCESSES);
    }

    private void fault(String what, long t0, String how) {
        String line = String.format("fault %d: %s at %s; recovered in %.1f s (%s)", faults.size() + 1, what,
                java.time.LocalTime.now().withNano(0), seconds(t0), how);
        faults.add(line);
        System.out.println(line);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The broker process under the stack's supervisor, as {@code ps --ppid <stack pid>} lists it. */
    private ProcessHandle kafkaBroker(int nodeId) {
        long stack = launcher.pid("stack");
        return ProcessHandle.of(stack).orElseThrow().children()
                .filter(p -> {
                    String args = commandLine(p.pid());
                    return args.contains("--serve kafka") && args.contains("--node-id " + nodeId + " ");
                })
                .findFirst().orElseThrow(() -> new AssertionError("no kafka broker " + nodeId + " under the stack (pid " + stack + ")"));
    }

    /** /proc's whole command line (ProcessHandle.Info cuts a long one, and the broker's classpath is long). */
    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    private String queryId(String log) throws IOException {
        Matcher m = QUERY.matcher(Files.readString(launcher.home().resolve("logs").resolve(log), StandardCharsets.ISO_8859_1));
        assertThat(m.find()).as("the stream job's start line in %s", log).isTrue();
        return m.group(1);
    }

    /** The worker (1 or 2) with an executor of the named application, or 0. */
    private int workerWith(String app) {
        String appId = appId(app);
        for (int worker = 1; worker <= 2; worker++) {
            try {
                for (JsonNode e : json("http://127.0.0.1:" + workerUi(worker) + "/json/").path("executors")) {
                    if (appId != null && appId.equals(e.path("appid").asText())) {
                        return worker;
                    }
                }
            } catch (IOException | InterruptedException down) {
                // a dead worker answers nothing
            }
        }
        return 0;
    }

    private int workerRunning(String app) {
        int worker = workerWith(app);
        assertThat(worker).as("a worker runs an executor of %s", app).isPositive();
        return worker;
    }

    private void awaitExecutor(int worker, String app) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (workerWith(app) != worker) {
            assertThat(System.nanoTime()).as("an executor of %s on spark-worker-%d", app, worker).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** The worker of the app's first executor, or 0 when the job ended before it had one. */
    private int awaitAnyExecutor(String app, Process job) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (job.isAlive() && System.nanoTime() < deadline) {
            int worker = workerWith(app);
            if (worker > 0) {
                return worker;
            }
            Thread.sleep(200);
        }
        return 0;
    }

    private String appId(String name) {
        try {
            for (JsonNode a : json("http://127.0.0.1:" + vars.get("PINPIPE_SPARK_MASTER_UI_PORT") + "/json/").path("activeapps")) {
                if (name.equals(a.path("name").asText())) {
                    return a.path("id").asText();
                }
            }
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("the Spark master's /json/", e);
        }
        return null;
    }

    private int workerUi(int worker) {
        return Integer.parseInt(vars.get("PINPIPE_SPARK_WORKER_UI_PORT")) + worker - 1;
    }

    private static JsonNode json(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(java.time.Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }
}
