package dev.pinpipe.deploy;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pinpipe.core.config.Settings;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Where a Spring service listens, as its own {@code application.yml} says: each setting a
 * {@code ${VARIABLE:default}} placeholder, or {@code ${VARIABLE}} with the default of pin-core's
 * settings catalogue (which pin-spring gives a service that depends on it), so compose, the images
 * and the monitoring configs can be checked against the variable and its default rather than against
 * numbers copied into a test.
 */
record SpringSettings(String service, Placeholder port, Placeholder address, Placeholder managementPort,
        Placeholder managementAddress, String healthDetails, String healthPath) {

    /** The compose services (= Maven modules) that are Spring Boot applications. */
    static final List<String> SERVICES = List.of("ingest-api", "batch-consumer");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z0-9_]+)(?::([^}]*))?}");

    record Placeholder(String variable, String defaultValue) {

        static Placeholder parse(String service, String where, Object value) {
            Matcher m = PLACEHOLDER.matcher(String.valueOf(value));
            if (!m.matches()) {
                throw new AssertionError(where + " is " + value + ", not a ${PINPIPE_…[:default]} placeholder");
            }
            if (m.group(2) != null) {
                return new Placeholder(m.group(1), m.group(2));
            }
            if (!Repo.read(service + "/pom.xml").contains("<artifactId>pin-spring</artifactId>") || !Settings.isKnown(m.group(1))) {
                throw new AssertionError(where + " is " + value + " with no default, and neither pin-spring nor pin-core's"
                        + " catalogue gives " + service + " one");
            }
            return new Placeholder(m.group(1), Settings.named(m.group(1)).localDefault());
        }

        /** The value in a container whose environment is {@code env}. */
        String in(Map<String, String> env) {
            return env.getOrDefault(variable, defaultValue);
        }
    }

    static SpringSettings of(String service) {
        String file = service + "/src/main/resources/application.yml";
        Map<String, Object> yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(Repo.read(file));
        Map<String, Object> server = ComposeFile.map(yaml.get("server"));
        Map<String, Object> management = ComposeFile.map(yaml.get("management"));
        Map<String, Object> managementServer = ComposeFile.map(management.get("server"));
        Map<String, Object> health = ComposeFile.map(ComposeFile.map(management.get("endpoint")).get("health"));
        Map<String, Object> web = ComposeFile.map(ComposeFile.map(management.get("endpoints")).get("web"));
        // actuator's defaults: /actuator, health at /health under it
        String healthPath = web.getOrDefault("base-path", "/actuator") + "/"
                + ComposeFile.map(web.get("path-mapping")).getOrDefault("health", "health");
        return new SpringSettings(service,
                Placeholder.parse(service, file + " server.port", server.get("port")),
                Placeholder.parse(service, file + " server.address", server.get("address")),
                Placeholder.parse(service, file + " management.server.port", managementServer.get("port")),
                Placeholder.parse(service, file + " management.server.address", managementServer.get("address")),
                String.valueOf(health.get("show-details")), healthPath.replace("//", "/"));
    }

    /** The management port the service's compose container listens on (its image's ENV under compose's environment). */
    String managementPortIn(ComposeFile compose) {
        return managementPort.in(HealthEndpoint.Container.of(compose.service(service)).env());
    }
}
