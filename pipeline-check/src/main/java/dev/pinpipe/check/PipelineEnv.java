package dev.pinpipe.check;

import java.util.Map;

/** Where the pipeline's parts listen, read from the same PINPIPE_* variables every process reads (docs/configuration.md defaults). */
public record PipelineEnv(
        String kafkaBootstrap,
        String s3Endpoint,
        String s3Region,
        String s3AccessKey,
        String s3SecretKey,
        String bucket,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        String apiUrl) {

    public static final String TOPIC = "PinterestTopic";
    public static final String DEAD_LETTER_TOPIC = "PinterestTopic.DLT";
    public static final String ARCHIVE_PREFIX = "pins/";

    public static PipelineEnv from(Map<String, String> env) {
        return new PipelineEnv(
                env.getOrDefault("PINPIPE_KAFKA_BOOTSTRAP", "127.0.0.1:" + env.getOrDefault("PINPIPE_KAFKA_PORT", "9092")),
                env.getOrDefault("PINPIPE_S3_ENDPOINT", "http://127.0.0.1:" + env.getOrDefault("PINPIPE_S3_PORT", "9000")),
                env.getOrDefault("PINPIPE_S3_REGION", "us-east-1"),
                env.getOrDefault("PINPIPE_S3_ACCESS_KEY", "pinpipe"),
                env.getOrDefault("PINPIPE_S3_SECRET_KEY", "pinpipe-secret"),
                env.getOrDefault("PINPIPE_S3_BUCKET", "pinterestdata"),
                env.getOrDefault("PINPIPE_JDBC_URL",
                        "jdbc:postgresql://127.0.0.1:" + env.getOrDefault("PINPIPE_PG_PORT", "5432") + "/pinterest"),
                env.getOrDefault("PINPIPE_DB_USER", "pinpipe"),
                env.getOrDefault("PINPIPE_DB_PASSWORD", "pinpipe"),
                env.getOrDefault("PINPIPE_API_URL", "http://127.0.0.1:" + env.getOrDefault("PINPIPE_API_PORT", "8000")));
    }
}
