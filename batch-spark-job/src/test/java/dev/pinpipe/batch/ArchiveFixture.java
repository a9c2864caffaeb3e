package dev.pinpipe.batch;

import dev.pinpipe.core.ArchiveLineFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Writes archive objects exactly as the archiver does (common rules: key
 * {@code pins/dt=YYYY-MM-DD/PinterestTopic+<partition>+<first offset %020d>.json}, NDJSON, each line the raw
 * pin with pin-core's {@link ArchiveLineFormat} lineage appended as its last field).
 * Used by the integration tests and by bench/batch.
 */
public final class ArchiveFixture implements AutoCloseable {

    public static final String TOPIC = "PinterestTopic";

    /** Where one archived line came from. */
    public record Lineage(int partition, long offset, long timestampMillis) {
    }

    private final S3Client s3;
    private final String bucket;

    public ArchiveFixture(String endpoint, String region, String accessKey, String secretKey, String bucket) {
        this.s3 = S3Client.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .forcePathStyle(true)
                // plain PUTs with a Content-MD5-free body: what every S3-compatible server accepts
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
        this.bucket = bucket;
    }

    /** The raw pin JSON object with the lineage appended as its last field. */
    public static String line(String rawPin, Lineage lineage) {
        String trimmed = rawPin.strip();
        if (!trimmed.endsWith("}")) {
            throw new IllegalArgumentException("not a JSON object: " + rawPin);
        }
        return trimmed.substring(0, trimmed.length() - 1) + ",\"" + ArchiveLineFormat.LINEAGE + "\":{"
                + "\"" + ArchiveLineFormat.PARTITION + "\":" + lineage.partition()
                + ",\"" + ArchiveLineFormat.OFFSET + "\":" + lineage.offset()
                + ",\"" + ArchiveLineFormat.TIMESTAMP + "\":" + lineage.timestampMillis() + "}}";
    }

    public static String key(String prefix, LocalDate day, int partition, long firstOffset) {
        return prefix + "/dt=" + day + "/" + TOPIC + "+" + partition + "+" + String.format("%020d", firstOffset) + ".json";
    }

    /** Stores one object of archive lines (already in line format). */
    public void put(String key, List<String> lines) {
        StringBuilder body = new StringBuilder();
        lines.forEach(l -> body.append(l).append(ArchiveLineFormat.LINE_END));
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/x-ndjson"),
                RequestBody.fromBytes(body.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Archives {@code rawPins} for {@code day}: pin i goes to partition {@code i % partitions} at the
     * next offset of that partition (starting at {@code firstOffset}), {@code perObject} lines per
     * object. Returns each pin's lineage, in the order of {@code rawPins}.
     */
    public List<Lineage> archive(String prefix, LocalDate day, List<String> rawPins, int partitions, long firstOffset,
                                 int perObject, long timestampMillis) {
        List<Lineage> lineage = new ArrayList<>();
        List<List<String>> byPartition = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            byPartition.add(new ArrayList<>());
        }
        for (int i = 0; i < rawPins.size(); i++) {
            int p = i % partitions;
            Lineage l = new Lineage(p, firstOffset + byPartition.get(p).size(), timestampMillis + i);
            byPartition.get(p).add(line(rawPins.get(i), l));
            lineage.add(l);
        }
        for (int p = 0; p < partitions; p++) {
            List<String> lines = byPartition.get(p);
            for (int from = 0; from < lines.size(); from += perObject) {
                put(key(prefix, day, p, firstOffset + from), lines.subList(from, Math.min(lines.size(), from + perObject)));
            }
        }
        return lineage;
    }

    /** Removes every object of that day. */
    public void deleteDay(String prefix, LocalDate day) {
        String folder = prefix + "/dt=" + day + "/";
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder)).contents()) {
            s3.deleteObject(b -> b.bucket(bucket).key(object.key()));
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
