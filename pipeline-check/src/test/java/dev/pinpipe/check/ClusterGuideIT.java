package dev.pinpipe.check;

import static dev.pinpipe.check.PipelineHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pinpipe.core.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The cluster guide of docs/cluster.md ("Spark standalone cluster", "Locally"), run as written and under
 * faults, in one stack start:
 * <ol>
 *   <li>{@code ./pinpipe up --cluster}: {@code status} shows every process healthy, the three brokers and
 *       the stream job "healthy on spark://"; the master's {@code /json/} two alive workers and the
 *       running stream application;</li>
 *   <li>both jobs are submitted with the SparkSubmit commands the guide shows: the launcher logs each
 *       submission ({@code $PINPIPE_HOME/logs/spark-submit.log}) and the logged command lines must equal
 *       the guide's two command blocks once its placeholders are substituted;</li>
 *   <li>under a steady emulator load, {@code kill -9} of broker kafka-2 (back with
 *       {@code restart-server kafka-2}), of the worker running the stream executor (the master moves it
 *       to the other worker; the worker is back with {@code up --cluster}), of the stream driver
 *       ({@code up --cluster} submits it again; it resumes its checkpoint, same query); after each the
 *       stream must make progress again;</li>
 *   <li>{@code batch --cluster} for every archived day, the worker of its executor killed mid-run
 *       (Spark's task retries finish it on the restarted worker);</li>
 *   <li>the API kept answering (the emulator's retries cover a brief 503; no pin left without an
 *       answer), and every acknowledged pin is once in the archive, once in pins_stream and once in
 *       pins_batch; the master lists each batch run as a FINISHED application.</li>
 * </ol>
 * Part of the default run (~5 min on 2 cores; it builds spark-home on first use).
 */
class ClusterGuideIT {

    private static final List<String> PROCESSES = List.of("stack", "ingest-api", "batch-consumer", "stream-job",
            "spark-master", "spark-worker-1", "spark-worker-2");
    private static final Pattern QUERY = Pattern.compile("stream query (\\S+) reading");
    /** The port the guide's commands show; the test's own master port stands for it. */
    private static final String DOCUMENTED_MASTER = "spark://127.0.0.1:7077";
    /** How many more pins pins_stream must gain to count as "the stream goes on" after a fault. */
    private static final int PROGRESS = 50;

    private final List<String> faults = new ArrayList<>();
    private Launcher launcher;
    private Map<String, String> vars;
    private PipelineEnv env;

    @Test
    void theClusterGuideRunsAsWrittenAndLosesAndDoublesNothingUnderFaults() throws Exception {
        vars = new LinkedHashMap<>(PipelineHarness.freshEnvironment("cluster-guide"));
        int kafka = freePorts(3);
        vars.put("PINPIPE_KAFKA_PORT", Integer.toString(kafka));
        vars.put("PINPIPE_KAFKA_BOOTSTRAP", "127.0.0.1:" + kafka + ",127.0.0.1:" + (kafka + 1) + ",127.0.0.1:" + (kafka + 2));
        // empty = unset for the launcher: up --cluster's own default of three brokers is what runs
        vars.put("PINPIPE_KAFKA_BROKERS", "");
        vars.put("PINPIPE_SPARK_MASTER_PORT", Integer.toString(freePorts(1)));
        vars.put("PINPIPE_SPARK_MASTER_UI_PORT", Integer.toString(freePorts(1)));
        vars.put("PINPIPE_SPARK_WORKER_UI_PORT", Integer.toString(freePorts(2)));
        vars.put("PINPIPE_SPARK_WORKERS", "2");
        launcher = PipelineHarness.launcher(vars);
        env = PipelineEnv.from(launcher.env());
        Path ids = PipelineHarness.ids(launcher, "cluster-guide");
        Process load = null;
        try {
            // 1. the cluster mode, as the guide starts it
            long t0 = System.nanoTime();
            launcher.require(minutes(10), "up", "--cluster");
            System.out.printf("up --cluster in %.1f s%n", seconds(t0));
            assertThat(launcher.run(minutes(1), "status")).as("./pinpipe status exit code").isZero();
            String status = Files.readString(launcher.home().resolve("launcher/launcher-status.log"));
            for (String process : PROCESSES) {
                assertThat(status).as("./pinpipe status").containsPattern("(?m)^" + process + " +running +\\d+ +healthy");
            }
            assertThat(status).containsPattern("(?m)^stream-job +running +\\d+ +healthy on spark://127\\.0\\.0\\.1:"
                    + vars.get("PINPIPE_SPARK_MASTER_PORT") + "$");
            for (String server : List.of("kafka-1", "kafka-2", "kafka-3", "s3", "postgres")) {
                assertThat(status).containsPattern("(?m)^ +" + server + " +running +\\d+ +\\(part of stack\\)");
            }
            JsonNode master = master();
            assertThat(master.path("status").asText()).isEqualTo("ALIVE");
            assertThat(master.path("aliveworkers").asInt()).as("alive workers").isEqualTo(2);
            assertThat(appId("pinpipe-stream")).as("the stream job's application on the master").isNotNull();
            String queryId = queryId();

            // 2. the stream job was submitted with the guide's command
            assertSubmittedAsDocumented("stream-job", "dev.pinpipe.stream.StreamJob");

            // 3. faults under load
            load = launcher.start("emulate", "--duration", "10m", "--rate", "25", "--concurrency", "8",
                    "--max-retries", "200", "--seed", "31", "--ids-out", ids.toString());
            awaitStreamProgress("the stream before any fault");

            // 3a. one of three brokers: the topics have 3 replicas and min.insync.replicas=2, so acks=all goes on
            t0 = System.nanoTime();
            ProcessHandle broker = kafkaBroker(2);
            broker.destroyForcibly();
            broker.onExit().get(20, TimeUnit.SECONDS);
            awaitStreamProgress("the stream on two brokers");
            double down = seconds(t0);
            launcher.require(minutes(3), "restart-server", "kafka-2");
            awaitStreamProgress("the stream after kafka-2's restart");
            fault(String.format("kill -9 kafka-2 (pid %d), down %.1f s", broker.pid(), down), t0,
                    "restarted by ./pinpipe restart-server kafka-2");

            // 3b. the worker running the stream job's executor: the master gives the app the other worker
            t0 = System.nanoTime();
            int streamWorker = workerRunning("pinpipe-stream");
            launcher.kill9("spark-worker-" + streamWorker);
            int other = 3 - streamWorker;
            awaitExecutor(other, "pinpipe-stream");
            double moved = seconds(t0);
            launcher.require(minutes(3), "up", "--cluster");
            awaitStreamProgress("the stream after its executor moved");
            fault("kill -9 spark-worker-" + streamWorker + " while streaming", t0,
                    String.format("executor on spark-worker-%d after %.1f s; worker back with up --cluster", other, moved));

            // 3c. the stream driver (the SparkSubmit process): submitted again, it resumes from its checkpoint
            t0 = System.nanoTime();
            launcher.kill9("stream-job");
            launcher.require(minutes(5), "up", "--cluster");
            assertThat(queryId()).as("the resubmitted query resumes its checkpoint").isEqualTo(queryId);
            awaitStreamProgress("the resubmitted stream job");
            fault("kill -9 stream driver", t0, "resubmitted by up --cluster, same query " + queryId);
            assertSubmittedAsDocumented("stream-job", "dev.pinpipe.stream.StreamJob");

            load.destroy();
            assertThat(load.waitFor(3, TimeUnit.MINUTES)).as("emulator stopped").isTrue();
            SentPins sent = SentPins.read(ids);
            assertThat(sent.acked()).as("acknowledged pins").hasSizeGreaterThan(4 * PROGRESS);
            // the API kept answering: every request got its answer within the emulator's retries
            assertThat(sent.inDoubt()).as("pins the API never answered for").isEmpty();
            ArchiveCensus archive = Drain.archive(env, sent.acked(), minutes(4)).census();
            TableCensus stream = Drain.table(env, Settings.PINS_STREAM_TABLE, "stream", sent.acked(), minutes(4)).census();

            // 4. the batch job beside the stream job (one core each); the worker of its executor dies mid-run
            int killedDuringBatch = 0;
            for (String date : archive.dates()) {
                Process batch = launcher.start("batch", "--cluster", "--date", date);
                t0 = System.nanoTime();
                int batchWorker = killedDuringBatch > 0 ? 0 : awaitAnyExecutor("pinpipe-batch", batch);
                if (batchWorker > 0) {
                    launcher.kill9("spark-worker-" + batchWorker);
                    launcher.require(minutes(3), "up", "--cluster");
                }
                assertThat(batch.waitFor(10, TimeUnit.MINUTES)).as("batch --cluster --date %s finished", date).isTrue();
                assertThat(batch.exitValue()).as("batch --cluster --date %s exit code", date).isZero();
                if (batchWorker > 0) {
                    killedDuringBatch = batchWorker;
                    fault("kill -9 spark-worker-" + batchWorker + " during batch --date " + date, t0,
                            "worker back with up --cluster; the run finished on its retried tasks");
                }
            }
            assertThat(killedDuringBatch).as("a worker was killed while the batch job ran").isPositive();
            assertSubmittedAsDocumented("batch", "dev.pinpipe.batch.BatchJob");

            // 5. every layer
            TableCensus batchTable = TableCensus.take(env, Settings.PINS_BATCH_TABLE, "batch");
            Reconciliation r = Reconciliation.of("cluster guide: kafka-2, worker, driver, worker in batch",
                    sent.sent(), sent.acked(), ArchiveCensus.take(env), stream, batchTable);
            faults.forEach(System.out::println);
            System.out.println("FAULTS " + r.line() + " in_doubt=" + sent.inDoubt().size());
            assertThat(r.lost()).as(r.line()).isZero();
            assertThat(r.doubled()).as(r.line()).isZero();
            assertThat(batchTable.ids()).as("pins_batch").isEqualTo(sent.acked());
            assertThat(batchTable.runs()).as("pipeline_runs of the batch job").isEqualTo(archive.dates().size());

            master = master();
            assertThat(master.path("aliveworkers").asInt()).as("alive workers after the batch runs").isEqualTo(2);
            List<String> active = new ArrayList<>();
            master.path("activeapps").forEach(a -> active.add(a.path("name").asText()));
            assertThat(active).as("applications still running").containsExactly("pinpipe-stream");
            List<JsonNode> batchApps = new ArrayList<>();
            master.path("completedapps").forEach(a -> {
                if (a.path("name").asText().equals("pinpipe-batch")) {
                    batchApps.add(a);
                }
            });
            assertThat(batchApps).as("completed pinpipe-batch applications").hasSize(archive.dates().size())
                    .allSatisfy(app -> assertThat(app.path("state").asText()).isEqualTo("FINISHED"));
            // the killed worker's work dir holds the application's executors: the killed one and its replacement
            Path appDir = launcher.home().resolve("spark").resolve("spark-worker-" + killedDuringBatch)
                    .resolve(batchApps.get(0).path("id").asText());
            try (Stream<Path> executors = Files.list(appDir)) {
                assertThat(executors.count()).as("executors of the batch run in %s", appDir).isGreaterThanOrEqualTo(2);
            }
        } finally {
            if (load != null) {
                load.destroyForcibly();
            }
            launcher.run(minutes(3), "down");
        }
        PipelineHarness.assertNothingLeft(launcher, PROCESSES);
    }

    // ---- the guide's commands against the launcher's ----------------------------------------------

    /** Every command the launcher logged for {@code name} equals the guide's block for {@code mainClass}. */
    private void assertSubmittedAsDocumented(String name, String mainClass) throws IOException {
        List<String> documented = documentedCommand(PipelineHarness.ROOT.resolve("docs/cluster.md"), mainClass);
        List<List<String>> logged = loggedCommands(launcher.home().resolve("logs/spark-submit.log"), name);
        assertThat(logged).as("%s submissions in spark-submit.log", name).isNotEmpty();
        for (List<String> command : logged) {
            assertThat(asDocumented(command, Integer.parseInt(vars.get("PINPIPE_SPARK_MASTER_PORT"))))
                    .as("the launcher's %s command, placeholders substituted, against docs/cluster.md", name)
                    .isEqualTo(documented);
        }
    }

    /**
     * The words of the one bash block of the guide's "Spark standalone cluster" section that runs
     * SparkSubmit with {@code --class mainClass}.
     */
    static List<String> documentedCommand(Path guide, String mainClass) throws IOException {
        String md = Files.readString(guide, StandardCharsets.UTF_8);
        int from = md.indexOf("\n## Spark standalone cluster");
        assertThat(from).as("docs/cluster.md's section \"Spark standalone cluster\"").isNotNegative();
        int to = md.indexOf("\n## ", from + 1);
        String section = md.substring(from, to < 0 ? md.length() : to);
        List<List<String>> found = new ArrayList<>();
        Matcher block = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL).matcher(section);
        while (block.find()) {
            List<String> words = shellWords(block.group(1));
            if (words.contains("org.apache.spark.deploy.SparkSubmit") && words.contains(mainClass)) {
                found.add(words);
            }
        }
        assertThat(found).as("docs/cluster.md's SparkSubmit block(s) of %s", mainClass).hasSize(1);
        return found.get(0);
    }

    /** The commands of spark-submit.log's lines {@code <time> <name>: <shell-quoted words>}. */
    static List<List<String>> loggedCommands(Path log, String name) throws IOException {
        List<List<String>> commands = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                String[] parts = line.split(" ", 3);
                if (parts.length == 3 && parts[1].equals(name + ":")) {
                    commands.add(shellWords(parts[2]));
                }
            }
        }
        return commands;
    }

    /**
     * A logged command in the guide's terms: without the {@code env} that sets its variables, paths
     * relative to the repository, the pom's {@code spark.jvm.options} as {@code ${spark.jvm.options}},
     * the master as {@code spark://127.0.0.1:7077} and a date as {@code D}.
     */
    static List<String> asDocumented(List<String> command, int masterPort) throws IOException {
        List<String> words = new ArrayList<>(command);
        if (!words.isEmpty() && words.get(0).equals("env")) {
            words.remove(0);
        }
        List<String> roots = List.of(PipelineHarness.ROOT.toRealPath() + "/", PipelineHarness.ROOT + "/");
        words.replaceAll(w -> {
            for (String root : roots) {
                w = w.replace(root, "");
            }
            return w.equals("spark://127.0.0.1:" + masterPort) ? DOCUMENTED_MASTER : w;
        });
        int date = words.indexOf("--date");
        if (date >= 0 && date + 1 < words.size()) {
            words.set(date + 1, "D");
        }
        Matcher pom = Pattern.compile("<spark\\.jvm\\.options>(.*?)</spark\\.jvm\\.options>")
                .matcher(Files.readString(PipelineHarness.ROOT.resolve("pom.xml")));
        assertThat(pom.find()).as("the root pom's spark.jvm.options").isTrue();
        List<String> options = List.of(pom.group(1).trim().split("\\s+"));
        int at = java.util.Collections.indexOfSubList(words, options);
        if (at >= 0) {
            words.subList(at, at + options.size()).clear();
            words.add(at, "${spark.jvm.options}");
        }
        return words;
    }

    /** Shell words as bash splits them: backslash-newline joins lines; quotes and backslashes escape; no expansion. */
    static List<String> shellWords(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        String s = text.replace("\\\n", " ");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '#' && word == null) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl;
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\\' && i + 1 < s.length()) {
                word.append(s.charAt(++i));
            } else if (c == '\'') {
                int end = s.indexOf('\'', i + 1);
                word.append(s, i + 1, end);
                i = end;
            } else if (c == '"') {
                for (i++; s.charAt(i) != '"'; i++) {
                    if (s.charAt(i) == '\\' && "\"\\$`".indexOf(s.charAt(i + 1)) >= 0) {
                        i++;
                    }
                    word.append(s.charAt(i));
                }
            } else {
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    // ---- the processes --------------------------------------------------------------------------

    private void fault(String what, long t0, String how) {
        String line = String.format("fault %d: %s at %s; recovered in %.1f s (%s)", faults.size() + 1, what,
                java.time.LocalTime.now().withNano(0), seconds(t0), how);
        faults.add(line);
        System.out.println(line);
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Until pins_stream has {@value #PROGRESS} more rows than now: the stream goes on. */
    private void awaitStreamProgress(String what) {
        long start = streamRows();
        Await.until(what + " (" + PROGRESS + " more rows in pins_stream than " + start + ")", minutes(3),
                Duration.ofMillis(500), () -> streamRows() >= start + PROGRESS);
    }

    private long streamRows() {
        try (Connection c = DriverManager.getConnection(env.jdbcUrl(), env.dbUser(), env.dbPassword());
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM pins_stream")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1; // PostgreSQL restarting: not yet
        }
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

    private String queryId() throws IOException {
        Matcher m = QUERY.matcher(Files.readString(launcher.home().resolve("logs/stream-job.log"), StandardCharsets.ISO_8859_1));
        assertThat(m.find()).as("the stream job's start line in stream-job.log").isTrue();
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

    private void awaitExecutor(int worker, String app) {
        Await.until("an executor of " + app + " on spark-worker-" + worker, minutes(2), Duration.ofMillis(250),
                () -> workerWith(app) == worker);
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
        for (JsonNode a : master().path("activeapps")) {
            if (name.equals(a.path("name").asText())) {
                return a.path("id").asText();
            }
        }
        return null;
    }

    private JsonNode master() {
        try {
            return json("http://127.0.0.1:" + vars.get("PINPIPE_SPARK_MASTER_UI_PORT") + "/json/");
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("the Spark master's /json/", e);
        }
    }

    private int workerUi(int worker) {
        return Integer.parseInt(vars.get("PINPIPE_SPARK_WORKER_UI_PORT")) + worker - 1;
    }

    private static JsonNode json(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + ": " + response.statusCode());
        }
        return new ObjectMapper().readTree(response.body());
    }

    /** The first of {@code count} consecutive free ports (the launcher gives worker n the UI port first + n - 1). */
    static int freePorts(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = freePort();
            boolean all = true;
            for (int i = 1; i < count && all; i++) {
                try (ServerSocket ignored = new ServerSocket(first + i)) {
                    // free
                } catch (IOException e) {
                    all = false;
                }
            }
            if (all) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
