package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Prometheus scrapes what the services expose, and the dashboard charts meters the services register. */
class MonitoringConfigTest {

    private static final Pattern OWN_METRIC = Pattern.compile("\\bpinpipe_[a-z0-9_]+");
    private static final Pattern METER_NAME = Pattern.compile("\"(pinpipe(?:\\.[a-z0-9]+)+)\"");
    /** What Micrometer's Prometheus naming appends to counters and timers. */
    private static final Pattern SUFFIX = Pattern.compile("(_total|_seconds(_bucket|_count|_sum|_max)?)$");

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

    @Test
    void dashboardChartsOnlyMetersTheServicesRegister() {
        Set<String> registered = new TreeSet<>();
        for (String service : SpringSettings.SERVICES) {
            ConfiguredVariables.javaSources(service).forEach(f -> {
                Matcher m = METER_NAME.matcher(Repo.read(f));
                while (m.find()) {
                    registered.add(m.group(1).replace('.', '_'));
                }
            });
        }
        Set<String> charted = new TreeSet<>();
        Matcher m = OWN_METRIC.matcher(Repo.read("docker/grafana/dashboards/pinpipe.json"));
        while (m.find()) {
            charted.add(SUFFIX.matcher(m.group()).replaceFirst(""));
        }
        assertThat(charted).as("pinpipe_* series in the dashboard").isNotEmpty();
        assertThat(registered).as("meters registered by " + SpringSettings.SERVICES).containsAll(charted);
    }

    @Test
    void dashboardUsesTheProvisionedDatasource() throws IOException {
        Map<String, Object> provisioning = yaml("docker/grafana/provisioning/datasources/prometheus.yml");
        String uid = String.valueOf(ComposeFile.map(((List<?>) provisioning.get("datasources")).get(0)).get("uid"));
        JsonNode dashboard = new ObjectMapper().readTree(Repo.path("docker/grafana/dashboards/pinpipe.json").toFile());
        assertThat(dashboard.get("panels")).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.at("/datasource/uid").asText()).as(panel.get("title").asText()).isEqualTo(uid);
            assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
        });
    }

    private static Map<String, Object> yaml(String file) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(Repo.read(file));
    }
}
