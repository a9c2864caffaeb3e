package dev.pinpipe.core.kafka;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka client settings for every client of the pipeline (the ingest API's producer and admin, the
 * archiver's consumer and dead-letter producer, the stream job's Kafka source): TLS, SASL, MSK IAM…,
 * from the Java {@code .properties} file that {@value #FILE_VARIABLE} names (UTF-8, the format of
 * Kafka's own {@code --command-config}). Settings the pipeline sets itself are refused, naming the key:
 * {@code bootstrap.servers} ({@code PINPIPE_KAFKA_BOOTSTRAP}), the (de)serializers, and what exactly
 * once and "nothing lost" rest on ({@link #REFUSED}). {@link #toString()} masks secret values.
 *
 * @param entries the settings, sorted by key, unmodifiable
 */
public record KafkaClientProperties(Map<String, String> entries) {

    /** The path of the properties file; unset or blank: no extra settings. */
    public static final String FILE_VARIABLE = "PINPIPE_KAFKA_PROPERTIES_FILE";

    /** Keys the pipeline sets itself, or whose change would break exactly once or lose records. */
    public static final List<String> REFUSED = List.of(
            "bootstrap.servers",
            "key.serializer", "value.serializer", "key.deserializer", "value.deserializer",
            "enable.idempotence", "acks", "transactional.id",
            "isolation.level", "enable.auto.commit", "group.id", "auto.offset.reset");

    /**
     * Keys whose values are never shown (found anywhere in the key): passwords, private keys, tokens,
     * JAAS configs. The stream job also gives it to Spark to redact its {@code kafka.*} options.
     */
    public static final String SECRET_KEYS = "(?i)password|secret|jaas|token|credential|private|key$";

    /** No extra settings. */
    public static final KafkaClientProperties NONE = new KafkaClientProperties(Map.of());

    private static final Pattern SECRET = Pattern.compile(SECRET_KEYS);
    /** Kafka's config providers' own settings ({@code config.providers.file.class}), which no client lists. */
    private static final String CONFIG_PROVIDERS = "config.providers";
    /** Spring's placeholder start; Kafka's config providers ({@code ${file:path:key}}) use the same syntax. */
    private static final String PLACEHOLDER = "${";

    public KafkaClientProperties {
        entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /**
     * From the file {@value #FILE_VARIABLE} names in {@code env} (a variable's value by its name).
     *
     * @throws IllegalArgumentException the file unreadable, a key not a setting's name, or a refused key
     */
    public static KafkaClientProperties fromEnv(Function<String, String> env) {
        String file = env.apply(FILE_VARIABLE);
        return file == null || file.isBlank() ? NONE : load(Path.of(file.strip()));
    }

    /** @throws IllegalArgumentException as {@link #fromEnv} */
    public static KafkaClientProperties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            // no message of the parser's: it could quote the file
            throw new IllegalArgumentException(FILE_VARIABLE + ": cannot read " + file + " as a .properties file ("
                    + e.getClass().getSimpleName() + ")");
        }
        Map<String, String> entries = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> entries.put(key, properties.getProperty(key)));
        entries.keySet().forEach(KafkaClientProperties::check);
        return new KafkaClientProperties(entries);
    }

    private static void check(String key) {
        if (REFUSED.contains(key)) {
            throw new IllegalArgumentException(FILE_VARIABLE + ": " + key + " cannot be set there: "
                    + (key.equals("bootstrap.servers") ? "PINPIPE_KAFKA_BOOTSTRAP sets it"
                            : "the pipeline sets it, and its exactly-once delivery depends on it"));
        }
        if (!isClientSetting(key)) {
            // a line that is no setting (say, a JAAS config wrapped without a trailing backslash) may hold a secret
            throw new IllegalArgumentException(FILE_VARIABLE + ": a key is not a setting of Kafka's producer, consumer "
                    + "or admin client; it starts with '" + key.substring(0, Math.min(3, key.length())) + "…'");
        }
    }

    /** A setting the Kafka client on the classpath knows (a typo would be ignored with a mere warning). */
    private static boolean isClientSetting(String key) {
        return ProducerConfig.configNames().contains(key) || ConsumerConfig.configNames().contains(key)
                || AdminClientConfig.configNames().contains(key) || key.startsWith(CONFIG_PROVIDERS);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Every entry with {@code prefix} before its key: {@code kafka.} for Spark's Kafka source. */
    public Map<String, String> prefixed(String prefix) {
        Map<String, String> map = new LinkedHashMap<>();
        entries.forEach((key, value) -> map.put(prefix + key, value));
        return map;
    }

    /**
     * As Spring Boot's {@code spring.kafka.properties.*}, which its producer, consumer and admin
     * factories all take. {@code ${} is escaped so that Spring leaves a Kafka config-provider reference
     * ({@code ${file:/path:key}}) to Kafka instead of resolving it as its own placeholder.
     */
    public Map<String, Object> springProperties() {
        Map<String, Object> map = new LinkedHashMap<>();
        prefixed("spring.kafka.properties.").forEach((key, value) -> map.put(key, value.replace(PLACEHOLDER, "\\" + PLACEHOLDER)));
        return map;
    }

    static boolean isSecret(String key) {
        return SECRET.matcher(key).find();
    }

    /** The keys and, except for secrets ({@link #SECRET_KEYS}), their values. */
    @Override
    public String toString() {
        return entries.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isSecret(e.getKey()) ? "***" : e.getValue()))
                .collect(Collectors.joining(", ", "KafkaClientProperties[", "]"));
    }
}
