package dev.pinpipe.localstack;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where the local stack listens and the fixed local names (topics, bucket, credentials, database).
 * JDK only: both the child process ({@link LocalStackMain}) and the test side ({@link LocalStack}) use it,
 * so the two can never disagree about an endpoint.
 */
public record Endpoints(String host, int kafkaPort, int s3Port, int pgPort, int kafkaBrokers) {

    public static final String TOPIC = "PinterestTopic";
    public static final String DEAD_LETTER_TOPIC = "PinterestTopic.DLT";
    public static final String BUCKET = "pinterestdata";
    public static final String S3_REGION = "us-east-1";
    public static final String S3_ACCESS_KEY = "pinpipe";
    public static final String S3_SECRET_KEY = "pinpipe-secret";
    public static final String DATABASE = "pinterest";
    public static final String DB_USER = "pinpipe";
    public static final String DB_PASSWORD = "pinpipe";

    /** One Kafka broker, the usual local stack. */
    public Endpoints(String host, int kafkaPort, int s3Port, int pgPort) {
        this(host, kafkaPort, s3Port, pgPort, 1);
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

    /** Every PINPIPE_* variable (docs/configuration.md) pointing at this stack, in a stable order. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PINPIPE_KAFKA_BOOTSTRAP", kafkaBootstrap());
        env.put("PINPIPE_S3_ENDPOINT", s3Endpoint());
        env.put("PINPIPE_S3_REGION", S3_REGION);
        env.put("PINPIPE_S3_ACCESS_KEY", S3_ACCESS_KEY);
        env.put("PINPIPE_S3_SECRET_KEY", S3_SECRET_KEY);
        env.put("PINPIPE_S3_BUCKET", BUCKET);
        env.put("PINPIPE_JDBC_URL", jdbcUrl());
        env.put("PINPIPE_DB_USER", DB_USER);
        env.put("PINPIPE_DB_PASSWORD", DB_PASSWORD);
        env.put("PINPIPE_KAFKA_PORT", Integer.toString(kafkaPort));
        env.put("PINPIPE_KAFKA_BROKERS", Integer.toString(kafkaBrokers));
        env.put("PINPIPE_S3_PORT", Integer.toString(s3Port));
        env.put("PINPIPE_PG_PORT", Integer.toString(pgPort));
        return Collections.unmodifiableMap(env);
    }

    /** {@link #env()} without its secrets as one flat JSON object (plain ASCII values without quotes or backslashes). */
    public String json() {
        return env().entrySet().stream()
                .filter(e -> !e.getKey().equals("PINPIPE_DB_PASSWORD") && !e.getKey().equals("PINPIPE_S3_SECRET_KEY"))
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(Collectors.joining(",", "{", "}"));
    }
}
