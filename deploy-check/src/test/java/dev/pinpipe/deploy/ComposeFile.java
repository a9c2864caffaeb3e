package dev.pinpipe.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml as the tests see it: SnakeYAML resolves the {@code <<: *anchor} merges the
 * way compose does, so each service's environment is the one its container gets.
 */
record ComposeFile(Map<String, Service> services, Map<String, Object> raw) {

    /** Label that marks a run-to-completion container (an init step, the emulator). */
    static final String ONE_SHOT_LABEL = "dev.pinpipe.one-shot";

    record Service(String name, Map<String, Object> spec) {

        Optional<String> image() {
            return Optional.ofNullable((String) spec.get("image"));
        }

        /** The Dockerfile path relative to the repository root, when the service is built here. */
        Optional<String> dockerfile() {
            Object build = spec.get("build");
            if (build == null) {
                return Optional.empty();
            }
            Map<String, Object> b = map(build);
            String context = String.valueOf(b.getOrDefault("context", "."));
            String file = String.valueOf(b.getOrDefault("dockerfile", "Dockerfile"));
            return Optional.of(context.equals(".") ? file : context + "/" + file);
        }

        Optional<String> buildContext() {
            return Optional.ofNullable(spec.get("build")).map(b -> String.valueOf(map(b).get("context")));
        }

        boolean oneShot() {
            return "true".equals(String.valueOf(map(spec.getOrDefault("labels", Map.of())).get(ONE_SHOT_LABEL)));
        }

        List<String> profiles() {
            return list(spec.getOrDefault("profiles", List.of()));
        }

        Optional<Map<String, Object>> healthcheck() {
            return Optional.ofNullable(spec.get("healthcheck")).map(ComposeFile::map);
        }

        /** The health check's test, when there is one and it is not disabled ({@code disable: true}, {@code [NONE]}). */
        Optional<Object> healthTest() {
            Map<String, Object> hc = healthcheck().orElse(Map.of());
            Object test = hc.get("test");
            boolean disabled = Boolean.TRUE.equals(hc.get("disable"))
                    || (test instanceof List<?> l && !l.isEmpty() && "NONE".equals(l.get(0)));
            return disabled ? Optional.empty() : Optional.ofNullable(test);
        }

        Optional<String> restart() {
            return Optional.ofNullable(spec.get("restart")).map(String::valueOf);
        }

        /** Variable name → value; compose accepts a map or a list of NAME=value. */
        Map<String, String> environment() {
            Object env = spec.getOrDefault("environment", Map.of());
            Map<String, String> result = new LinkedHashMap<>();
            if (env instanceof Map<?, ?> m) {
                m.forEach((k, v) -> result.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
            } else {
                for (String entry : list(env)) {
                    int eq = entry.indexOf('=');
                    result.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? null : entry.substring(eq + 1));
                }
            }
            return result;
        }

        /** Dependency → condition; the short list form means service_started. */
        Map<String, String> dependsOn() {
            Object deps = spec.getOrDefault("depends_on", Map.of());
            Map<String, String> result = new LinkedHashMap<>();
            if (deps instanceof Map<?, ?> m) {
                m.forEach((k, v) -> result.put(String.valueOf(k),
                        String.valueOf(map(v).getOrDefault("condition", "service_started"))));
            } else {
                list(deps).forEach(d -> result.put(d, "service_started"));
            }
            return result;
        }

        List<String> volumes() {
            return list(spec.getOrDefault("volumes", List.of()));
        }
    }

    static ComposeFile load() {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        Map<String, Object> raw = yaml.load(Repo.read("docker-compose.yml"));
        Map<String, Service> services = new LinkedHashMap<>();
        map(raw.get("services")).forEach((name, spec) -> services.put(name, new Service(name, map(spec))));
        return new ComposeFile(services, raw);
    }

    Service service(String name) {
        Service s = services.get(name);
        if (s == null) {
            throw new AssertionError("docker-compose.yml has no service '" + name + "'");
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<String> list(Object o) {
        return o == null ? List.of() : ((List<Object>) o).stream().map(String::valueOf).toList();
    }
}
