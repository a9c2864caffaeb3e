package dev.pinpipe.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Starts each server as a process of its own: in its own process group ({@code setsid}), so that
 * {@link #killGroup} can {@code kill -9} one server with everything it forked (PostgreSQL's backends),
 * and with {@code setpriv --pdeathsig KILL}, so no server outlives the stack that started it.
 *
 * <p>Linux sends the parent-death signal when the spawning <em>thread</em> ends, so every process is
 * spawned by one thread that lives as long as this JVM.
 */
final class Spawner {

    static final int NOBODY = 65534;

    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "local-stack-spawner");
        t.setDaemon(true);
        return t;
    });

    private Spawner() {
    }

    /**
     * Starts {@code command} in a new process group; as {@code nobody} when {@code dropRoot} and this
     * JVM runs as root (PostgreSQL refuses root). {@code builder} sets the I/O; its command is replaced.
     */
    static Process start(List<String> command, boolean dropRoot, ProcessBuilder builder) throws IOException {
        List<String> full = new ArrayList<>();
        if (onPath("setsid")) {
            full.add("setsid");   // a new session and process group, with the same pid (no fork: we are no group leader)
        }
        if (onPath("setpriv")) {
            full.addAll(List.of("setpriv", "--pdeathsig", "KILL"));
            if (dropRoot && isRoot()) {
                full.addAll(List.of("--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
            }
            full.add("--");
        } else if (dropRoot && isRoot()) {
            throw new IllegalStateException(command.get(0) + " cannot run as root and setpriv (util-linux) is missing");
        }
        full.addAll(command);
        builder.command(full);
        Future<Process> started = THREAD.submit(builder::start);
        try {
            return started.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + command.get(0), e);
        }
    }

    /** {@code kill -9} of the process's whole group (the process alone without setsid), then waits for it. */
    static void killGroup(Process process) throws Exception {
        String target = onPath("setsid") ? "-" + process.pid() : Long.toString(process.pid());
        new ProcessBuilder("kill", "-KILL", "--", target).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("pid " + process.pid() + " still alive 30 s after kill -9");
        }
    }

    static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
