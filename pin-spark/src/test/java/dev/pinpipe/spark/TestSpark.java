package dev.pinpipe.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession of a test JVM (Spark starts slowly; every test class shares it). Shipped
 * in pin-spark's test-jar so the job modules' tests use the same settings.
 */
public final class TestSpark {

    private static SparkSession session;

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .appName("pinpipe-test")
                    .master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    // tests build small DataFrames from local rows; without this the optimizer would evaluate
                    // the rules on them in its interpreted path instead of the generated code jobs run
                    .config("spark.sql.optimizer.excludedRules",
                            "org.apache.spark.sql.catalyst.optimizer.ConvertToLocalRelation")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop, "spark-test-stop"));
        }
        return session;
    }
}
