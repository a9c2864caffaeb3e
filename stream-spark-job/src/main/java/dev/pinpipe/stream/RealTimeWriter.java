package dev.pinpipe.stream;

import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.core.db.RunLedger;
import dev.pinpipe.spark.ExecutorConnections;
import dev.pinpipe.spark.PinColumns;
import dev.pinpipe.spark.PostgresSettings;
import dev.pinpipe.spark.PostgresUpsert;
import dev.pinpipe.spark.Quarantine;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.ForeachWriter;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real-time mode's sink: one long-running task per Kafka partition hands its records here as they
 * arrive; every {@link #FLUSH_MILLIS} (or {@link #MAX_ROWS} rows, {@link #MAX_BYTES}) one transaction upserts the clean
 * pins into pins_stream, quarantines the rejects in pins_rejected and updates this task's row in
 * pipeline_runs with what the task has read, written and rejected so far in this epoch.
 *
 * <p>Exactly once: every write is keyed (newest Kafka offset wins; rejects by source), so an epoch
 * Spark replays after a failure rewrites the same rows. Its ledger row, keyed by (query id and
 * Spark partition, epoch), is overwritten by the replay's own running counts, so the last attempt
 * of an epoch, the one Spark commits, is what pipeline_runs says; read = written + rejected in every
 * transaction. After each commit it tells {@link StreamMetricsPlugin} what it wrote.
 */
final class RealTimeWriter extends ForeachWriter<Row> {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(RealTimeWriter.class);
    /** How long a record may wait for its transaction: the floor of the job's latency. */
    static final long FLUSH_MILLIS = 25;
    static final int MAX_ROWS = 5_000;
    /** A backlog of large pins is written in chunks of about this size, never held whole. */
    static final long MAX_BYTES = 16L << 20;
    private static final String QUERY_ID = "sql.streaming.queryId";
    private static final long RETRY_FIRST_MILLIS = 200;
    private static final long CLOSE_PATIENCE_SECONDS = 30;
    private static final long RETRY_MAX_MILLIS = 10_000;

    private final PostgresSettings postgres;

    private transient Object lock;
    private transient String runId;
    private transient long epochId;
    private transient Quarantine quarantine;
    private transient List<Row> clean;
    private transient List<Quarantine.Rejected> rejects;
    private transient Instant startedAt;
    private transient long bufferedBytes;
    private transient long read;
    private transient long written;
    private transient long rejected;
    private transient Connection connection;
    private transient ScheduledExecutorService flusher;
    private transient volatile Exception failure;
    private transient volatile boolean closing;

    RealTimeWriter(PostgresSettings postgres) {
        this.postgres = postgres;
    }

    @Override
    public boolean open(long partitionId, long epochId) {
        lock = new Object();
        this.epochId = epochId;
        runId = TaskContext.get().getLocalProperty(QUERY_ID) + "/" + partitionId;
        quarantine = new Quarantine(RunLedger.STREAM.job(), runId, epochId);
        clean = new ArrayList<>();
        rejects = new ArrayList<>();
        startedAt = Instant.now();
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pinpipe-realtime-flush-" + partitionId);
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushInBackground, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
        return true;
    }

    @Override
    public void process(Row row) {
        rethrowFailure();
        synchronized (lock) {
            String reason = row.getAs(PinColumns.REASON);
            if (reason == null) {
                clean.add(row);
            } else {
                rejects.add(MicroBatchWriter.rejected(row, reason));
            }
            Number length = row.getAs(PostgresUpsert.RAW_LENGTH);
            bufferedBytes += length == null ? 0 : length.longValue();
            if (clean.size() + rejects.size() >= MAX_ROWS || bufferedBytes >= MAX_BYTES) {
                flush(false);
            }
        }
    }

    @Override
    public void close(Throwable error) {
        closing = true;
        if (flusher != null) {
            // a flush under way finishes first: interrupted, it would fail the task for nothing
            flusher.shutdown();
            try {
                flusher.awaitTermination(CLOSE_PATIENCE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            flusher.shutdownNow();
        }
        synchronized (lock) {
            try {
                if (error == null) {
                    rethrowFailure();
                    flush(true);
                }
            } finally {
                closeConnection();
            }
        }
    }

    private void flushInBackground() {
        try {
            synchronized (lock) {
                flush(false);
            }
        } catch (RuntimeException e) {
            if (!closing) { // else close() writes the buffer itself, or fails the task with its own error
                failure = e;
            }
            flusher.shutdown();
        }
    }

    private void rethrowFailure() {
        Exception e = failure;
        if (e != null) {
            throw new IllegalStateException("writing epoch " + epochId + " of " + runId + " failed", e);
        }
    }

    /**
     * Writes what is buffered in one transaction, waiting out a Postgres that is down (the buffer
     * stays, and the task's reading waits on the lock). {@code last}: the epoch's end, which marks
     * the ledger row succeeded even when nothing is buffered.
     */
    private void flush(boolean last) {
        if (clean.isEmpty() && rejects.isEmpty() && (!last || read == 0)) {
            return;
        }
        long backoffMillis = RETRY_FIRST_MILLIS;
        while (true) {
            try {
                writeBuffered(last);
                return;
            } catch (SQLException | RuntimeException e) {
                closeConnection();
                if (!MicroBatchWriter.isTransient(e)) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
                log.warn("epoch {} of {}: PostgreSQL unavailable ({}); retrying in {} ms", epochId, runId,
                        e.getMessage(), backoffMillis);
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for PostgreSQL", interrupted);
                }
                backoffMillis = Math.min(backoffMillis * 2, RETRY_MAX_MILLIS);
            }
        }
    }

    private void writeBuffered(boolean last) throws SQLException {
        Connection c = connection();
        int w;
        int q;
        long[] ingestedAt;
        try {
            List<Quarantine.Rejected> quarantined = new ArrayList<>(rejects);
            Set<Row> refused = Collections.newSetFromMap(new IdentityHashMap<>());
            w = PostgresUpsert.upsertOrRefuse(c, PinTable.PINS_STREAM, clean, (row, why) -> {
                refused.add(row);
                quarantined.add(MicroBatchWriter.rejected(row, why));
            });
            q = quarantine.upsert(c, quarantined);
            RunLedger.Counts counts = new RunLedger.Counts(read + clean.size() + rejects.size(), written + w, rejected + q);
            RunLedger.STREAM.upsertRunning(c, runId, epochId, counts, startedAt, last ? Instant.now() : null);
            ingestedAt = clean.stream().filter(row -> !refused.contains(row))
                    .map(row -> row.<Object>getAs(PinColumns.INGESTED_AT)).filter(Objects::nonNull)
                    .mapToLong(RealTimeWriter::epochMicros).toArray();
            c.commit();
            read = counts.read();
            written = counts.written();
            rejected = counts.rejected();
            clean.clear();
            rejects.clear();
            bufferedBytes = 0;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
        StreamMetricsPlugin.committed(w, q, ingestedAt);
    }

    /** A row's timestamp as Spark hands it over: {@code Timestamp}, or {@code Instant} with the Java 8 time API on. */
    private static long epochMicros(Object timestamp) {
        Instant t = timestamp instanceof Timestamp ts ? ts.toInstant() : (Instant) timestamp;
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = ExecutorConnections.borrow(postgres);
            c.setAutoCommit(false);
            connection = c;
        }
        return connection;
    }

    private void closeConnection() {
        MicroBatchWriter.closeQuietly(connection);
        connection = null;
    }
}
