package dev.pinpipe.localstack;

import dev.pinpipe.core.config.Settings;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running local stack — a child JVM ({@link LocalStackMain}) that runs Kafka, S3 and PostgreSQL as
 * processes of their own — and its endpoints. JDK and pin-core's catalogue only, so any test classpath
 * (Spring's, Spark's) can hold it: the servers' own dependencies live only in the child.
 *
 * <p>The child reads control commands from its stdin and exits when that ends, so even a test JVM that
 * is killed outright leaves no server behind.
 */
public final class LocalStack implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "/META-INF/pinpipe/local-stack.classpath";
    private static final long START_TIMEOUT_SECONDS = Long.getLong("pinpipe.localstack.start-timeout", 180);
    private static final long COMMAND_TIMEOUT_SECONDS = 120;
    private static final Pattern BOOTSTRAP_HOST = Pattern.compile("\"" + Settings.KAFKA_BOOTSTRAP.variable() + "\":\"([^\",]+):\\d+[,\"]");

    private Endpoints endpoints;   // host as the child reports it (a remote Docker engine's host in containers mode)
    private final Path dataDir;
    private final Path logFile;
    private final Process process;
    private final Writer control;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

    private LocalStack(Endpoints endpoints, Path dataDir, Path logFile, Process process) {
        this.endpoints = endpoints;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.process = process;
        this.control = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts a stack on free loopback ports with its data in {@code dataDir} (created if missing, kept
     * afterwards) and the child's output in {@code logFile}; returns once every server is ready. The
     * servers are the embedded ones unless {@code $PINPIPE_TEST_STACK} is {@code containers} (Docker
     * containers, one line on stdout saying so; no engine answering fails the launch, never falls back).
     */
    public static LocalStack launch(Path dataDir, Path logFile) {
        return launch(dataDir, logFile, Engine.forTests(System.getenv(Engine.TEST_VARIABLE)).option());
    }

    /** {@link #launch(Path, Path)} with the engine given ({@code embedded|containers}), whatever the variable says. */
    public static LocalStack launch(Path dataDir, Path logFile, String engine) {
        return launch(dataDir, logFile, engine, Map.of());
    }

    /**
     * {@link #launch(Path, Path, String)} with {@code PINPIPE_*} settings of the stack itself given to its
     * process (e.g. {@code PINPIPE_PG_SYNCHRONOUS_COMMIT}, {@code PINPIPE_KAFKA_BROKERS}, {@code PINPIPE_TOPIC}),
     * over what this JVM's environment says.
     */
    public static LocalStack launch(Path dataDir, Path logFile, String engine, Map<String, String> settings) {
        String option = Engine.parse(engine, "the engine").option();   // a wrong name fails here, not in the child
        try {
            Files.createDirectories(dataDir);
            // PostgreSQL may run as another user (root cannot run it) and must reach its folder inside
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            // the child's environment: it resolves the same settings from it
            Function<String, String> env = variable -> settings.containsKey(variable) ? settings.get(variable) : System.getenv(variable);
            int brokers = Settings.KAFKA_BROKERS.intValue(env);
            int[] ports = FreePorts.pick(2);
            int kafkaPort = FreePorts.pickConsecutive(brokers, ports);
            Endpoints endpoints = new Endpoints("127.0.0.1", kafkaPort, ports[0], ports[1], brokers, Endpoints.Names.from(env));
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx768m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", childClasspath(),
                    LocalStackMain.class.getName(),
                    "--data-dir", dataDir.toAbsolutePath().toString(),
                    "--kafka-port", Integer.toString(endpoints.kafkaPort()),
                    "--s3-port", Integer.toString(endpoints.s3Port()),
                    "--pg-port", Integer.toString(endpoints.pgPort()),
                    "--kafka-brokers", Integer.toString(brokers),
                    "--engine", option,
                    "--control-stdin"));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(settings);
            Process process = builder.start();
            LocalStack stack = new LocalStack(endpoints, dataDir, logFile, process);
            stack.pumpOutput();
            String ready = stack.awaitAnswer(LocalStackMain.READY, START_TIMEOUT_SECONDS, "start");
            stack.endpoints = endpoints.at(reportedHost(ready));
            return stack;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** {@code 127.0.0.1:<port>} (one per broker, comma-separated); topics {@link #topic()} and {@link #deadLetterTopic()} exist. */
    public String kafkaBootstrap() {
        return endpoints.kafkaBootstrap();
    }

    /** The pin topic: {@code PINPIPE_TOPIC} of the stack's environment, else the catalogue's. */
    public String topic() {
        return endpoints.names().topic();
    }

    /** The dead-letter topic: {@code PINPIPE_DLT_TOPIC}, else the topic's name + {@code .DLT}. */
    public String deadLetterTopic() {
        return endpoints.names().deadLetterTopic();
    }

    /** {@code http://127.0.0.1:<port>}, path-style; bucket {@link #bucket()} exists. */
    public String s3Endpoint() {
        return endpoints.s3Endpoint();
    }

    public String s3Region() {
        return Endpoints.S3_REGION;
    }

    public String s3AccessKey() {
        return Endpoints.S3_ACCESS_KEY;
    }

    public String s3SecretKey() {
        return Endpoints.S3_SECRET_KEY;
    }

    public String bucket() {
        return endpoints.names().bucket();
    }

    /** Database {@code pinterest} with pin-core's schema migrated. */
    public String jdbcUrl() {
        return endpoints.jdbcUrl();
    }

    public String dbUser() {
        return Endpoints.DB_USER;
    }

    public String dbPassword() {
        return Endpoints.DB_PASSWORD;
    }

    /** Every PINPIPE_* variable pointing at this stack (its endpoints, topics and bucket), for child processes. */
    public Map<String, String> env() {
        return endpoints.env();
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** Stops the broker (controlled shutdown); {@link #startKafka()} brings it back on the same port with its data. */
    public void stopKafka() {
        command("stop kafka");
    }

    public void startKafka() {
        command("start kafka");
    }

    public void stopS3() {
        command("stop s3");
    }

    public void startS3() {
        command("start s3");
    }

    /** Fast shutdown: open connections are closed. */
    public void stopPostgres() {
        command("stop postgres");
    }

    public void startPostgres() {
        command("start postgres");
    }

    /** {@code kill -9} of the broker's process: a crash; {@link #startKafka()} recovers its log. */
    public void killKafka() {
        command("kill kafka");
    }

    /** {@code kill -9} of broker {@code i} (from 1) of a cluster ({@code PINPIPE_KAFKA_BROKERS} > 1). */
    public void killKafkaBroker(int i) {
        command("kill kafka-" + i);
    }

    /** Starts broker {@code i} of a cluster again, on its port with its data. */
    public void startKafkaBroker(int i) {
        command("start kafka-" + i);
    }

    /** {@code kill -9} of the S3 server's process. */
    public void killS3() {
        command("kill s3");
    }

    /** {@code kill -9} of the postmaster and every backend at once; {@link #startPostgres()} replays the WAL. */
    public void killPostgres() {
        command("kill postgres");
    }

    /** Stops every server (flushing their data) and waits for the child to exit. Idempotent. */
    @Override
    public synchronized void close() {
        try {
            control.close();   // end of input: the child stops its servers and exits
        } catch (IOException alreadyGone) {
            // the child has exited already
        }
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    @Override
    public String toString() {
        return "LocalStack" + endpoints.env();
    }

    private synchronized void command(String command) {
        if (!process.isAlive()) {
            throw new IllegalStateException("the local stack has exited; see " + logFile);
        }
        try {
            control.write(command + "\n");
            control.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the local stack does not take commands; see " + logFile, e);
        }
        awaitAnswer("OK " + command, COMMAND_TIMEOUT_SECONDS, command);
    }

    /** The host of the bootstrap address in the READY line's JSON. */
    private static String reportedHost(String ready) {
        Matcher m = BOOTSTRAP_HOST.matcher(ready);
        if (!m.find()) {
            throw new IllegalStateException("no PINPIPE_KAFKA_BOOTSTRAP in " + ready);
        }
        return m.group(1);
    }

    /** Waits for a line starting with {@code expected} and returns it; an ERR line, the child's exit or the timeout fails with its log. */
    private String awaitAnswer(String expected, long timeoutSeconds, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try {
            while (true) {
                String line = answers.poll(200, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(expected)) {
                    return line;
                }
                if (line != null && line.startsWith("ERR ")) {
                    throw failure("'" + what + "' failed: " + line);
                }
                if (line == null && !process.isAlive() && answers.isEmpty()) {
                    throw failure("the local stack exited (code " + process.exitValue() + ") during '" + what + "'");
                }
                if (System.nanoTime() > deadline) {
                    throw failure("'" + what + "' took more than " + timeoutSeconds + " s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure("interrupted during '" + what + "'");
        }
    }

    private IllegalStateException failure(String message) {
        String tail;
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            tail = "(no log: " + e + ")";
        }
        return new IllegalStateException("local stack: " + message + "\n--- last lines of " + logFile + " ---\n" + tail);
    }

    /** Copies the child's output to the log file and hands the protocol lines to {@link #awaitAnswer}. */
    private void pumpOutput() throws IOException {
        Writer log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        InputStream out = process.getInputStream();
        Thread pump = new Thread(() -> {
            try (log; BufferedReader in = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    log.write(line);
                    log.write('\n');
                    log.flush();
                    if (line.startsWith(Engine.NOTE_PREFIX)) {
                        System.out.println(line);   // which engine runs the tests' servers, or why none could
                    }
                    if (line.startsWith(LocalStackMain.READY) || line.startsWith("OK ") || line.startsWith("ERR ")) {
                        answers.add(line);
                    }
                }
            } catch (IOException e) {
                // the child is gone; awaitAnswer notices
            }
        }, "local-stack-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** This module's own classes (jar or folder) plus the dependency list the build wrote into it. */
    private static String childClasspath() throws IOException {
        String own;
        try {
            own = Path.of(LocalStack.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = LocalStack.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build local-stack with Maven (it writes the file)");
            }
            return own + java.io.File.pathSeparator + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }
}
