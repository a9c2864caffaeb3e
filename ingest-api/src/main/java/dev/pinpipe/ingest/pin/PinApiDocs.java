package dev.pinpipe.ingest.pin;

import dev.pinpipe.core.PinFields;
import dev.pinpipe.ingest.IngestProperties;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description of {@code POST /pin} and {@code POST /pins} (served at {@code /v3/api-docs}):
 * the pin contract as a schema, and every answer with its body. The handlers read raw bytes, so
 * springdoc cannot infer any of it; the API fuzz test generates its requests from this document.
 */
@Configuration(proxyBeanMethods = false)
class PinApiDocs {

    private static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;
    private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;
    private static final String UUID_PATTERN =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    @Bean
    OpenApiCustomizer pinEndpointsDescription(IngestProperties properties) {
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.setComponents(components);
            components.addSchemas("Pin", pin());
            components.addSchemas("PinAck", ack());
            components.addSchemas("BatchResult", batchResult());
            components.addSchemas("Problem", problem());
            components.addSchemas("FieldError", new ObjectSchema().description("one problem: the field at fault and what is wrong")
                    .addProperty("field", new StringSchema()).addProperty("message", new StringSchema())
                    .required(List.of("field", "message")));
            if (openApi.getPaths() == null) {
                return;
            }
            openApi.getPaths().forEach((path, item) -> {
                Operation post = item.getPost();
                if (post == null) {
                    return;
                }
                if (path.equals("/pin") || path.equals("/pin/")) {
                    describePin(post, properties);
                } else if (path.equals("/pins") || path.equals("/pins/")) {
                    describePins(post, properties);
                }
            });
        };
    }

    private static void describePin(Operation post, IngestProperties properties) {
        post.description("One pin as a UTF-8 JSON object (a UTF-8 byte-order mark is allowed, no other charset). What is "
                + "published is its canonical form: the contract fields in contract order, unique_id lowercase and "
                + "trimmed, unknown fields kept after them, compact UTF-8 JSON; keyed by the lowercase unique_id.");
        post.requestBody(new RequestBody().required(true).content(new Content()
                .addMediaType(JSON, new MediaType().schema(ref("Pin")))));
        post.responses(problems(properties, false)
                .addApiResponse("200", new ApiResponse().description("acknowledged by Kafka: where the pin is")
                        .content(new Content().addMediaType(JSON, new MediaType().schema(ref("PinAck"))))));
    }

    private static void describePins(Operation post, IngestProperties properties) {
        post.description("Many pins: a UTF-8 JSON array of pins, or NDJSON (one pin a line), at most "
                + properties.maxBatchPins() + " pins and " + properties.maxBatchBodySize().toBytes() + " bytes. Each valid "
                + "pin is published in its canonical form, each invalid one is reported with its problems; a body that "
                + "is not a readable batch is one 400.");
        post.requestBody(new RequestBody().required(true).content(new Content()
                .addMediaType(JSON, new MediaType().schema(new ArraySchema().items(ref("Pin")).maxItems(properties.maxBatchPins())))
                .addMediaType(PinController.NDJSON, new MediaType().schema(new StringSchema()
                        .description("one pin (a JSON object) a line")))));
        post.responses(problems(properties, true)
                .addApiResponse("200", new ApiResponse().description("every valid pin acknowledged; results in request order")
                        .content(new Content().addMediaType(JSON, new MediaType().schema(ref("BatchResult"))))));
    }

    private static ApiResponses problems(IngestProperties properties, boolean batch) {
        ApiResponses responses = new ApiResponses();
        responses.addApiResponse("400", problem(batch ? "the body is not a readable batch (not UTF-8, not JSON, not an array, "
                + "nested deeper than " + dev.pinpipe.core.PinJson.MAX_NESTING_DEPTH + ")"
                : "not a valid pin; `errors` names every offending field (`body` for the body as a whole)"));
        responses.addApiResponse("413", problem(batch ? "body over " + properties.maxBatchBodySize().toBytes()
                + " bytes or more than " + properties.maxBatchPins() + " pins" : "body over " + properties.maxBodySize().toBytes() + " bytes"));
        responses.addApiResponse("415", problem("Content-Type missing, unparseable, a wildcard, another type than "
                + (batch ? "application/json or application/x-ndjson" : "application/json") + ", or a charset other than UTF-8"));
        responses.addApiResponse("503", problem("Kafka did not acknowledge in time; nothing is acknowledged, a retry is safe")
                .addHeaderObject("Retry-After", new Header().description("seconds to wait").schema(new IntegerSchema())));
        return responses;
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description)
                .content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(ref("Problem"))));
    }

    /** The pin contract (docs/pin-contract.md §1): three required fields, the others nullable, unknown fields kept. */
    private static Schema<?> pin() {
        ObjectSchema pin = new ObjectSchema();
        pin.description("a raw pin; values of the right JSON type are accepted however dirty (cleaning is downstream)");
        pin.addProperty(PinFields.INDEX, new IntegerSchema().format("int32").minimum(java.math.BigDecimal.ZERO)
                .maximum(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)));
        pin.addProperty(PinFields.UNIQUE_ID, new StringSchema().pattern(UUID_PATTERN)
                .description("a UUID, any case; ASCII whitespace around it is ignored"));
        pin.addProperty(PinFields.CATEGORY, new StringSchema().minLength(1).pattern("\\S").description("not blank"));
        for (String text : List.of(PinFields.TITLE, PinFields.DESCRIPTION, PinFields.TAG_LIST, PinFields.IS_IMAGE_OR_VIDEO,
                PinFields.IMAGE_SRC, PinFields.SAVE_LOCATION)) {
            pin.addProperty(text, new StringSchema().nullable(true));
        }
        for (String textOrInteger : List.of(PinFields.FOLLOWER_COUNT, PinFields.DOWNLOADED)) {
            Schema<Object> either = new Schema<>();
            either.setOneOf(List.of(new StringSchema(), new IntegerSchema().format("int64")));
            either.setNullable(true);
            pin.addProperty(textOrInteger, either);
        }
        pin.setRequired(List.of(PinFields.INDEX, PinFields.UNIQUE_ID, PinFields.CATEGORY));
        pin.setAdditionalProperties(true);
        return pin;
    }

    private static Schema<?> ack() {
        return new ObjectSchema()
                .addProperty("unique_id", new StringSchema().format("uuid"))
                .addProperty("topic", new StringSchema())
                .addProperty("partition", new IntegerSchema())
                .addProperty("offset", new IntegerSchema().format("int64"))
                .required(List.of("unique_id", "topic", "partition", "offset"));
    }

    private static Schema<?> batchResult() {
        Schema<?> accepted = new ObjectSchema()
                .addProperty("position", new IntegerSchema())
                .addProperty("unique_id", new StringSchema().format("uuid"))
                .addProperty("partition", new IntegerSchema())
                .addProperty("offset", new IntegerSchema().format("int64"))
                .required(List.of("position", "unique_id", "partition", "offset"));
        Schema<?> rejected = new ObjectSchema()
                .addProperty("position", new IntegerSchema())
                .addProperty("errors", new ArraySchema().items(ref("FieldError")))
                .required(List.of("position", "errors"));
        Schema<Object> result = new Schema<>();
        result.setOneOf(List.of(accepted, rejected));
        return new ObjectSchema()
                .addProperty("accepted", new IntegerSchema())
                .addProperty("rejected", new IntegerSchema())
                .addProperty("results", new ArraySchema().items(result))
                .required(List.of("accepted", "rejected", "results"));
    }

    /** RFC 9457 problem details, with the API's list of offending fields. */
    private static Schema<?> problem() {
        return new ObjectSchema()
                .addProperty("type", new StringSchema())
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("errors", new ArraySchema().items(ref("FieldError")))
                .required(List.of("title", "status"));
    }

    private static Schema<?> ref(String name) {
        return new Schema<>().$ref("#/components/schemas/" + name);
    }
}
