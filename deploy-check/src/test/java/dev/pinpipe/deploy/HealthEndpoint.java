package dev.pinpipe.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where a container's health endpoint listens, worked out from what configures the program in it:
 * a Spring service's application.yml placeholders and its environment, the stream job's Spark
 * settings, a server's command-line flags and environment variables. Each program's own default
 * applies only where nothing sets the value. A program this class does not know fails the check.
 *
 * @param ports    where a probe may connect (Kafka: each broker listener)
 * @param bind     the address those ports listen on; "0.0.0.0" for every interface
 * @param paths    the HTTP paths that report health, empty when the endpoint is not HTTP
 * @param expected text a healthy answer holds, when the program's configuration decides it
 * @param source   where the port came from, for the failure message
 */
record HealthEndpoint(Set<Integer> ports, String bind, Set<String> paths, Optional<String> expected, String source) {

    static final String EVERY_INTERFACE = "0.0.0.0";

    /**
     * A container as it runs: what program it is (the module of docker/&lt;module&gt;.Dockerfile, or a
     * pulled image's name), its command's arguments, its environment (the image's ENV under compose's)
     * and the JVM options its image's ENTRYPOINT gives.
     */
    record Container(String name, String program, List<String> command, Map<String, String> env, List<String> jvmOptions) {

        static Container of(ComposeFile.Service service) {
            Map<String, String> env = new LinkedHashMap<>();
            List<String> jvmOptions = List.of();
            String program;
            if (service.dockerfile().isPresent()) {
                Path file = Repo.path(service.dockerfile().get());
                Dockerfile.Stage image = Dockerfile.read(file).finalStage();
                env.putAll(image.env());
                jvmOptions = jvmOptions(image);
                program = moduleOf(file);
            } else {
                program = ImageRef.parse(service.image().orElseThrow()).name();
            }
            env.putAll(service.environment());
            Object command = service.spec().get("command");
            List<String> words = command instanceof String line ? ShellWords.split(line, Map.of()) : ComposeFile.list(command);
            return new Container(service.name(), program, words, env, jvmOptions);
        }

        /** The image alone, as {@code docker run} starts it. */
        static Container of(Path dockerfile) {
            Dockerfile.Stage image = Dockerfile.read(dockerfile).finalStage();
            return new Container(dockerfile.getFileName().toString(), moduleOf(dockerfile), List.of(), image.env(), jvmOptions(image));
        }

        private static String moduleOf(Path dockerfile) {
            return dockerfile.getFileName().toString().replace(".Dockerfile", "");
        }

        /** The words of the image's ENTRYPOINT, exec (JSON) or shell form. */
        private static List<String> jvmOptions(Dockerfile.Stage image) {
            String entrypoint = image.last("ENTRYPOINT").orElse("");
            if (!entrypoint.startsWith("[")) {
                return ShellWords.split(entrypoint, Map.of());
            }
            try {
                return new ObjectMapper().readValue(entrypoint, new TypeReference<List<String>>() { });
            } catch (IOException e) {
                throw new AssertionError("ENTRYPOINT " + entrypoint + ": not a JSON array", e);
            }
        }

        /** The value of a command-line flag, {@code --name value} or {@code --name=value}. */
        Optional<String> flag(String name) {
            for (int i = 0; i < command.size(); i++) {
                if (command.get(i).equals(name) && i + 1 < command.size()) {
                    return Optional.of(command.get(i + 1));
                }
                if (command.get(i).startsWith(name + "=")) {
                    return Optional.of(command.get(i).substring(name.length() + 1));
                }
            }
            return Optional.empty();
        }
    }

    private static final Pattern LISTENER = Pattern.compile("([A-Za-z0-9_]+)://([^,]*):([0-9]+)");
    private static final Pattern SPARK_UI_CONFIG = Pattern.compile("\\.(?:config|set)\\(\\s*\"(spark\\.ui\\.(?:port|enabled))\"\\s*,\\s*\"?([^\")]*)\"?\\s*\\)");
    private static final Pattern APP_NAME = Pattern.compile("\\.appName\\(\"([^\"]+)\"\\)");
    private static final Pattern SPARK_JVM_OPTIONS = Pattern.compile("<spark\\.jvm\\.options>([^<]*)</spark\\.jvm\\.options>");

    static HealthEndpoint of(Container c) {
        if (SpringSettings.SERVICES.contains(c.program())) {
            return spring(c);
        }
        return switch (c.program()) {
            case "stream-spark-job" -> sparkUi(c);
            case "airflow" -> http(c, c.env().getOrDefault("AIRFLOW__API__PORT", "8080"), "AIRFLOW__API__PORT (Airflow's default 8080)",
                    c.env().getOrDefault("AIRFLOW__API__HOST", EVERY_INTERFACE), "/api/v2/monitor/health");
            case "apache/kafka" -> kafka(c);
            // --address [host]:port, or MINIO_ADDRESS; MinIO's default ":9000"
            case "minio/minio" -> httpAt(c, c.flag("--address").orElse(c.env().getOrDefault("MINIO_ADDRESS", ":9000")),
                    "minio --address / MINIO_ADDRESS (default :9000)", "/minio/health/live", "/minio/health/ready", "/minio/health/cluster");
            case "postgres" -> {
                // postgres -p N or -c port=N, else PGPORT, else 5432
                Optional<String> setting = c.command().stream().filter(w -> w.startsWith("port=")).map(w -> w.substring(5)).reduce((a, b) -> b);
                String port = c.flag("-p").or(() -> setting).orElse(c.env().getOrDefault("PGPORT", "5432"));
                yield new HealthEndpoint(Set.of(HealthProbe.port(port, c.name())), EVERY_INTERFACE, Set.of(), Optional.empty(),
                        "postgres -p / -c port= / PGPORT (default 5432) = " + port);
            }
            case "prom/prometheus" -> httpAt(c, c.flag("--web.listen-address").orElse("0.0.0.0:9090"),
                    "prometheus --web.listen-address (default 0.0.0.0:9090)", "/-/ready", "/-/healthy");
            case "grafana/grafana" -> http(c, c.env().getOrDefault("GF_SERVER_HTTP_PORT", "3000"), "GF_SERVER_HTTP_PORT (default 3000)",
                    c.env().getOrDefault("GF_SERVER_HTTP_ADDR", EVERY_INTERFACE), "/api/health");
            default -> throw new AssertionError("no rule for where " + c.name() + " (" + c.program()
                    + ") serves its health check: teach HealthEndpoint how its port is configured");
        };
    }

    /** An HTTP endpoint at a {@code [host]:port} address, as MinIO's and Prometheus' flags write it. */
    private static HealthEndpoint httpAt(Container c, String address, String source, String... paths) {
        int colon = address.lastIndexOf(':');
        return http(c, address.substring(colon + 1), source, address.substring(0, Math.max(colon, 0)), paths);
    }

    private static HealthEndpoint http(Container c, String port, String source, String bind, String... paths) {
        String bound = bind.isEmpty() ? EVERY_INTERFACE : bind;
        return new HealthEndpoint(Set.of(HealthProbe.port(port, c.name() + " " + source)), bound, Set.of(paths), Optional.empty(),
                source + " = " + port);
    }

    /** Actuator's health on the management port: application.yml's placeholder, filled from the container's environment. */
    private static HealthEndpoint spring(Container c) {
        SpringSettings settings = SpringSettings.of(c.program());
        String port = settings.managementPort().in(c.env());
        return new HealthEndpoint(Set.of(HealthProbe.port(port, c.name() + " management.server.port")),
                settings.managementAddress().in(c.env()), Set.of(settings.healthPath()), Optional.of("\"UP\""),
                c.program() + "'s management.server.port, " + settings.managementPort().variable()
                        + (c.env().containsKey(settings.managementPort().variable()) ? " in the container's environment" : " unset, its default")
                        + " = " + port);
    }

    /** Every listener but the controller's answers a broker API request. */
    private static HealthEndpoint kafka(Container c) {
        String listeners = c.env().get("KAFKA_LISTENERS");
        if (listeners == null) {
            throw new AssertionError(c.name() + ": KAFKA_LISTENERS unset; set the listeners so the probe's port can be checked");
        }
        List<String> controllers = List.of(c.env().getOrDefault("KAFKA_CONTROLLER_LISTENER_NAMES", "").split(","));
        Set<Integer> ports = new LinkedHashSet<>();
        Set<String> binds = new LinkedHashSet<>();
        Matcher m = LISTENER.matcher(listeners);
        while (m.find()) {
            if (!controllers.contains(m.group(1))) {
                ports.add(HealthProbe.port(m.group(3), c.name() + " KAFKA_LISTENERS"));
                binds.add(m.group(2).isEmpty() ? EVERY_INTERFACE : m.group(2));
            }
        }
        if (binds.size() != 1) {
            throw new AssertionError(c.name() + ": broker listeners on several addresses, " + binds + ": teach HealthEndpoint which the probe reaches");
        }
        return new HealthEndpoint(ports, binds.iterator().next(), Set.of(), Optional.empty(), "KAFKA_LISTENERS " + listeners + " (controller listeners left out)");
    }

    /**
     * The Spark UI of the stream job's driver: spark.ui.port as the job's code (or pin-spark's), a
     * {@code -Dspark.ui.port} of the JVM or Spark's default 4040 sets it; the UI lists the application
     * under the name the job's code gives it. The UI binds SPARK_LOCAL_IP, else every interface.
     */
    private static HealthEndpoint sparkUi(Container c) {
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> jvm = new ArrayList<>();
        for (String w : c.jvmOptions()) {
            // the Spark images write the root pom's spark.jvm.options there (DockerfileTest)
            jvm.addAll(w.equals("@/app/jvm.options") ? ShellWords.split(sparkJvmOptions(), Map.of()) : List.of(w));
        }
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            jvm.addAll(ShellWords.split(c.env().getOrDefault(variable, ""), Map.of()));
        }
        jvm.stream().filter(w -> w.startsWith("-Dspark.ui.")).forEach(w -> settings.put(w.substring(2, w.indexOf('=')), w.substring(w.indexOf('=') + 1)));
        String code = String.join("\n", Stream.of(c.program(), "pin-spark")
                .flatMap(m -> ConfiguredVariables.javaSources(m).stream()).map(Repo::read).toList());
        Matcher m = SPARK_UI_CONFIG.matcher(code);
        int read = 0;
        while (m.find()) {
            settings.put(m.group(1), m.group(2));   // the session builder's setting wins over a system property
            read++;
        }
        int named = code.split("\"spark\\.ui\\.(port|enabled)\"", -1).length - 1;
        if (named != read) {
            throw new AssertionError(c.program() + " sets spark.ui.port or spark.ui.enabled in a way this check cannot read (not "
                    + ".config(\"spark.ui.…\", \"literal\")): make it a literal or teach HealthEndpoint");
        }
        if ("false".equals(settings.get("spark.ui.enabled"))) {
            throw new AssertionError(c.name() + ": spark.ui.enabled=false, so there is no Spark UI for its health check");
        }
        Matcher app = APP_NAME.matcher(code);
        if (!app.find()) {
            throw new AssertionError(c.program() + " gives its Spark application no literal appName(\"…\")");
        }
        String port = settings.getOrDefault("spark.ui.port", "4040");
        String bind = c.env().getOrDefault("SPARK_LOCAL_IP", "");
        return new HealthEndpoint(Set.of(HealthProbe.port(port, c.name() + " spark.ui.port")), bind.isEmpty() ? EVERY_INTERFACE : bind,
                Set.of("/api/v1/applications"), Optional.of("\"" + app.group(1) + "\""),
                "spark.ui.port (code, -D options; Spark's default 4040) = " + port);
    }

    /** The root pom's {@code spark.jvm.options}: what the Spark images write into /app/jvm.options. */
    private static String sparkJvmOptions() {
        Matcher m = SPARK_JVM_OPTIONS.matcher(Repo.read("pom.xml"));
        if (!m.find()) {
            throw new AssertionError("the root pom has no <spark.jvm.options>");
        }
        return m.group(1);
    }
}
