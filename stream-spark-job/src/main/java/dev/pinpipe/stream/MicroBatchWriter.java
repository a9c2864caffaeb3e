package dev.pinpipe.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.spark.PinColumns;
import dev.pinpipe.spark.PostgresSettings;
import dev.pinpipe.spark.PostgresUpsert;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.Observation;
import scala.concurrent.Await;
import scala.concurrent.duration.FiniteDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code foreachBatch} function: one micro-batch, one Postgres transaction holding both the
 * upsert of its clean pins into pins_stream and its row in pipeline_runs. Either both are committed
 * or neither; a micro-batch Spark replays after a crash (same query id, same batch id, same offsets)
 * finds its row and is skipped. Runs on the driver, in the query's own thread.
 *
 * <p>The connection outlives the micro-batch: opening one (TCP, SCRAM authentication, session
 * set-up) cost 10–90 ms of every ~1 s micro-batch. Only the transaction is per micro-batch, so
 * reusing it changes nothing for exactly-once; after any failure the connection is closed and the
 * next attempt opens a fresh one.
 */
final class MicroBatchWriter implements VoidFunction2<Dataset<Row>, Long>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MicroBatchWriter.class);
    private static final int INGESTED_AT = PinColumns.CLEAN_COLUMNS.indexOf(PinColumns.INGESTED_AT);
    private static final int SHOWN_REJECTS = 5;
    /** The observed count arrives as soon as the collect is done; this only bounds a surprise. */
    private static final FiniteDuration OBSERVATION_WAIT = FiniteDuration.apply(60, TimeUnit.SECONDS);
    private static final long RETRY_FIRST_MILLIS = 500;
    private static final long RETRY_MAX_MILLIS = 10_000;

    private final PostgresSettings postgres;
    private final Map<Long, BatchOutcome> outcomes;
    /**
     * The query id keys pipeline_runs and survives restarts (it lives in the checkpoint). It is only
     * known once start() returns, while the first micro-batch may already be running: that batch
     * waits here for {@link #bindTo}.
     */
    private final CompletableFuture<String> queryId = new CompletableFuture<>();
    /** Used by the query's thread only; {@link #close} comes once the query has terminated. */
    private Connection connection;

    /** @param outcomes where each finished micro-batch is left for the metrics listener */
    MicroBatchWriter(PostgresSettings postgres, Map<Long, BatchOutcome> outcomes) {
        this.postgres = postgres;
        this.outcomes = outcomes;
    }

    void bindTo(StreamingQuery query) {
        queryId.complete(query.id().toString());
    }

    /**
     * Writes the micro-batch, waiting out a Postgres that is down or restarting: failing the batch
     * would stop the query and the job, while Kafka keeps the records and this transaction rolls back
     * whole, so retrying the same batch until Postgres answers is safe and resumes by itself.
     */
    @Override
    public void call(Dataset<Row> batch, Long batchId) throws Exception {
        String runId = queryId.get(5, TimeUnit.MINUTES);
        Instant startedAt = Instant.now();
        long backoffMillis = RETRY_FIRST_MILLIS;
        for (int attempt = 0; ; attempt++) {
            try {
                Connection c = connection();
                try {
                    outcomes.put(batchId, write(c, batch, runId, batchId, attempt, startedAt));
                    return;
                } catch (Exception e) {
                    rollbackQuietly(c, e);
                    close();
                    throw e;
                }
            } catch (SQLException e) {
                if (!isTransient(e)) {
                    throw e;
                }
                log.warn("micro-batch {}: PostgreSQL unavailable ({}); retrying in {} ms (attempt {})",
                        batchId, e.getMessage(), backoffMillis, attempt + 1);
                Thread.sleep(backoffMillis);
                backoffMillis = Math.min(backoffMillis * 2, RETRY_MAX_MILLIS);
            }
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = postgres.connect();
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    /** Closes the connection; the next micro-batch, if any, opens a new one. */
    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing the PostgreSQL connection: {}", e.toString());
            }
        }
    }

    /** Connection failures (08xxx), the server shutting down or starting (57P0x), out of resources (53xxx). */
    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P0") || state.startsWith("53")) {
                    return true;
                }
            }
        }
        return false;
    }

    private BatchOutcome write(Connection c, Dataset<Row> batch, String runId, long batchId, int attempt,
            Instant startedAt) throws Exception {
        if (!RunLedger.claim(c, runId, batchId, startedAt)) {
            c.rollback();
            log.info("micro-batch {} of query {} was committed before: replay skipped", batchId, runId);
            return BatchOutcome.replayed(batchId);
        }
        long start = System.nanoTime();
        // One Spark job per micro-batch: the clean rows are collected to the driver while an
        // observation counts every record read, and everything goes through this one connection, so a
        // single transaction covers the whole micro-batch and its ledger row: atomic without a
        // two-phase dance. Micro-batches are small (capped by --max-offsets-per-trigger); the
        // alternatives cost more: toLocalIterator() runs one job per Kafka partition, one after the
        // other, and coalesce(1).foreachPartition moves the transaction into a task whose retries we
        // would have to reason about.
        // an observation name can be used once per query, hence the attempt in it
        Observation observation = new Observation("read-" + batchId + "-" + attempt);
        Dataset<Row> cleaned = PinColumns.clean(batch.observe(observation, count(lit(1)).as("read")));
        // planned apart from the run only to time the two (collect reuses the same plan)
        cleaned.queryExecution().executedPlan();
        long planned = System.nanoTime();
        List<Row> clean = cleaned.collectAsList();
        long collected = System.nanoTime();
        long read = ((Number) Await.result(observation.future(), OBSERVATION_WAIT).getAs("read")).longValue();
        LatencyRecorder rows = new LatencyRecorder(clean.iterator(), INGESTED_AT);
        long written = PostgresUpsert.upsert(c, PinTable.PINS_STREAM, rows);
        RunLedger.BatchCounts counts = new RunLedger.BatchCounts(read, written, read - rows.count());
        RunLedger.record(c, runId, batchId, counts, Instant.now());
        c.commit();
        long committed = System.nanoTime();
        long[] latency = rows.latencies(Instant.now());
        if (counts.rejected() > 0) {
            logRejects(batch, batchId, counts.rejected());
        }
        return new BatchOutcome(batchId, counts.read(), counts.written(), counts.rejected(), false,
                latency[0], latency[1], latency[2],
                new BatchOutcome.WriterTimes(millis(planned - start), millis(collected - planned), millis(committed - collected)));
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** A few of the records that are not usable pins, so an operator can see what arrives. */
    private static void logRejects(Dataset<Row> batch, long batchId, long rejected) {
        log.warn("micro-batch {}: {} record(s) are not usable pins and were skipped; for example:", batchId, rejected);
        batch.filter(not(PinColumns.usable()))
                .select(col(PinColumns.KAFKA_PARTITION), col(PinColumns.KAFKA_OFFSET), col(KafkaPinSource.VALUE))
                .limit(SHOWN_REJECTS)
                .collectAsList()
                .forEach(r -> log.warn("  partition {} offset {}: {}", r.get(0), r.get(1), abbreviate(r.getString(2))));
    }

    private static String abbreviate(String value) {
        if (value == null) {
            return "<null value>";
        }
        return value.length() <= 200 ? value : value.substring(0, 200) + "…";
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
