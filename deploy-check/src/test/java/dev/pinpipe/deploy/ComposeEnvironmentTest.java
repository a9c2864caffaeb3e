package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.pinpipe.core.config.Setting;
import dev.pinpipe.core.config.Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * compose against pin-core's settings catalogue, where every default is declared once: a container is
 * given each setting its code reads whose default is wrong inside a container (the host's loopback, the
 * bind address), and compose never repeats a default (the catalogue's, or the one its image's ENV sets).
 * A setting compose passes through from where it runs ({@code PINPIPE_X: ${PINPIPE_X:-default}}, its
 * default checked by {@link CatalogueTest}) reaches every container that reads it, and the names the
 * one-shot services create, the topic and the bucket, are those the processes read.
 */
class ComposeEnvironmentTest {

    private static final ComposeFile COMPOSE = ComposeFile.load();

    private static final List<String> CORE = List.of("pin-core");
    private static final List<String> SPARK = List.of("pin-spark", "pin-core");

    /** Where a default must not point inside a container: that is the container itself, not the host. */
    private static final List<String> LOOPBACK = List.of("127.0.0.1", "localhost", "[::1]");
    /** A value passed through from where compose runs: {@code ${PINPIPE_X:-default}} or {@code ${PINPIPE_X}}. */
    private static final Pattern PASS_THROUGH = Pattern.compile("\\$\\{(PINPIPE_[A-Z0-9_]+)(?::?-[^}]*)?}");
    /** What a container's shell command expands: {@code $${PINPIPE_X}} or {@code $$PINPIPE_X}, compose's escape of {@code $}. */
    private static final Pattern SHELL_REFERENCE = Pattern.compile("\\$\\$\\{?([A-Z][A-Z0-9_]*)");

    /** Names a one-shot service creates for the processes, written in compose once, as the catalogue's default. */
    static final List<Setting> CREATED_NAMES = List.of(Settings.TOPIC, Settings.S3_BUCKET);
    static final List<String> SPRING = SpringSettings.SERVICES;

    /**
     * Compose service → the code whose variables its container must carry, and the libraries that
     * code uses. Airflow's container carries the DAG's variables and those of the batch job it runs.
     */
    static Stream<Arguments> services() {
        return Stream.of(
                arguments("ingest-api", List.of("ingest-api"), CORE),
                arguments("batch-consumer", List.of("batch-consumer"), CORE),
                arguments("stream-spark-job", List.of("stream-spark-job"), SPARK),
                arguments("batch-spark-job", List.of("batch-spark-job"), SPARK),
                arguments("user-emulator", List.of("user-emulator"), CORE),
                arguments("migrate", List.of("pin-schema"), CORE),
                arguments("airflow", List.of("airflow/dags", "batch-spark-job"), SPARK));
    }

    /**
     * Each setting the service reads has, in its container, the value compose (or the image) gives it, else
     * the catalogue's default resolved against that environment: none may point at the host's loopback,
     * which inside a container is the container itself. That covers a default naming loopback directly
     * ({@code PINPIPE_KAFKA_BOOTSTRAP}), through a reference, and the bind address (loopback by default:
     * the other containers could not reach the process).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void containerIsGivenEverySettingWhoseDefaultIsWrongInAContainer(String service, List<String> code, List<String> libraries) {
        Set<String> read = read(code, libraries);
        assertThat(read).as(service + " reads no PINPIPE_* variable at all: is its configuration where we look?").isNotEmpty();
        Map<String, String> env = container(service).env();
        List<String> wrong = new ArrayList<>();
        for (String variable : read) {
            if (!Settings.isKnown(variable)) {
                wrong.add(variable + " (in no catalogue entry)");
            } else if (!isSecretFile(variable)) {
                String value = Settings.named(variable).value(env::get);
                if (LOOPBACK.stream().anyMatch(value::contains)) {
                    wrong.add(variable + " (in the container: " + value + ")");
                }
            }
        }
        assertThat(wrong).as(service + ": settings " + code + " read that point at the host's loopback in its container;"
                + " give them in compose (compose host names, 0.0.0.0 for the bind address)").isEmpty();
    }

    /**
     * A compose value the container would have without it repeats a default: the image's ENV, else the
     * catalogue's local default ("" for a secret's {@code _FILE}). A pass-through is no repeat: it lets
     * {@code PINPIPE_X=… docker compose up} reach the container.
     */
    @Test
    void composeRepeatsNoDefault() {
        List<String> repeated = new ArrayList<>();
        COMPOSE.services().values().forEach(service -> {
            Map<String, String> image = service.dockerfile().map(f -> Dockerfile.read(Repo.path(f)).finalStage().env()).orElse(Map.of());
            service.environment().forEach((variable, value) -> {
                if (!variable.startsWith("PINPIPE_") || isPassThrough(variable, value)) {
                    return;
                }
                String without = image.containsKey(variable) ? image.get(variable) : localDefault(variable);
                if (without.equals(value)) {
                    repeated.add(service.name() + " " + variable + ": " + value
                            + (image.containsKey(variable) ? " (its image's ENV)" : " (the catalogue's default)"));
                }
            });
        });
        assertThat(repeated).as("compose values equal to what the container has without them: remove them").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void valuesPointAtComposeHostnamesNotTheHost(String service, List<String> code, List<String> libraries) {
        COMPOSE.service(service).environment().forEach((name, value) ->
                assertThat(value).as(service + " " + name).isNotNull()
                        .doesNotContain("127.0.0.1").doesNotContain("localhost"));
    }

    /** A shell has no catalogue: what a command expands must be in its container's environment. */
    @Test
    void everyVariableACommandExpandsIsGiven() {
        List<String> missing = new ArrayList<>();
        COMPOSE.services().values().forEach(service -> shellReferences(service).stream()
                .filter(variable -> !container(service.name()).env().containsKey(variable))
                .forEach(variable -> missing.add(service.name() + " " + variable)));
        assertThat(missing).as("variables a command expands that its container lacks").isEmpty();
    }

    /** A setting passed through from where compose runs reaches every container that reads it, with one value. */
    @Test
    void aPassedThroughSettingReachesEveryContainerThatReadsIt() {
        Map<String, Set<String>> passed = new TreeMap<>();
        COMPOSE.services().values().forEach(s -> s.environment().forEach((variable, value) -> {
            if (variable.startsWith("PINPIPE_") && isPassThrough(variable, value)) {
                passed.computeIfAbsent(variable, v -> new TreeSet<>()).add(value);
            }
        }));
        assertThat(passed).as("settings compose passes through").containsKeys(Settings.TOPIC.variable(), Settings.S3_BUCKET.variable());
        passed.forEach((variable, values) -> assertThat(values).as(variable + ": one pass-through for all containers").hasSize(1));

        List<String> missed = new ArrayList<>();
        readers().forEach((service, read) -> read.stream().filter(passed::containsKey)
                .filter(variable -> !passed.get(variable).contains(container(service).env().get(variable)))
                .forEach(variable -> missed.add(service + " " + variable)));
        assertThat(missed).as("containers that read a passed-through setting without it").isEmpty();
    }

    /** The topic and the bucket: compose writes each once, as the catalogue's default of its pass-through. */
    @ParameterizedTest(name = "{0}")
    @FieldSource("CREATED_NAMES")
    void theNameIsWrittenOnceAsTheCataloguesDefault(Setting setting) {
        String text = Repo.read("docker-compose.yml");
        String name = setting.localDefault();
        assertThat(text.split(Pattern.quote(name), -1).length - 1).as("'" + name + "' in docker-compose.yml").isEqualTo(1);
        assertThat(text).contains(setting.variable() + ": ${" + setting.variable() + ":-" + name + "}");
    }

    /**
     * kafka-init creates the topic and its dead-letter topic as every process derives it (the catalogue's
     * default, so no container is given PINPIPE_DLT_TOPIC), minio-init the bucket, from the pass-throughs.
     */
    @Test
    void theOneShotsCreateWhatTheProcessesRead() {
        String topics = command("kafka-init");
        assertThat(topics).contains("--topic \"$${" + Settings.TOPIC.variable() + "}\"")
                .contains("--topic \"" + escaped(Settings.DLT_TOPIC.defaultValue()) + "\"")
                .contains("--partitions \"$${" + Settings.TOPIC_PARTITIONS.variable() + "}\"");
        COMPOSE.services().values().forEach(s -> assertThat(s.environment()).as(s.name())
                .doesNotContainKey(Settings.DLT_TOPIC.variable()));
        assertThat(command("minio-init")).contains("mc mb --ignore-existing \"pinpipe/$${" + Settings.S3_BUCKET.variable() + "}\"");
    }

    /** MinIO's login is the S3 keys every S3 reader's container uses, and minio-init logs in with it. */
    @Test
    void minioIsLoggedIntoWithTheKeysTheContainersUse() {
        Map<String, String> minio = COMPOSE.service("minio").environment();
        List<String> s3Readers = new ArrayList<>();
        readers().forEach((service, read) -> {
            if (read.contains(Settings.S3_ACCESS_KEY.variable())) {
                s3Readers.add(service);
                Map<String, String> env = container(service).env();
                assertThat(Settings.S3_ACCESS_KEY.value(env::get)).as(service + " S3 access key").isEqualTo(minio.get("MINIO_ROOT_USER"));
                assertThat(Settings.S3_SECRET_KEY.value(env::get)).as(service + " S3 secret key").isEqualTo(minio.get("MINIO_ROOT_PASSWORD"));
            }
        });
        assertThat(s3Readers).contains("batch-consumer", "batch-spark-job", "airflow");
        assertThat(command("minio-init")).contains("\"$${MINIO_ROOT_USER}\" \"$${MINIO_ROOT_PASSWORD}\"");
        assertThat(container("minio-init").env()).containsEntry("MINIO_ROOT_USER", minio.get("MINIO_ROOT_USER"))
                .containsEntry("MINIO_ROOT_PASSWORD", minio.get("MINIO_ROOT_PASSWORD"));
    }

    /**
     * The Spring services' ports come from the catalogue (or their image): compose publishes, and the other
     * containers address, only ports the service listens on in its container.
     */
    @ParameterizedTest(name = "{0}")
    @FieldSource("SPRING")
    void composeAddressesTheSpringServiceWhereItListens(String service) {
        SpringSettings settings = SpringSettings.of(service);
        Map<String, String> env = container(service).env();
        Set<String> listening = Set.of(settings.port().in(env), settings.managementPort().in(env));

        List<String> published = ComposeFile.list(COMPOSE.service(service).spec().getOrDefault("ports", List.of())).stream()
                .map(p -> p.substring(p.lastIndexOf(':') + 1).replaceFirst("/.*", "")).toList();
        assertThat(published).as(service + " ports published").isNotEmpty();
        assertThat(listening).as(service + " listens on (server, management) vs. the ports compose publishes").containsAll(published);

        Pattern address = Pattern.compile("(?<![A-Za-z0-9.-])" + Pattern.quote(service) + ":([0-9]+)");
        COMPOSE.services().values().forEach(other -> other.environment().forEach((variable, value) -> {
            Matcher m = address.matcher(String.valueOf(value));
            while (m.find()) {
                assertThat(listening).as(other.name() + " " + variable + " = " + value).contains(m.group(1));
            }
        }));
    }

    /** The stream job's checkpoint (the catalogue's default under the image's PINPIPE_HOME) is on a volume. */
    @Test
    void theStreamCheckpointSurvivesTheContainer() {
        String checkpoint = Settings.STREAM_CHECKPOINT.value(container("stream-spark-job").env()::get);
        List<String> mounted = COMPOSE.service("stream-spark-job").volumes().stream().map(v -> v.split(":")[1]).toList();
        assertThat(mounted).as("volumes of stream-spark-job vs. its checkpoint " + checkpoint)
                .anyMatch(path -> checkpoint.startsWith(path + "/"));
    }

    /** A secret's {@code _FILE} variable: known to the catalogue, without an entry of its own. */
    private static boolean isSecretFile(String variable) {
        return Settings.isKnown(variable) && Settings.all().stream().noneMatch(s -> s.variable().equals(variable));
    }

    /** The catalogue's local default, references resolved; "" for a secret's {@code _FILE} variable. */
    private static String localDefault(String variable) {
        if (!Settings.isKnown(variable)) {
            throw new AssertionError(variable + " is in no catalogue entry");
        }
        return isSecretFile(variable) ? "" : Settings.named(variable).localDefault();
    }

    private static boolean isPassThrough(String variable, String value) {
        Matcher m = PASS_THROUGH.matcher(String.valueOf(value));
        return m.matches() && m.group(1).equals(variable);
    }

    /** Every compose service's reads: the pipeline's from its code, and every command's expansions. */
    private static Map<String, Set<String>> readers() {
        Map<String, Set<String>> readers = new LinkedHashMap<>();
        services().forEach(a -> {
            Object[] args = a.get();
            @SuppressWarnings("unchecked")
            List<String> code = (List<String>) args[1];
            @SuppressWarnings("unchecked")
            List<String> libraries = (List<String>) args[2];
            readers.put((String) args[0], read(code, libraries));
        });
        COMPOSE.services().values().forEach(s -> readers.computeIfAbsent(s.name(), n -> new TreeSet<>()).addAll(shellReferences(s)));
        return readers;
    }

    private static Set<String> read(List<String> code, List<String> libraries) {
        Set<String> read = new TreeSet<>();
        code.forEach(dir -> read.addAll(ConfiguredVariables.of(dir, libraries)));
        return read;
    }

    private static Set<String> shellReferences(ComposeFile.Service service) {
        Set<String> variables = new TreeSet<>();
        for (String key : List.of("entrypoint", "command")) {
            Object words = service.spec().get(key);
            Matcher m = SHELL_REFERENCE.matcher(words instanceof String line ? line : String.join(" ", ComposeFile.list(words)));
            while (m.find()) {
                variables.add(m.group(1));
            }
        }
        return variables;
    }

    private static String command(String service) {
        return String.join("\n", ComposeFile.list(COMPOSE.service(service).spec().get("command")));
    }

    /** A default as a compose command writes it: {@code ${PINPIPE_TOPIC}} → {@code $${PINPIPE_TOPIC}}. */
    private static String escaped(String value) {
        return value.replace("${", "$${");
    }

    private static HealthEndpoint.Container container(String service) {
        return HealthEndpoint.Container.of(COMPOSE.service(service));
    }
}
