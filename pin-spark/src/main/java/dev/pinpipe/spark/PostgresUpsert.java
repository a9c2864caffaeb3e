package dev.pinpipe.spark;

import dev.pinpipe.core.db.PinTable;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The one place that knows how clean pins reach PostgreSQL: COPY into a temporary staging table, then
 * pin-core's one {@code INSERT … SELECT … ON CONFLICT} upsert ({@link PinTable#upsertFromStagingSql}).
 * Spark's JDBC writer cannot upsert, and COPY is the fastest way in (limits.md: ~1.7× batched inserts).
 *
 * <p>Rows are those of {@link PinColumns#clean}: the columns of {@link PinTable#COLUMNS}, by name
 * when the row carries a schema, else by position in that order.
 */
public final class PostgresUpsert {

    /** Temporary tables are per session; a counter keeps two upserts in one transaction apart. */
    private static final AtomicLong STAGING_SEQUENCE = new AtomicLong();
    private static final int COPY_BUFFER_BYTES = 1 << 16;
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
        String staging = "pins_staging_" + STAGING_SEQUENCE.incrementAndGet();
        try (Statement st = connection.createStatement()) {
            st.execute(table.createStagingSql(staging));
        }
        long copied = copy(connection, staging, rows);
        try (Statement st = connection.createStatement()) {
            st.executeUpdate(table.upsertFromStagingSql(staging));
        }
        return Math.toIntExact(copied);
    }

    /**
     * Writes a clean Dataset ({@link PinColumns#clean}): per Spark partition one connection and one
     * transaction around {@link #upsert}. Returns the rows written over all partitions (counted by
     * an accumulator, which Spark applies once per successful task of an action).
     */
    public static long write(Dataset<Row> clean, PinTable table, PostgresSettings settings) {
        LongAccumulator written = clean.sparkSession().sparkContext().longAccumulator("rows written to " + table.tableName());
        clean.foreachPartition((ForeachPartitionFunction<Row>) rows -> {
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
                    int n = upsert(connection, table, rows);
                    connection.commit();
                    written.add(n);
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                }
            }
        });
        return written.value();
    }

    private static long copy(Connection connection, String staging, Iterator<Row> rows) throws SQLException {
        String columns = PinTable.COLUMNS.stream().map(c -> '"' + c + '"').collect(Collectors.joining(", "));
        // CSV: a NULL is an unquoted empty field, every text value is quoted, so "" stays an empty string
        String sql = "COPY " + staging + " (" + columns + ") FROM STDIN WITH (FORMAT csv)";
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(COPY_BUFFER_BYTES + 4096);
            int[] positions = null;
            StringBuilder line = new StringBuilder(512);
            while (rows.hasNext()) {
                Row row = rows.next();
                if (positions == null) {
                    positions = positions(row);
                }
                line.setLength(0);
                for (int i = 0; i < positions.length; i++) {
                    if (i > 0) {
                        line.append(',');
                    }
                    appendCsv(line, row.get(positions[i]));
                }
                line.append('\n');
                buffer.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
                if (buffer.size() >= COPY_BUFFER_BYTES) {
                    copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
                    buffer.reset();
                }
            }
            if (buffer.size() > 0) {
                copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
            }
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static int[] positions(Row row) {
        List<String> columns = PinTable.COLUMNS;
        int[] positions = new int[columns.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = row.schema() == null ? i : row.fieldIndex(columns.get(i));
        }
        return positions;
    }

    private static void appendCsv(StringBuilder line, Object value) {
        if (value == null) {
            return;
        }
        if (value instanceof String s) {
            line.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    line.append("\"\"");
                } else if (c != '\0') { // PostgreSQL text cannot hold NUL; dropping it beats failing the partition
                    line.append(c);
                }
            }
            line.append('"');
        } else if (value instanceof Timestamp t) {
            line.append(t.toInstant());
        } else if (value instanceof Instant t) {
            line.append(t);
        } else if (value instanceof LocalDateTime t) {
            line.append(t.toInstant(ZoneOffset.UTC));
        } else {
            line.append(value); // Integer, Long, Boolean: their text is what COPY reads
        }
    }
}
