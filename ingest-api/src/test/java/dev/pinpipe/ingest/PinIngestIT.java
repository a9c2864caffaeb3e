package dev.pinpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.core.config.Settings;
import dev.pinpipe.emulator.EmulatorMain;
import dev.pinpipe.emulator.PinGenerator;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import picocli.CommandLine;

/** The API against a real broker (local-stack): what it acknowledges is on the topic once, what it refuses is not. */
@ExtendWith(LocalStackExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pinpipe.ingest.max-batch-pins=50", "pinpipe.ingest.max-body-size=64KB", "pinpipe.ingest.max-batch-body-size=1MB"})
class PinIngestIT {

    /** The topic the API publishes to, as it reads it (and the local stack creates it). */
    static final String TOPIC = Settings.TOPIC.value(System::getenv);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> LocalStackExtension.stack().kafkaBootstrap());
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    Api api;
    Api management;
    LocalStack stack;

    @BeforeEach
    void setUp(LocalStack stack) {
        this.stack = stack;
        this.api = new Api(port);
        this.management = new Api(managementPort);
    }

    @Test
    void acknowledgedPinIsOnTopicExactlyOnceWithItsKeyAndCanonicalForm() {
        List<String> pins = TestPins.fresh(40);
        Map<String, JsonNode> acks = new java.util.HashMap<>();
        for (int i = 0; i < pins.size(); i++) {
            // the seed's emulator posts to /pin/; both spellings are the same endpoint
            HttpResponse<String> response = api.postJson(i % 2 == 0 ? "/pin" : "/pin/", pins.get(i));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode ack = TestPins.parse(response.body());
            assertThat(ack.get("unique_id").textValue()).isEqualTo(TestPins.uniqueId(pins.get(i)));
            assertThat(ack.get("topic").textValue()).isEqualTo(TOPIC);
            acks.put(ack.get("unique_id").textValue(), ack);
        }

        Map<String, List<ConsumerRecord<String, byte[]>>> onTopic = byKey(acks.keySet());
        for (String pin : pins) {
            String id = TestPins.uniqueId(pin);
            assertThat(onTopic.get(id)).as(id).hasSize(1);
            ConsumerRecord<String, byte[]> record = onTopic.get(id).get(0);
            assertThat(record.value()).isEqualTo(canonical(pin));
            assertThat(record.partition()).isEqualTo(acks.get(id).get("partition").intValue());
            assertThat(record.offset()).isEqualTo(acks.get(id).get("offset").longValue());
        }
    }

    /** The default: no API key configured, so the pin endpoints take requests without one, or with any. */
    @Test
    void withNoApiKeyConfiguredThePinEndpointsNeedNone() {
        for (String path : List.of("/pin", "/pin/")) {
            HttpResponse<String> without = api.postJson(path, TestPins.fresh(1).get(0));
            assertThat(without.statusCode()).as(without.body()).isEqualTo(200);
            HttpResponse<String> withAny = api.post(path, "application/json",
                    java.net.http.HttpRequest.BodyPublishers.ofString(TestPins.fresh(1).get(0)), "X-API-Key", "anything");
            assertThat(withAny.statusCode()).as(withAny.body()).isEqualTo(200);
        }
        for (String path : List.of("/pins", "/pins/")) {
            HttpResponse<String> batch = api.postJson(path, "[" + String.join(",", TestPins.fresh(2)) + "]");
            assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
            assertThat(TestPins.parse(batch.body()).get("accepted").intValue()).isEqualTo(2);
        }
    }

    @Test
    void batchAsJsonArrayPublishesTheValidPinsAndReportsTheOthersInOrder() {
        List<String> valid = TestPins.fresh(5);
        String invalid = "{\"index\": \"seven\", \"unique_id\": \"" + java.util.UUID.randomUUID() + "\"}";
        String body = "[" + valid.get(0) + "," + valid.get(1) + "," + invalid + "," + valid.get(2) + ",42,"
                + valid.get(3) + "," + valid.get(4) + "]";
        HttpResponse<String> response = api.postJson("/pins", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = TestPins.parse(response.body());
        assertThat(answer.get("accepted").intValue()).isEqualTo(5);
        assertThat(answer.get("rejected").intValue()).isEqualTo(2);
        JsonNode results = answer.get("results");
        assertThat(results).hasSize(7);
        assertThat(results.get(2).get("position").intValue()).isEqualTo(2);
        assertThat(fields(results.get(2))).containsExactly("index", "category");
        assertThat(fields(results.get(4))).containsExactly("body");
        assertThat(results.get(5).get("unique_id").textValue()).isEqualTo(TestPins.uniqueId(valid.get(3)));

        Set<String> ids = valid.stream().map(TestPins::uniqueId).collect(Collectors.toSet());
        ids.add(TestPins.uniqueId(invalid));
        Map<String, List<ConsumerRecord<String, byte[]>>> onTopic = byKey(ids);
        for (String pin : valid) {
            assertThat(onTopic.get(TestPins.uniqueId(pin))).hasSize(1)
                    .allSatisfy(r -> assertThat(r.value()).isEqualTo(canonical(pin)));
        }
        assertThat(onTopic).doesNotContainKey(TestPins.uniqueId(invalid));
    }

    @Test
    void batchAsNdjsonPublishesEachLineInCanonicalForm() {
        List<String> pins = TestPins.fresh(8);
        byte[] body = (String.join("\n", pins) + "\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = api.post("/pins", "application/x-ndjson", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(TestPins.parse(response.body()).get("accepted").intValue()).isEqualTo(8);
        Map<String, List<ConsumerRecord<String, byte[]>>> onTopic =
                byKey(pins.stream().map(TestPins::uniqueId).collect(Collectors.toSet()));
        for (String pin : pins) {
            assertThat(onTopic.get(TestPins.uniqueId(pin))).hasSize(1)
                    .allSatisfy(r -> assertThat(r.value()).isEqualTo(canonical(pin)));
        }
    }

    static List<Arguments> badInputs() {
        String id = java.util.UUID.randomUUID().toString();
        String big = "{\"index\": 1, \"unique_id\": \"" + id + "\", \"category\": \"art\", \"description\": \""
                + "x".repeat(70_000) + "\"}";
        String tooMany = "[" + String.join(",", java.util.Collections.nCopies(51, "{}")) + "]";
        return List.of(
                Arguments.of("malformed JSON", "/pin", "application/json", "{\"index\": 1, \"unique_id\": \"" + id, 400, List.of("body")),
                Arguments.of("wrong types", "/pin", "application/json",
                        "{\"index\": \"seven\", \"unique_id\": \"" + id + "\", \"category\": 5, \"downloaded\": true}", 400,
                        List.of("index", "category", "downloaded")),
                Arguments.of("missing fields", "/pin", "application/json", "{\"title\": \"t\"}", 400,
                        List.of("index", "unique_id", "category")),
                Arguments.of("not a UUID", "/pin/", "application/json",
                        "{\"index\": 1, \"unique_id\": \"" + id.substring(0, 30) + "\", \"category\": \"art\"}", 400, List.of("unique_id")),
                Arguments.of("an array to /pin", "/pin", "application/json", "[]", 400, List.of("body")),
                Arguments.of("empty body", "/pin", "application/json", "", 400, List.of("body")),
                Arguments.of("over the size limit", "/pin", "application/json", big, 413, List.of("body")),
                Arguments.of("wrong content type", "/pin", "text/plain",
                        "{\"index\": 1, \"unique_id\": \"" + id + "\", \"category\": \"art\"}", 415, List.of("Content-Type")),
                Arguments.of("batch not an array", "/pins", "application/json", "{\"index\": 1}", 400, List.of("body")),
                Arguments.of("batch with too many pins", "/pins", "application/json", tooMany, 413, List.of("body")),
                Arguments.of("batch with wrong content type", "/pins", "text/csv", "a,b", 415, List.of("Content-Type")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsRefusedWithProblemDetailsNamingTheFieldAndNeverPublished(String name, String path, String contentType,
            String body, int status, List<String> fields) {
        HttpResponse<String> response = api.post(path, contentType, body.getBytes(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = TestPins.parse(response.body());
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("title").textValue()).isNotBlank();
        assertThat(fields(problem)).containsExactlyElementsOf(fields);
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "trace");

        // every publish is acknowledged before the answer, so the topic as it is now says it all
        String id = body.contains("unique_id\": \"") ? body.replaceAll("(?s).*unique_id\": \"([^\"]*).*", "$1") : null;
        if (id != null) {
            assertThat(byKey(Set.of(id))).doesNotContainKey(id);
        }
    }

    @Test
    void emulatorRunIsAcknowledgedPinForPinAndEveryPinIsOnTheTopicOnce() {
        long seed = System.nanoTime();
        int exit = new CommandLine(new EmulatorMain()).execute("--api", api.base(), "--count", "300",
                "--concurrency", "4", "--seed", Long.toString(seed));
        int batchExit = new CommandLine(new EmulatorMain()).execute("--api", api.base(), "--count", "200",
                "--batch-size", "40", "--concurrency", "2", "--seed", Long.toString(seed + 1));

        assertThat(exit).isZero();
        assertThat(batchExit).isZero();
        Set<String> ids = new HashSet<>(generatedIds(seed, 300));
        ids.addAll(generatedIds(seed + 1, 200));
        Map<String, List<ConsumerRecord<String, byte[]>>> onTopic = byKey(ids);
        assertThat(onTopic).hasSize(500);
        assertThat(onTopic.values()).allSatisfy(records -> assertThat(records).hasSize(1));
    }

    @Test
    void healthAndMetricsAreServedOnTheManagementPortOnlyAndOpenApiOnTheApisPort() {
        assertThat(managementPort).isNotEqualTo(port);
        HttpResponse<String> readiness = management.get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
        // the status only: which components (kafka) and their details are not a client's business
        assertThat(readiness.body()).contains("\"UP\"").doesNotContain("kafka").doesNotContain("components");
        assertThat(management.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/prometheus", "/actuator/metrics", "/actuator")) {
            assertThat(api.get(path).statusCode()).as("the API's port serves no " + path).isEqualTo(404);
        }
        api.postJson("/pin", TestPins.fresh(1).get(0));
        api.postJson("/pin", "{}");
        HttpResponse<String> prometheus = management.get("/actuator/prometheus");
        assertThat(prometheus.body()).contains("pinpipe_ingest_pins_accepted_total", "pinpipe_ingest_pins_rejected_total",
                "pinpipe_ingest_publish_latency_seconds_bucket");
        // no per-request observation filter: it cost ~10 % of the CPU per pin (README, Performance)
        assertThat(prometheus.body()).doesNotContain("http_server_requests");
        HttpResponse<String> openApi = api.get("/v3/api-docs");
        assertThat(openApi.statusCode()).isEqualTo(200);
        assertThat(openApi.body()).contains("\"/pin\"", "\"/pins\"");
        assertThat(api.get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
    }

    private Map<String, List<ConsumerRecord<String, byte[]>>> byKey(Set<String> keys) {
        return TopicReader.readAll(stack.kafkaBootstrap(), TOPIC, READ_TIMEOUT).stream()
                .filter(r -> keys.contains(r.key()))
                .collect(Collectors.groupingBy(ConsumerRecord::key));
    }

    /** What the API publishes for a posted pin: pin-core's canonical form of it. */
    static byte[] canonical(String pin) {
        return PinValidator.validate(pin.getBytes(StandardCharsets.UTF_8)).canonical();
    }

    private static List<String> fields(JsonNode withErrors) {
        List<String> fields = new ArrayList<>();
        withErrors.get("errors").forEach(e -> fields.add(e.get("field").textValue()));
        return fields;
    }

    private static List<String> generatedIds(long seed, int count) {
        PinGenerator generator = new PinGenerator(seed);
        return LongStream.range(0, count).mapToObj(i -> TestPins.uniqueId(new String(generator.pin(i), StandardCharsets.UTF_8))).toList();
    }
}
