package dev.pinpipe.archive;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the archive lives.
 *
 * @param bucket      the bucket
 * @param prefix      key prefix before {@code dt=...}, e.g. {@code pins/}
 * @param endpoint    an S3-compatible server; blank for AWS itself
 * @param region      the signing region
 * @param pathStyle   path-style addressing (needed by local servers such as s3proxy)
 * @param accessKey   static credentials, used only when both keys are set; otherwise the SDK's
 *                    default provider chain (environment, profile, instance role, ...)
 * @param secretKey   see accessKey
 * @param callTimeout upper bound of one PUT including the SDK's own retries
 */
@ConfigurationProperties("pinpipe.s3")
public record S3Properties(
        String bucket,
        String prefix,
        URI endpoint,
        String region,
        boolean pathStyle,
        String accessKey,
        String secretKey,
        Duration callTimeout) {

    public boolean hasStaticCredentials() {
        return accessKey != null && !accessKey.isBlank() && secretKey != null && !secretKey.isBlank();
    }
}
