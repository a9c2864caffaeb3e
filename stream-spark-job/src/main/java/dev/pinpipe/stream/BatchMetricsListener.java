package dev.pinpipe.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.pinpipe.core.PinJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per micro-batch in the log, and the same figures as one JSON line in the metrics file
 * (read by bench/stream): Spark's progress (input and processing rate, batch duration) joined with
 * what the writer saw (rows read / written / rejected, where its time went) and the CPU time the JVM used since the previous micro-batch, a figure that a busy
 * machine distorts far less than durations.
 */
final class BatchMetricsListener extends StreamingQueryListener {

    private static final Logger log = LoggerFactory.getLogger(BatchMetricsListener.class);

    private static final List<String> PHASES =
            List.of("latestOffset", "walCommit", "queryPlanning", "getBatch", "addBatch", "commitOffsets");

    private final Map<Long, BatchOutcome> outcomes;
    private final Path metricsFile;
    private final AutoCloseable onTermination;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long lastCpuNanos = os.getProcessCpuTime();
    /**
     * The one run this listener reports on: a session may run other queries, or a restart of this
     * one (same id, new run id) with a listener of its own.
     */
    private volatile UUID runId;
    private volatile SparkSession spark;

    /** @param onTermination closed once the query has terminated (the writer's connection) */
    BatchMetricsListener(Map<Long, BatchOutcome> outcomes, Path metricsFile, AutoCloseable onTermination) {
        this.outcomes = outcomes;
        this.metricsFile = metricsFile;
        this.onTermination = onTermination;
        try {
            Path parent = metricsFile.toAbsolutePath().getParent();
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder of " + metricsFile, e);
        }
    }

    void bindTo(SparkSession spark, StreamingQuery query) {
        this.spark = spark;
        this.runId = query.runId();
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress p = event.progress();
        if (!p.runId().equals(runId)) {
            return;
        }
        BatchOutcome o = outcomes.remove(p.batchId());
        if (o == null) {
            if (p.numInputRows() > 0) { // real-time mode: an epoch's end (its tasks wrote as they read)
                log.info("epoch {}: {} records in {} ms", p.batchId(), p.numInputRows(),
                        p.durationMs().getOrDefault("triggerExecution", -1L));
            }
            return; // else an idle progress report: no micro-batch ran
        }
        long durationMs = p.durationMs().getOrDefault("triggerExecution", -1L);
        Map<String, Long> phases = phases(p);
        BatchOutcome.WriterTimes w = o.times();
        long cpuNanos = os.getProcessCpuTime();
        long cpuMs = (cpuNanos - lastCpuNanos) / 1_000_000;
        lastCpuNanos = cpuNanos;
        log.info("micro-batch {}: {} read, {} written, {} rejected{}; input {} rows/s, processed {} rows/s; "
                        + "batch {} ms {}, writer {plan={}, sparkJob={}, postgres={}}; JVM CPU {} ms",
                o.batchId(), o.rowsRead(), o.rowsWritten(), o.rowsRejected(), o.replay() ? " (replay skipped)" : "",
                rate(p.inputRowsPerSecond()), rate(p.processedRowsPerSecond()), durationMs, phases,
                w.planMs(), w.sparkJobMs(), w.postgresMs(), cpuMs);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", p.timestamp());
        line.put("queryId", p.id().toString());
        line.put("batchId", o.batchId());
        line.put("replay", o.replay());
        line.put("rowsRead", o.rowsRead());
        line.put("rowsWritten", o.rowsWritten());
        line.put("rowsRejected", o.rowsRejected());
        line.put("inputRowsPerSecond", rate(p.inputRowsPerSecond()));
        line.put("processedRowsPerSecond", rate(p.processedRowsPerSecond()));
        line.put("batchDurationMs", durationMs);
        line.put("phasesMs", phases);
        Map<String, Long> writer = new LinkedHashMap<>();
        writer.put("plan", w.planMs());
        writer.put("sparkJob", w.sparkJobMs());
        writer.put("postgres", w.postgresMs());
        line.put("writerMs", writer);
        line.put("cpuMs", cpuMs);
        append(line);
    }

    @Override
    public void onQueryIdle(QueryIdleEvent event) {
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        if (!event.runId().equals(runId)) {
            return;
        }
        spark.streams().removeListener(this);
        try {
            onTermination.close();
        } catch (Exception e) {
            log.debug("after the query: {}", e.toString());
        }
        if (event.exception().isDefined()) {
            log.error("stream query {} failed: {}", event.id(), event.exception().get());
        } else {
            log.info("stream query {} stopped", event.id());
        }
    }

    private void append(Map<String, Object> line) {
        try {
            Files.writeString(metricsFile, PinJson.MAPPER.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            log.warn("cannot append to {}: {}", metricsFile, e.toString()); // metrics never stop the stream
        }
    }

    /**
     * Where the micro-batch's time went, in Spark's own names (addBatch is our writer: the Spark job
     * and the Postgres transaction; walCommit and commitOffsets are the checkpoint's two writes), so a
     * slow batch can be told apart from a slow checkpoint without a profiler.
     */
    private static Map<String, Long> phases(StreamingQueryProgress p) {
        Map<String, Long> phases = new LinkedHashMap<>();
        for (String phase : PHASES) {
            Long ms = p.durationMs().get(phase);
            if (ms != null) {
                phases.put(phase, ms);
            }
        }
        return phases;
    }

    private static double rate(double rowsPerSecond) {
        return Double.isNaN(rowsPerSecond) ? 0 : Math.round(rowsPerSecond * 10) / 10.0;
    }
}
