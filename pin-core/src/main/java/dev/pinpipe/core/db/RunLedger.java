package dev.pinpipe.core.db;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The table {@code pipeline_runs} (migration V1), one constant per job writing it: a row per batch run
 * or per streaming micro-batch (or per real-time task and epoch), keyed by (job, run_id, batch_id),
 * whose counts add up (read = written + rejected). Every statement on the table is here; each runs on
 * the caller's connection and leaves commit or auto-commit to it.
 */
public enum RunLedger {
    /** The batch job: one row per run, batch_id {@link #WHOLE_RUN}, with the days it read. */
    BATCH("batch"),
    /** The stream job: one row per micro-batch (Spark's batch id), or per real-time task and epoch. */
    STREAM("stream");

    public static final String TABLE = "pipeline_runs";
    /** The batch_id of a run that is not split into batches. */
    public static final long WHOLE_RUN = 0;

    /** A row's {@code status}. */
    public enum Status {
        RUNNING, SUCCEEDED, FAILED;

        /** As stored, e.g. {@code succeeded}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Rows read, rows written to the pins table, rows quarantined as not a usable pin. */
    public record Counts(long read, long written, long rejected) {
        public static final Counts NONE = new Counts(0, 0, 0);
    }

    /** The primary key's columns. */
    static final List<String> KEY_COLUMNS = List.of("job", "run_id", "batch_id");
    /** Every other column, in the order {@link #INSERT_SQL} binds them after the key. */
    static final List<String> VALUE_COLUMNS = List.of("date_from", "date_to", "started_at", "finished_at", "status",
            "rows_read", "rows_written", "rows_rejected");
    private static final String KEY = "(" + String.join(", ", KEY_COLUMNS) + ")";
    private static final String WHERE_KEY = " WHERE " + KEY_COLUMNS.stream().map(c -> c + " = ?").collect(Collectors.joining(" AND "));

    /** A new row; one already there under its key is an error (a run id used twice). */
    static final String INSERT_SQL = "INSERT INTO " + TABLE + " (" + String.join(", ", KEY_COLUMNS) + ", "
            + String.join(", ", VALUE_COLUMNS) + ") VALUES (" + "?, ".repeat(KEY_COLUMNS.size() + VALUE_COLUMNS.size() - 1) + "?)";
    /** A row, unless its key has one already. */
    static final String INSERT_ONCE_SQL = INSERT_SQL + " ON CONFLICT " + KEY + " DO NOTHING";
    /** A row, replacing every value of one already under its key. */
    static final String UPSERT_SQL = INSERT_SQL + " ON CONFLICT " + KEY + " DO UPDATE SET "
            + VALUE_COLUMNS.stream().map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
    static final String FINISH_SQL = "UPDATE " + TABLE
            + " SET finished_at = ?, status = ?, rows_read = ?, rows_written = ?, rows_rejected = ?" + WHERE_KEY;
    static final String EXISTS_SQL = "SELECT 1 FROM " + TABLE + WHERE_KEY;

    private final String job;

    RunLedger(String job) {
        this.job = job;
    }

    /** The {@code job} column of this job's rows (also the job of its quarantined records). */
    public String job() {
        return job;
    }

    /**
     * Inserts a whole run's row as 'running' with no counts, before the run reads anything, so a run
     * that dies leaves a trace. Fails if the run id has a row already.
     */
    public void started(Connection c, String runId, LocalDate from, LocalDate to, Instant startedAt) throws SQLException {
        insert(c, INSERT_SQL, runId, WHOLE_RUN, from, to, startedAt, null, Status.RUNNING, Counts.NONE);
    }

    /** Completes the row {@link #started} inserted with the run's counts and outcome; fails if there is none. */
    public void finished(Connection c, String runId, Counts counts, Status status, Instant finishedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FINISH_SQL)) {
            ps.setTimestamp(1, Timestamp.from(finishedAt));
            ps.setString(2, status.label());
            ps.setLong(3, counts.read());
            ps.setLong(4, counts.written());
            ps.setLong(5, counts.rejected());
            bindKey(ps, 6, runId, WHOLE_RUN);
            if (ps.executeUpdate() != 1) {
                throw new SQLException(TABLE + " has no row for " + job + " run " + runId);
            }
        }
    }

    /** Whether the batch has a row: a replay after a crash between its record and Spark's commit log. */
    public boolean isRecorded(Connection c, String runId, long batchId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EXISTS_SQL)) {
            bindKey(ps, 1, runId, batchId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Records a written batch as 'succeeded'. A row already there stays: the first record of a batch
     * is as true as a later one, as every replay reads the same offsets.
     */
    public void record(Connection c, String runId, long batchId, Counts counts, Instant startedAt, Instant finishedAt)
            throws SQLException {
        insert(c, INSERT_ONCE_SQL, runId, batchId, null, null, startedAt, finishedAt, Status.SUCCEEDED, counts);
    }

    /**
     * Writes a batch's row with what has been counted so far, replacing the row a previous attempt
     * left. {@code finishedAt} non-null marks the batch 'succeeded', else it stays 'running'.
     */
    public void upsertRunning(Connection c, String runId, long batchId, Counts counts, Instant startedAt,
                              Instant finishedAt) throws SQLException {
        Status status = finishedAt == null ? Status.RUNNING : Status.SUCCEEDED;
        insert(c, UPSERT_SQL, runId, batchId, null, null, startedAt, finishedAt, status, counts);
    }

    private void insert(Connection c, String sql, String runId, long batchId, LocalDate from, LocalDate to,
                        Instant startedAt, Instant finishedAt, Status status, Counts counts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bindKey(ps, 1, runId, batchId);
            ps.setDate(4, from == null ? null : Date.valueOf(from));
            ps.setDate(5, to == null ? null : Date.valueOf(to));
            ps.setTimestamp(6, Timestamp.from(startedAt));
            ps.setTimestamp(7, finishedAt == null ? null : Timestamp.from(finishedAt));
            ps.setString(8, status.label());
            ps.setLong(9, counts.read());
            ps.setLong(10, counts.written());
            ps.setLong(11, counts.rejected());
            ps.executeUpdate();
        }
    }

    private void bindKey(PreparedStatement ps, int first, String runId, long batchId) throws SQLException {
        ps.setString(first, job);
        ps.setString(first + 1, runId);
        ps.setLong(first + 2, batchId);
    }
}
