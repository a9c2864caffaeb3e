package dev.pinpipe.stream;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On SIGTERM (./pinpipe down, a cluster manager) lets the running micro-batch finish and then stops
 * the query, so a planned stop leaves no batch to replay. Correctness never depends on it: a kill
 * mid-batch rolls the Postgres transaction back, and a replayed batch is recognised by its ledger row.
 */
final class GracefulStop {

    private static final Logger log = LoggerFactory.getLogger(GracefulStop.class);

    /**
     * Spark stops its SparkContext from a hook in Hadoop's ShutdownHookManager at priority
     * FileSystem.SHUTDOWN_HOOK_PRIORITY + 30; a plain JVM hook would race it. A higher priority in
     * the same manager runs first, and the manager waits for it (up to the timeout).
     */
    private static final int PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 40;

    private GracefulStop() {
    }

    static void onShutdown(StreamingQuery query, Duration patience) {
        ShutdownHookManager.get().addShutdownHook(() -> stop(query, patience), PRIORITY,
                patience.plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    }

    static void stop(StreamingQuery query, Duration patience) {
        if (!query.isActive()) {
            return;
        }
        log.info(patience.isZero() ? "stop requested: stopping query {}" : "stop requested: finishing the running micro-batch of query {}",
                query.id());
        long deadline = System.nanoTime() + patience.toNanos();
        try {
            // between two triggers the query only sleeps; stop() then interrupts nothing of value
            while (query.isActive() && query.status().isTriggerActive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            query.stop();
            log.info("stream query {} stopped; the next start resumes from its checkpoint", query.id());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("stopping the stream query: {}", e.toString());
        }
    }
}
