package dev.pinpipe.ingest;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Counts every answer the server gives, by status class, from inside Tomcat (a valve sees the fast
 * path's answers and the container's own error pages too): the server's side of a fuzz run.
 */
@TestConfiguration(proxyBeanMethods = false)
class StatusCount {

    static final AtomicLong ALL = new AtomicLong();
    static final AtomicLong CLIENT_ERRORS = new AtomicLong();
    static final AtomicLong SERVER_ERRORS = new AtomicLong();

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> statusCountingValve() {
        return factory -> factory.addContextValves(new ValveBase(true) {
            @Override
            public void invoke(Request request, Response response) throws IOException, ServletException {
                try {
                    getNext().invoke(request, response);
                } finally {
                    ALL.incrementAndGet();
                    int status = response.getStatus();
                    if (status >= 500) {
                        SERVER_ERRORS.incrementAndGet();
                    } else if (status >= 400) {
                        CLIENT_ERRORS.incrementAndGet();
                    }
                }
            }
        });
    }

    static void reset() {
        ALL.set(0);
        CLIENT_ERRORS.set(0);
        SERVER_ERRORS.set(0);
    }
}
