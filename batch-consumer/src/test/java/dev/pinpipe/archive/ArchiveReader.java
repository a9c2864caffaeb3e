package dev.pinpipe.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.PinJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Reads what the archiver wrote under one prefix: object key → its lines, parsed. */
record ArchiveReader(S3Client s3, String bucket, String prefix) {

    List<String> keys() {
        return s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
                .contents().stream().map(S3Object::key).sorted().toList();
    }

    Map<String, List<JsonNode>> objects() {
        Map<String, List<JsonNode>> objects = new TreeMap<>();
        for (String key : keys()) {
            String body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : body.split("\n")) {
                try {
                    lines.add(PinJson.parse(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("not a JSON line in " + key + ": " + line, e);
                }
            }
            objects.put(key, lines);
        }
        return objects;
    }

    /** Every line of every object as stored (without its newline), objects in key order. */
    List<String> rawLines() {
        List<String> lines = new ArrayList<>();
        for (String key : keys()) {
            String body = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
            lines.addAll(List.of(body.split("\n")));
        }
        return lines;
    }

    List<JsonNode> lines() {
        return objects().values().stream().flatMap(List::stream).toList();
    }

    int lineCount() {
        return lines().size();
    }
}
