package dev.pinpipe.ingest.pin;

import dev.pinpipe.core.PinValidation;
import dev.pinpipe.core.PinValidator;
import dev.pinpipe.ingest.IngestProperties;
import dev.pinpipe.ingest.kafka.PinAck;
import dev.pinpipe.ingest.kafka.PinPublisher;
import dev.pinpipe.ingest.pin.BatchResult.Accepted;
import dev.pinpipe.ingest.pin.BatchResult.PinResult;
import dev.pinpipe.ingest.pin.BatchResult.Rejected;
import dev.pinpipe.ingest.problem.InvalidPinException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /pin} and {@code POST /pins}. The body is read as bytes and every pin is validated by
 * pin-core's {@link PinValidator}; what is published is the pin's canonical form, never the posted
 * bytes, and a client is answered only after the broker's ack. (The OpenAPI description of both
 * endpoints is {@code PinApiDocs}.)
 */
@RestController
public class PinController {

    static final String NDJSON = "application/x-ndjson";
    private static final MediaType NDJSON_TYPE = MediaType.parseMediaType(NDJSON);
    private static final List<MediaType> PIN_TYPES = List.of(MediaType.APPLICATION_JSON);
    private static final List<MediaType> PINS_TYPES = List.of(MediaType.APPLICATION_JSON, NDJSON_TYPE);

    private final PinPublisher publisher;
    private final long maxBodySize;
    private final long maxBatchBodySize;
    private final PinBatchParser batchParser;
    private final Counter rejected;

    public PinController(PinPublisher publisher, IngestProperties properties, MeterRegistry meters) {
        this.publisher = publisher;
        this.maxBodySize = properties.maxBodySize().toBytes();
        this.maxBatchBodySize = properties.maxBatchBodySize().toBytes();
        this.batchParser = new PinBatchParser(properties.maxBatchPins(), Math.toIntExact(maxBodySize));
        this.rejected = Counter.builder("pinpipe.ingest.pins.rejected")
                .description("pins refused by validation (never published)").register(meters);
    }

    @Operation(summary = "Publish one pin; answers after Kafka acknowledged its canonical form")
    @PostMapping(path = {"/pin", "/pin/"}, consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public void postPin(HttpServletRequest request, HttpServletResponse response)
            throws IOException, HttpMediaTypeNotSupportedException {
        if (request.getAttribute(PinFastPath.FAILURE) instanceof RuntimeException failure) {
            // PinFastPath already took this pin and it failed (invalid, or no ack): answered here, never sent twice
            throw failure;
        }
        JsonContentType.requireUtf8(request, PIN_TYPES);
        writeAck(response, publishPin(BodyReader.read(request, maxBodySize, "pinpipe.ingest.max-body-size")));
    }

    /**
     * The one path of a single pin, here and in {@link PinFastPath}: validated by pin-core, and its
     * canonical form published under its lowercase unique_id once it is valid.
     */
    PinAck publishPin(byte[] body) {
        PinValidation validation = PinValidator.validate(body);
        if (!validation.isValid()) {
            rejected.increment();
            throw new InvalidPinException(validation.errors());
        }
        return publisher.publish(validation);
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

    @Operation(summary = "Publish many pins: a JSON array or NDJSON; invalid pins are reported, valid ones published")
    @PostMapping(path = {"/pins", "/pins/"}, consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON},
            produces = MediaType.APPLICATION_JSON_VALUE)
    public BatchResult postPins(HttpServletRequest request) throws HttpMediaTypeNotSupportedException {
        JsonContentType.requireUtf8(request, PINS_TYPES);
        byte[] body = BodyReader.read(request, maxBatchBodySize, "pinpipe.ingest.max-batch-body-size");
        boolean ndjson = MediaType.parseMediaType(request.getContentType()).isCompatibleWith(NDJSON_TYPE);
        List<PostedPin> pins = ndjson ? batchParser.parseNdjson(body) : batchParser.parseArray(body);

        List<PinValidation> valid = new ArrayList<>(pins.size());
        for (PostedPin pin : pins) {
            if (pin.isValid()) {
                valid.add(pin.validation());
            }
        }
        // one missing ack fails the whole request with 503: the client retries it all
        List<PinAck> acks = publisher.publishAll(valid);
        List<PinResult> results = new ArrayList<>(pins.size());
        int next = 0;
        for (PostedPin pin : pins) {
            if (pin.isValid()) {
                PinAck ack = acks.get(next++);
                results.add(new Accepted(pin.position(), ack.uniqueId(), ack.partition(), ack.offset()));
            } else {
                results.add(new Rejected(pin.position(), pin.validation().errors()));
            }
        }
        rejected.increment(pins.size() - acks.size());
        return new BatchResult(acks.size(), pins.size() - acks.size(), results);
    }
}
