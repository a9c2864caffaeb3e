package dev.pinpipe.stream;

import dev.pinpipe.core.kafka.KafkaClientProperties;
import dev.pinpipe.spark.JobCommandLine;
import dev.pinpipe.spark.PinColumns;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/**
 * The speed layer: the topic ({@code Settings.TOPIC}) → the pin schema → the seven rules (pin-spark) → pins_stream,
 * exactly once across restarts from the checkpoint. In Real-time mode (the default) each Kafka
 * partition's long-running task writes its records as they arrive ({@link RealTimeWriter}); in
 * micro-batch mode the tasks of each micro-batch write it ({@link MicroBatchWriter}).
 */
public final class StreamJob {

    private static final Logger log = LoggerFactory.getLogger(StreamJob.class);
    private static final String QUERY_NAME = "pins-stream";
    /** How long a SIGTERM waits for the running micro-batch before stopping anyway. */
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(30);
    /** Spark's default is {@code (?i)url}: only JDBC URLs. */
    static final String REDACTED_OPTIONS = "spark.sql.redaction.options.regex";
    private static final String PLUGINS = "spark.plugins";
    private static final String CHECKPOINT_FILE_MANAGER = "spark.sql.streaming.checkpointFileManagerClass";
    /**
     * For a checkpoint on the local disk. Spark's default goes through Hadoop's FileContext, whose
     * local file system, without Hadoop's native library (never there in a plain java -cp run), starts
     * a {@code chmod} and several {@code ls} processes for every file it creates and renames. This
     * one writes the same way, a temporary file renamed into place, through the FileSystem API, which
     * needs no process; a rename on a local disk is atomic, so the checkpoint's guarantees stay.
     */
    private static final String LOCAL_CHECKPOINT_FILE_MANAGER =
            "org.apache.spark.sql.execution.streaming.checkpointing.FileSystemBasedCheckpointFileManager";

    /**
     * Real-time mode runs a task per Kafka partition, all at once, for a whole epoch: local mode needs
     * a slot for each whatever the cores (its tasks mostly wait for records).
     */
    static final String REAL_TIME_LOCAL_MASTER = "local[8]";

    private StreamJob() {
    }

    public static void main(String[] argv) throws Exception {
        int status = JobCommandLine.run(new StreamCommand(), argv, System.getenv(), System.out, System.err, StreamJob::run);
        if (status != 0) { // not after a SIGTERM's stop: exit would wait for the shutdown hooks that are running
            System.exit(status);
        }
    }

    /** Runs the query until it is stopped (0) or fails (1). */
    static int run(StreamArgs args) throws TimeoutException {
        SparkSession spark = session(args);
        StreamingQuery query = start(spark, args);
        // a real-time epoch runs for minutes: stop at once (its tasks have written what they read; the
        // restart replays the epoch over the same rows)
        GracefulStop.onShutdown(query, args.mode() == StreamArgs.Mode.REAL_TIME ? Duration.ZERO : STOP_PATIENCE);
        log.info("stream query {} reading {} from {} ({}), checkpoint {}, {}", query.id(), args.topic(),
                args.kafkaBootstrap(), args.kafkaProperties(), args.checkpoint(),
                args.mode() == StreamArgs.Mode.REAL_TIME ? "real-time mode, epoch " + args.epoch() : "micro-batches, trigger " + args.trigger());
        // ./pinpipe up and status print these; the UI's port moves on when 4040 is taken
        Option<String> ui = spark.sparkContext().uiWebUrl();
        if (ui.isDefined()) {
            log.info("Spark UI {}, metrics for Prometheus {}{}", ui.get(), ui.get(), StreamMetrics.PROMETHEUS_PATH);
        }
        try {
            query.awaitTermination();
            return 0;
        } catch (StreamingQueryException e) {
            log.error("stream query failed", e);
            return 1;
        }
    }

    /** Spark-submit's plugins, if any, and {@link StreamMetricsPlugin}. */
    static String withMetricsPlugin(String plugins) {
        String plugin = StreamMetricsPlugin.class.getName();
        return plugins.isBlank() ? plugin : List.of(plugins.split(",")).contains(plugin) ? plugins : plugins + "," + plugin;
    }

    /** Spark-submit's master when there is one (and no --master), else local. */
    static SparkSession session(StreamArgs args) {
        String master = args.master().orElse(new SparkConf().get("spark.master",
                args.mode() == StreamArgs.Mode.REAL_TIME ? REAL_TIME_LOCAL_MASTER : "local[*]"));
        SparkSession.Builder builder = SparkSession.builder().appName("pinpipe-stream").master(master);
        PinColumns.SPARK_CONF.forEach(builder::config); // what the seven rules need to run compiled
        StreamMetrics.SPARK_CONF.forEach(builder::config); // Prometheus on the driver's UI
        builder.config(PLUGINS, withMetricsPlugin(new SparkConf().get(PLUGINS, "")));
        // a plan's description masks the values of secret options, the Kafka source's kafka.sasl.jaas.config among them
        builder.config(REDACTED_OPTIONS, "(?i)url|" + KafkaClientProperties.SECRET_KEYS);
        if (master.startsWith("local")) {
            args.binding().localSparkConf().forEach(builder::config);
            args.binding().uiMismatch(System.getenv()).ifPresent(log::warn);
        }
        return builder.getOrCreate();
    }

    /** Starts the query with its writer and its metrics listener. */
    static StreamingQuery start(SparkSession spark, StreamArgs args) throws TimeoutException {
        return start(spark, args, UnaryOperator.identity());
    }

    /** @param around wraps the writer; tests use it to fail at chosen moments of a micro-batch */
    static StreamingQuery start(SparkSession spark, StreamArgs args,
                                UnaryOperator<VoidFunction2<Dataset<Row>, Long>> around) throws TimeoutException {
        Map<Long, BatchOutcome> outcomes = new ConcurrentHashMap<>();
        MicroBatchWriter writer = new MicroBatchWriter(args.postgres(), outcomes);
        BatchMetricsListener listener = new BatchMetricsListener(outcomes, args.metricsFile(), writer);
        spark.streams().addListener(listener);
        if (isLocal(args.checkpoint())) {
            spark.conf().set(CHECKPOINT_FILE_MANAGER, LOCAL_CHECKPOINT_FILE_MANAGER);
        }
        Dataset<Row> records = KafkaPinSource.read(spark, args);
        StreamingQuery query;
        if (args.mode() == StreamArgs.Mode.REAL_TIME) {
            // every record with its raw bytes: a row PostgreSQL refuses is quarantined from the task's buffer
            query = MicroBatchWriter.project(records, true)
                    .writeStream()
                    .queryName(QUERY_NAME)
                    .option("checkpointLocation", args.checkpoint())
                    .outputMode("update")
                    .trigger(Trigger.RealTime(args.epoch().toMillis()))
                    .foreach(new RealTimeWriter(args.postgres()))
                    .start();
        } else {
            query = records
                    .writeStream()
                    .queryName(QUERY_NAME)
                    .option("checkpointLocation", args.checkpoint())
                    .trigger(Trigger.ProcessingTime(args.trigger().toMillis()))
                    .foreachBatch(around.apply(writer))
                    .start();
        }
        listener.bindTo(spark, query);
        writer.bindTo(query);
        return query;
    }

    /** A plain path or a {@code file:} URI; anything else (s3a://, hdfs://) keeps Spark's default. */
    static boolean isLocal(String checkpoint) {
        return !checkpoint.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") || checkpoint.startsWith("file:");
    }
}
