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
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
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
 */
final class MicroBatchWriter implements VoidFunction2<Dataset<Row>, Long> {

    private static final Logger log = LoggerFactory.getLogger(MicroBatchWriter.class);
    private static final int INGESTED_AT = PinTable.COLUMNS.indexOf(PinColumns.INGESTED_AT);
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
            try (Connection c = postgres.connect()) {
                c.setAutoCommit(false);
                try {
                    outcomes.put(batchId, write(c, batch, runId, batchId, attempt, startedAt));
                    return;
                } catch (Exception e) {
                    rollbackQuietly(c, e);
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
        // One Spark job per micro-batch: the clean rows are collected to the driver while an
        // observation counts every record read, and everything goes through this one connection, so a
        // single transaction covers the whole micro-batch and its ledger row: atomic without a
        // two-phase dance. Micro-batches are small (capped by --max-offsets-per-trigger); the
        // alternatives cost more: toLocalIterator() runs one job per Kafka partition, one after the
        // other, and coalesce(1).foreachPartition moves the transaction into a task whose retries we
        // would have to reason about.
        // an observation name can be used once per query, hence the attempt in it
        Observation observation = new Observation("read-" + batchId + "-" + attempt);
        // processed_at is stamped here, not by clean()'s current_timestamp(): Spark folds that into a
        // literal inlined in the generated code, so every micro-batch would compile its classes anew
        // (seconds each, and code the JIT never gets to warm up). Without it, the code is the same
        // every batch and Spark's code cache serves it.
        List<Row> clean = PinColumns.clean(batch.observe(observation, count(lit(1)).as("read")))
                .drop(PinColumns.PROCESSED_AT)
                .collectAsList();
        long read = ((Number) Await.result(observation.future(), OBSERVATION_WAIT).getAs("read")).longValue();
        Timestamp processedAt = Timestamp.from(Instant.now());
        LatencyRecorder rows = new LatencyRecorder(clean.stream().map(row -> withProcessedAt(row, processedAt)).iterator(),
                INGESTED_AT);
        long written = PostgresUpsert.upsert(c, PinTable.PINS_STREAM, rows);
        RunLedger.BatchCounts counts = new RunLedger.BatchCounts(read, written, read - rows.count());
        RunLedger.record(c, runId, batchId, counts, Instant.now());
        c.commit();
        long[] latency = rows.latencies(Instant.now());
        if (counts.rejected() > 0) {
            logRejects(batch, batchId, counts.rejected());
        }
        return new BatchOutcome(batchId, counts.read(), counts.written(), counts.rejected(), false,
                latency[0], latency[1], latency[2]);
    }

    /** The row in {@link PinTable#COLUMNS} order: the clean columns, then processed_at (last). */
    private static Row withProcessedAt(Row row, Timestamp processedAt) {
        Object[] values = new Object[row.length() + 1];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        values[row.length()] = processedAt;
        return RowFactory.create(values);
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
