package dev.pinpipe.spark;

import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.spark.BinaryCopy.PgType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
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
import scala.Option;

/**
 * The one place that knows how clean pins reach PostgreSQL: COPY into a temporary staging table, then
 * a plain insert ({@link PinTable#insertFromStagingSql}) and, only when some pin was in the table
 * already, pin-core's {@code INSERT … SELECT … ON CONFLICT} upsert ({@link PinTable#upsertFromStagingSql}).
 * Spark's JDBC writer cannot upsert, and COPY is the fastest way in (limits.md: ~1.7× batched inserts).
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
    /**
     * Session memory for one Spark partition's upsert, which holds the whole partition twice: in the
     * staging table (a temporary table lives in {@code temp_buffers}, 8 MB by default, beyond that in
     * files) and in the {@code DISTINCT ON} sort ({@code work_mem}, 4 MB by default, beyond that an
     * external merge on disk). 200 000 pins are ~60 MB; with these both stay in memory.
     * {@code temp_buffers} can only be set before a session's first temporary table, so only
     * {@link #write}, which opens its connections itself, sets them.
     */
    private static final List<String> PARTITION_SESSION_SETTINGS = List.of("SET temp_buffers = '256MB'", "SET work_mem = '256MB'");

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
     * transaction around the COPY and the upsert. Returns the rows written over all partitions
     * (counted by an accumulator, which Spark applies once per successful task of an action).
     *
     * <p>The partitions are written from Spark's internal rows ({@code queryExecution().toRdd()}):
     * a clean pin's strings go to the COPY as the UTF-8 bytes Spark holds, never turned into Java
     * objects and back (as {@code foreachPartition} on rows would, for every value of every row). The
     * job still runs as one SQL execution of the Dataset, so its observations ({@code observe}) are
     * delivered as with any action.
     */
    public static long write(Dataset<Row> clean, PinTable table, PostgresSettings settings) {
        PgType[] types;
        try (Connection connection = settings.connect()) {
            types = columnTypes(connection, table);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the columns of " + table.tableName() + " in " + settings.jdbcUrl(), e);
        }
        int[] ordinals = ordinals(clean.schema(), types);
        LongAccumulator written = clean.sparkSession().sparkContext().longAccumulator("rows written to " + table.tableName());
        QueryExecution execution = clean.queryExecution();
        VoidFunction<Iterator<InternalRow>> writePartition = rows -> {
            if (!rows.hasNext()) {
                return;
            }
            try (Connection connection = settings.connect()) {
                try (Statement st = connection.createStatement()) {
                    for (String setting : PARTITION_SESSION_SETTINGS) {
                        st.execute(setting);
                    }
                }
                connection.setAutoCommit(false);
                try {
                    int n = copyAndUpsert(connection, table, copy -> {
                        while (rows.hasNext()) {
                            InternalRow row = rows.next();
                            copy.row(ordinals.length);
                            for (int i = 0; i < ordinals.length; i++) {
                                copy.field(row, ordinals[i], types[i]);
                            }
                        }
                    });
                    connection.commit();
                    written.add(n);
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
        };
        SQLExecution.withNewExecutionId(execution, Option.apply("upsert into " + table.tableName()), () -> {
            execution.toRdd().toJavaRDD().foreachPartition(writePartition);
            return null;
        });
        return written.value();
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
     * at about half of PostgreSQL's CPU for the {@code ON CONFLICT} upsert. When a pin is there
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
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
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
