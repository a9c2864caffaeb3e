package dev.pinpipe.ingest.pin;

import dev.pinpipe.core.FieldError;
import dev.pinpipe.core.PinFields;
import dev.pinpipe.ingest.problem.BodyTooLargeException;
import dev.pinpipe.ingest.problem.InvalidPinException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Reads a request body as bytes, refusing more than a limit before reading it when Content-Length
 * says so, or as soon as a chunked body passes it. A body cut short or a failed read is the client's
 * problem (400), never a server error.
 */
final class BodyReader {

    private BodyReader() {
    }

    /** @param setting the property that sets {@code limit}, named in the 413 */
    static byte[] read(HttpServletRequest request, long limit, String setting) {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw new BodyTooLargeException("the body is " + declared + " bytes, more than the limit of " + limit
                    + " bytes (" + setting + ")");
        }
        try (InputStream in = request.getInputStream()) {
            if (declared >= 0) {
                byte[] body = in.readNBytes((int) declared);
                if (body.length < declared) {
                    throw unreadable("the body ended after " + body.length + " of the " + declared
                            + " bytes its Content-Length announced");
                }
                return body;
            }
            byte[] body = in.readNBytes((int) limit + 1);
            if (body.length > limit) {
                throw new BodyTooLargeException("the body is more than the limit of " + limit + " bytes (" + setting + ")");
            }
            return body;
        } catch (IOException e) {
            // the client went away or stalled: whatever the cause, the request carried no complete body
            throw unreadable("the body could not be read to its end (connection closed or timed out)");
        }
    }

    private static InvalidPinException unreadable(String message) {
        return new InvalidPinException("The body could not be read.", List.of(new FieldError(PinFields.BODY, message)));
    }
}
