package dev.pinpipe.batch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Hadoop S3A settings for the archive. The same code reads the local S3 server (custom endpoint,
 * path-style, plain HTTP, static login) and AWS S3 (no endpoint: the region's own; credentials from
 * the AWS default chain unless given), by configuration only.
 */
public final class S3aSettings {

    public static final String SIMPLE_CREDENTIALS = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";
    /** The AWS SDK's default chain: environment, system properties, profile, container and instance roles. */
    public static final String DEFAULT_CHAIN = "software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider";

    private S3aSettings() {
    }

    /** As Hadoop configuration keys ({@code fs.s3a.*}). */
    public static Map<String, String> hadoopConf(BatchArgs args) {
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("fs.s3a.endpoint.region", args.s3Region());
        if (!args.s3Endpoint().isEmpty()) {
            conf.put("fs.s3a.endpoint", args.s3Endpoint());
            // S3-compatible servers on one host name serve buckets as paths, not as sub-domains
            conf.put("fs.s3a.path.style.access", "true");
            conf.put("fs.s3a.connection.ssl.enabled", Boolean.toString(args.s3Endpoint().startsWith("https:")));
        }
        if (args.s3AccessKey() != null) {
            conf.put("fs.s3a.aws.credentials.provider", SIMPLE_CREDENTIALS);
            conf.put("fs.s3a.access.key", args.s3AccessKey());
            conf.put("fs.s3a.secret.key", args.s3SecretKey());
        } else {
            conf.put("fs.s3a.aws.credentials.provider", DEFAULT_CHAIN);
        }
        return conf;
    }

    /** The same as {@code spark.hadoop.*} entries, for a session builder (they reach the executors too). */
    public static Map<String, String> sparkConf(BatchArgs args) {
        Map<String, String> conf = new LinkedHashMap<>();
        hadoopConf(args).forEach((k, v) -> conf.put("spark.hadoop." + k, v));
        return conf;
    }
}
