package dev.pinpipe.check;

import dev.pinpipe.core.config.Settings;
import java.util.Map;
import java.util.function.Function;

/**
 * Where the pipeline's parts listen and what they name, read from the same PINPIPE_* variables every
 * process reads, with the catalogue's defaults ({@link Settings}).
 *
 * @param archivePrefix the archive's folder in the bucket, without a trailing slash ({@code PINPIPE_S3_PREFIX})
 */
public record PipelineEnv(
        String kafkaBootstrap,
        String topic,
        String deadLetterTopic,
        String s3Endpoint,
        String s3Region,
        String s3AccessKey,
        String s3SecretKey,
        boolean s3PathStyle,
        String bucket,
        String archivePrefix,
        String jdbcUrl,
        String dbUser,
        String dbPassword,
        String apiUrl) {

    public static PipelineEnv from(Map<String, String> env) {
        Function<String, String> get = env::get;
        return new PipelineEnv(
                Settings.KAFKA_BOOTSTRAP.value(get),
                Settings.TOPIC.value(get),
                Settings.DLT_TOPIC.value(get),
                Settings.S3_ENDPOINT.value(get),
                Settings.S3_REGION.value(get),
                Settings.S3_ACCESS_KEY.value(get),
                Settings.S3_SECRET_KEY.secretValue(get),
                Boolean.parseBoolean(Settings.S3_PATH_STYLE.value(get)),
                Settings.S3_BUCKET.value(get),
                Settings.S3_PREFIX.value(get).replaceAll("/+$", ""),
                Settings.JDBC_URL.value(get),
                Settings.DB_USER.value(get),
                Settings.DB_PASSWORD.secretValue(get),
                Settings.API_URL.value(get));
    }

    /** The key prefix of every archive object: {@code <prefix>/dt=…}. */
    public String archiveKeyPrefix() {
        return archivePrefix.isEmpty() ? "" : archivePrefix + "/";
    }
}
