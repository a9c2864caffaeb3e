package dev.pinpipe.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.spark.PinColumns;
import dev.pinpipe.spark.PinSchema;
import dev.pinpipe.spark.PostgresUpsert;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Await;
import scala.concurrent.duration.Duration;

/**
 * One run of the batch job in a given Spark session: archive days → {@link PinColumns#clean} →
 * {@link PostgresUpsert#write} into {@code pins_batch}, recorded in {@code pipeline_runs}. The archive is
 * read once: the counts of lines read, unusable and corrupt are observed on the way to the write.
 */
final class BatchRun {

    private static final Logger LOG = LoggerFactory.getLogger(BatchRun.class);
    private static final long OBSERVATION_TIMEOUT_SECONDS = 60;

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

        Observation counts = new Observation("archive");
        Dataset<Row> raw = archive.read(folders).observe(counts,
                count(lit(1)).as("read"),
                count(when(col(PinSchema.CORRUPT_RECORD).isNotNull(), lit(1))).as("corrupt"));
        long written = PostgresUpsert.write(PinColumns.clean(raw), PinTable.PINS_BATCH, args.postgres());

        Row observed = observed(counts);
        long read = observed.getAs("read");
        // every usable line is written (clean keeps exactly those), so the rest were rejected; counting
        // them in the observation as well would evaluate the usable() test a second time per line
        long rejected = read - written;
        long corrupt = observed.getAs("corrupt");
        if (rejected > 0) {
            LOG.warn("{} of {} archived line(s) rejected: {} not JSON, {} with an unusable index, unique_id or category",
                    rejected, read, corrupt, rejected - corrupt);
        }
        return run.counted(read, rejected, corrupt, folders.size()).written(written);
    }

    /** The observed counts; Spark hands them over when the write's query completes, so a short bound suffices. */
    private static Row observed(Observation counts) {
        try {
            return Await.result(counts.future(), Duration.create(OBSERVATION_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the archive counts", e);
        } catch (Exception e) {
            throw new IllegalStateException("the archive counts did not arrive within " + OBSERVATION_TIMEOUT_SECONDS + " s", e);
        }
    }
}
