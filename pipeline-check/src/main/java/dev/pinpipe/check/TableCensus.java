package dev.pinpipe.check;

import dev.pinpipe.core.config.Settings;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The ids in one pins table and the sums of {@code pipeline_runs} for its job. The primary key makes
 * a doubled row impossible, so "exactly once" in a table means: every acknowledged id present, and
 * no id that was never acknowledged.
 */
public record TableCensus(String table, Set<String> ids, long runs, long runRowsRead, long runRowsWritten,
        long runRowsRejected) {

    public static TableCensus take(PipelineEnv env, String table, String job) {
        return take(env, table, job, Instant.EPOCH);
    }

    /** Only the rows of pins published from {@code since} on: a run's own, beside an earlier run's in the same tables. */
    public static TableCensus take(PipelineEnv env, String table, String job, Instant since) {
        try (Connection c = DriverManager.getConnection(env.jdbcUrl(), env.dbUser(), env.dbPassword());
                Statement st = c.createStatement();
                PreparedStatement rows = c.prepareStatement("SELECT unique_id::text FROM " + table
                        + (since.equals(Instant.EPOCH) ? "" : " WHERE ingested_at >= ?"))) {
            if (!since.equals(Instant.EPOCH)) {
                rows.setTimestamp(1, Timestamp.from(since));
            }
            Set<String> ids = new HashSet<>();
            try (ResultSet rs = rows.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(rows_read),0), coalesce(sum(rows_written),0),"
                    + " coalesce(sum(rows_rejected),0) FROM " + Settings.PIPELINE_RUNS_TABLE + " WHERE job = '" + job + "'")) {
                rs.next();
                return new TableCensus(table, ids, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read " + table + " at " + env.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }
}
