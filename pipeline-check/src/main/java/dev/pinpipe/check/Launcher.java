package dev.pinpipe.check;

import dev.pinpipe.core.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code ./pinpipe} verbs, so the demo and the pipeline tests start, kill and restart the very
 * processes a user gets from the launcher, with the same environment variables.
 */
public final class Launcher {

    private final Path root;
    private final Map<String, String> env;
    private final Path logDir;

    /**
     * @param root   the repository root (where {@code ./pinpipe} is)
     * @param env    PINPIPE_* variables added to this process's environment
     * @param logDir where each verb's output goes ({@code launcher-<verb>.log}); null = inherit
     */
    public Launcher(Path root, Map<String, String> env, Path logDir) {
        this.root = root;
        this.env = Map.copyOf(env);
        this.logDir = logDir;
    }

    public Map<String, String> env() {
        Map<String, String> all = new HashMap<>(System.getenv());
        all.putAll(env);
        return all;
    }

    /** {@code PINPIPE_HOME}; a relative one under the root, as the launcher takes it. */
    public Path home() {
        return root.resolve(Settings.HOME.value(env()::get));
    }

    /** Runs a verb to completion; returns its exit code. */
    public int run(Duration timeout, String... args) {
        try {
            Process p = start(args);
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IllegalStateException("./pinpipe " + String.join(" ", args) + " did not finish within " + timeout);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs a verb and fails unless it exits 0. */
    public void require(Duration timeout, String... args) {
        int code = run(timeout, args);
        if (code != 0) {
            throw new IllegalStateException("./pinpipe " + String.join(" ", args) + " exited " + code
                    + (logDir == null ? "" : " (output: " + log(args[0]) + ")"));
        }
    }

    /** Starts a verb without waiting (e.g. a steady emulator load). */
    public Process start(String... args) {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("pinpipe").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile());
        pb.environment().putAll(env);
        if (logDir == null) {
            pb.inheritIO();
        } else {
            try {
                Files.createDirectories(logDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log(args[0]).toFile()));
        }
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The pid {@code ./pinpipe up} recorded for a service, or -1. */
    public long pid(String service) {
        Path file = home().resolve("run").resolve(service + ".pid");
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file).strip()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** kill -9 of a service's whole process group, as a crash would: no shutdown hook runs. */
    public void kill9(String service) {
        long pid = pid(service);
        if (pid <= 0) {
            throw new IllegalStateException(service + " has no pid file under " + home());
        }
        ProcessHandle.of(pid).ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
            h.onExit().orTimeout(20, TimeUnit.SECONDS).join();
        });
    }

    private Path log(String verb) {
        return logDir.resolve("launcher-" + verb + ".log");
    }
}
