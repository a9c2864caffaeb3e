package dev.pinpipe.check;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** Waits until acknowledged pins have reached each layer, returning what was finally counted there. */
public final class Drain {

    private static final Duration POLL = Duration.ofSeconds(1);

    private Drain() {
    }

    public record Waited<T>(T census, double seconds) {
    }

    /** Until every acknowledged pin is in the archive (the archiver cuts an idle object after its rotate interval). */
    public static Waited<ArchiveCensus> archive(PipelineEnv env, Set<String> acked, Duration timeout) {
        AtomicReference<ArchiveCensus> last = new AtomicReference<>();
        double s = Await.until("every acknowledged pin in the S3 archive", timeout, POLL, () -> {
            ArchiveCensus census = ArchiveCensus.take(env);
            last.set(census);
            return census.perPin().keySet().containsAll(acked);
        });
        return new Waited<>(last.get(), s);
    }

    /** Until every acknowledged pin has a row in {@code table}. */
    public static Waited<TableCensus> table(PipelineEnv env, String table, String job, Set<String> acked, Duration timeout) {
        return table(env, table, job, acked, timeout, Instant.EPOCH);
    }

    /** As above, counting only the rows of pins published from {@code since} on. */
    public static Waited<TableCensus> table(PipelineEnv env, String table, String job, Set<String> acked, Duration timeout,
            Instant since) {
        AtomicReference<TableCensus> last = new AtomicReference<>();
        double s = Await.until("every acknowledged pin in " + table, timeout, POLL, () -> {
            TableCensus census = TableCensus.take(env, table, job, since);
            last.set(census);
            return census.ids().containsAll(acked);
        });
        return new Waited<>(last.get(), s);
    }
}
