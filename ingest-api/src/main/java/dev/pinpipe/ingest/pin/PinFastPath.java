package dev.pinpipe.ingest.pin;

import dev.pinpipe.ingest.IngestProperties;
import dev.pinpipe.ingest.kafka.PinAck;
import dev.pinpipe.ingest.kafka.PublishFailedException;
import dev.pinpipe.ingest.problem.InvalidPinException;
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
 * {@code POST /pin}'s common case (a UTF-8 JSON pin with a Content-Length, the broker acking) answered
 * before Spring MVC: the filters and the dispatcher around {@link PinController#postPin} cost about
 * as much CPU as validating and publishing the pin. It runs the controller's own
 * {@link PinController#publishPin} (pin-core's validator, the canonical pin published) and writes the
 * same 200 answer. Everything else goes on down the chain with the body it read: a request
 * {@link PinRoutes} would not take (405, 406, 415), no Content-Length or one over the limit (413), and
 * this request's failure (400 invalid pin, 503 no ack), handed over in {@link #FAILURE} for the
 * controller to throw, so the pin is neither validated nor sent twice.
 */
final class PinFastPath implements Filter {

    /** Request attribute: the exception {@link PinController#publishPin} threw for this request's pin. */
    static final String FAILURE = PinFastPath.class.getName() + ".failure";

    private final PinController controller;
    private final long maxBodySize;

    PinFastPath(PinController controller, IngestProperties properties) {
        this.controller = controller;
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
        byte[] body = new byte[0];
        PinAck ack;
        try {
            body = BodyReader.read(request, maxBodySize, "pinpipe.ingest.max-body-size");
            ack = controller.publishPin(body);
        } catch (InvalidPinException | PublishFailedException e) {
            request.setAttribute(FAILURE, e);
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
