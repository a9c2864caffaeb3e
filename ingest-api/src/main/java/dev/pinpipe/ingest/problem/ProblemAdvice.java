package dev.pinpipe.ingest.problem;

import dev.pinpipe.core.FieldError;
import dev.pinpipe.ingest.IngestProperties;
import dev.pinpipe.ingest.auth.ApiKey;
import dev.pinpipe.ingest.kafka.PublishFailedException;
import dev.pinpipe.ingest.pin.JsonContentType;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every failure into an RFC 9457 problem-details body. Validation problems carry
 * {@code errors: [{field, message}]}; nothing a client sees carries a stack trace or a class name.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    static final String ERRORS = "errors";

    private final String retryAfterSeconds;

    public ProblemAdvice(IngestProperties properties) {
        this.retryAfterSeconds = Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> invalidPin(InvalidPinException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setTitle("Invalid pin");
        problem.setProperty(ERRORS, e.errors());
        return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
        problem.setTitle("Content too large");
        problem.setProperty(ERRORS, List.of(new FieldError("body", e.getMessage())));
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unauthorized(ApiKeyRejectedException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                "The " + ApiKey.HEADER + " header " + e.getMessage() + ".");
        problem.setTitle("Unauthorized");
        problem.setProperty(ERRORS, List.of(new FieldError(ApiKey.HEADER, e.getMessage())));
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
                .header(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"" + ApiKey.HEADER + "\"")
                .body(problem);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unavailable(PublishFailedException e) {
        // the cause is for operators; the client only needs to know it is safe to retry
        log.debug("publish failed: {}", e.getMessage());
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Kafka did not acknowledge the pin in time; nothing was acknowledged. Retry after "
                        + retryAfterSeconds + " s (a replay is safe: downstream upserts by unique_id).");
        problem.setTitle("Kafka unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .body(problem);
    }

    /** The last resort: a bug of the API. Every client error has its own handler above or in the base class. */
    @ExceptionHandler
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("unexpected failure", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The server failed to handle the request.");
        problem.setTitle("Internal error");
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
    }

    /**
     * A 415 says what is wrong with the Content-Type (missing, unparseable, a wildcard, another charset
     * than UTF-8, a type the endpoint does not take) in the same {@code errors} list as every other problem.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String expected = "expected " + e.getSupportedMediaTypes().stream().map(MediaType::toString)
                .collect(Collectors.joining(" or "));
        String raw = request.getHeader(HttpHeaders.CONTENT_TYPE);
        MediaType type = e.getContentType();
        String message;
        if (raw == null || raw.isBlank()) {
            message = "is missing; " + expected;
        } else if (type == null) {
            message = "is not a valid media type (\"" + abbreviate(raw) + "\"); " + expected;
        } else if (type.isWildcardType() || type.isWildcardSubtype()) {
            message = "is a wildcard (" + abbreviate(type.toString()) + "), not the type of a body; " + expected;
        } else if (!JsonContentType.isUtf8(type) && e.getSupportedMediaTypes().stream().anyMatch(t -> t.includes(type))) {
            message = "names charset \"" + abbreviate(JsonContentType.charset(type)) + "\": only UTF-8 is accepted "
                    + "(JSON between systems is UTF-8, RFC 8259); send it without a charset or with charset=UTF-8";
        } else {
            message = "is " + abbreviate(type.toString()) + "; " + expected;
        }
        ProblemDetail problem = e.getBody();
        problem.setDetail("The Content-Type " + message + ".");
        problem.setProperty(ERRORS, List.of(new FieldError(HttpHeaders.CONTENT_TYPE, message)));
        return handleExceptionInternal(e, problem, headers, status, request);
    }

    /** At most 100 characters of what the client sent, for a message. */
    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 97) + "...";
    }
}
