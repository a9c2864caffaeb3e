package dev.pinpipe.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.octet_length;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.substring;
import static org.apache.spark.sql.functions.when;

import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.core.db.RejectedPins;
import dev.pinpipe.core.db.RunLedger;
import dev.pinpipe.spark.PinColumns;
import dev.pinpipe.spark.PostgresUpsert;
import dev.pinpipe.spark.Quarantine;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One run of the batch job in a given Spark session: archive days → {@link PinColumns#reason} and the
 * clean columns → {@link PostgresUpsert#write}: per Spark partition one transaction writes its pins
 * into {@code pins_batch} and quarantines its rejected lines in {@code pins_rejected}; the run is
 * recorded in {@code pipeline_runs} with counted facts: lines read (the scan's own count), rows
 * written and rows quarantined (accumulators of the committed partitions). The archive is read once.
 */
final class BatchRun {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);

    private final SparkSession spark;
    private final BatchArgs args;
    private final Clock clock;

    BatchRun(SparkSession spark, BatchArgs args, Clock clock) {
        this.spark = spark;
        this.args = args;
        this.clock = clock;
    }

    /** Runs and records the run; a failure is recorded as 'failed' (when Postgres can be reached) and rethrown. */
    BatchSummary run() throws SQLException {
        S3aSettings.hadoopConf(args).forEach(spark.sparkContext().hadoopConfiguration()::set);
        PinColumns.SPARK_CONF.forEach(spark.conf()::set);
        BatchJob.DEFAULT_SPARK_CONF.forEach((key, value) -> {
            if (!spark.sparkContext().getConf().contains(key)) {
                spark.conf().set(key, value);
            }
        });
        BatchSummary run = BatchSummary.start(UUID.randomUUID(), args.from(), args.to(), clock.instant());
        try (Connection c = args.postgres().connect()) {
            RunLedger.BATCH.started(c, run.runId().toString(), run.from(), run.to(), run.startedAt());
        }
        try {
            run = process(run);
        } catch (Exception e) { // also a Spark job failure, a checked exception thrown unchecked
            run = run.finished(RunLedger.Status.FAILED, clock.instant());
            try {
                recordFinished(run);
            } catch (SQLException recordFailure) {
                e.addSuppressed(recordFailure);
            }
            throw e;
        }
        run = run.finished(RunLedger.Status.SUCCEEDED, clock.instant());
        recordFinished(run);
        return run;
    }

    /** Completes the run's row in {@code pipeline_runs}, on a connection of its own. */
    private void recordFinished(BatchSummary run) throws SQLException {
        try (Connection c = args.postgres().connect()) {
            RunLedger.BATCH.finished(c, run.runId().toString(), run.counts(), run.status(), run.finishedAt());
        }
    }

    private BatchSummary process(BatchSummary run) {
        ArchiveReader archive = new ArchiveReader(spark, args.bucket(), args.prefix());
        List<String> folders = archive.existingFolders(args.days());
        if (folders.isEmpty()) {
            LOG.warn("no archive objects under {} for {}..{}: nothing to do", archive.folder(args.from()), args.from(), args.to());
            return run;
        }
        LOG.info("reading {} archive folder(s): {}", folders.size(), folders);

        Dataset<Row> raw = archive.read(folders);
        Quarantine quarantine = new Quarantine(RunLedger.BATCH.job(), run.runId().toString(), RunLedger.WHOLE_RUN);
        Dataset<Row> rows = project(raw, false);
        PostgresUpsert.WriteResult result;
        try {
            result = PostgresUpsert.write(rows, PinTable.PINS_BATCH, args.postgres(), quarantine, false);
        } catch (Exception e) { // Spark's job failure (SparkException) is a checked exception thrown unchecked
            if (!PostgresUpsert.isDataError(e)) {
                throw e;
            }
            // PostgreSQL refused some row the rules let through: again, every partition held in memory
            // and written in halves, the refused rows quarantined; committed partitions are rewritten
            // as they were (upserts keyed by pin and by source), so nothing doubles
            LOG.warn("PostgreSQL refused a row's data ({}); writing every partition again, row by row where refused", e.getMessage());
            rows = project(raw, true);
            result = PostgresUpsert.write(rows, PinTable.PINS_BATCH, args.postgres(), quarantine, true);
        }
        long read = linesRead(rows);
        if (result.rejected() > 0) {
            LOG.warn("{} of {} archived line(s) quarantined in {} (run_id {})", result.rejected(), read, RejectedPins.TABLE, run.runId());
        }
        if (read != result.written() + result.rejected()) {
            LOG.error("lines read {} != written {} + quarantined {}: recorded as counted", read, result.written(), result.rejected());
        }
        return run.counted(read, result.written(), result.rejected(), folders.size());
    }

    /**
     * The archive lines as rows for {@link PostgresUpsert#write}: the reason, the clean columns and,
     * for a rejected line (every line when {@code rawForAll}), its source, its first
     * {@link RejectedPins#MAX_RAW_BYTES} bytes and its length. The source is stable across re-runs, so
     * a re-run rewrites the quarantined row: {@code <object>#offset=<kafka offset>} for a line that
     * carries its lineage, else {@code <object>#sha256=<hash of the line>}.
     */
    static Dataset<Row> project(Dataset<Row> raw, boolean rawForAll) {
        Column line = col(ArchiveReader.LINE);
        Column reason = PinColumns.reason(line);
        Column keep = rawForAll ? lit(true) : reason.isNotNull();
        Column position = when(col(PinColumns.KAFKA_OFFSET).isNotNull(), concat(lit("#offset="), col(PinColumns.KAFKA_OFFSET)))
                .otherwise(concat(lit("#sha256="), sha2(line.cast(DataTypes.BinaryType), 256)));
        List<Column> columns = new ArrayList<>();
        columns.add(reason.as(PinColumns.REASON));
        columns.addAll(PinColumns.cleanColumns());
        columns.add(when(keep, concat(col(ArchiveReader.FILE), position)).as(PostgresUpsert.SOURCE));
        columns.add(when(keep, substring(line.cast(DataTypes.BinaryType), 1, RejectedPins.MAX_RAW_BYTES)).as(PostgresUpsert.RAW_VALUE));
        columns.add(when(keep, octet_length(line)).as(PostgresUpsert.RAW_LENGTH));
        return raw.select(columns.toArray(Column[]::new));
    }

    /**
     * The archive lines the write's query read: its scan's own row count ({@code numOutputRows}, one
     * row per line, corrupt ones included). Taken from the executed plan rather than with
     * {@code observe}, whose node splits the query's generated code and slows a JVM's first run
     * (docs/performance.md).
     */
    private static long linesRead(Dataset<Row> written) {
        long lines = 0;
        boolean counted = false;
        for (SparkPlan leaf : CollectionConverters.asJava(written.queryExecution().executedPlan().collectLeaves())) {
            Option<SQLMetric> rows = leaf.metrics().get("numOutputRows");
            if (rows.isDefined()) {
                lines += rows.get().value();
                counted = true;
            }
        }
        if (!counted) {
            throw new IllegalStateException("the archive scan reported no row count: " + written.queryExecution().executedPlan());
        }
        return lines;
    }
}
