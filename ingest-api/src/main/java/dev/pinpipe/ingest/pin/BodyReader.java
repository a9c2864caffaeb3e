package dev.pinpipe.ingest.pin;

import dev.pinpipe.ingest.problem.BodyTooLargeException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.util.unit.DataSize;

/**
 * Reads a request body as the exact bytes posted (what goes to Kafka), refusing more than a limit
 * before reading it when Content-Length says so, or as soon as a chunked body passes it.
 */
final class BodyReader {

    private BodyReader() {
    }

    static byte[] read(HttpServletRequest request, DataSize limit) throws IOException {
        long max = limit.toBytes();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw tooLarge(limit);
        }
        try (InputStream in = request.getInputStream()) {
            if (declared >= 0) {
                return in.readNBytes((int) declared);
            }
            byte[] body = in.readNBytes((int) max + 1);
            if (body.length > max) {
                throw tooLarge(limit);
            }
            return body;
        }
    }

    private static BodyTooLargeException tooLarge(DataSize limit) {
        return new BodyTooLargeException("the body is larger than " + limit.toBytes() + " bytes");
    }
}
