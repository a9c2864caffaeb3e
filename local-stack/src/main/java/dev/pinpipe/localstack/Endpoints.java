package dev.pinpipe.localstack;

import dev.pinpipe.core.config.Settings;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where the local stack listens and what it names (topics, bucket; credentials and database are the
 * catalogue's local defaults). Both the child process ({@link LocalStackMain}) and the test side
 * ({@link LocalStack}) use it, each resolving the names from the same environment, so the two can never
 * disagree about an endpoint. JDK and pin-core's catalogue only.
 */
public record Endpoints(String host, int kafkaPort, int s3Port, int pgPort, int kafkaBrokers, Names names) {

    public static final String S3_REGION = Settings.S3_REGION.localDefault();
    public static final String S3_ACCESS_KEY = Settings.S3_ACCESS_KEY.localDefault();
    public static final String S3_SECRET_KEY = Settings.S3_SECRET_KEY.localDefault();
    /** The database the catalogue's JDBC URL names. */
    public static final String DATABASE = URI.create(Settings.JDBC_URL.localDefault().substring("jdbc:".length())).getPath().substring(1);
    public static final String DB_USER = Settings.DB_USER.localDefault();
    public static final String DB_PASSWORD = Settings.DB_PASSWORD.localDefault();

    /**
     * What the stack creates: the pin topic and its dead-letter topic, and the archive's bucket.
     *
     * @param topic           {@code PINPIPE_TOPIC}
     * @param deadLetterTopic {@code PINPIPE_DLT_TOPIC}
     * @param bucket          {@code PINPIPE_S3_BUCKET}
     */
    public record Names(String topic, String deadLetterTopic, String bucket) {

        /** The catalogue's defaults. */
        public static final Names DEFAULTS = from(variable -> null);

        /** The names {@code env} sets, else the catalogue's defaults (the DLT follows a topic set there). */
        public static Names from(Function<String, String> env) {
            return new Names(Settings.TOPIC.value(env), Settings.DLT_TOPIC.value(env), Settings.S3_BUCKET.value(env));
        }

        public List<String> topics() {
            return List.of(topic, deadLetterTopic);
        }
    }

    /** One Kafka broker and the catalogue's names, the usual local stack. */
    public Endpoints(String host, int kafkaPort, int s3Port, int pgPort) {
        this(host, kafkaPort, s3Port, pgPort, 1, Names.DEFAULTS);
    }

    /** The same stack reached at another host (a remote Docker engine's). */
    public Endpoints at(String otherHost) {
        return new Endpoints(otherHost, kafkaPort, s3Port, pgPort, kafkaBrokers, names);
    }

    /** Broker {@code i} (from 1) of a cluster listens on {@code kafkaPort + i - 1}. */
    public int kafkaPort(int broker) {
        return kafkaPort + broker - 1;
    }

    /** Every broker's {@code host:port}, comma-separated. */
    public String kafkaBootstrap() {
        return IntStream.rangeClosed(1, kafkaBrokers).mapToObj(i -> host + ":" + kafkaPort(i)).collect(Collectors.joining(","));
    }

    public String s3Endpoint() {
        return "http://" + host + ":" + s3Port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host + ":" + pgPort + "/" + DATABASE;
    }

    /** Without the password: psql reads it from {@code PGPASSWORD} (or asks). */
    public String psqlCommand() {
        return "psql -h " + host + " -p " + pgPort + " -U " + DB_USER + " " + DATABASE;
    }

    /** Every catalogue variable pointing at this stack, in a stable order. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Settings.KAFKA_BOOTSTRAP.variable(), kafkaBootstrap());
        env.put(Settings.TOPIC.variable(), names.topic());
        env.put(Settings.DLT_TOPIC.variable(), names.deadLetterTopic());
        env.put(Settings.S3_ENDPOINT.variable(), s3Endpoint());
        env.put(Settings.S3_REGION.variable(), S3_REGION);
        env.put(Settings.S3_ACCESS_KEY.variable(), S3_ACCESS_KEY);
        env.put(Settings.S3_SECRET_KEY.variable(), S3_SECRET_KEY);
        env.put(Settings.S3_BUCKET.variable(), names.bucket());
        env.put(Settings.JDBC_URL.variable(), jdbcUrl());
        env.put(Settings.DB_USER.variable(), DB_USER);
        env.put(Settings.DB_PASSWORD.variable(), DB_PASSWORD);
        env.put(Settings.KAFKA_PORT.variable(), Integer.toString(kafkaPort));
        env.put(Settings.KAFKA_BROKERS.variable(), Integer.toString(kafkaBrokers));
        env.put(Settings.S3_PORT.variable(), Integer.toString(s3Port));
        env.put(Settings.PG_PORT.variable(), Integer.toString(pgPort));
        return Collections.unmodifiableMap(env);
    }

    /** {@link #env()} without its secrets as one flat JSON object (plain ASCII values without quotes or backslashes). */
    public String json() {
        return env().entrySet().stream()
                .filter(e -> !Settings.named(e.getKey()).secret())
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }
}
