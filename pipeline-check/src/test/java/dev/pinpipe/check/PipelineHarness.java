package dev.pinpipe.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.config.Setting;
import dev.pinpipe.core.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** What the pipeline tests share: the repo, a fresh PINPIPE_HOME on free ports, and reading rows back. */
final class PipelineHarness {

    static final Path ROOT = Path.of(System.getProperty("pinpipe.repo.root", "..")).toAbsolutePath().normalize();
    static final Path SAMPLE = ROOT.resolve("pin-core/src/test/resources/sample-pins.ndjson");

    private PipelineHarness() {
    }

    /** A fresh PINPIPE_HOME under target/ and free ports for every process, as PINPIPE_* variables. */
    static Map<String, String> freshEnvironment(String name) {
        Path home = ROOT.resolve("pipeline-check/target/" + name);
        deleteRecursively(home);
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Settings.HOME.variable(), home.toString());
        for (Setting port : List.of(Settings.KAFKA_PORT, Settings.S3_PORT, Settings.PG_PORT, Settings.API_PORT,
                Settings.ARCHIVER_PORT, Settings.API_MANAGEMENT_PORT, Settings.ARCHIVER_MANAGEMENT_PORT)) {
            env.put(port.variable(), Integer.toString(freePort()));
        }
        // `./pinpipe test` exports every default (127.0.0.1:9092, …) into Maven's environment, and the
        // launcher lets a set variable win over one derived from a port: so derive them here too, as the catalogue does
        for (Setting derived : List.of(Settings.KAFKA_BOOTSTRAP, Settings.S3_ENDPOINT, Settings.JDBC_URL, Settings.API_URL)) {
            env.put(derived.variable(), derived.value(env::get));
        }
        return env;
    }

    static Launcher launcher(Map<String, String> env) {
        return new Launcher(ROOT, env, Path.of(env.get(Settings.HOME.variable())).resolve("launcher"));
    }

    /** Every process `up` started is gone. */
    static void assertNothingLeft(Launcher launcher, List<String> services) {
        for (String service : services) {
            Path pidFile = launcher.home().resolve("run").resolve(service + ".pid");
            assertThat(pidFile).as("pid file of %s after down", service).doesNotExist();
        }
    }

    static Path ids(Launcher launcher, String name) {
        return launcher.home().resolve(name + ".ids");
    }

    /**
     * Records that are not pins, as a producer other than the API could write them: a UTF-16 pin, bytes
     * that are not UTF-8, a unique_id followed by U+2028, U+0000 in a title, a 20-digit index, not
     * JSON, an array, a pin without unique_id, and a null value.
     */
    static List<byte[]> hostileRecords() {
        String pin = "{\"index\":1,\"unique_id\":\"c5521660-f3a3-4571-b476-189975a3adb3\",\"category\":\"art\"}";
        List<byte[]> records = new java.util.ArrayList<>();
        records.add(pin.getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        records.add(new byte[] {'{', '"', 'i', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        records.add(pin.replace("adb3\"", "adb3\u2028\"").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        records.add(pin.replace("}", ",\"title\":\"a\\u0000b\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        records.add(pin.replace("\"index\":1", "\"index\":12345678901234567890").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        records.add("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        records.add("[]".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        records.add("{\"index\": 1, \"category\": \"art\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        records.add(null);
        return records;
    }

    /** The reasons in {@link Settings#PINS_REJECTED_TABLE} of one job. */
    static List<String> quarantined(PipelineEnv env, String job) throws SQLException {
        List<String> reasons = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection(env.jdbcUrl(), env.dbUser(), env.dbPassword());
                PreparedStatement ps = c.prepareStatement("SELECT reason FROM " + Settings.PINS_REJECTED_TABLE + " WHERE job = ?")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reasons.add(rs.getString(1));
                }
            }
        }
        return reasons;
    }

    /** Records straight onto the topic (the API would never publish them); a null element is a null value. */
    static void producePoison(PipelineEnv env, List<byte[]> values) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafkaBootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(env.topic(), null, value));
            }
            producer.flush();
        }
    }

    /** Every topic on the broker (listing creates none). */
    static Set<String> topics(PipelineEnv env) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, env.kafkaBootstrap());
        try (Admin admin = Admin.create(props)) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    /** The expected-file columns of the given ids, typed as SamplePins gives them. */
    static Map<String, Map<String, Object>> rows(PipelineEnv env, String table, Set<String> ids) throws SQLException {
        Map<String, Map<String, Object>> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(env.jdbcUrl(), env.dbUser(), env.dbPassword());
                PreparedStatement ps = c.prepareStatement("SELECT unique_id::text AS unique_id, \"index\", category, title,"
                        + " description, tag_list, follower_count, downloaded, is_image_or_video, image_src, save_location,"
                        + " kafka_partition, kafka_offset, ingested_at FROM " + table + " WHERE unique_id::text = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("unique_id", rs.getString("unique_id"));
                    row.put("index", rs.getInt("index"));
                    for (String text : List.of("category", "title", "description", "tag_list")) {
                        row.put(text, rs.getString(text));
                    }
                    row.put("follower_count", (Long) rs.getObject("follower_count"));
                    row.put("downloaded", (Boolean) rs.getObject("downloaded"));
                    for (String text : List.of("is_image_or_video", "image_src", "save_location")) {
                        row.put(text, rs.getString(text));
                    }
                    assertThat(rs.getObject("kafka_partition")).as("lineage of %s", row.get("unique_id")).isNotNull();
                    assertThat(rs.getObject("kafka_offset")).isNotNull();
                    assertThat(rs.getObject("ingested_at")).isNotNull();
                    rows.put(rs.getString("unique_id"), row);
                }
            }
        }
        return rows;
    }

    static Duration minutes(long m) {
        return Duration.ofMinutes(m);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
