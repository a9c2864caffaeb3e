package dev.pinpipe.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * CPU time (user + system) of processes and threads, read from Linux's {@code /proc/<pid>/stat}. The
 * kernel counts it in clock ticks of 10 ms, so a difference means something only over seconds.
 */
public final class ProcCpu {

    /** USER_HZ, 100 on Linux. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcCpu() {
    }

    /** One thread of this JVM: its name (as the kernel shortens it) and its CPU time so far. */
    public record ThreadCpu(String name, long nanos) {
    }

    /** This JVM's CPU time so far, to the nanosecond (not in ticks). */
    public static long thisProcessNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A process's CPU time so far; -1 when it is gone or {@code pid} is not positive. */
    public static long processNanos(long pid) {
        Stat stat = pid > 0 ? Stat.read(Path.of("/proc", Long.toString(pid))) : null;
        return stat == null ? -1 : stat.ticks() * NANOS_PER_TICK;
    }

    /** The parent of a process; -1 when it is gone. */
    public static long parentOf(long pid) {
        Stat stat = Stat.read(Path.of("/proc", Long.toString(pid)));
        return stat == null ? -1 : stat.parent();
    }

    /**
     * A process's CPU time with its children's, those still running and those it has reaped (e.g. the
     * postmaster and its backends); -1 when the process is gone or {@code pid} is not positive.
     */
    public static long withChildrenNanos(long pid) {
        Stat parent = pid > 0 ? Stat.read(Path.of("/proc", Long.toString(pid))) : null;
        if (parent == null) {
            return -1;
        }
        long ticks = parent.ticks() + parent.reapedChildrenTicks();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                if (proc.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    Stat child = Stat.read(proc);
                    if (child != null && child.parent() == pid) {
                        ticks += child.ticks();
                    }
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return ticks * NANOS_PER_TICK;
    }

    /** Every thread of this JVM with its CPU time so far; empty when /proc cannot be read. */
    public static List<ThreadCpu> threadsOfThisProcess() {
        List<ThreadCpu> threads = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                Stat stat = Stat.read(task);
                if (stat != null) {
                    threads.add(new ThreadCpu(stat.name(), stat.ticks() * NANOS_PER_TICK));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return threads;
    }

    /**
     * The fields of a stat file that matter here. The name sits in parentheses and may hold spaces and
     * parentheses itself, so the fields are counted from the last ')': state, ppid, … utime (12th),
     * stime, cutime, cstime.
     */
    private record Stat(String name, long parent, long ticks, long reapedChildrenTicks) {

        static Stat read(Path dir) {
            try {
                String text = Files.readString(dir.resolve("stat"));
                int close = text.lastIndexOf(')');
                String[] f = text.substring(close + 2).split(" ");
                return new Stat(text.substring(text.indexOf('(') + 1, close), Long.parseLong(f[1]),
                        Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14]));
            } catch (IOException | RuntimeException e) {
                return null; // the process or thread ended meanwhile
            }
        }
    }
}
