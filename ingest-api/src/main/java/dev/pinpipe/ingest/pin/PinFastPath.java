package dev.pinpipe.ingest.pin;

import dev.pinpipe.core.PinValidityCheck;
import dev.pinpipe.ingest.IngestProperties;
import dev.pinpipe.ingest.kafka.PinAck;
import dev.pinpipe.ingest.kafka.PinPublisher;
import dev.pinpipe.ingest.kafka.PublishFailedException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * {@code POST /pin}'s common case (a valid pin with a Content-Length, the broker acking) answered
 * before Spring MVC: the filters and the dispatcher around {@link PinController#postPin} cost about
 * as much CPU as validating and publishing the pin. It publishes exactly as the controller does and
 * writes the same 200 answer. Everything else goes on down the chain with the body it read, so the
 * controller and {@code ProblemAdvice} answer it as before: a request {@link PinRoutes} would not take
 * (405, 415, 406), no Content-Length or one over the limit (413), an invalid pin (400, the validator's
 * field errors), and a publish failure (503: passed on in {@link #PUBLISH_FAILURE}, so the pin is not
 * sent twice).
 */
final class PinFastPath implements Filter {

    /** Request attribute: the {@link PublishFailedException} of this request's pin, for the controller to answer. */
    static final String PUBLISH_FAILURE = PinFastPath.class.getName() + ".publishFailure";

    private final PinPublisher publisher;
    private final long maxBodySize;

    PinFastPath(PinPublisher publisher, IngestProperties properties) {
        this.publisher = publisher;
        this.maxBodySize = properties.maxBodySize().toBytes();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        long length = request.getContentLengthLong();
        if (length < 0 || length > maxBodySize || !PinRoutes.isPinPost(request)) {
            chain.doFilter(req, res);
            return;
        }
        byte[] body = request.getInputStream().readNBytes((int) length);
        if (!PinValidityCheck.isValid(body)) {
            chain.doFilter(new ReadRequest(request, body), res);
            return;
        }
        PinAck ack;
        try {
            ack = publisher.publish(UniqueIdReader.of(body), body);
        } catch (PublishFailedException e) {
            request.setAttribute(PUBLISH_FAILURE, e);
            chain.doFilter(new ReadRequest(request, body), res);
            return;
        }
        PinController.writeAck((HttpServletResponse) res, ack);
    }

    /** The request with its body already read: the rest of the chain reads the same bytes again. */
    private static final class ReadRequest extends HttpServletRequestWrapper {

        private final byte[] body;

        ReadRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body is already read");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
        }
    }
}
