package dev.pinpipe.spark;

import dev.pinpipe.core.db.PinTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
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
        String columns = PinColumns.CLEAN_COLUMNS.stream().map(c -> '"' + c + '"').collect(Collectors.joining(", "));
        // CSV: a NULL is an unquoted empty field, every text value is quoted, so "" stays an empty string.
        // processed_at is not copied: the staging table's DEFAULT now() stamps it (see the class comment)
        String sql = "COPY " + staging + " (" + columns + ") FROM STDIN WITH (FORMAT csv)";
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            CsvBuffer buffer = new CsvBuffer(COPY_BUFFER_BYTES);
            int[] positions = null;
            while (rows.hasNext()) {
                Row row = rows.next();
                if (positions == null) {
                    positions = positions(row);
                }
                for (int i = 0; i < positions.length; i++) {
                    if (i > 0) {
                        buffer.append((byte) ',');
                    }
                    buffer.appendValue(row.get(positions[i]));
                }
                buffer.append((byte) '\n');
                if (buffer.size() >= COPY_BUFFER_BYTES) {
                    copy.writeToCopy(buffer.bytes(), 0, buffer.size());
                    buffer.reset();
                }
            }
            if (buffer.size() > 0) {
                copy.writeToCopy(buffer.bytes(), 0, buffer.size());
            }
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static int[] positions(Row row) {
        List<String> columns = PinColumns.CLEAN_COLUMNS;
        int[] positions = new int[columns.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = row.schema() == null ? i : row.fieldIndex(columns.get(i));
        }
        return positions;
    }

    /**
     * COPY's CSV text, encoded straight into a growing byte array: a text value's chars go to UTF-8
     * bytes as they are quoted, with no String per line or per value on the way (the write's encoder
     * runs once per value of every row).
     */
    private static final class CsvBuffer {
        private byte[] bytes;
        private int size;

        CsvBuffer(int flushAt) {
            bytes = new byte[flushAt + 4096];
        }

        byte[] bytes() {
            return bytes;
        }

        int size() {
            return size;
        }

        void reset() {
            size = 0;
        }

        void append(byte b) {
            room(1);
            bytes[size++] = b;
        }

        void appendValue(Object value) {
            if (value == null) {
                return;
            }
            if (value instanceof String s) {
                appendQuoted(s);
            } else if (value instanceof Timestamp t) {
                appendAscii(t.toInstant().toString());
            } else if (value instanceof Instant t) {
                appendAscii(t.toString());
            } else if (value instanceof LocalDateTime t) {
                appendAscii(t.toInstant(ZoneOffset.UTC).toString());
            } else {
                appendAscii(value.toString()); // Integer, Long, Boolean: their text is what COPY reads
            }
        }

        private void appendQuoted(String s) {
            int n = s.length();
            room(3 * n + 2); // worst case: 3 bytes a char (a doubled quote is 2, a surrogate pair 4 for 2 chars)
            byte[] b = bytes;
            int at = size;
            b[at++] = '"';
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    if (c == '"') {
                        b[at++] = '"';
                        b[at++] = '"';
                    } else if (c != '\0') { // PostgreSQL text cannot hold NUL; dropping it beats failing the partition
                        b[at++] = (byte) c;
                    }
                } else if (c < 0x800) {
                    b[at++] = (byte) (0xC0 | (c >> 6));
                    b[at++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    b[at++] = (byte) (0xF0 | (cp >> 18));
                    b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    b[at++] = (byte) (0x80 | (cp & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    b[at++] = '?'; // a lone surrogate, as String.getBytes(UTF_8) replaces it
                } else {
                    b[at++] = (byte) (0xE0 | (c >> 12));
                    b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    b[at++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            b[at++] = '"';
            size = at;
        }

        private void appendAscii(String s) {
            int n = s.length();
            room(n);
            for (int i = 0; i < n; i++) {
                bytes[size++] = (byte) s.charAt(i);
            }
        }

        private void room(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
