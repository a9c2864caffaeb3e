package dev.pinpipe.batch;

import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.spark.PinColumns;
import dev.pinpipe.spark.PostgresUpsert;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One run of the batch job in a given Spark session: archive days → {@link PinColumns#clean} →
 * {@link PostgresUpsert#write} into {@code pins_batch}, recorded in {@code pipeline_runs}. The archive is
 * read once for the write; the lines read are its scan's count, and only when some were rejected is
 * the archive read again to tell how many of them were not JSON.
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
        RunLedger ledger = new RunLedger(args.postgres());
        BatchSummary run = BatchSummary.start(UUID.randomUUID(), args.from(), args.to(), clock.instant());
        ledger.started(run);
        try {
            run = process(run);
        } catch (RuntimeException e) {
            run = run.finished(BatchSummary.Status.FAILED, clock.instant());
            try {
                ledger.finished(run);
            } catch (SQLException recordFailure) {
                e.addSuppressed(recordFailure);
            }
            throw e;
        }
        run = run.finished(BatchSummary.Status.SUCCEEDED, clock.instant());
        ledger.finished(run);
        return run;
    }

    private BatchSummary process(BatchSummary run) {
        ArchiveReader archive = new ArchiveReader(spark, args.bucket(), args.prefix());
        List<String> folders = archive.existingFolders(args.days());
        if (folders.isEmpty()) {
            LOG.warn("no archive objects under {} for {}..{}: nothing to do", archive.folder(args.from()), args.from(), args.to());
            return run;
        }
        LOG.info("reading {} archive folder(s): {}", folders.size(), folders);

        Dataset<Row> clean = PinColumns.clean(archive.read(folders));
        long written = PostgresUpsert.write(clean, PinTable.PINS_BATCH, args.postgres());
        long read = linesRead(clean);
        // every usable line is written (clean keeps exactly those), so the rest were rejected
        long rejected = read - written;
        long corrupt = rejected == 0 ? 0 : archive.countCorrupt(folders);
        if (rejected > 0) {
            LOG.warn("{} of {} archived line(s) rejected: {} not JSON, {} with an unusable index, unique_id or category",
                    rejected, read, corrupt, rejected - corrupt);
        }
        return run.counted(read, rejected, corrupt, folders.size()).written(written);
    }

    /**
     * The archive lines the write's query read: its scan's own row count ({@code numOutputRows}, one
     * row per line, corrupt ones included). Taken from the executed plan rather than with
     * {@code observe}: an observation adds a node that splits the query's generated code, and that
     * cost a job's first run in a JVM ~20 s of JIT compilation on 1 M pins (bench/batch/README.md).
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
