package dev.pinpipe.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.ArchiveLineFormat;
import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.PinJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.SortedSet;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads the whole archive and counts how often each pin appears: the ground truth for "every
 * acknowledged pin is archived exactly once".
 *
 * @param objects   archive objects read
 * @param lines     pin lines across them
 * @param perPin    unique_id → lines holding it
 * @param perRecord "partition/offset" of the Kafka record a line came from → lines holding it; more than
 *                  one line for a record is a doubled archive, whatever the pin ("?/?" for lines without lineage)
 * @param rawById   unique_id → the last raw line seen (for the demo's raw-beside-clean table)
 * @param dates     the {@code dt=} folders present
 */
public record ArchiveCensus(int objects, long lines, Map<String, Integer> perPin, Map<String, Integer> perRecord,
        Map<String, String> rawById, SortedSet<String> dates) {

    /** Kafka records archived more than once. */
    public long doubledRecords() {
        return perRecord.values().stream().filter(n -> n > 1).count();
    }

    public static ArchiveCensus take(PipelineEnv env) {
        try (S3Client s3 = client(env)) {
            int objects = 0;
            long lines = 0;
            Map<String, Integer> perPin = new HashMap<>();
            Map<String, Integer> perRecord = new HashMap<>();
            Map<String, String> rawById = new HashMap<>();
            SortedSet<String> dates = new TreeSet<>();
            ListObjectsV2Request list = ListObjectsV2Request.builder()
                    .bucket(env.bucket()).prefix(env.archiveKeyPrefix()).build();
            for (S3Object object : s3.listObjectsV2Paginator(list).contents()) {
                objects++;
                String key = object.key();
                int dt = key.indexOf("dt=");
                if (dt >= 0) {
                    dates.add(key.substring(dt + 3, key.indexOf('/', dt)));
                }
                try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(env.bucket()).key(key));
                        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = reader.readLine()) != null; ) {
                        if (line.isBlank()) {
                            continue;
                        }
                        lines++;
                        JsonNode node = PinJson.parse(line);
                        String id = text(node.get(PinFields.UNIQUE_ID));
                        ArchiveLineFormat.Lineage lineage = ArchiveLineFormat.lineage(node);
                        perPin.merge(id, 1, Integer::sum);
                        perRecord.merge(lineage == null ? "?/?" : lineage.partition() + "/" + lineage.offset(), 1, Integer::sum);
                        rawById.put(id, line);
                    }
                }
            }
            return new ArchiveCensus(objects, lines, perPin, perRecord, rawById, dates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static S3Client client(PipelineEnv env) {
        return S3Client.builder()
                .endpointOverride(URI.create(env.s3Endpoint()))
                .region(Region.of(env.s3Region()))
                .forcePathStyle(env.s3PathStyle())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(env.s3AccessKey(), env.s3SecretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    private static String text(JsonNode id) {
        return id == null ? "<no unique_id>" : id.asText().strip();
    }
}
