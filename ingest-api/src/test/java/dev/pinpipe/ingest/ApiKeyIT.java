package dev.pinpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.localstack.LocalStackExtension;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With an API key configured, no pin reaches Kafka without it: every pin endpoint, the fast path of
 * {@code POST /pin} included, answers 401 to a missing or wrong {@code X-API-Key} and publishes nothing;
 * the right key is accepted on each; health on the management port needs none.
 */
@ExtendWith(LocalStackExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "pinpipe.ingest.api-key=" + ApiKeyIT.KEY)
class ApiKeyIT {

    static final String KEY = "k3y-0f-this-test_7f1c2a9e";
    static final String HEADER = "X-API-Key";
    static final List<String> PIN_PATHS = List.of("/pin", "/pin/");
    static final List<String> PINS_PATHS = List.of("/pins", "/pins/");

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> LocalStackExtension.stack().kafkaBootstrap());
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void missingOrWrongKeyIs401AndPublishesNothingOnEveryPinEndpoint() {
        List<String> refused = new ArrayList<>();
        List<List<String>> headerSets = List.of(List.of(), List.of(HEADER, "wrong"), List.of(HEADER, KEY + "x"),
                List.of(HEADER, KEY.substring(0, KEY.length() - 1)), List.of(HEADER, KEY.toUpperCase()), List.of(HEADER, ""));
        for (List<String> headers : headerSets) {
            String[] h = headers.toArray(String[]::new);
            for (String path : PIN_PATHS) {
                // with a Content-Length: the shape PinFastPath answers itself; chunked: the controller's
                String pin = TestPins.fresh(1).get(0);
                refused.add(TestPins.uniqueId(pin));
                assertRefused(api.post(path, "application/json", BodyPublishers.ofString(pin), h), headers.isEmpty());
                pin = TestPins.fresh(1).get(0);
                refused.add(TestPins.uniqueId(pin));
                assertRefused(api.post(path, "application/json", chunked(pin), h), headers.isEmpty());
            }
            for (String path : PINS_PATHS) {
                List<String> pins = TestPins.fresh(2);
                pins.forEach(p -> refused.add(TestPins.uniqueId(p)));
                assertRefused(api.post(path, "application/json", BodyPublishers.ofString("[" + String.join(",", pins) + "]"), h),
                        headers.isEmpty());
                pins = TestPins.fresh(2);
                pins.forEach(p -> refused.add(TestPins.uniqueId(p)));
                assertRefused(api.post(path, "application/x-ndjson", BodyPublishers.ofString(String.join("\n", pins)), h),
                        headers.isEmpty());
            }
        }
        // path parameters reach the same handlers: they must meet the same check
        String pin = TestPins.fresh(1).get(0);
        refused.add(TestPins.uniqueId(pin));
        assertRefused(api.post("/pin;jsessionid=1", "application/json", BodyPublishers.ofString(pin)), true);

        // one accepted pin after them all: once it is on the topic, so would the refused ones be
        String accepted = TestPins.fresh(1).get(0);
        assertThat(api.post("/pin", "application/json", BodyPublishers.ofString(accepted), HEADER, KEY).statusCode()).isEqualTo(200);
        Set<String> onTopic = TopicReader.readAll(LocalStackExtension.stack().kafkaBootstrap(), PinIngestIT.TOPIC, Duration.ofSeconds(60))
                .stream().map(ConsumerRecord::key).collect(Collectors.toSet());
        assertThat(onTopic).contains(TestPins.uniqueId(accepted)).doesNotContainAnyElementsOf(refused);
    }

    @Test
    void theRightKeyIsAcceptedOnEveryPinEndpoint() {
        for (String path : PIN_PATHS) {
            String pin = TestPins.fresh(1).get(0);
            HttpResponse<String> fast = api.post(path, "application/json", BodyPublishers.ofString(pin), HEADER, KEY);
            assertThat(fast.statusCode()).as(path + " " + fast.body()).isEqualTo(200);
            assertThat(TestPins.parse(fast.body()).get("unique_id").textValue()).isEqualTo(TestPins.uniqueId(pin));
            HttpResponse<String> viaController = api.post(path, "application/json", chunked(TestPins.fresh(1).get(0)), HEADER, KEY);
            assertThat(viaController.statusCode()).as(path + " chunked " + viaController.body()).isEqualTo(200);
            // the key does not bypass validation
            HttpResponse<String> invalid = api.post(path, "application/json", BodyPublishers.ofString("{}"), HEADER, KEY);
            assertThat(invalid.statusCode()).isEqualTo(400);
        }
        for (String path : PINS_PATHS) {
            HttpResponse<String> batch = api.post(path, "application/json",
                    BodyPublishers.ofString("[" + String.join(",", TestPins.fresh(3)) + "]"), HEADER, KEY);
            assertThat(batch.statusCode()).as(path + " " + batch.body()).isEqualTo(200);
            assertThat(TestPins.parse(batch.body()).get("accepted").intValue()).isEqualTo(3);
        }
    }

    @Test
    void healthOnTheManagementPortAndTheApiDescriptionNeedNoKey() {
        Api management = new Api(managementPort);
        assertThat(management.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        assertThat(management.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(management.get("/actuator/prometheus").statusCode()).isEqualTo(200);
        assertThat(api.get("/v3/api-docs").statusCode()).isEqualTo(200);
    }

    private static void assertRefused(HttpResponse<String> response, boolean missing) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("json"));
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("ApiKey header=\"X-API-Key\"");
        JsonNode problem = TestPins.parse(response.body());
        assertThat(problem.get("status").intValue()).isEqualTo(401);
        assertThat(problem.get("title").textValue()).isEqualTo("Unauthorized");
        assertThat(problem.get("detail").textValue()).contains(HEADER).contains(missing ? "missing" : "does not hold");
        assertThat(problem.get("errors").get(0).get("field").textValue()).isEqualTo(HEADER);
        assertThat(response.body()).doesNotContain(KEY);
    }

    /** A body without Content-Length: PinFastPath leaves it to the controller. */
    private static BodyPublisher chunked(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
    }
}
