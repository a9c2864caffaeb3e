package dev.pinpipe.report;

import dev.pinpipe.core.config.Settings;
import dev.pinpipe.core.db.RunLedger;
import dev.pinpipe.report.Report.Agreement;
import dev.pinpipe.report.Report.Category;
import dev.pinpipe.report.Report.FollowerBucket;
import dev.pinpipe.report.Report.Latency;
import dev.pinpipe.report.Report.LatestRun;
import dev.pinpipe.report.Report.Layers;
import dev.pinpipe.report.Report.Media;
import dev.pinpipe.report.Report.MinuteCount;
import dev.pinpipe.report.Report.MinuteLatency;
import dev.pinpipe.report.Report.Run;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@link Report} from the result views (pin-core's migration V3__views.sql) in one read-only
 * snapshot, so every number on the page is of the same moment.
 */
public final class ReportReader {

    private static final String RUN_COLUMNS =
            "job, run_id, batch_id, status, rows_read, rows_written, rows_rejected, started_at, finished_at";

    private ReportReader() {
    }

    /** @param recentRuns how many of pipeline_runs' newest rows to list */
    public static Report read(Connection c, int recentRuns) throws SQLException {
        // the URL without its parameters, which may hold a password
        String database = c.getMetaData().getURL().replaceFirst("[?;].*", "");
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        c.setReadOnly(true);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            Report report = new Report(database, now(c), layers(c), agreement(c),
                    list(c, "SELECT category, pins FROM pins_per_category ORDER BY pins DESC, category",
                            rs -> new Category(rs.getString(1), rs.getLong(2))),
                    list(c, "SELECT bucket, lower_bound, pins FROM pins_follower_buckets ORDER BY lower_bound NULLS LAST",
                            rs -> new FollowerBucket(rs.getString(1), rs.getObject(2, Long.class), rs.getLong(3))),
                    list(c, "SELECT media_type, pins, share FROM pins_media_share ORDER BY pins DESC, media_type",
                            rs -> new Media(rs.getString(1), rs.getLong(2), rs.getDouble(3))),
                    list(c, "SELECT minute, pins FROM pins_ingested_per_minute ORDER BY minute",
                            rs -> new MinuteCount(instant(rs, 1), rs.getLong(2))),
                    list(c, "SELECT minute, pins, p50_ms, p99_ms FROM stream_latency_per_minute ORDER BY minute",
                            rs -> new MinuteLatency(instant(rs, 1), rs.getLong(2), rs.getDouble(3), rs.getDouble(4))),
                    streamLatency(c),
                    list(c, "SELECT " + RUN_COLUMNS + ", quarantined, extract(epoch FROM lag) FROM pipeline_runs_latest ORDER BY job",
                            rs -> new LatestRun(run(rs), rs.getLong(10), seconds(nullableDouble(rs, 11)))),
                    list(c, "SELECT " + RUN_COLUMNS + " FROM " + RunLedger.TABLE
                            + " ORDER BY started_at DESC, job, batch_id DESC LIMIT " + Math.max(0, recentRuns), ReportReader::run));
            c.commit();
            return report;
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    private static Instant now(Connection c) throws SQLException {
        return list(c, "SELECT now()", rs -> instant(rs, 1)).get(0);
    }

    private static Layers layers(Connection c) throws SQLException {
        return list(c, "SELECT (SELECT count(*) FROM " + Settings.PINS_BATCH_TABLE + "), (SELECT count(*) FROM "
                        + Settings.PINS_STREAM_TABLE + "), count(*) FILTER (WHERE layer = 'batch'),"
                        + " count(*) FILTER (WHERE layer = 'stream') FROM pins_serving",
                rs -> new Layers(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).get(0);
    }

    private static Agreement agreement(Connection c) throws SQLException {
        List<Agreement> row = list(c, "SELECT in_both, only_batch, only_stream, differ FROM pins_layer_agreement",
                rs -> new Agreement(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        return row.isEmpty() ? new Agreement(0, 0, 0, 0) : row.get(0);
    }

    /** Over all of pins_stream: the per-minute view's percentiles cannot be combined into these. */
    private static Latency streamLatency(Connection c) throws SQLException {
        return list(c, "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)"
                        + " FROM (SELECT extract(epoch FROM processed_at - ingested_at) * 1000 AS ms FROM "
                        + Settings.PINS_STREAM_TABLE + " WHERE ingested_at IS NOT NULL) latency",
                rs -> new Latency(rs.getLong(1), nullableDouble(rs, 2), nullableDouble(rs, 3))).get(0);
    }

    private static Run run(ResultSet rs) throws SQLException {
        return new Run(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5), rs.getLong(6),
                rs.getLong(7), instant(rs, 8), instant(rs, 9));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    private static Duration seconds(Double seconds) {
        return seconds == null ? null : Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static <T> List<T> list(Connection c, String sql, Row<T> row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        }
    }

    @FunctionalInterface
    private interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }
}
