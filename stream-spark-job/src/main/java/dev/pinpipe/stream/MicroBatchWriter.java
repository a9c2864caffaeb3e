package dev.pinpipe.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.core.db.RejectedPins;
import dev.pinpipe.spark.PinColumns;
import dev.pinpipe.spark.PostgresSettings;
import dev.pinpipe.spark.PostgresUpsert;
import dev.pinpipe.spark.Quarantine;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code foreachBatch} function: one micro-batch, one Postgres transaction holding the upsert
 * of its clean pins into pins_stream, its rejects (each record that is not a pin, with the reason)
 * in pins_rejected and its row in pipeline_runs, whose figures add up: read = written + rejected.
 * Either all are committed or none; a micro-batch Spark replays after a crash (same query id, same batch id, same offsets)
 * finds its row and is skipped. Runs on the driver, in the query's own thread.
 *
 * <p>The connection outlives the micro-batch: opening one (TCP, SCRAM authentication, session
 * set-up) cost 10–90 ms of every ~1 s micro-batch. Only the transaction is per micro-batch, so
 * reusing it changes nothing for exactly-once; after any failure the connection is closed and the
 * next attempt opens a fresh one.
 */
final class MicroBatchWriter implements VoidFunction2<Dataset<Row>, Long>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MicroBatchWriter.class);
    /** Where ingested_at is in a row of {@link #project}: after the reason, among the clean columns. */
    private static final int INGESTED_AT = 1 + PinColumns.CLEAN_COLUMNS.indexOf(PinColumns.INGESTED_AT);
    private static final int SHOWN_REJECTS = 5;
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
        // One Spark job per micro-batch: every record is collected to the driver, a clean row or a
        // reject with its reason (and, for a reject only, its raw bytes), so the records read are the
        // rows collected, and everything goes through this one connection: a single transaction
        // covers the micro-batch's pins, its rejects and its ledger row. Micro-batches are small
        // (capped by --max-offsets-per-trigger); the alternatives cost more: toLocalIterator() runs
        // one job per Kafka partition, one after the other, and coalesce(1).foreachPartition moves the
        // transaction into a task whose retries we would have to reason about.
        Dataset<Row> projected = project(batch, false);
        // planned apart from the run only to time the two (collect reuses the same plan)
        projected.queryExecution().executedPlan();
        long planned = System.nanoTime();
        Split split = Split.of(projected.collectAsList());
        long collected = System.nanoTime();
        LatencyRecorder latency = new LatencyRecorder(split.clean.iterator(), INGESTED_AT);
        latency.forEachRemaining(row -> { });
        long written;
        Savepoint beforeUpsert = c.setSavepoint();
        try {
            written = PostgresUpsert.upsert(c, PinTable.PINS_STREAM, split.clean.iterator());
            c.releaseSavepoint(beforeUpsert);
        } catch (SQLException | RuntimeException e) {
            if (!PostgresUpsert.isDataError(e)) {
                throw e;
            }
            // a row PostgreSQL refuses for its data would fail every retry and every restart: collect
            // the micro-batch again with every record's raw bytes, write the rows one half at a time
            // and quarantine the refused ones with PostgreSQL's message
            c.rollback(beforeUpsert);
            log.warn("micro-batch {}: PostgreSQL refused some row's data ({}); writing it in halves", batchId, e.getMessage());
            split = Split.of(project(batch, true).collectAsList());
            List<Quarantine.Rejected> rejects = split.rejects;
            written = PostgresUpsert.upsertOrRefuse(c, PinTable.PINS_STREAM, split.clean,
                    (row, why) -> rejects.add(Split.rejected(row, why)));
        }
        long rejected = quarantine(runId, batchId).upsert(c, split.rejects);
        RunLedger.BatchCounts counts = new RunLedger.BatchCounts(split.read, written, rejected);
        RunLedger.record(c, runId, batchId, counts, Instant.now());
        c.commit();
        long committed = System.nanoTime();
        long[] latencies = latency.latencies(Instant.now());
        if (counts.rejected() > 0) {
            logRejects(batchId, split.rejects);
        }
        return new BatchOutcome(batchId, counts.read(), counts.written(), counts.rejected(), false,
                latencies[0], latencies[1], latencies[2],
                new BatchOutcome.WriterTimes(millis(planned - start), millis(collected - planned), millis(committed - collected)));
    }

    private static Quarantine quarantine(String runId, long batchId) {
        return new Quarantine(RunLedger.JOB, runId, batchId);
    }

    /**
     * The micro-batch as one row per record: {@link PinColumns#REASON} (null for a pin to write), the
     * clean columns, and the record's topic, raw bytes (cut to {@link RejectedPins#MAX_RAW_BYTES}) and
     * whole length, for a reject only unless {@code rawForAll} (the fallback, which may quarantine a
     * row that has no reason).
     */
    static Dataset<Row> project(Dataset<Row> batch, boolean rawForAll) {
        Column reason = PinColumns.reason(KafkaPinSource.text());
        Column keep = rawForAll ? lit(true) : reason.isNotNull();
        List<Column> columns = new ArrayList<>();
        columns.add(reason.as(PinColumns.REASON));
        columns.addAll(PinColumns.cleanColumns());
        columns.add(when(keep, col(KafkaPinSource.TOPIC)).as(KafkaPinSource.TOPIC));
        columns.add(when(keep, substring(col(KafkaPinSource.VALUE), 1, RejectedPins.MAX_RAW_BYTES)).as(PostgresUpsert.RAW_VALUE));
        columns.add(when(keep, octet_length(col(KafkaPinSource.VALUE))).as(PostgresUpsert.RAW_LENGTH));
        return batch.select(columns.toArray(Column[]::new));
    }

    /** The collected rows of a micro-batch: the clean ones for the upsert, the others as rejects. */
    private record Split(long read, List<Row> clean, List<Quarantine.Rejected> rejects) {

        static Split of(List<Row> rows) {
            List<Row> clean = new ArrayList<>(rows.size());
            List<Quarantine.Rejected> rejects = new ArrayList<>();
            for (Row row : rows) {
                if (row.isNullAt(0)) {
                    clean.add(row);
                } else {
                    rejects.add(rejected(row, row.getString(0)));
                }
            }
            return new Split(rows.size(), clean, rejects);
        }

        static Quarantine.Rejected rejected(Row row, String reason) {
            String topic = row.getAs(KafkaPinSource.TOPIC);
            int partition = row.<Number>getAs(PinColumns.KAFKA_PARTITION).intValue();
            long offset = row.<Number>getAs(PinColumns.KAFKA_OFFSET).longValue();
            byte[] raw = row.getAs(PostgresUpsert.RAW_VALUE);
            Number length = row.getAs(PostgresUpsert.RAW_LENGTH);
            return new Quarantine.Rejected(RejectedPins.kafkaSource(topic, partition, offset), partition, offset,
                    raw == null ? new byte[0] : raw, length == null ? 0 : length.intValue(), reason);
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** A few of the records that are not pins, so an operator can see what arrives (all are in pins_rejected). */
    private static void logRejects(long batchId, List<Quarantine.Rejected> rejects) {
        log.warn("micro-batch {}: {} record(s) are not pins and were quarantined in {}; for example:", batchId,
                rejects.size(), RejectedPins.TABLE);
        rejects.stream().limit(SHOWN_REJECTS).forEach(r -> log.warn("  {}: {}: {}", r.source(), r.reason(), shown(r)));
    }

    private static String shown(Quarantine.Rejected r) {
        String value = new String(r.rawValue(), 0, Math.min(r.rawValue().length, 200), StandardCharsets.UTF_8);
        return r.rawLength() <= 200 ? value : value + "… (" + r.rawLength() + " bytes)";
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }
}
