package dev.pinpipe.localstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One embedded server (Kafka or S3) run in a JVM of its own ({@link LocalStackMain} with
 * {@code --serve}), so it can crash alone: {@link #kill()} is a {@code kill -9} of that process. Its
 * output joins this process's own, each line prefixed with the server's name.
 */
final class ServerProcess extends ProcessServer {

    static final String READY = "PINPIPE-SERVER-READY";
    private static final long START_TIMEOUT_SECONDS = 120;
    private static final long STOP_TIMEOUT_SECONDS = 20;

    private final String name;
    private final String kind;
    private final List<String> serveArgs;
    private final String maxHeap;

    /**
     * @param name      what the control channel calls it ({@code kafka-2})
     * @param kind      what {@code --serve} runs: {@code kafka} or {@code s3}
     * @param serveArgs what follows {@code --serve <kind>}: port, data dir, …
     */
    ServerProcess(String name, String kind, String maxHeap, List<String> serveArgs) {
        this.name = name;
        this.kind = kind;
        this.maxHeap = maxHeap;
        this.serveArgs = List.copyOf(serveArgs);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized void start() throws Exception {
        if (process != null && process.isAlive()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        String level = System.getProperty("pinpipe.log.level");
        if (level != null) {
            command.add("-Dpinpipe.log.level=" + level);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalStackMain.class.getName(), "--serve", kind));
        command.addAll(serveArgs);
        Process started = Spawner.start(command, false, new ProcessBuilder().redirectErrorStream(true));
        CompletableFuture<Void> ready = pump(started);
        try {
            ready.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            Spawner.killGroup(started);
            throw new IllegalStateException(name + " did not start within " + START_TIMEOUT_SECONDS + " s");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(name + " did not start: " + e.getCause().getMessage(), e.getCause());
        }
        process = started;
    }

    /** SIGTERM: the server stops cleanly (a controlled shutdown for the broker) and its JVM exits. */
    @Override
    public synchronized void stop() throws Exception {
        if (process == null) {
            return;
        }
        process.destroy();
        // a broker flushes and closes its logs in seconds; one still busy after this is waiting for peers
        if (!process.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            Spawner.killGroup(process);
        }
        process = null;
    }

    /** Copies the server's lines to stdout; completes at its READY line, fails if it exits first. */
    private CompletableFuture<Void> pump(Process started) {
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith(READY)) {
                        ready.complete(null);
                    } else {
                        System.out.println("[" + name + "] " + line);
                    }
                }
            } catch (IOException gone) {
                // the server exited
            }
            ready.completeExceptionally(new IllegalStateException(name + " exited before it was ready (its output is above)"));
        }, "local-stack-" + name + "-output");
        pump.setDaemon(true);
        pump.start();
        return ready;
    }
}
