package dev.pinpipe.stream;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingTimeWindowArrayReservoir;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.metrics.source.Source;

/**
 * The stream job's metrics for Prometheus. Spark's own PrometheusServlet serves them on the driver's
 * UI at {@link #PROMETHEUS_PATH}: Spark's streaming metrics of the query (input and processing rate,
 * the last micro-batch's or epoch's duration) and this source, {@value #SOURCE}, with what Spark does
 * not measure: the rows the writers committed and quarantined, and each written row's ack-to-row
 * latency, measured on the executor that wrote it and carried here by {@link StreamMetricsPlugin}.
 */
final class StreamMetrics implements Source {

    /** Fixed, so the series' names do not carry the application id. */
    static final String NAMESPACE = "pinpipe_stream";
    static final String SOURCE = "pinpipe";
    static final String ROWS_WRITTEN = "rowsWritten";
    static final String ROWS_REJECTED = "rowsRejected";
    static final String ACK_TO_ROW_MS = "ackToRowMs";
    /** Where the driver's UI serves every metric in Prometheus' text format. */
    static final String PROMETHEUS_PATH = "/metrics/prometheus/";

    /**
     * What the driver's {@link #PROMETHEUS_PATH} serves that the dashboards and the docs name: Spark's
     * streaming source of the query {@code pins-stream}, then this one. StreamJobProcessTest scrapes
     * the running job for every one of them; deploy-check holds the dashboards to this list.
     */
    static final List<String> SERIES = List.of(
            "metrics_pinpipe_stream_driver_spark_streaming_pins_stream_inputRate_total_Value",
            "metrics_pinpipe_stream_driver_spark_streaming_pins_stream_processingRate_total_Value",
            "metrics_pinpipe_stream_driver_spark_streaming_pins_stream_latency_Value",
            "metrics_pinpipe_stream_driver_pinpipe_rowsWritten_Count",
            "metrics_pinpipe_stream_driver_pinpipe_rowsRejected_Count",
            "metrics_pinpipe_stream_driver_pinpipe_ackToRowMs_Count",
            "metrics_pinpipe_stream_driver_pinpipe_ackToRowMs_50thPercentile",
            "metrics_pinpipe_stream_driver_pinpipe_ackToRowMs_99thPercentile",
            "metrics_pinpipe_stream_driver_pinpipe_ackToRowMs_Max");

    /**
     * The Spark settings behind it, for the session the job creates: the PrometheusServlet sink on
     * the driver's UI (and Spark's executor summaries at {@code /metrics/executors/prometheus/}), the
     * JVM's gauges, the streaming query's metrics, and the plugin that feeds this source.
     */
    static final Map<String, String> SPARK_CONF = Map.of(
            "spark.metrics.namespace", NAMESPACE,
            "spark.metrics.conf.*.sink.prometheusServlet.class", "org.apache.spark.metrics.sink.PrometheusServlet",
            "spark.metrics.conf.*.sink.prometheusServlet.path", PROMETHEUS_PATH.substring(0, PROMETHEUS_PATH.length() - 1),
            "spark.metrics.conf.driver.source.jvm.class", "org.apache.spark.metrics.source.JvmSource",
            "spark.ui.prometheus.enabled", "true",
            "spark.sql.streaming.metricsEnabled", "true");

    private final MetricRegistry registry = new MetricRegistry();
    private final Counter written = registry.counter(ROWS_WRITTEN);
    private final Counter rejected = registry.counter(ROWS_REJECTED);
    /** Quantiles over the last minute: an idle stream reads 0, not an old figure. */
    private final Histogram ackToRow = registry.register(ACK_TO_ROW_MS,
            new Histogram(new SlidingTimeWindowArrayReservoir(1, TimeUnit.MINUTES)));

    /** What one transaction of a writer committed, sent by the executor that ran it. */
    record Committed(int written, int rejected, long[] ackToRowMs) implements Serializable {
    }

    void record(Committed c) {
        written.inc(c.written());
        rejected.inc(c.rejected());
        for (long ms : c.ackToRowMs()) {
            ackToRow.update(ms);
        }
    }

    @Override
    public String sourceName() {
        return SOURCE;
    }

    @Override
    public MetricRegistry metricRegistry() {
        return registry;
    }
}
