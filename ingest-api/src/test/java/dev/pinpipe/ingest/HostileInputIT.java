package dev.pinpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hostile requests against the real app and broker: each is a 4xx whose problem names what is wrong,
 * and none of their pins reaches the topic; odd but valid pins are published in their canonical form
 * under their lowercase key. (Same settings as {@link PinIngestIT}, so both share one app.)
 */
@ExtendWith(LocalStackExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "pinpipe.ingest.max-batch-pins=50", "pinpipe.ingest.max-body-size=64KB", "pinpipe.ingest.max-batch-body-size=1MB"})
class HostileInputIT {

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> LocalStackExtension.stack().kafkaBootstrap());
    }

    @LocalServerPort
    int port;
    Api api;
    LocalStack stack;

    @BeforeEach
    void setUp(LocalStack stack) {
        this.stack = stack;
        this.api = new Api(port);
    }

    /** A valid pin around a unique_id value as written in JSON (so it may hold escapes and odd whitespace). */
    static String pin(String uniqueIdJson, String more) {
        return "{\"index\": 7, \"unique_id\": \"" + uniqueIdJson + "\", \"category\": \"art\"" + more + "}";
    }

    static String pin(UUID id) {
        return pin(id.toString(), ", \"title\": \"t\"");
    }

    static byte[] bytes(String text, Charset charset) {
        return text.getBytes(charset);
    }

    static byte[] withPrefix(byte[] prefix, byte[] body) {
        byte[] out = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(body, 0, out, prefix.length, body.length);
        return out;
    }

    static List<Arguments> hostile() {
        Charset utf32be = Charset.forName("UTF-32BE");
        Charset utf32le = Charset.forName("UTF-32LE");
        UUID id = UUID.randomUUID();
        String one = pin(id);
        String array = "[" + pin(UUID.randomUUID()) + "]";
        String ndjson = pin(UUID.randomUUID()) + "\n" + pin(UUID.randomUUID()) + "\n";
        byte[] bomBe = {(byte) 0xFE, (byte) 0xFF};
        byte[] bomLe = {(byte) 0xFF, (byte) 0xFE};
        String json = "application/json";
        List<Arguments> cases = new ArrayList<>(List.of(
                // encodings: JSON between systems is UTF-8
                Arguments.of("UTF-16LE pin", "/pin", json, bytes(one, StandardCharsets.UTF_16LE), 400, "body", "UTF-16"),
                Arguments.of("UTF-16BE pin with BOM", "/pin", json, bytes(one, StandardCharsets.UTF_16), 400, "body", "not UTF-8 (byte 0xFE"),
                Arguments.of("UTF-16LE pin with BOM", "/pin", json, withPrefix(bomLe, bytes(one, StandardCharsets.UTF_16LE)), 400, "body", "not UTF-8 (byte 0xFF"),
                Arguments.of("UTF-32BE pin", "/pin", json, bytes(one, utf32be), 400, "body", "UTF-32"),
                Arguments.of("UTF-32LE pin with BOM", "/pin", json, withPrefix(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, bytes(one, utf32le)), 400, "body", "not UTF-8"),
                Arguments.of("Latin-1 pin", "/pin", json, bytes(pin(UUID.randomUUID().toString(), ", \"title\": \"caf\u00e9\""), StandardCharsets.ISO_8859_1), 400, "body", "not UTF-8 (byte 0xE9"),
                Arguments.of("UTF-16LE array", "/pins", json, bytes(array, StandardCharsets.UTF_16LE), 400, "body", "UTF-16LE"),
                Arguments.of("UTF-16BE array with BOM", "/pins", json, withPrefix(bomBe, bytes(array, StandardCharsets.UTF_16BE)), 400, "body", "UTF-16BE (byte-order mark)"),
                Arguments.of("UTF-32LE array", "/pins", json, bytes(array, utf32le), 400, "body", "UTF-32LE"),
                Arguments.of("UTF-16LE NDJSON", "/pins", "application/x-ndjson", bytes(ndjson, StandardCharsets.UTF_16LE), 400, "body", "UTF-16LE"),
                Arguments.of("Latin-1 NDJSON", "/pins", "application/x-ndjson", bytes(pin(UUID.randomUUID().toString(), ", \"title\": \"\u00e9\""), StandardCharsets.ISO_8859_1), 400, "body", "not UTF-8 (byte 0xE9"),
                // text that is not Unicode, or that PostgreSQL cannot hold
                Arguments.of("lone surrogate escape", "/pin", json, utf8(pin(UUID.randomUUID().toString(), ", \"title\": \"a\\ud800b\"")), 400, "title", "lone surrogate"),
                Arguments.of("lone low surrogate in an unknown field's name", "/pin", json, utf8(pin(UUID.randomUUID().toString(), ", \"x\\udc00\": 1")), 400, "body", "low surrogate in field name"),
                Arguments.of("escaped NUL in a contract string", "/pin", json, utf8("{\"index\": 7, \"unique_id\": \"" + UUID.randomUUID() + "\", \"category\": \"a\\u0000\"}"), 400, "category", "U+0000"),
                Arguments.of("raw NUL byte", "/pin", json, utf8(pin(UUID.randomUUID().toString(), ", \"title\": \"a\u0000\"")), 400, "body", "NUL"),
                // only ASCII whitespace around a unique_id is ignored
                Arguments.of("U+2028 before unique_id", "/pin", json, utf8(pin("\u2028" + UUID.randomUUID(), "")), 400, "unique_id", "must be a UUID"),
                Arguments.of("escaped U+2028 after unique_id", "/pin", json, utf8(pin(UUID.randomUUID() + "\\u2028", "")), 400, "unique_id", "must be a UUID"),
                Arguments.of("U+0085 around unique_id", "/pin", json, utf8(pin("\u0085" + UUID.randomUUID() + "\u0085", "")), 400, "unique_id", "must be a UUID"),
                Arguments.of("U+2003 around unique_id", "/pin", json, utf8(pin("\u2003" + UUID.randomUUID() + "\u2003", "")), 400, "unique_id", "must be a UUID"),
                // structure
                Arguments.of("duplicate keys", "/pin", json, utf8(pin(UUID.randomUUID().toString(), ", \"title\": \"a\", \"title\": \"b\"")), 400, "body", "Duplicate field 'title'"),
                Arguments.of("duplicate unique_id", "/pin", json, utf8(pin(UUID.randomUUID().toString(), ", \"unique_id\": \"" + UUID.randomUUID() + "\"")), 400, "body", "Duplicate field 'unique_id'"),
                Arguments.of("deep nesting in a pin", "/pin", json, utf8(pin(UUID.randomUUID().toString(), ", \"x\": " + "[".repeat(200) + "]".repeat(200))), 400, "body", "nesting depth"),
                Arguments.of("deeply nested batch", "/pins", json, utf8("[".repeat(100_000) + "]".repeat(100_000)), 400, "body", "nests deeper than a pin may"),
                Arguments.of("trailing content", "/pin", json, utf8(pin(UUID.randomUUID()) + " {}"), 400, "body", "content after"),
                // sizes and counts
                Arguments.of("huge pin", "/pin", json, utf8(pin(UUID.randomUUID().toString(), ", \"title\": \"" + "x".repeat(1_500_000) + "\"")), 413, "body", "pinpipe.ingest.max-body-size"),
                Arguments.of("huge batch", "/pins", json, utf8("[" + pin(UUID.randomUUID().toString(), ", \"title\": \"" + "x".repeat(1_500_000) + "\"") + "]"), 413, "body", "pinpipe.ingest.max-batch-body-size"),
                Arguments.of("100k-element array", "/pins", json, utf8("[" + String.join(",", Collections.nCopies(100_000, "1")) + "]"), 413, "body", "more than 50 pins"),
                Arguments.of("100k-line NDJSON", "/pins", "application/x-ndjson", utf8("{}\n".repeat(100_000)), 413, "body", "more than 50 pins"),
                // content types
                Arguments.of("multipart with boundary", "/pin", "multipart/form-data; boundary=xyz", utf8("--xyz\r\nContent-Disposition: form-data; name=\"pin\"\r\n\r\n" + pin(UUID.randomUUID()) + "\r\n--xyz--\r\n"), 415, "Content-Type", "multipart/form-data"),
                Arguments.of("multipart without boundary", "/pin", "multipart/form-data", utf8(pin(UUID.randomUUID())), 415, "Content-Type", "multipart/form-data"),
                Arguments.of("multipart to /pins", "/pins", "multipart/mixed", utf8("[]"), 415, "Content-Type", "multipart/mixed"),
                Arguments.of("*/* as a Content-Type", "/pin", "*/*", utf8(pin(UUID.randomUUID())), 415, "Content-Type", "wildcard"),
                Arguments.of("application/* as a Content-Type", "/pins", "application/*", utf8("[]"), 415, "Content-Type", "wildcard"),
                Arguments.of("charset UTF-16", "/pin", "application/json; charset=UTF-16", bytes(one, StandardCharsets.UTF_16), 415, "Content-Type", "charset \"UTF-16\""),
                Arguments.of("charset ISO-8859-1", "/pins", "application/json;charset=ISO-8859-1", utf8("[]"), 415, "Content-Type", "charset \"ISO-8859-1\""),
                Arguments.of("NDJSON charset UTF-32", "/pins", "application/x-ndjson;charset=utf-32", utf8(ndjson), 415, "Content-Type", "charset \"utf-32\""),
                Arguments.of("unknown charset", "/pin", "application/json;charset=klingon", utf8(one), 415, "Content-Type", "not a valid media type"),
                Arguments.of("unparseable Content-Type", "/pin", "application/json;;;=", utf8(one), 415, "Content-Type", "not a valid media type"),
                Arguments.of("no subtype", "/pin", "application", utf8(one), 415, "Content-Type", "not a valid media type"),
                Arguments.of("NDJSON to /pin", "/pin", "application/x-ndjson", utf8(one), 415, "Content-Type", "expected application/json"),
                Arguments.of("no Content-Type", "/pin", null, utf8(one), 415, "Content-Type", "is missing")));
        return cases;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileRequestIsA4xxNamingTheProblemAndNothingIsPublished(String name, String path, String contentType, byte[] body,
            int status, String field, String named) {
        HttpResponse<String> response = post(path, contentType, body, false);
        assertProblem(response, status, field, named);
        // a huge body also sent chunked (no Content-Length) is refused the same way
        if (status == 413 && name.startsWith("huge")) {
            assertProblem(post(path, contentType, body, true), status, field, named);
        }
        assertThat(onTopic(idsIn(new String(body, StandardCharsets.UTF_8)))).as("published").isEmpty();
    }

    private static void assertProblem(HttpResponse<String> response, int status, String field, String named) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = TestPins.parse(response.body());
        assertThat(problem.get("status").intValue()).isEqualTo(status);
        assertThat(problem.get("title").textValue()).isNotBlank();
        assertThat(problem.get("errors")).as(response.body()).anySatisfy(error -> {
            assertThat(error.get("field").textValue()).isEqualTo(field);
            assertThat(error.get("message").textValue()).contains(named);
        });
        assertThat(response.body()).doesNotContain("Exception", "\tat ", "trace");
    }

    @Test
    void oddButValidPinsArePublishedInCanonicalFormUnderTheLowercaseKey() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        UUID d = UUID.randomUUID();
        UUID e = UUID.randomUUID();
        // uppercase with ASCII whitespace around it, unknown fields first, fields out of order, escapes
        String upper = "{ \"extra\" : {\"nested\": [1, 2.50, true, null]}, \"category\":\"art\",\n\t\"unique_id\": \" \\t"
                + a.toString().toUpperCase(Locale.ROOT) + "\\n \", \"title\": \"caf\\u00e9 \\u2028\", \"index\": 7, \"zzz\": \"last\"}";
        String withBom = "\uFEFF" + pin(b);
        String crlf = pin(" " + c.toString().toUpperCase(Locale.ROOT) + " ", ", \"downloaded\": 1, \"follower_count\": \"12k\"") + "\r\n";
        Map<UUID, String> posted = Map.of(a, upper, b, withBom, c, crlf);
        for (String body : posted.values()) {
            HttpResponse<String> response = api.post("/pin", "application/json", utf8(body));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        // the same kinds of pins in a batch, as an array and as NDJSON
        String batch = "\uFEFF[" + pin(" " + d.toString().toUpperCase(Locale.ROOT), ", \"x\": 1") + "]";
        assertThat(api.post("/pins", "application/json", utf8(batch)).statusCode()).isEqualTo(200);
        String lines = "\uFEFF" + pin(e.toString().toUpperCase(Locale.ROOT) + "\\t", ", \"x\": 1") + "\r\n";
        assertThat(api.post("/pins", "application/x-ndjson", utf8(lines)).statusCode()).isEqualTo(200);

        Map<String, List<ConsumerRecord<String, byte[]>>> records = onTopic(Set.of(a, b, c, d, e).stream().map(UUID::toString)
                .collect(Collectors.toSet()));
        assertThat(records).hasSize(5);
        assertThat(records.values()).allSatisfy(r -> assertThat(r).hasSize(1));
        String first = new String(records.get(a.toString()).get(0).value(), StandardCharsets.UTF_8);
        assertThat(first).isEqualTo("{\"index\":7,\"unique_id\":\"" + a + "\",\"category\":\"art\",\"title\":\"caf\u00e9 \u2028\","
                + "\"extra\":{\"nested\":[1,2.50,true,null]},\"zzz\":\"last\"}");
        assertThat(new String(records.get(b.toString()).get(0).value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"index\":7,\"unique_id\":\"" + b + "\",\"category\":\"art\",\"title\":\"t\"}");
        assertThat(new String(records.get(c.toString()).get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"index\":7,\"unique_id\":\""
                + c + "\",\"category\":\"art\",\"follower_count\":\"12k\",\"downloaded\":1}");
        // each record is pin-core's canonical form of what was posted
        posted.forEach((id, body) -> assertThat(records.get(id.toString()).get(0).value())
                .isEqualTo(PinValidator.validate(utf8(body)).canonical()));
        assertThat(new String(records.get(d.toString()).get(0).value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"index\":7,\"unique_id\":\"" + d + "\",\"category\":\"art\",\"x\":1}");
        assertThat(new String(records.get(e.toString()).get(0).value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"index\":7,\"unique_id\":\"" + e + "\",\"category\":\"art\",\"x\":1}");
    }

    @Test
    void aCharsetOfUtf8InAnySpellingIsAccepted() {
        for (String type : List.of("application/json;charset=UTF-8", "application/json; charset=\"utf-8\"", "application/json;charset=utf8")) {
            HttpResponse<String> response = api.post("/pin", type, utf8(pin(UUID.randomUUID())));
            assertThat(response.statusCode()).as(type + ": " + response.body()).isEqualTo(200);
        }
    }

    private HttpResponse<String> post(String path, String contentType, byte[] body, boolean chunked) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.base() + path)).timeout(Api.REQUEST_TIMEOUT)
                .POST(chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(path + " " + contentType, e);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** Every UUID in a text, lowercase (as a key would be). */
    private static Set<String> idsIn(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
                .matcher(text);
        Set<String> ids = new java.util.HashSet<>();
        while (m.find()) {
            ids.add(m.group().toLowerCase(Locale.ROOT));
        }
        return ids;
    }

    private Map<String, List<ConsumerRecord<String, byte[]>>> onTopic(Set<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        return TopicReader.readAll(stack.kafkaBootstrap(), PinIngestIT.TOPIC, PinIngestIT.READ_TIMEOUT).stream()
                .filter(r -> keys.contains(r.key()))
                .collect(Collectors.groupingBy(ConsumerRecord::key));
    }
}
