package dev.pinpipe.stream;

import dev.pinpipe.spark.PinColumns;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.SparkSession;
import scala.jdk.javaapi.CollectionConverters;

/** One local SparkSession per test JVM: starting Spark costs seconds, queries are cheap. */
final class SharedSpark {

    private static SparkSession spark;

    private SharedSpark() {
    }

    /** The driver's {@link StreamMetrics}, which the plugin registers with Spark's metrics system. */
    static StreamMetrics metrics() {
        session();
        return (StreamMetrics) CollectionConverters.asJava(SparkEnv.get().metricsSystem().getSourcesByName(StreamMetrics.SOURCE)).get(0);
    }

    static synchronized SparkSession session() {
        if (spark == null) {
            SparkSession.Builder builder = SparkSession.builder();
            PinColumns.SPARK_CONF.forEach(builder::config);
            spark = builder
                    .appName("stream-spark-job-tests")
                    .master(StreamJob.REAL_TIME_LOCAL_MASTER) // real-time mode needs a slot per partition
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false")
                    .config("spark.plugins", StreamMetricsPlugin.class.getName()) // as StreamJob.session() sets it
                    .getOrCreate();
        }
        return spark;
    }
}
