package dev.pinpipe.stream;

import dev.pinpipe.spark.PinColumns;
import org.apache.spark.sql.SparkSession;

/** One local SparkSession per test JVM: starting Spark costs seconds, queries are cheap. */
final class SharedSpark {

    private static SparkSession spark;

    private SharedSpark() {
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
                    .getOrCreate();
        }
        return spark;
    }
}
