package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Grafana dashboards compose provisions: one per stage and one for the result views, each query
 * on a provisioned data source, every Prometheus query reading metrics the services expose, every SQL
 * query reading tables and views of the migrations (DashboardQueriesIT in pipeline-check runs them).
 */
class DashboardTest {

    /** A stage's dashboard, and the one of the SQL views. */
    private static final List<String> FILES = List.of("ingest.json", "archive.json", "stream.json", "batch.json", "results.json");
    /** The views the results dashboard charts. */
    private static final List<String> RESULT_VIEWS = List.of("pins_per_category", "pins_follower_buckets", "pins_media_share",
            "pins_ingested_per_minute", "stream_latency_per_minute", "pins_layer_agreement", "pipeline_runs_latest");
    /**
     * Meters a library registers, not the services' code: Micrometer's Kafka client metrics, which
     * Spring Boot binds to every consumer of the archiver's listener container factory.
     */
    private static final Map<String, String> LIBRARY_METERS = Map.of(
            "kafka_consumer_fetch_manager_records_lag", "batch-consumer");

    private static final Pattern METER_NAME = Pattern.compile("\"(pinpipe(?:\\.[a-z0-9]+)+)\"");
    /** What Micrometer's Prometheus naming appends to counters and timers. */
    private static final Pattern SUFFIX = Pattern.compile("(_total|_seconds(_bucket|_count|_sum|_max)?)$");
    private static final Pattern STREAM_SERIES = Pattern.compile("\"(metrics_pinpipe_stream_[A-Za-z0-9_]+)\"");
    private static final Pattern CREATED = Pattern.compile(
            "(?i)\\bcreate\\s+(?:or\\s+replace\\s+)?(?:materialized\\s+)?(?:table|view)\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)");
    private static final String MIGRATIONS = "pin-core/src/main/resources/db/migration";

    private final List<Dashboard> dashboards = Dashboard.all();

    @Test
    void oneDashboardPerStageAndOneForTheResults() {
        assertThat(dashboards).extracting(Dashboard::file).containsExactlyInAnyOrderElementsOf(FILES);
        assertThat(dashboards).extracting(d -> d.json().path("uid").asText()).doesNotHaveDuplicates().allMatch(uid -> !uid.isBlank());
        String home = ComposeFile.load().service("grafana").environment().get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        assertThat(home).as("Grafana's home dashboard").startsWith("/var/lib/grafana/dashboards/");
        assertThat(Repo.path(Dashboard.FOLDER).resolve(Path.of(home).getFileName())).as("home dashboard " + home).exists();
    }

    @Test
    void everyPanelQueriesAProvisionedDatasource() {
        Map<String, String> provisioned = provisionedDatasources();
        for (Dashboard d : dashboards) {
            assertThat(d.panels()).as(d.file()).isNotEmpty();
            assertThat(d.panels()).as(d.file() + " panel ids").extracting(p -> p.path("id").asInt()).doesNotHaveDuplicates();
            for (JsonNode panel : d.panels()) {
                String where = d.file() + " \"" + panel.path("title").asText() + "\"";
                assertThat(panel.path("targets")).as(where + " targets").isNotEmpty();
                assertThat(provisioned).as(where + " data source").containsEntry(panel.at("/datasource/uid").asText(), panel.at("/datasource/type").asText());
            }
            for (Dashboard.Query q : d.queries()) {
                assertThat(provisioned).as(q.where() + " data source").containsEntry(q.datasourceUid(), q.datasourceType());
                assertThat(q.prometheus() || q.sql()).as(q.where() + ": a Prometheus or PostgreSQL query").isTrue();
                assertThat(q.text()).as(q.where()).isNotBlank();
            }
        }
    }

    @Test
    void everyPrometheusQueryReadsMetricsAServiceExposes() {
        Set<String> meters = springMeters();
        Set<String> streamSeries = streamSeries();
        List<String> unknown = new ArrayList<>();
        int read = 0;
        for (Dashboard d : dashboards) {
            for (Dashboard.Query q : d.queries()) {
                if (!q.prometheus()) {
                    continue;
                }
                Set<String> names = Dashboard.metricNames(q.text());
                assertThat(names).as(q.where() + ": " + q.text()).isNotEmpty();
                for (String name : names) {
                    boolean known = name.startsWith("pinpipe_") ? meters.contains(SUFFIX.matcher(name).replaceFirst(""))
                            : name.startsWith("metrics_pinpipe_stream_") ? streamSeries.contains(name)
                            : LIBRARY_METERS.containsKey(name);
                    if (!known) {
                        unknown.add(q.where() + ": " + name);
                    }
                    read++;
                }
            }
        }
        assertThat(read).as("metrics the dashboards read").isPositive();
        assertThat(unknown).as("metrics no service exposes (Spring meters " + meters + ", the stream job's "
                + streamSeries + ", library meters " + LIBRARY_METERS.keySet() + ")").isEmpty();
    }

    @Test
    void everySqlQueryReadsTablesAndViewsOfTheMigrations() {
        Set<String> relations = migratedRelations();
        assertThat(relations).as("tables and views the migrations create").contains("pins_stream", "pipeline_runs");
        Set<String> read = new TreeSet<>();
        for (Dashboard d : dashboards) {
            for (Dashboard.Query q : d.queries()) {
                if (q.sql()) {
                    Set<String> names = Dashboard.relations(q.text());
                    assertThat(names).as(q.where() + ": " + q.text()).isNotEmpty();
                    assertThat(relations).as(q.where() + " reads " + names).containsAll(names);
                    read.addAll(names);
                }
            }
        }
        Set<String> results = new TreeSet<>();
        dashboards.stream().filter(d -> d.file().equals("results.json"))
                .flatMap(d -> d.queries().stream()).forEach(q -> results.addAll(Dashboard.relations(q.text())));
        assertThat(results).as("views the results dashboard charts").containsAll(RESULT_VIEWS);
        assertThat(read).as("what the batch dashboard reads").contains("pipeline_runs", "pipeline_runs_latest");
    }

    /** Grafana's PostgreSQL logs in to compose's postgres service as the user and database it creates. */
    @Test
    void thePostgresDatasourceIsComposesPostgres() {
        Map<String, Object> ds = datasource("grafana-postgresql-datasource");
        Map<String, String> postgres = ComposeFile.load().service("postgres").environment();
        assertThat(ds.get("url")).isEqualTo("postgres:5432");
        assertThat(ds.get("user")).isEqualTo(postgres.get("POSTGRES_USER"));
        assertThat(ComposeFile.map(ds.get("jsonData")).get("database")).isEqualTo(postgres.get("POSTGRES_DB"));
        assertThat(ComposeFile.map(ds.get("secureJsonData")).get("password")).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
        assertThat(ComposeFile.load().service("grafana").dependsOn()).containsEntry("migrate", "service_completed_successfully");
    }

    @Test
    void readsMetricNamesAndRelationsAsWritten() {
        assertThat(Dashboard.metricNames("histogram_quantile(0.99, sum by (le) (rate(a_seconds_bucket{topic=\"x\"}[1m])))"))
                .containsExactly("a_seconds_bucket");
        assertThat(Dashboard.metricNames("sum by (partition) (lag{topic=\"T\"}) / on (x) group_left b")).containsExactly("b", "lag");
        assertThat(Dashboard.relations("WITH w AS (SELECT 1 FROM t1) SELECT extract(epoch FROM lag) FROM w JOIN t2 ON true, generate_series(1, 2)"))
                .containsExactly("t1", "t2");
    }

    /** uid → type of every data source under docker/grafana/provisioning/datasources. */
    private static Map<String, String> provisionedDatasources() {
        Map<String, String> uids = new LinkedHashMap<>();
        datasources().forEach(ds -> uids.put(String.valueOf(ds.get("uid")), String.valueOf(ds.get("type"))));
        return uids;
    }

    private static Map<String, Object> datasource(String type) {
        return datasources().stream().filter(ds -> type.equals(ds.get("type"))).findFirst()
                .orElseThrow(() -> new AssertionError("no provisioned data source of type " + type));
    }

    private static List<Map<String, Object>> datasources() {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Path f : files("docker/grafana/provisioning/datasources", ".yml")) {
            Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(Repo.read(f));
            ((List<?>) yaml.get("datasources")).forEach(ds -> all.add(ComposeFile.map(ds)));
        }
        return all;
    }

    /** The Prometheus names of the meters the Spring services' code registers ({@code pinpipe.x.y} → {@code pinpipe_x_y}). */
    private static Set<String> springMeters() {
        Set<String> meters = new TreeSet<>();
        for (String service : SpringSettings.SERVICES) {
            ConfiguredVariables.javaSources(service).forEach(f -> {
                Matcher m = METER_NAME.matcher(Repo.read(f));
                while (m.find()) {
                    meters.add(m.group(1).replace('.', '_'));
                }
            });
        }
        return meters;
    }

    /** The series the stream job's driver serves, as its StreamMetrics names them (StreamJobProcessTest scrapes each). */
    private static Set<String> streamSeries() {
        Set<String> series = new TreeSet<>();
        Matcher m = STREAM_SERIES.matcher(Repo.read("stream-spark-job/src/main/java/dev/pinpipe/stream/StreamMetrics.java"));
        while (m.find()) {
            series.add(m.group(1));
        }
        assertThat(series).as("StreamMetrics.SERIES").isNotEmpty();
        return series;
    }

    private static Set<String> migratedRelations() {
        Set<String> names = new HashSet<>();
        for (Path f : files(MIGRATIONS, ".sql")) {
            Matcher m = CREATED.matcher(Repo.read(f).replaceAll("--[^\n]*", ""));
            while (m.find()) {
                names.add(m.group(1).toLowerCase());
            }
        }
        return names;
    }

    private static List<Path> files(String folder, String suffix) {
        try (Stream<Path> files = Files.list(Repo.path(folder))) {
            return files.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
