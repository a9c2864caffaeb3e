package dev.pinpipe.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.pinpipe.core.config.CatalogueDefaults;
import dev.pinpipe.core.config.Settings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Starts Kafka, S3 and PostgreSQL on loopback, each in a process of its own (Kafka and S3 in a JVM
 * running this class with {@code --serve}, PostgreSQL as itself), prints their endpoints and one
 * {@value #READY} line, and runs until SIGTERM / Ctrl-C — or, with {@code --control-stdin}, until its
 * standard input ends, taking {@code stop|start|kill kafka|s3|postgres} commands from it meanwhile (the
 * test extension drives it that way). Separate processes let a test crash one server alone.
 */
@Command(name = "local-stack", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Real Kafka (KRaft), S3 (s3proxy) and PostgreSQL on loopback, data kept under the data dir.")
public final class LocalStackMain implements Callable<Integer> {

    public static final String READY = "PINPIPE-LOCALSTACK-READY";
    private static final String HOST = "127.0.0.1";

    @Option(names = "--data-dir", description = "where the servers keep their data (default: $PINPIPE_HOME/data, PINPIPE_HOME=.pinpipe)")
    Path dataDir;

    @Option(names = "--fresh", description = "delete the data dir first")
    boolean fresh;

    // defaults: the variable named by descriptionKey, else the catalogue's default (CatalogueDefaults)
    @Option(names = "--kafka-port", descriptionKey = "PINPIPE_KAFKA_PORT", description = "Kafka port (env PINPIPE_KAFKA_PORT, default ${DEFAULT-VALUE})")
    int kafkaPort;

    @Option(names = "--s3-port", descriptionKey = "PINPIPE_S3_PORT", description = "S3 port (env PINPIPE_S3_PORT, default ${DEFAULT-VALUE})")
    int s3Port;

    @Option(names = "--pg-port", descriptionKey = "PINPIPE_PG_PORT", description = "PostgreSQL port (env PINPIPE_PG_PORT, default ${DEFAULT-VALUE})")
    int pgPort;

    @Option(names = "--kafka-brokers", descriptionKey = "PINPIPE_KAFKA_BROKERS",
            description = "Kafka brokers, each a process of its own on consecutive ports from --kafka-port (env PINPIPE_KAFKA_BROKERS, "
                    + "default ${DEFAULT-VALUE}; 3 = a cluster: topics replicated 3 times, min.insync.replicas=2)")
    int kafkaBrokers;

    @Option(names = "--partitions", descriptionKey = "PINPIPE_TOPIC_PARTITIONS",
            description = "partitions of the topic and its DLT, named by PINPIPE_TOPIC and PINPIPE_DLT_TOPIC"
                    + " (env PINPIPE_TOPIC_PARTITIONS, default ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--engine", defaultValue = "embedded", paramLabel = "embedded|containers",
            description = "the embedded servers, or Docker containers through Testcontainers, which need a Docker engine (default ${DEFAULT-VALUE}; the test extension passes $PINPIPE_TEST_STACK, default embedded too)")
    Engine engine;

    @Option(names = "--pg-synchronous-commit", descriptionKey = "PINPIPE_PG_SYNCHRONOUS_COMMIT", paramLabel = "on|off",
            description = "PostgreSQL's synchronous_commit (env PINPIPE_PG_SYNCHRONOUS_COMMIT, default ${DEFAULT-VALUE}): "
                    + "on = a commit returns once its WAL is on disk; off = faster commits that a server crash can take back")
    String pgSynchronousCommit;

    @Option(names = "--serve", hidden = true, paramLabel = "kafka|s3",
            description = "run only this server in this JVM, its data in --data-dir, until stdin ends or SIGTERM (the stack starts its servers so)")
    String serve;

    @Option(names = "--controller-port", hidden = true, description = "with --serve kafka: the KRaft controller's port")
    int controllerPort;

    @Option(names = "--node-id", hidden = true, defaultValue = "1", description = "with --serve kafka: this node's id")
    int nodeId;

    @Option(names = "--voters", hidden = true, description = "with --serve kafka: the controller quorum, id@host:port,…")
    String voters;

    @Option(names = "--cluster-id", hidden = true, description = "with --serve kafka: the id a new log dir is formatted with")
    String clusterId;

    @Option(names = "--bucket", hidden = true, description = "with --serve s3: the bucket to create (the stack passes PINPIPE_S3_BUCKET's)")
    String bucket;

    @Option(names = "--control-stdin", description = "read 'stop|start kafka|s3|postgres' lines from stdin, answer 'OK <command>', exit at end of input")
    boolean controlStdin;

    /** The topics and the bucket the stack creates: the same variables every process reads. */
    private final Endpoints.Names names = Endpoints.Names.from(System::getenv);
    private final PrintStream out = System.out;

    public static void main(String[] args) {
        quietLogging();
        System.exit(new CommandLine(new LocalStackMain()).setCaseInsensitiveEnumValuesAllowed(true)
                .setDefaultValueProvider(new CatalogueDefaults()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (serve != null) {
            return serveOne();
        }
        if (!List.of("on", "off").contains(pgSynchronousCommit)) {
            System.err.println("local-stack: --pg-synchronous-commit (" + Settings.PG_SYNCHRONOUS_COMMIT.variable()
                    + ") is 'on' or 'off', not '" + pgSynchronousCommit + "'");
            return 2;
        }
        String busy = busyPort(HOST);
        if (busy != null) {
            System.err.println(busy);
            return 2;
        }
        Engine.Choice choice;
        try {
            choice = engine.choose(DockerProbe::dockerAvailable);
        } catch (Engine.Unavailable e) {
            System.err.println(e.getMessage());
            return 2;
        }
        if (choice.note() != null) {
            out.println(choice.note());
        }
        String where;
        Endpoints endpoints;
        ServerSet servers;
        if (choice.engine() == Engine.CONTAINERS) {
            if (kafkaBrokers != 1) {
                System.err.println("local-stack: the containers engine runs one Kafka broker (" + Settings.KAFKA_BROKERS.variable() + "=1)");
                return 2;
            }
            endpoints = new Endpoints(ContainerStack.host(), kafkaPort, s3Port, pgPort, 1, names);
            servers = new ServerSet(ContainerStack.servers(endpoints, partitions), () -> { });
            where = "in the containers, removed at exit";
        } else {
            Path data = embeddedDataDir();
            Endpoints at = new Endpoints(HOST, kafkaPort, s3Port, pgPort, kafkaBrokers, names);
            endpoints = at;
            List<LocalServer> list = new ArrayList<>(kafkaNodes(at, data));
            list.add(new ServerProcess("s3", "s3", "384m", List.of("--s3-port", Integer.toString(s3Port),
                    "--bucket", names.bucket(), "--data-dir", data.resolve("s3").toString())));
            list.add(new PostgresServer(HOST, pgPort, data.resolve("postgres"), pgSynchronousCommit));
            servers = new ServerSet(list, () -> Topics.create(at.kafkaBootstrap(), names.topics(), partitions, kafkaBrokers));
            where = data.toString();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(servers::stopAll, "local-stack-shutdown"));
        try {
            servers.startAll();
        } catch (Exception e) {
            System.err.println("local-stack: start failed: " + e);
            e.printStackTrace();
            return 1;
        }
        printReady(endpoints, where);

        if (controlStdin) {
            serveControl(servers);
        } else {
            new CountDownLatch(1).await();   // until SIGTERM / Ctrl-C runs the shutdown hook
        }
        return 0;
    }

    /**
     * The Kafka nodes: one ({@code kafka}, data in {@code kafka/}) or a cluster ({@code kafka-1}…, data in
     * {@code kafka-1/}…) whose controllers form the quorum. Controller ports are picked now and kept while
     * this stack runs; the cluster id is the one the data already has, else a new one.
     */
    private List<LocalServer> kafkaNodes(Endpoints at, Path data) throws IOException {
        int[] controllerPorts = FreePorts.pick(kafkaBrokers);
        String quorum = IntStream.rangeClosed(1, kafkaBrokers)
                .mapToObj(i -> i + "@" + HOST + ":" + controllerPorts[i - 1])
                .collect(Collectors.joining(","));
        String id = existingClusterId(data.resolve(kafkaBrokers == 1 ? "kafka" : "kafka-1"));
        List<LocalServer> nodes = new ArrayList<>();
        for (int i = 1; i <= kafkaBrokers; i++) {
            String name = kafkaBrokers == 1 ? "kafka" : "kafka-" + i;
            nodes.add(new ServerProcess(name, "kafka", "512m", List.of("--kafka-port", Integer.toString(at.kafkaPort(i)),
                    "--controller-port", Integer.toString(controllerPorts[i - 1]), "--node-id", Integer.toString(i),
                    "--voters", quorum, "--cluster-id", id, "--kafka-brokers", Integer.toString(kafkaBrokers),
                    "--partitions", Integer.toString(partitions), "--data-dir", data.resolve(name).toString())));
        }
        return nodes;
    }

    /** The {@code cluster.id} of a formatted log dir, or a new id for a cluster about to be formatted. */
    private static String existingClusterId(Path logDir) throws IOException {
        Path meta = logDir.resolve("meta.properties");
        if (Files.exists(meta)) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(meta)) {
                p.load(in);
            }
            if (p.getProperty("cluster.id") != null) {
                return p.getProperty("cluster.id");
            }
        }
        return org.apache.kafka.common.Uuid.randomUuid().toString();
    }

    /** {@code --serve}: one server in this JVM until the stack closes our stdin (or SIGTERM); a clean stop at exit. */
    private int serveOne() throws Exception {
        Path dir = dataDir.toAbsolutePath();
        LocalServer server = switch (serve) {
            case "kafka" -> new KafkaBroker(HOST, nodeId, kafkaPort, controllerPort,
                    voters != null ? voters : nodeId + "@" + HOST + ":" + controllerPort,
                    clusterId != null ? clusterId : org.apache.kafka.common.Uuid.randomUuid().toString(), kafkaBrokers, dir, partitions);
            case "s3" -> new S3Server(HOST, s3Port, dir, bucket != null ? bucket : names.bucket());
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "--serve takes kafka or s3, not " + serve);
        };
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.stop();
            } catch (Exception e) {
                System.err.println("stopping " + serve + " failed: " + e);
            }
        }, "local-stack-" + serve + "-shutdown"));
        server.start();
        out.println(ServerProcess.READY + " " + serve);
        out.flush();
        while (System.in.read() != -1) {
            // nothing is ever written: end of input means the stack is gone
        }
        return 0;
    }

    private Path embeddedDataDir() throws IOException {
        Path data = (dataDir != null ? dataDir : Path.of(Settings.HOME.value(System::getenv), "data")).toAbsolutePath();
        if (fresh) {
            Dirs.deleteTree(data);
        }
        Files.createDirectories(data);
        // PostgreSQL may run as another user (see PostgresServer) and must reach its folder inside
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        return data;
    }

    private void printReady(Endpoints e, String data) {
        double seconds = (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) / 1000.0;
        out.printf(Locale.ROOT, "pinpipe local stack ready in %.1f s (data: %s)%n", seconds, data);
        out.printf("  Kafka      bootstrap %s   topics %s (%d partitions), %s%n", e.kafkaBootstrap(), e.names().topic(), partitions,
                e.names().deadLetterTopic());
        // secrets stay out of the output: they are the PINPIPE_* defaults in docs/configuration.md
        out.printf("  S3         endpoint %s   region %s, path-style, access key %s, bucket %s%n",
                e.s3Endpoint(), Endpoints.S3_REGION, Endpoints.S3_ACCESS_KEY, e.names().bucket());
        out.printf("  PostgreSQL %s   user %s, synchronous_commit=%s%n", e.jdbcUrl(), Endpoints.DB_USER,
                data.startsWith("in the containers") ? "on" : pgSynchronousCommit);
        out.printf("  psql       %s%n", e.psqlCommand());
        out.println(READY + " " + e.json());
        out.flush();
    }

    /** One command per line; the answer line lets the caller wait for exactly its command. */
    private void serveControl(ServerSet servers) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            String command = line.trim();
            if (command.isEmpty()) {
                continue;
            }
            try {
                servers.control(command);
                out.println("OK " + command);
            } catch (Exception e) {
                out.println("ERR " + command + ": " + e);
            }
            out.flush();
        }
        // end of input: the controlling process is gone or done; the shutdown hook stops the servers
    }

    private String busyPort(String host) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        String kafka = Settings.KAFKA_PORT.variable();
        for (int i = 1; i < kafkaBrokers; i++) {
            ports.put(kafka + " (+" + i + ", broker " + (i + 1) + ")", kafkaPort + i);
        }
        ports.put(kafka, kafkaPort);
        ports.put(Settings.S3_PORT.variable(), s3Port);
        ports.put(Settings.PG_PORT.variable(), pgPort);
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            try (ServerSocket ignored = new ServerSocket(e.getValue(), 1, InetAddress.getByName(host))) {
                // free
            } catch (IOException inUse) {
                String variable = e.getKey().split(" ")[0];
                String flag = "--" + variable.substring("PINPIPE_".length()).toLowerCase(Locale.ROOT).replace('_', '-');
                return "local-stack: port " + e.getValue() + " is already in use; set " + e.getKey() + " (or " + flag + ") to a free port";
            }
        }
        return null;
    }

    /**
     * The servers log through slf4j-simple; INFO from a broker is noise for a developer. Testcontainers'
     * engine discovery explains at length why no engine was found: the engine choice says it in one line.
     */
    private static void quietLogging() {
        String level = System.getProperty("pinpipe.log.level");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level != null ? level : "warn");
        if (level == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.testcontainers.dockerclient", "off");
            System.setProperty("org.slf4j.simpleLogger.log.org.testcontainers.DockerClientFactory", "off");
        }
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    }

    /** The three servers, started together and stopped in reverse. */
    static final class ServerSet {
        private final List<LocalServer> servers;
        private final Topics.Step topics;

        /** @param topics creates the topics (idempotent, waits for their leaders): after the first start and every broker start */
        ServerSet(List<LocalServer> servers, Topics.Step topics) {
            this.servers = servers;
            this.topics = topics;
        }

        void startAll() throws Exception {
            List<CompletableFuture<Void>> starts = servers.stream()
                    .map(s -> CompletableFuture.runAsync(() -> startUnchecked(s), r -> new Thread(r, "start-" + s.name()).start()))
                    .toList();
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
            topics.run();
        }

        /** Starts one server and says how long it took (startup time is what users wait for). */
        private static void timed(LocalServer server) throws Exception {
            long t0 = System.nanoTime();
            server.start();
            long pid = server.pid();
            System.out.printf(Locale.ROOT, "local-stack: %s started in %.1f s%s%n", server.name(), (System.nanoTime() - t0) / 1e9,
                    pid > 0 ? " (pid " + pid + ")" : "");
        }

        void control(String command) throws Exception {
            String[] words = command.split("\\s+");
            if (words.length != 2 || !List.of("stop", "start", "kill").contains(words[0])) {
                throw new IllegalArgumentException("expected 'stop|start|kill kafka|kafka-<n>|s3|postgres'");
            }
            LocalServer server = servers.stream().filter(s -> s.name().equals(words[1])).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no server '" + words[1] + "'"));
            switch (words[0]) {
                case "stop" -> server.stop();
                case "kill" -> server.kill();
                default -> {
                    timed(server);
                    if (server.name().startsWith("kafka")) {
                        topics.run();
                    }
                }
            }
        }

        /**
         * In reverse order, except that the Kafka nodes stop together: a cluster's last node, stopped
         * after the others, would wait for a controller quorum that is gone.
         */
        void stopAll() {
            List<Thread> kafka = new ArrayList<>();
            for (int i = servers.size() - 1; i >= 0; i--) {
                LocalServer server = servers.get(i);
                if (server.name().startsWith("kafka")) {
                    Thread stop = new Thread(() -> close(server), "stop-" + server.name());
                    stop.start();
                    kafka.add(stop);
                } else {
                    close(server);
                }
            }
            for (Thread t : kafka) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private static void close(LocalServer server) {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println("local-stack: stopping " + server.name() + " failed: " + e);
            }
        }

        private static void startUnchecked(LocalServer server) {
            try {
                timed(server);
            } catch (Exception e) {
                throw new IllegalStateException(server.name() + " did not start: " + e.getMessage(), e);
            }
        }
    }
}
