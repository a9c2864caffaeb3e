package dev.pinpipe.archive;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;

/** The S3 client (AWS or any S3-compatible endpoint, by configuration alone) and its health check. */
@Configuration(proxyBeanMethods = false)
class S3Configuration {

    @Bean(destroyMethod = "close")
    S3Client s3Client(S3Properties properties) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(properties.region()))
                .forcePathStyle(properties.pathStyle())
                .overrideConfiguration(o -> o
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallTimeout(properties.callTimeout()))
                .credentialsProvider(properties.hasStaticCredentials()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(properties.accessKey(), properties.secretKey()))
                        : DefaultCredentialsProvider.builder().build());
        if (properties.checksums() == S3Properties.Checksums.WHEN_REQUIRED) {
            builder.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        }
        if (properties.endpoint() != null) {
            builder.endpointOverride(properties.endpoint());
            if ("http".equalsIgnoreCase(properties.endpoint().getScheme()) && !properties.signPayloadOverHttp()) {
                builder.putAuthScheme(HeadersOnlySigner.authScheme());
            }
        }
        return builder.build();
    }

    /** UP when the archive bucket answers a HEAD with our credentials. */
    @Bean
    HealthIndicator archiveBucketHealthIndicator(S3Client s3, S3Properties properties) {
        return () -> {
            try {
                s3.headBucket(HeadBucketRequest.builder().bucket(properties.bucket()).build());
                return Health.up().withDetail("bucket", properties.bucket()).build();
            } catch (RuntimeException e) {
                return Health.down().withDetail("bucket", properties.bucket()).withDetail("error", e.toString()).build();
            }
        };
    }
}
