package dev.pinpipe.archive;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;

/**
 * Where the archive lives.
 *
 * @param bucket      the bucket
 * @param prefix      the archive's folder in the bucket, e.g. {@code pins}; slashes around it are dropped,
 *                    so {@code pins}, {@code pins/} and {@code /pins/} are the same folder
 * @param endpoint    an S3-compatible server; blank for AWS itself
 * @param region      the signing region
 * @param pathStyle   path-style addressing (needed by local servers such as s3proxy)
 * @param accessKey   static credentials, used only when both keys are set; otherwise the SDK's
 *                    default provider chain (environment, profile, instance role, ...)
 * @param secretKey   see accessKey
 * @param callTimeout upper bound of one PUT including the SDK's own retries
 * @param checksums   {@code when-supported}: the SDK's default, a CRC32 of every body sent as an
 *                    aws-chunked trailer and checked by S3; {@code when-required}: only where the
 *                    operation demands one (PutObject does not), a plain body, cheaper on both ends.
 *                    The local default is when-required, the {@code aws} profile when-supported
 * @param signPayloadOverHttp over a plain-http endpoint the SDK hashes every body (SHA-256, in the
 *                    client and again in the server) to sign it; false signs the headers only
 *                    ({@code UNSIGNED-PAYLOAD}), as the SDK always does over https. Meant for a
 *                    local S3 server on loopback; no effect on https endpoints
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
        Duration callTimeout,
        Checksums checksums,
        boolean signPayloadOverHttp) {

    /** When the client adds a body checksum (the SDK's RequestChecksumCalculation / ResponseChecksumValidation). */
    public enum Checksums { WHEN_SUPPORTED, WHEN_REQUIRED }

    public S3Properties {
        prefix = prefix == null ? "" : StringUtils.trimTrailingCharacter(StringUtils.trimLeadingCharacter(prefix, '/'), '/');
    }

    /** The archive's folder as a key prefix, {@code <prefix>/} (the objects are {@code <prefix>/dt=<day>/…}); empty: the bucket's root. */
    public String archiveFolder() {
        return prefix.isEmpty() ? "" : prefix + "/";
    }

    /** The progress markers' folder, {@code <prefix>_progress/}: beside the archive's, never in it. */
    public String progressFolder() {
        return prefix + "_progress/";
    }

    public boolean hasStaticCredentials() {
        return accessKey != null && !accessKey.isBlank() && secretKey != null && !secretKey.isBlank();
    }
}
