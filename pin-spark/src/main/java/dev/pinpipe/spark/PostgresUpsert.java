package dev.pinpipe.spark;

import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.spark.BinaryCopy.PgType;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.execution.SQLExecution;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import scala.Option;

/**
 * The one place that knows how clean pins reach PostgreSQL: COPY into a temporary staging table, then
 * a plain insert ({@link PinTable#insertFromStagingSql}) and, only when some pin was in the table
 * already, pin-core's {@code INSERT … SELECT … ON CONFLICT} upsert ({@link PinTable#upsertFromStagingSql}).
 * Spark's JDBC writer cannot upsert, and COPY is the fastest way in (bench/README.md, Reference ceilings).
 *
 * <p>Rows are those of {@link PinColumns#clean}: the columns of {@link PinColumns#CLEAN_COLUMNS}, by
 * name when the row carries a schema, else by position in that order (a row may carry more columns;
 * they are not written). {@code processed_at} is never copied: the staging table is created
 * {@code LIKE} the target {@code INCLUDING DEFAULTS}, so its {@code DEFAULT now()} stamps every row
 * with the time of the writing transaction, and the upsert carries it into the table (a re-run
 * refreshes it).
 */
public final class PostgresUpsert {

    /** Temporary tables are per session; a counter keeps two upserts in one transaction apart. */
    private static final AtomicLong STAGING_SEQUENCE = new AtomicLong();
    private static final String UNIQUE_VIOLATION = "23505";
    private PostgresUpsert() {
    }

    /**
     * Upserts {@code rows} into {@code table} inside the caller's transaction (the connection must
     * not be in auto-commit; this method neither commits nor rolls back). Returns the number of rows
     * written, i.e. copied into the staging table and handed to the upsert; the table may end up
     * with fewer when a {@code unique_id} repeats within the rows (the highest offset wins) or the
     * table already holds a newer offset of a pin.
     */
    public static int upsert(Connection connection, PinTable table, Iterator<Row> rows) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("upsert runs inside the caller's transaction: turn auto-commit off");
        }
        if (!rows.hasNext()) {
            return 0;
        }
        PgType[] types = columnTypes(connection, table);
        return copyAndUpsert(connection, table, copy -> {
            int[] positions = null;
            while (rows.hasNext()) {
                Row row = rows.next();
                if (positions == null) {
                    positions = positions(row);
                }
                copy.row(positions.length);
                for (int i = 0; i < positions.length; i++) {
                    copy.field(row, positions[i], types[i]);
                }
            }
        });
    }

    /**
     * Writes a clean Dataset ({@link PinColumns#clean}): per Spark partition one connection and one
     * transaction around the COPY and the upsert. Returns the rows written over all partitions.
     * See {@link #write(Dataset, PinTable, PostgresSettings, Quarantine, boolean)}.
     */
    public static long write(Dataset<Row> clean, PinTable table, PostgresSettings settings) {
        return write(clean, table, settings, null, false).written();
    }

    /** The columns a job's rows carry beside {@link PinColumns#REASON} for the rows that go to {@code pins_rejected}. */
    public static final String SOURCE = "reject_source";
    public static final String RAW_VALUE = "raw_value";
    public static final String RAW_LENGTH = "raw_length";

    /** What one write did: rows handed to the upsert and rows quarantined, over every partition. */
    public record WriteResult(long written, long rejected) {
    }

    /**
     * Told on the executor, once a partition's transaction has committed, what it wrote: the rows
     * written and quarantined, and the written rows' {@code ingested_at} (epoch microseconds; rows
     * without one left out), so a caller can measure each row's ack-to-row latency where it was written.
     */
    @FunctionalInterface
    public interface Committed extends Serializable {
        void committed(int written, int rejected, long[] ingestedAtMicros);
    }

    /**
     * Writes rows to {@code table} per Spark partition, one pooled connection ({@link ExecutorConnections}) and one transaction each: the
     * rows whose {@link PinColumns#REASON} is null are COPYed and upserted; the others go to
     * {@code pins_rejected} through {@code quarantine} in the same transaction, from the columns
     * {@link #SOURCE}, {@link #RAW_VALUE} (binary), {@link #RAW_LENGTH} (int) and the lineage. Rows
     * without a {@link PinColumns#REASON} column are all written (then {@code quarantine} may be null).
     * Counted by accumulators, which Spark applies once per successful task of an action.
     *
     * <p>Normally ({@code careful} false) a partition streams into the COPY. Should PostgreSQL still
     * refuse a row for its data ({@link #isDataError}: a value the rules let through that the
     * database cannot hold), the partition rolls back and the job fails with a {@link DataError}; the
     * caller then writes again with {@code careful} true and a {@link #SOURCE} and {@link #RAW_VALUE}
     * for every row: each partition is held in memory, written in halves under savepoints down to the
     * single rows PostgreSQL refuses, and those are quarantined with its message as the reason. Every
     * transaction is an upsert keyed as before, so writing again after a partial failure doubles nothing.
     *
     * <p>The partitions are written from Spark's internal rows ({@code queryExecution().toRdd()}): a
     * clean pin's strings go to the COPY as the UTF-8 bytes Spark holds, never turned into Java
     * objects and back. The job still runs as one SQL execution of the Dataset, so its scan metrics
     * are those of the write.
     */
    public static WriteResult write(Dataset<Row> rows, PinTable table, PostgresSettings settings, Quarantine quarantine,
                                    boolean careful) {
        return write(rows, table, settings, quarantine, careful, null);
    }

    /** {@link #write(Dataset, PinTable, PostgresSettings, Quarantine, boolean)}, telling {@code committed} (if not null) of each partition's commit. */
    public static WriteResult write(Dataset<Row> rows, PinTable table, PostgresSettings settings, Quarantine quarantine,
                                    boolean careful, Committed committed) {
        PgType[] types;
        try (Connection connection = settings.connect()) {
            types = columnTypes(connection, table);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the columns of " + table.tableName() + " in " + settings.jdbcUrl(), e);
        }
        StructType schema = rows.schema();
        int[] ordinals = ordinals(schema, types);
        RejectColumns rejectColumns = RejectColumns.of(schema, ordinals);
        if (rejectColumns != null && quarantine == null) {
            throw new IllegalArgumentException("rows with a " + PinColumns.REASON + " column need a quarantine");
        }
        if (careful && rejectColumns == null) {
            throw new IllegalArgumentException("a careful write needs the " + PinColumns.REASON + " and reject columns");
        }
        int ingestedAt = ordinals[PinColumns.CLEAN_COLUMNS.indexOf(PinColumns.INGESTED_AT)];
        LongAccumulator written = rows.sparkSession().sparkContext().longAccumulator("rows written to " + table.tableName());
        LongAccumulator rejected = rows.sparkSession().sparkContext().longAccumulator("rows quarantined");
        QueryExecution execution = rows.queryExecution();
        VoidFunction<Iterator<InternalRow>> writePartition = input -> {
            if (!input.hasNext()) {
                return;
            }
            try (Connection connection = ExecutorConnections.borrow(settings)) {
                connection.setAutoCommit(false);
                LongStream.Builder times = LongStream.builder();
                int n;
                int q;
                try {
                    List<Quarantine.Rejected> rejects = new ArrayList<>();
                    if (careful) {
                        List<InternalRow> clean = new ArrayList<>();
                        while (input.hasNext()) {
                            InternalRow row = input.next();
                            if (rejectColumns.isRejected(row)) {
                                rejects.add(rejectColumns.rejected(row, null));
                            } else {
                                clean.add(row.copy());
                            }
                        }
                        Set<InternalRow> refused = Collections.newSetFromMap(new IdentityHashMap<>());
                        n = writeOrRefuse(connection, clean,
                                chunk -> copyAndUpsert(connection, table, copy -> {
                                    for (InternalRow row : chunk) {
                                        copyRow(copy, row, ordinals, types);
                                    }
                                }),
                                (row, why) -> {
                                    refused.add(row);
                                    rejects.add(rejectColumns.rejected(row, why));
                                });
                        if (committed != null) {
                            clean.stream().filter(row -> !refused.contains(row)).forEach(row -> addTime(times, row, ingestedAt));
                        }
                    } else {
                        n = copyAndUpsert(connection, table, copy -> {
                            while (input.hasNext()) {
                                InternalRow row = input.next();
                                if (rejectColumns != null && rejectColumns.isRejected(row)) {
                                    rejects.add(rejectColumns.rejected(row, null));
                                } else {
                                    copyRow(copy, row, ordinals, types);
                                    if (committed != null) {
                                        addTime(times, row, ingestedAt);
                                    }
                                }
                            }
                        });
                    }
                    q = rejects.isEmpty() ? 0 : quarantine.upsert(connection, rejects);
                    connection.commit();
                    written.add(n);
                    rejected.add(q);
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    if (!careful && isDataError(e)) {
                        throw new DataError(e);
                    }
                    throw e;
                }
                if (committed != null) {
                    committed.committed(n, q, times.build().toArray());
                }
            }
        };
        SQLExecution.withNewExecutionId(execution, Option.apply("upsert into " + table.tableName()), () -> {
            execution.toRdd().toJavaRDD().foreachPartition(writePartition);
            return null;
        });
        return new WriteResult(written.value(), rejected.value());
    }

    private static void addTime(LongStream.Builder times, InternalRow row, int ordinal) {
        if (!row.isNullAt(ordinal)) {
            times.add(row.getLong(ordinal));
        }
    }

    private static void copyRow(BinaryCopy copy, InternalRow row, int[] ordinals, PgType[] types) throws SQLException {
        copy.row(ordinals.length);
        for (int i = 0; i < ordinals.length; i++) {
            copy.field(row, ordinals[i], types[i]);
        }
    }

    /** Where a row's reject columns are; null when the rows have no {@link PinColumns#REASON}. */
    private record RejectColumns(int reason, int source, int rawValue, int rawLength, int partition, int offset)
            implements Serializable {

        static RejectColumns of(StructType schema, int[] cleanOrdinals) {
            if (!List.of(schema.fieldNames()).contains(PinColumns.REASON)) {
                return null;
            }
            return new RejectColumns(schema.fieldIndex(PinColumns.REASON), schema.fieldIndex(SOURCE),
                    schema.fieldIndex(RAW_VALUE), schema.fieldIndex(RAW_LENGTH),
                    cleanOrdinals[PinColumns.CLEAN_COLUMNS.indexOf(PinColumns.KAFKA_PARTITION)],
                    cleanOrdinals[PinColumns.CLEAN_COLUMNS.indexOf(PinColumns.KAFKA_OFFSET)]);
        }

        boolean isRejected(InternalRow row) {
            return !row.isNullAt(reason);
        }

        /** The row as a reject, with its own reason or {@code refusedBecause}. */
        Quarantine.Rejected rejected(InternalRow row, String refusedBecause) {
            return new Quarantine.Rejected(
                    row.isNullAt(source) ? "unknown" : row.getUTF8String(source).toString(),
                    row.isNullAt(partition) ? null : row.getInt(partition),
                    row.isNullAt(offset) ? null : row.getLong(offset),
                    row.isNullAt(rawValue) ? new byte[0] : row.getBinary(rawValue),
                    row.isNullAt(rawLength) ? 0 : row.getInt(rawLength),
                    refusedBecause != null ? refusedBecause : row.getUTF8String(reason).toString());
        }
    }

    /**
     * A partition's write failed because PostgreSQL (or the COPY encoder) refused a row's data; its
     * transaction was rolled back. The caller writes again carefully (see {@link #write}).
     */
    public static final class DataError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DataError(Throwable cause) {
            super("a row's data was refused: " + refusal(cause), cause);
        }
    }

    /**
     * A failure caused by one row's data rather than by the database or the writer: an SQLSTATE of
     * class 22 (data exception, e.g. an invalid byte sequence) or 23 (integrity constraint),
     * 54000 (a value past a limit), a value the binary COPY cannot encode, or a {@link DataError}
     * (also when it comes back from a Spark task inside a job failure). Such a failure never heals by
     * retrying; every other one is not a data error.
     */
    public static boolean isDataError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof DataError || t instanceof BinaryCopy.BadValue) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("22") || state.startsWith("23") || state.equals("54000")) {
                    return true;
                }
            }
            // a task failure whose exception did not travel back with it still names it
            if (t.getMessage() != null && t.getMessage().contains(DataError.class.getName())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** PostgreSQL's own message for a refused row (no statement text, no data), or the encoder's. */
    static String refusal(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                ServerErrorMessage server = psql.getServerErrorMessage();
                return "PostgreSQL refused the row: " + server.getMessage() + " (SQLSTATE " + server.getSQLState() + ")";
            }
            if (t instanceof BinaryCopy.BadValue bad) {
                return bad.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return String.valueOf(failure.getMessage());
    }

    /**
     * Upserts {@code rows} ({@link #upsert}'s rows) inside the caller's transaction, and when
     * PostgreSQL refuses some for their data ({@link #isDataError}), writes all the others: halves
     * under savepoints down to the single rows it refuses, each handed to {@code refused} with its
     * reason ({@link #refusal}). Returns the rows written. Other failures are thrown as they are.
     */
    public static int upsertOrRefuse(Connection connection, PinTable table, List<Row> rows, BiConsumer<Row, String> refused)
            throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("upsert runs inside the caller's transaction: turn auto-commit off");
        }
        if (rows.isEmpty()) {
            return 0;
        }
        PgType[] types = columnTypes(connection, table);
        int[] positions = positions(rows.get(0));
        return writeOrRefuse(connection, rows, chunk -> copyAndUpsert(connection, table, copy -> {
            for (Row row : chunk) {
                copy.row(positions.length);
                for (int i = 0; i < positions.length; i++) {
                    copy.field(row, positions[i], types[i]);
                }
            }
        }), refused);
    }

    /** Writes a chunk of rows; returns the rows written. */
    @FunctionalInterface
    private interface ChunkWriter<T> {
        int write(List<T> chunk) throws SQLException;
    }

    /**
     * {@code writer} on all of {@code rows} under a savepoint; on a data error rolled back and done
     * again on each half, down to single rows, which are refused. k refused rows of n cost about
     * k·log2(n) extra attempts; none when nothing is refused.
     */
    private static <T> int writeOrRefuse(Connection connection, List<T> rows, ChunkWriter<T> writer, BiConsumer<T, String> refused)
            throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        Savepoint before = connection.setSavepoint();
        try {
            int n = writer.write(rows);
            connection.releaseSavepoint(before);
            return n;
        } catch (SQLException | RuntimeException e) {
            if (!isDataError(e)) {
                throw e;
            }
            connection.rollback(before);
            connection.releaseSavepoint(before);
            if (rows.size() == 1) {
                refused.accept(rows.get(0), refusal(e));
                return 0;
            }
            int half = rows.size() / 2;
            return writeOrRefuse(connection, rows.subList(0, half), writer, refused)
                    + writeOrRefuse(connection, rows.subList(half, rows.size()), writer, refused);
        }
    }

    /** Rows into a COPY: writes every row it has, a row's fields in the order of {@link PinColumns#CLEAN_COLUMNS}. */
    @FunctionalInterface
    private interface RowSource {
        void writeTo(BinaryCopy copy) throws SQLException;
    }

    private static int copyAndUpsert(Connection connection, PinTable table, RowSource rows) throws SQLException {
        String staging = "pins_staging_" + STAGING_SEQUENCE.incrementAndGet();
        try (Statement st = connection.createStatement()) {
            st.execute(table.createStagingSql(staging));
        }
        long copied = copy(connection, staging, rows);
        if (!insertedAsNew(connection, table, staging)) {
            try (Statement st = connection.createStatement()) {
                st.executeUpdate(table.upsertFromStagingSql(staging));
            }
        }
        return Math.toIntExact(copied);
    }

    /**
     * The common case first: no copied pin is in the table yet (a day's first run, a stream's fresh
     * micro-batch), so one plain {@code INSERT} moves them all ({@link PinTable#insertFromStagingSql})
     * more cheaply than the {@code ON CONFLICT} upsert. When a pin is there
     * already, or a concurrent transaction inserted one meanwhile, the insert fails with a unique
     * violation: it is rolled back to a savepoint and false returned, for the upsert to do the work.
     * The wasted part is the insert up to its first known pin: nothing on a re-run, whose first pin
     * is known (rows are inserted in {@code unique_id} order, which is also why two writers cannot
     * deadlock).
     */
    private static boolean insertedAsNew(Connection connection, PinTable table, String staging) throws SQLException {
        Savepoint beforeInsert = connection.setSavepoint();
        try (Statement st = connection.createStatement()) {
            st.executeUpdate(table.insertFromStagingSql(staging));
            connection.releaseSavepoint(beforeInsert);
            return true;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            connection.rollback(beforeInsert);
            return false;
        }
    }

    private static long copy(Connection connection, String staging, RowSource rows) throws SQLException {
        // processed_at is not copied: the staging table's DEFAULT now() stamps it (see the class comment)
        String sql = "COPY " + staging + " (" + quotedColumns() + ") FROM STDIN WITH (FORMAT binary)";
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            BinaryCopy binary = new BinaryCopy(copy);
            rows.writeTo(binary);
            return binary.finish();
        } catch (SQLException | RuntimeException e) {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException cancel) {
                    e.addSuppressed(cancel);
                }
            }
            throw e;
        }
    }

    /** The PostgreSQL types of {@link PinColumns#CLEAN_COLUMNS} in {@code table}: the binary COPY writes each in its own format. */
    private static PgType[] columnTypes(Connection connection, PinTable table) throws SQLException {
        List<String> columns = PinColumns.CLEAN_COLUMNS;
        PgType[] types = new PgType[columns.size()];
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT " + quotedColumns() + " FROM " + table.tableName() + " LIMIT 0")) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 0; i < types.length; i++) {
                types[i] = PgType.of(meta.getColumnTypeName(i + 1), columns.get(i));
            }
        }
        return types;
    }

    /** Where {@link PinColumns#CLEAN_COLUMNS} are in a clean Dataset, each checked to hold the Spark type its column's COPY format reads. */
    private static int[] ordinals(StructType schema, PgType[] types) {
        List<String> columns = PinColumns.CLEAN_COLUMNS;
        int[] ordinals = new int[columns.size()];
        for (int i = 0; i < ordinals.length; i++) {
            ordinals[i] = schema.fieldIndex(columns.get(i));
            DataType type = schema.fields()[ordinals[i]].dataType();
            if (!type.equals(types[i].sparkType)) {
                throw new IllegalArgumentException("column " + columns.get(i) + " is " + type.simpleString() + ", expected "
                        + types[i].sparkType.simpleString() + " for a " + types[i] + " column");
            }
        }
        return ordinals;
    }

    private static int[] positions(Row row) {
        List<String> columns = PinColumns.CLEAN_COLUMNS;
        int[] positions = new int[columns.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = row.schema() == null ? i : row.fieldIndex(columns.get(i));
        }
        return positions;
    }

    private static String quotedColumns() {
        return PinColumns.CLEAN_COLUMNS.stream().map(c -> '"' + c + '"').collect(Collectors.joining(", "));
    }
}
