package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Prometheus scrapes every service that serves metrics, where each serves them (DashboardTest: what the dashboards chart). */
class MonitoringConfigTest {

    private static final Pattern PROMETHEUS_PATH = Pattern.compile("PROMETHEUS_PATH = \"([^\"]+)\"");
    /** Long-running services that serve no metrics Prometheus can read, and why. */
    private static final Map<String, String> NO_PROMETHEUS_ENDPOINT = Map.of(
            "kafka", "the apache/kafka image exposes JMX only (it would need a JMX exporter)",
            "postgres", "PostgreSQL needs postgres_exporter; the dashboards read its tables through Grafana instead",
            "airflow", "Airflow emits StatsD or OpenTelemetry metrics, not Prometheus");

    private final ComposeFile compose = ComposeFile.load();

    /**
     * Each Spring service is scraped at {@code /actuator/prometheus} on the management port compose
     * gives it (its service port serves no actuator), and every actuator target is such a port.
     */
    @Test
    void prometheusScrapesEachSpringServiceOnItsManagementPort() {
        Map<String, Object> config = yaml("docker/prometheus/prometheus.yml");
        Map<String, String> actuatorTargets = new LinkedHashMap<>();
        for (Object job : (List<?>) config.get("scrape_configs")) {
            Map<String, Object> j = ComposeFile.map(job);
            String path = String.valueOf(j.getOrDefault("metrics_path", "/metrics"));
            for (Object statics : (List<?>) j.get("static_configs")) {
                for (String target : ComposeFile.list(ComposeFile.map(statics).get("targets"))) {
                    if (path.startsWith("/actuator/")) {
                        assertThat(path).as("scrape path of " + target).isEqualTo("/actuator/prometheus");
                        actuatorTargets.put(target.substring(0, target.lastIndexOf(':')), target.substring(target.lastIndexOf(':') + 1));
                    }
                }
            }
        }
        assertThat(actuatorTargets.keySet()).as("hosts scraped at /actuator/prometheus")
                .containsExactlyInAnyOrderElementsOf(SpringSettings.SERVICES);
        actuatorTargets.forEach((service, port) -> {
            assertThat(port).as("scrape port of " + service + ": its management port in compose")
                    .isEqualTo(SpringSettings.of(service).managementPortIn(compose));
            assertThat(Repo.read(service + "/src/main/resources/application.yml"))
                    .as(service + " exposes the prometheus endpoint").containsPattern("include:.*prometheus");
        });
    }

    /**
     * The stream job's driver is scraped where its Spark UI listens (the port its health check probes)
     * at the path StreamJob configures for Spark's PrometheusServlet.
     */
    @Test
    void prometheusScrapesTheStreamJobWhereItsDriverServesMetrics() {
        Map<String, String> paths = scrapePaths();
        Matcher path = PROMETHEUS_PATH.matcher(Repo.read("stream-spark-job/src/main/java/dev/pinpipe/stream/StreamMetrics.java"));
        assertThat(path.find()).as("StreamMetrics.PROMETHEUS_PATH").isTrue();
        Set<Integer> uiPorts = HealthEndpoint.of(HealthEndpoint.Container.of(compose.service("stream-spark-job"))).ports();
        assertThat(uiPorts).hasSize(1);
        assertThat(paths).containsEntry("stream-spark-job:" + uiPorts.iterator().next(), path.group(1));
    }

    /**
     * Every long-running service that serves metrics is scraped; the rest serve none Prometheus can
     * read (each with the reason).
     */
    @Test
    void prometheusScrapesEveryServiceThatServesMetrics() {
        Set<String> scraped = new TreeSet<>();
        scrapePaths().keySet().forEach(target -> scraped.add(target.substring(0, target.lastIndexOf(':'))));
        Set<String> longRunning = new TreeSet<>();
        compose.services().values().stream().filter(s -> !s.oneShot()).forEach(s -> longRunning.add(s.name()));
        Set<String> expected = new TreeSet<>(longRunning);
        expected.removeAll(NO_PROMETHEUS_ENDPOINT.keySet());
        expected.remove("prometheus");
        expected.add("localhost"); // Prometheus itself
        assertThat(longRunning).containsAll(NO_PROMETHEUS_ENDPOINT.keySet());
        assertThat(scraped).as("hosts Prometheus scrapes").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(compose.service("minio").environment()).as("MinIO's metrics without a token")
                .containsEntry("MINIO_PROMETHEUS_AUTH_TYPE", "public");
    }

    /** target → metrics path, over every job of prometheus.yml. */
    private static Map<String, String> scrapePaths() {
        Map<String, String> paths = new LinkedHashMap<>();
        for (Object job : (List<?>) yaml("docker/prometheus/prometheus.yml").get("scrape_configs")) {
            Map<String, Object> j = ComposeFile.map(job);
            for (Object statics : (List<?>) j.get("static_configs")) {
                for (String target : ComposeFile.list(ComposeFile.map(statics).get("targets"))) {
                    paths.put(target, String.valueOf(j.getOrDefault("metrics_path", "/metrics")));
                }
            }
        }
        return paths;
    }

    private static Map<String, Object> yaml(String file) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(Repo.read(file));
    }
}
