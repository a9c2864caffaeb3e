package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pinpipe.schema.PinSchema;

/**
 * Every SQL query of the Grafana dashboards (docker/grafana/dashboards) on PostgreSQL with the migrated
 * schema: a fresh schema, a pin in each layer, a run and a quarantined record of each job, then each
 * query with Grafana's macros written out as Grafana writes them, over the dashboard's time range.
 * Each one runs, returns rows, and a time series query starts with its {@code time} column.
 */
@ExtendWith(LocalStackExtension.class)
class DashboardQueriesIT {

    private static final Path REPO = Path.of(System.getProperty("pinpipe.repo.root", "..")).toAbsolutePath().normalize();
    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)");

    private static final String ROWS = """
            INSERT INTO pins_batch (unique_id, "index", category, title, follower_count, is_image_or_video, kafka_partition, kafka_offset, ingested_at)
            VALUES ('00000000-0000-0000-0000-000000000001', 1, 'art', 'a', 120, 'image', 0, 0, now() - interval '10 minutes'),
                   ('00000000-0000-0000-0000-000000000002', 2, 'diy', 'b', NULL, 'video', 1, 0, now() - interval '9 minutes');
            INSERT INTO pins_stream (unique_id, "index", category, title, follower_count, is_image_or_video, kafka_partition, kafka_offset, ingested_at, processed_at)
            VALUES ('00000000-0000-0000-0000-000000000001', 1, 'art', 'a', 120, 'image', 0, 0, now() - interval '10 minutes', now() - interval '599 seconds'),
                   ('00000000-0000-0000-0000-000000000003', 3, 'travel', 'c', 5000, 'image', 2, 0, now() - interval '2 minutes', now() - interval '119 seconds');
            INSERT INTO pipeline_runs (job, run_id, batch_id, date_from, date_to, rows_read, rows_written, rows_rejected, status, started_at, finished_at)
            VALUES ('batch', 'run-1', 0, current_date, current_date, 3, 2, 1, 'succeeded', now() - interval '5 minutes', now() - interval '4 minutes'),
                   ('stream', 'query-1', 7, NULL, NULL, 3, 2, 1, 'succeeded', now() - interval '2 minutes', now() - interval '119 seconds');
            INSERT INTO pins_rejected (job, source, raw_length, reason, run_id, batch_id)
            VALUES ('batch', 's3a://pinterestdata/pins/dt=2026-12-07/a.jsonl#3', 4, 'not a JSON object', 'run-1', 0),
                   ('stream', 'kafka:PinterestTopic/0/1', 4, 'not a JSON object', 'query-1', 7);
            """;

    private record Query(String where, String format, String sql, String timeFrom) {
    }

    @Test
    void everySqlQueryOfTheDashboardsRunsOnTheMigratedSchema(LocalStack stack) throws Exception {
        String schema = TestSchemas.create(stack);
        PinSchema.migrate(TestSchemas.url(stack, schema), stack.dbUser(), stack.dbPassword());
        List<Query> queries = queries();
        assertThat(queries).as("SQL queries in " + REPO.resolve("docker/grafana/dashboards")).hasSizeGreaterThan(10);
        try (Connection c = TestSchemas.connect(stack, schema); Statement st = c.createStatement()) {
            st.execute(ROWS);
            for (Query q : queries) {
                String sql = grafanaMacros(q.sql(), q.timeFrom());
                assertThat(sql).as(q.where() + ": a macro or variable left").doesNotContain("$");
                try (ResultSet rs = st.executeQuery(sql)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    if (q.format().equals("time_series")) {
                        assertThat(meta.getColumnLabel(1)).as(q.where() + ": a time series' first column").isEqualTo("time");
                        assertThat(meta.getColumnType(1)).as(q.where() + ": its type")
                                .isIn(Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE);
                    }
                    assertThat(rs.next()).as(q.where() + " returns rows: " + sql).isTrue();
                } catch (SQLException e) {
                    throw new AssertionError(q.where() + " fails: " + e.getMessage() + "\n" + sql, e);
                }
            }
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /**
     * Grafana's PostgreSQL macros as Grafana expands them for the dashboard's range ({@code now-6h} …
     * {@code now}): {@code $__timeFilter(c)} is {@code c BETWEEN '<from>' AND '<to>'} in UTC.
     */
    static String grafanaMacros(String sql, String timeFrom) {
        Instant to = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
        Instant from = to.minus(rangeOf(timeFrom));
        Matcher m = TIME_FILTER.matcher(sql);
        return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + " BETWEEN '" + from + "' AND '" + to + "'"));
    }

    /** A dashboard's {@code now-<n><unit>}. */
    private static java.time.Duration rangeOf(String timeFrom) {
        Matcher m = Pattern.compile("now-(\\d+)([mhd])").matcher(timeFrom);
        assertThat(m.matches()).as("time range from " + timeFrom).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> java.time.Duration.ofMinutes(n);
            case "h" -> java.time.Duration.ofHours(n);
            default -> java.time.Duration.ofDays(n);
        };
    }

    private static List<Query> queries() throws IOException {
        List<Query> queries = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(REPO.resolve("docker/grafana/dashboards"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode dashboard = mapper.readTree(f.toFile());
                for (JsonNode panel : dashboard.path("panels")) {
                    for (JsonNode target : panel.path("targets")) {
                        if (target.has("rawSql")) {
                            queries.add(new Query(f.getFileName() + " \"" + panel.path("title").asText() + "\"",
                                    target.path("format").asText("table"), target.get("rawSql").asText(),
                                    dashboard.at("/time/from").asText()));
                        }
                    }
                }
            }
        }
        return queries;
    }
}
