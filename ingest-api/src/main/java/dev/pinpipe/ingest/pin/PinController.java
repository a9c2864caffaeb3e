package dev.pinpipe.ingest.pin;

import dev.pinpipe.core.PinValidator;
import dev.pinpipe.core.PinValidityCheck;
import dev.pinpipe.ingest.IngestProperties;
import dev.pinpipe.ingest.kafka.PinAck;
import dev.pinpipe.ingest.kafka.PinPublisher;
import dev.pinpipe.ingest.kafka.PublishFailedException;
import dev.pinpipe.ingest.pin.BatchResult.Accepted;
import dev.pinpipe.ingest.pin.BatchResult.PinResult;
import dev.pinpipe.ingest.pin.BatchResult.Rejected;
import dev.pinpipe.ingest.problem.InvalidPinException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /pin} and {@code POST /pins}. The body is read as bytes, never bound to an object, so the
 * value published is the pin exactly as posted; a client is answered only after the broker's ack.
 */
@RestController
public class PinController {

    static final String NDJSON = "application/x-ndjson";
    private static final MediaType NDJSON_TYPE = MediaType.parseMediaType(NDJSON);
    private static final String PIN_EXAMPLE = """
            {"index": 7528, "unique_id": "fbe53c66-3442-4773-b19e-d3ec6f54dddf", "title": "No Title Data Available",
             "description": "No description available Story format", "follower_count": "User Info Error",
             "tag_list": "N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e", "is_image_or_video": "multi-video(story page format)",
             "image_src": "Image src error.", "downloaded": 0, "save_location": "Local save in /data/mens-fashion",
             "category": "mens-fashion"}""";

    private final PinPublisher publisher;
    private final IngestProperties properties;
    private final PinBatchParser batchParser;
    private final Counter rejected;

    public PinController(PinPublisher publisher, IngestProperties properties, MeterRegistry meters) {
        this.publisher = publisher;
        this.properties = properties;
        this.batchParser = new PinBatchParser(properties.maxBatchPins());
        this.rejected = Counter.builder("pinpipe.ingest.pins.rejected")
                .description("pins refused by validation (never published)").register(meters);
    }

    @Operation(summary = "Publish one raw pin; answers after Kafka acknowledged it",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(type = "object", description = "a raw pin (contract §1); unknown fields are kept"),
                    examples = @ExampleObject(value = PIN_EXAMPLE))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "acknowledged by Kafka",
                            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PinAck.class))),
                    @ApiResponse(responseCode = "400", description = "not a valid pin; `errors` names every field",
                            content = @Content(schema = @Schema(implementation = ProblemDetail.class))),
                    @ApiResponse(responseCode = "413", description = "body over the size limit"),
                    @ApiResponse(responseCode = "415", description = "Content-Type is not application/json"),
                    @ApiResponse(responseCode = "503", description = "Kafka did not acknowledge in time; see Retry-After")})
    @PostMapping(path = {"/pin", "/pin/"}, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public void postPin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getAttribute(PinFastPath.PUBLISH_FAILURE) instanceof PublishFailedException failure) {
            // PinFastPath already sent this pin and Kafka did not ack it: answered here (503), never sent twice
            throw failure;
        }
        byte[] body = BodyReader.read(request, properties.maxBodySize());
        // the streaming yes/no settles a valid pin; only a refused one pays for the validator's field errors
        if (!PinValidityCheck.isValid(body)) {
            rejected.increment();
            throw new InvalidPinException(PinValidator.validate(body).errors());
        }
        writeAck(response, publisher.publish(UniqueIdReader.of(body), body));
    }

    /**
     * The 200 answer of {@code POST /pin}, here and in {@link PinFastPath}: written by hand rather than
     * returned, as Spring's return-value handling and JSON conversion cost more than the rest of the answer.
     */
    static void writeAck(HttpServletResponse response, PinAck ack) throws IOException {
        byte[] json = ack.json();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    @Operation(summary = "Publish many pins: a JSON array or NDJSON; invalid pins are reported, valid ones published",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(type = "array", description = "raw pins")),
                    @Content(mediaType = NDJSON, schema = @Schema(type = "string", description = "one raw pin a line"))}),
            responses = {
                    @ApiResponse(responseCode = "200", description = "every valid pin acknowledged; results in request order"),
                    @ApiResponse(responseCode = "400", description = "the body is not a readable batch"),
                    @ApiResponse(responseCode = "413", description = "body over the size limit or too many pins"),
                    @ApiResponse(responseCode = "415", description = "Content-Type is neither JSON nor NDJSON"),
                    @ApiResponse(responseCode = "503", description = "not every valid pin was acknowledged; "
                            + "retry the whole request after Retry-After (replays are safe)")})
    @PostMapping(path = {"/pins", "/pins/"}, consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public BatchResult postPins(HttpServletRequest request) throws IOException {
        byte[] body = BodyReader.read(request, properties.maxBatchBodySize());
        boolean ndjson = MediaType.parseMediaType(request.getContentType()).isCompatibleWith(NDJSON_TYPE);
        List<PostedPin> pins = ndjson ? batchParser.parseNdjson(body) : batchParser.parseArray(body);

        // send every valid pin before waiting for any ack, so the producer batches them together
        List<CompletableFuture<PinAck>> acks = new ArrayList<>(pins.size());
        for (PostedPin pin : pins) {
            acks.add(pin.isValid() ? publisher.send(pin.uniqueId(), pin.json()) : null);
        }
        long deadline = publisher.deadlineFromNow();
        List<PinResult> results = new ArrayList<>(pins.size());
        int accepted = 0;
        for (PostedPin pin : pins) {
            if (pin.isValid()) {
                // one missing ack fails the whole request with 503: the client retries it all
                PinAck ack = publisher.await(acks.get(pin.position()), deadline);
                results.add(new Accepted(pin.position(), ack.uniqueId(), ack.partition(), ack.offset()));
                accepted++;
            } else {
                results.add(new Rejected(pin.position(), pin.validation().errors()));
            }
        }
        rejected.increment(pins.size() - accepted);
        return new BatchResult(accepted, pins.size() - accepted, results);
    }
}
