package dev.pinpipe.batch;

import dev.pinpipe.spark.JobCommandLine;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The batch layer's Spark application: {@code BatchJob [--date YYYY-MM-DD | --from … --to …] [options]}
 * (see {@link BatchCommand}, or {@code --help}). Prints a one-line summary; exit status 0 on success or an empty day,
 * 1 on failure, 2 on bad arguments. Runs in {@code local[*]} by default, or under spark-submit with
 * the master it was given.
 */
public final class BatchJob {

    /**
     * Smaller read partitions than Spark's 128 MB, so the cores stay busy to the end and one task's
     * upsert overlaps the next tasks' reading and cleaning (docs/performance.md). BatchRun sets it only when the application did not choose a value itself (e.g.
     * {@code spark-submit --conf spark.sql.files.maxPartitionBytes=…} on a cluster).
     */
    public static final Map<String, String> DEFAULT_SPARK_CONF = Map.of("spark.sql.files.maxPartitionBytes", "32m");

    private BatchJob() {
    }

    public static void main(String[] argv) throws Exception {
        System.exit(run(argv, System.getenv(), System.out, System.err));
    }

    static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) throws Exception {
        return JobCommandLine.run(new BatchCommand(Clock.systemUTC()), argv, env, out, err, args -> {
            SparkSession spark = session(args);
            try {
                return execute(spark, args, out, err);
            } finally {
                spark.stop();
            }
        });
    }

    /**
     * Runs in an existing session (tests and the benchmark share one) and prints the summary; returns
     * the exit status. The session gets the run's S3A settings.
     */
    public static int execute(SparkSession spark, BatchArgs args, PrintStream out, PrintStream err) {
        try {
            BatchSummary summary = new BatchRun(spark, args, Clock.systemUTC()).run();
            out.println(summary.line());
            if (summary.daysFound() == 0) {
                err.println("batch: warning: no archive objects for " + args.from()
                        + (args.to().equals(args.from()) ? "" : ".." + args.to()) + " in s3a://" + args.bucket() + "/" + args.prefix());
            }
            return 0;
        } catch (Exception e) {
            err.println("batch: failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    private static SparkSession session(BatchArgs args) {
        SparkSession.Builder builder = SparkSession.builder().appName("pinpipe-batch");
        String master = args.masterOr(new SparkConf().getOption("spark.master").getOrElse(() -> null));
        if (master != null) {
            builder.master(master);
        }
        if (master != null && master.startsWith("local")) {
            // one run needs no UI; the driver's ports listen on the bind address (loopback by default)
            args.binding().localSparkConf().forEach(builder::config);
            builder.config("spark.ui.enabled", "false");
        }
        S3aSettings.sparkConf(args).forEach(builder::config);
        return builder.getOrCreate();
    }
}
