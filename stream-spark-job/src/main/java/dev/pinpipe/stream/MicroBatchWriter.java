package dev.pinpipe.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.core.db.RejectedPins;
import dev.pinpipe.core.db.RunLedger;
import dev.pinpipe.spark.PinColumns;
import dev.pinpipe.spark.PostgresSettings;
import dev.pinpipe.spark.PostgresUpsert;
import dev.pinpipe.spark.Quarantine;
import java.sql.Connection;
import java.sql.SQLException;
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
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code foreachBatch} function. The executors write: each task upserts its Kafka partition's
 * clean pins into pins_stream and its rejects (each record that is not a pin, with the reason) into
 * pins_rejected in one transaction of its own ({@link PostgresUpsert#write}, the batch job's writer),
 * so no micro-batch passes through the driver. Then the driver records the micro-batch's row in
 * pipeline_runs, whose figures add up: read = written + rejected.
 *
 * <p>Exactly once without one transaction around it all: every write is an upsert keyed by pin (the
 * newest Kafka offset wins) or by record (pins_rejected), so a micro-batch Spark replays after a crash
 * (same query id, same batch id, same offsets) rewrites the same rows and changes nothing, whether it
 * died before, between or after its tasks' commits. A replay whose ledger row is there already is
 * skipped; one whose row is missing writes again and then records it.
 */
final class MicroBatchWriter implements VoidFunction2<Dataset<Row>, Long>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MicroBatchWriter.class);
    private static final long RETRY_FIRST_MILLIS = 500;
    private static final long RETRY_MAX_MILLIS = 10_000;
    /** The source of a quarantined record, by pin-core's one definition; a UDF only rejects call. */
    private static final UserDefinedFunction KAFKA_SOURCE = udf(
            (UDF3<String, Integer, Long, String>) RejectedPins::kafkaSource, DataTypes.StringType);

    private final PostgresSettings postgres;
    private final Map<Long, BatchOutcome> outcomes;
    /**
     * The query id keys pipeline_runs and survives restarts (it lives in the checkpoint). It is only
     * known once start() returns, while the first micro-batch may already be running: that batch
     * waits here for {@link #bindTo}.
     */
    private final CompletableFuture<String> queryId = new CompletableFuture<>();
    /** The driver's connection for the ledger; used by the query's thread only. */
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
     * would stop the query and the job, while Kafka keeps the records and every write is an upsert,
     * so writing the same batch again until Postgres answers is safe and resumes by itself.
     */
    @Override
    public void call(Dataset<Row> batch, Long batchId) throws Exception {
        String runId = queryId.get(5, TimeUnit.MINUTES);
        Instant startedAt = Instant.now();
        long backoffMillis = RETRY_FIRST_MILLIS;
        for (int attempt = 0; ; attempt++) {
            try {
                outcomes.put(batchId, write(batch, runId, batchId, startedAt));
                return;
            } catch (Exception e) {
                close();
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
            connection = postgres.connect();
        }
        return connection;
    }

    /** Closes the connection; the next micro-batch, if any, opens a new one. */
    @Override
    public void close() {
        closeQuietly(connection);
        connection = null;
    }

    /** Closes {@code c} if there is one; a failure to close only matters to the log. */
    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                log.debug("closing a PostgreSQL connection: {}", e.toString());
            }
        }
    }

    /**
     * Connection failures (08xxx), the server shutting down or starting (57P0x), out of resources
     * (53xxx), anywhere in the causes: a task's failure reaches the driver as Spark's exception with
     * the task's own as its cause.
     */
    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P0") || state.startsWith("53")) {
                    return true;
                }
            }
        }
        return false;
    }

    private BatchOutcome write(Dataset<Row> batch, String runId, long batchId, Instant startedAt) throws Exception {
        if (RunLedger.STREAM.isRecorded(connection(), runId, batchId)) {
            log.info("micro-batch {} of query {} was committed before: replay skipped", batchId, runId);
            return BatchOutcome.replayed(batchId);
        }
        long start = System.nanoTime();
        Dataset<Row> projected = project(batch, false);
        // planned apart from the run only to time the two (the write reuses the same plan)
        projected.queryExecution().executedPlan();
        long planned = System.nanoTime();
        Quarantine quarantine = new Quarantine(RunLedger.STREAM.job(), runId, batchId);
        PostgresUpsert.WriteResult result;
        try {
            result = PostgresUpsert.write(projected, PinTable.PINS_STREAM, postgres, quarantine, false, StreamMetricsPlugin::committed);
        } catch (Exception e) { // a failed Spark job (SparkException) is a checked exception thrown unchecked
            if (!PostgresUpsert.isDataError(e)) {
                throw e;
            }
            // a row PostgreSQL refuses for its data would fail every retry and every restart: write the
            // micro-batch again with every record's raw bytes, in halves down to the refused rows, which
            // are quarantined with PostgreSQL's message; what the first attempt committed is rewritten
            log.warn("micro-batch {}: PostgreSQL refused some row's data ({}); writing it in halves", batchId, e.getMessage());
            result = PostgresUpsert.write(project(batch, true), PinTable.PINS_STREAM, postgres, quarantine, true,
                    StreamMetricsPlugin::committed);
        }
        long written = System.nanoTime();
        RunLedger.Counts counts = new RunLedger.Counts(result.written() + result.rejected(),
                result.written(), result.rejected());
        RunLedger.STREAM.record(connection(), runId, batchId, counts, startedAt, Instant.now());
        long recorded = System.nanoTime();
        if (counts.rejected() > 0) {
            log.warn("micro-batch {}: {} record(s) are not pins and were quarantined in {} (run_id {}, batch_id {})",
                    batchId, counts.rejected(), RejectedPins.TABLE, runId, batchId);
        }
        return new BatchOutcome(batchId, counts.read(), counts.written(), counts.rejected(), false,
                new BatchOutcome.WriterTimes(millis(planned - start), millis(written - planned), millis(recorded - written)));
    }

    /**
     * The micro-batch as one row per record: {@link PinColumns#REASON} (null for a pin to write), the
     * clean columns, and the record's source, raw bytes (cut to {@link RejectedPins#MAX_RAW_BYTES}) and
     * whole length, for a reject only unless {@code rawForAll} (the careful write, which may quarantine
     * a row that has no reason).
     */
    static Dataset<Row> project(Dataset<Row> batch, boolean rawForAll) {
        Column reason = PinColumns.reason(KafkaPinSource.text());
        Column keep = rawForAll ? lit(true) : reason.isNotNull();
        Column source = KAFKA_SOURCE.apply(col(KafkaPinSource.TOPIC), col(PinColumns.KAFKA_PARTITION), col(PinColumns.KAFKA_OFFSET));
        List<Column> columns = new ArrayList<>();
        columns.add(reason.as(PinColumns.REASON));
        columns.addAll(PinColumns.cleanColumns());
        columns.add(when(keep, source).as(PostgresUpsert.SOURCE));
        columns.add(when(keep, substring(col(KafkaPinSource.VALUE), 1, RejectedPins.MAX_RAW_BYTES)).as(PostgresUpsert.RAW_VALUE));
        columns.add(when(keep, octet_length(col(KafkaPinSource.VALUE))).as(PostgresUpsert.RAW_LENGTH));
        return batch.select(columns.toArray(Column[]::new));
    }

    /** A row of {@link #project} as a reject, with its own reason or the one PostgreSQL gave. */
    static Quarantine.Rejected rejected(Row row, String reason) {
        int partition = row.<Number>getAs(PinColumns.KAFKA_PARTITION).intValue();
        long offset = row.<Number>getAs(PinColumns.KAFKA_OFFSET).longValue();
        byte[] raw = row.getAs(PostgresUpsert.RAW_VALUE);
        Number length = row.getAs(PostgresUpsert.RAW_LENGTH);
        return new Quarantine.Rejected(row.getAs(PostgresUpsert.SOURCE), partition, offset,
                raw == null ? new byte[0] : raw, length == null ? 0 : length.intValue(), reason);
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
