package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The root launcher {@code ./pinpipe} with the local stack: {@code up}, {@code status}, {@code sql} (with psql,
 * and without it on the PATH), {@code down}.
 */
class LauncherIT {

    private static final Path ROOT = Path.of(System.getProperty("pinpipe.repo.root", "..")).toAbsolutePath().normalize();

    private final Path home = Path.of("target", "launcher-" + System.currentTimeMillis()).toAbsolutePath();

    @Test
    void downLeavesNoProcessBehind() throws Exception {
        int[] ports = FreePorts.pick(3);
        Map<String, String> env = env(ports[0], ports[1], ports[2]);

        Result up = pinpipe(env, "up", "stack");
        assertThat(up.exit).as(up.output).isZero();
        assertThat(up.output).contains("jdbc:postgresql://127.0.0.1:" + env.get("PINPIPE_PG_PORT") + "/pinterest", "stack: up in");
        long pid = Long.parseLong(Files.readString(home.resolve("run/stack.pid")).trim());
        assertThat(ProcessHandle.of(pid)).isPresent();

        Result status = pinpipe(env, "status");
        assertThat(status.exit).as(status.output).isZero();
        assertThat(status.output).containsPattern("stack\\s+running\\s+" + pid + "\\s+healthy");

        Result sql = pinpipe(env, "sql", "SELECT count(*) AS runs FROM pipeline_runs");
        assertThat(sql.exit).as(sql.output).isZero();
        assertThat(sql.output).contains("runs");

        // where psql is missing, the JDBC runner answers, with the same table and psql's error
        Map<String, String> noPsql = new HashMap<>(env);
        noPsql.put("PATH", pathWithout("psql").toString());
        Result jdbc = pinpipe(noPsql, "sql", "SELECT count(*) AS runs FROM pipeline_runs");
        assertThat(jdbc.exit).as(jdbc.output).isZero();
        assertThat(jdbc.output).endsWith(" runs \n------\n    0\n(1 row)\n\n").endsWith(sql.output);
        Result error = pinpipe(noPsql, "sql", "SELECT * FROM nope");
        assertThat(error.exit).isEqualTo(1);
        assertThat(error.output).contains("ERROR:  relation \"nope\" does not exist");
        Result psql = pinpipe(noPsql, "psql");
        assertThat(psql.exit).isEqualTo(1);
        assertThat(psql.output).contains("psql is not on the PATH");

        Result down = pinpipe(env, "down");
        assertThat(down.exit).as(down.output).isZero();
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(processesMentioning(home)).as("processes left behind").isEmpty();
        try (Stream<Path> pids = Files.list(home.resolve("run"))) {
            assertThat(pids).isEmpty();
        }
    }

    @Test
    void downFreshDeletesTheDataAndTheStreamCheckpointTogether() throws Exception {
        // a checkpoint kept past its topic made the next stream job skip the pins posted before its first batch
        Path data = Files.createDirectories(home.resolve("data/kafka"));
        Path offsets = Files.createDirectories(home.resolve("checkpoints/stream/offsets"));
        Files.writeString(offsets.resolve("41"), "{\"PinterestTopic\":{\"0\":619222}}");
        Path log = Files.createDirectories(home.resolve("logs")).resolve("stream-job.log");
        Files.writeString(log, "kept");
        int[] ports = FreePorts.pick(3);

        Result down = pinpipe(env(ports[0], ports[1], ports[2]), "down", "--fresh");

        assertThat(down.exit).as(down.output).isZero();
        assertThat(data).doesNotExist();
        assertThat(home.resolve("checkpoints")).doesNotExist();
        assertThat(log).hasContent("kept");
    }

    @Test
    void busyPortIsOneLineNamingTheVariable() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int[] ports = FreePorts.pick(2);
            Result up = pinpipe(env(ports[0], busy.getLocalPort(), ports[1]), "up", "stack");
            assertThat(up.exit).isNotZero();
            assertThat(up.output).contains("local-stack: port " + busy.getLocalPort()
                    + " is already in use; set PINPIPE_S3_PORT (or --s3-port) to a free port");
        }
        assertThat(processesMentioning(home)).isEmpty();
    }

    private Map<String, String> env(int kafka, int s3, int pg) {
        return Map.of("PINPIPE_HOME", home.toString(),
                "PINPIPE_KAFKA_PORT", Integer.toString(kafka),
                "PINPIPE_S3_PORT", Integer.toString(s3),
                "PINPIPE_PG_PORT", Integer.toString(pg),
                "PINPIPE_START_TIMEOUT", "240");
    }

    private record Result(int exit, String output) {
    }

    private static Result pinpipe(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ROOT.resolve("pinpipe").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("PINPIPE_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        });
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("./pinpipe " + String.join(" ", args) + " took more than 300 s");
        }
        return new Result(process.exitValue(), output.get(10, TimeUnit.SECONDS));
    }

    /** A folder of links to every command on this PATH except {@code command}: this PATH as if it were not installed. */
    private Path pathWithout(String command) throws IOException {
        Path bin = Files.createDirectories(home.resolve("path-without-" + command));
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            if (!Files.isDirectory(Path.of(dir))) {
                continue;
            }
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    Path link = bin.resolve(name);
                    if (!name.equals(command) && Files.isExecutable(file) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, file.toAbsolutePath());
                    }
                }
            }
        }
        return bin;
    }

    private static List<String> processesMentioning(Path path) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .map(p -> p.info().commandLine().orElse(""))
                .filter(line -> line.contains(path.toString()))
                .toList();
    }
}
