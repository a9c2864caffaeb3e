package dev.pinpipe.stream;

import dev.pinpipe.core.db.PinTable;
import dev.pinpipe.localstack.LocalStack;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What the tests read back from the stack's Postgres. */
final class TestDb {

    private TestDb() {
    }

    /** The pins_stream rows of {@code ids}, unique_id → column → value (uuid as text). */
    static Map<String, Map<String, Object>> pins(LocalStack stack, Collection<String> ids) throws SQLException {
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        try (Connection c = connect(stack);
             PreparedStatement ps = c.prepareStatement("SELECT * FROM pins_stream WHERE unique_id::text = ANY(?)")) {
            Array array = c.createArrayOf("text", ids.toArray());
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (String column : PinTable.COLUMNS) {
                        Object value = rs.getObject(column);
                        row.put(column, value instanceof UUID u ? u.toString() : value);
                    }
                    rows.put((String) row.get("unique_id"), row);
                }
            }
        }
        return rows;
    }

    static int countPins(LocalStack stack, Collection<String> ids) throws SQLException {
        try (Connection c = connect(stack);
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pins_stream WHERE unique_id::text = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The stream's pipeline_runs rows of one query, by batch id. */
    static List<Run> runs(LocalStack stack, String queryId) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (Connection c = connect(stack);
             PreparedStatement ps = c.prepareStatement("SELECT batch_id, rows_read, rows_written, rows_rejected, status,"
                     + " finished_at IS NOT NULL FROM pipeline_runs WHERE job = 'stream' AND run_id = ? ORDER BY batch_id")) {
            ps.setString(1, queryId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(new Run(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                            rs.getBoolean(6)));
                }
            }
        }
        return runs;
    }

    /** Real-time mode's rows of one query: one per (Spark partition, epoch), run_id {@code <query id>/<partition>}. */
    static List<Run> realTimeRuns(LocalStack stack, String queryId) throws SQLException {
        List<Run> runs = new ArrayList<>();
        try (Connection c = connect(stack);
             PreparedStatement ps = c.prepareStatement("SELECT batch_id, rows_read, rows_written, rows_rejected, status,"
                     + " finished_at IS NOT NULL FROM pipeline_runs WHERE job = 'stream' AND run_id LIKE ? ORDER BY batch_id, run_id")) {
            ps.setString(1, queryId + "/%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    runs.add(new Run(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
                            rs.getBoolean(6)));
                }
            }
        }
        return runs;
    }

    record Run(long batchId, long rowsRead, long rowsWritten, long rowsRejected, String status, boolean finished) {
    }

    /** The stream's pins_rejected rows of one topic. */
    static List<Rejected> rejected(LocalStack stack, String topic) throws SQLException {
        List<Rejected> rows = new ArrayList<>();
        try (Connection c = connect(stack);
             PreparedStatement ps = c.prepareStatement("SELECT source, reason, raw_value, raw_length, run_id, kafka_partition, kafka_offset"
                     + " FROM pins_rejected WHERE job = 'stream' AND source LIKE ? ORDER BY kafka_partition, kafka_offset")) {
            ps.setString(1, "kafka:" + topic + "/%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Rejected(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getInt(4), rs.getString(5),
                            rs.getInt(6), rs.getLong(7)));
                }
            }
        }
        return rows;
    }

    record Rejected(String source, String reason, byte[] rawValue, int rawLength, String runId, int partition, long offset) {
    }

    static long sumRead(List<Run> runs) {
        return runs.stream().mapToLong(Run::rowsRead).sum();
    }

    static long sumRejected(List<Run> runs) {
        return runs.stream().mapToLong(Run::rowsRejected).sum();
    }

    static void execute(LocalStack stack, String sql) throws SQLException {
        try (Connection c = connect(stack); java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static Connection connect(LocalStack stack) throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
    }
}
