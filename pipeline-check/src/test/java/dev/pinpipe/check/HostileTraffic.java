package dev.pinpipe.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.HostilePins;
import dev.pinpipe.core.PinJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Posts generated hostile requests to the ingest API (pins from {@link HostilePins} in every encoding,
 * with odd Content-Types, to both endpoints) and remembers what it answered: the status counts and
 * the ids of the pins it acknowledged, which must then reach every layer like any other pin.
 */
final class HostileTraffic {

    private static final List<String> CONTENT_TYPES = List.of(
            "application/json", "application/json", "application/json", "application/json; charset=utf-8",
            "application/json;charset=UTF-16", "application/json; foo=bar", "multipart/form-data",
            "multipart/form-data; boundary=xyz", "*/*", "application/*", "text/plain", "application/x-ndjson",
            "application/json; charset=\"", "a/b/c;;", "");

    final Map<Integer, Integer> statuses = new TreeMap<>();
    final Set<String> acked = new HashSet<>();
    final List<String> serverErrors = new ArrayList<>();

    /** Sends {@code requests} generated requests (encodings and Content-Types seeded) and returns what the API answered. */
    static HostileTraffic post(String apiUrl, int requests, long seed) throws IOException, InterruptedException {
        HostileTraffic traffic = new HostileTraffic();
        Random random = new Random(seed);
        // sampled outside a property (jqwik's own randomness): a 5xx is reported with its whole request
        Iterator<String> generator = HostilePins.pinJson().sampleStream().iterator();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < requests; i++) {
            String json = generator.next();
            String encoding = random.nextInt(6) == 0
                    ? List.of("UTF-8+BOM", "UTF-16LE", "UTF-16BE", "UTF-16", "UTF-32BE", "ISO-8859-1").get(random.nextInt(6))
                    : "UTF-8";
            boolean batch = random.nextInt(4) == 0;
            String contentType = random.nextInt(3) == 0 ? CONTENT_TYPES.get(random.nextInt(CONTENT_TYPES.size())) : "application/json";
            byte[] body = HostilePins.encode(batch ? "[" + json + "," + generator.next() + "]" : json, encoding);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(apiUrl + (batch ? "/pins" : "/pin")))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (!contentType.isEmpty()) {
                request.header("Content-Type", contentType);
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            traffic.statuses.merge(response.statusCode(), 1, Integer::sum);
            if (response.statusCode() >= 500) {
                traffic.serverErrors.add(response.statusCode() + " for " + contentType + " " + encoding + " "
                        + json + " → " + new String(response.body(), StandardCharsets.UTF_8));
            } else if (response.statusCode() == 200) {
                traffic.collectAcks(PinJson.parse(response.body()));
            }
        }
        return traffic;
    }

    /** The acknowledged ids of a {@code POST /pin} answer or of a {@code POST /pins} answer's results. */
    private void collectAcks(JsonNode answer) {
        if (answer.has("unique_id")) {
            acked.add(answer.get("unique_id").textValue());
        }
        if (answer.has("results")) {
            for (JsonNode result : answer.get("results")) {
                if (result.has("unique_id")) {
                    acked.add(result.get("unique_id").textValue());
                }
            }
        }
    }

    String line() {
        return "hostile requests: statuses " + statuses + ", " + acked.size() + " pins acknowledged";
    }
}
