package dev.pinpipe.stream;

import java.util.Map;
import java.util.stream.LongStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark plugin ({@code spark.plugins}) that carries {@link StreamMetrics} from where rows are
 * written to where they are served: after each commit, the executor that wrote sends what it
 * committed to the driver (Spark's plugin RPC), which counts it into the metrics source. In local mode
 * both sides are this JVM; on a cluster the executors' figures reach the driver's endpoint all the same.
 */
public final class StreamMetricsPlugin implements SparkPlugin {

    private static final Logger log = LoggerFactory.getLogger(StreamMetricsPlugin.class);

    /** This JVM's executor side, once Spark has started it; null without the plugin. */
    private static volatile PluginContext executor;

    @Override
    public DriverPlugin driverPlugin() {
        return new DriverPlugin() {
            private final StreamMetrics metrics = new StreamMetrics();

            @Override
            public void registerMetrics(String appId, PluginContext context) {
                SparkEnv.get().metricsSystem().registerSource(metrics);
            }

            @Override
            public Object receive(Object message) {
                if (message instanceof StreamMetrics.Committed committed) {
                    metrics.record(committed);
                }
                return null;
            }
        };
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return new ExecutorPlugin() {
            @Override
            public void init(PluginContext context, Map<String, String> extraConf) {
                executor = context;
            }

            @Override
            public void shutdown() {
                executor = null;
            }
        };
    }

    /**
     * Called by a writer on the executor once its transaction has committed: the rows written and
     * quarantined, and the written rows' Kafka timestamps (epoch microseconds). Never throws: metrics
     * never stop the stream. Does nothing in a session started without the plugin.
     */
    static void committed(int written, int rejected, long[] ingestedAtMicros) {
        PluginContext context = executor;
        if (context == null) {
            return;
        }
        long now = System.currentTimeMillis();
        long[] ackToRowMs = LongStream.of(ingestedAtMicros).map(micros -> now - micros / 1000).toArray();
        try {
            context.send(new StreamMetrics.Committed(written, rejected, ackToRowMs));
        } catch (Exception e) {
            log.debug("stream metrics not sent: {}", e.toString());
        }
    }
}
