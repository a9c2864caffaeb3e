package dev.pinpipe.ingest.auth;

import dev.pinpipe.ingest.IngestProperties;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Registers {@link ApiKeyFilter} on the pin endpoints when a key is configured, ordered before every
 * other filter of theirs; with no key nothing is registered and the API is open.
 */
@Configuration(proxyBeanMethods = false)
public class ApiKeyConfig {

    /** The key check's place in the filter chain; the pin fast path must come after it. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

    private static final Logger log = LoggerFactory.getLogger(ApiKeyConfig.class);

    @Bean
    FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(IngestProperties properties,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems) {
        Optional<ApiKey> key = ApiKey.of(properties);
        FilterRegistrationBean<ApiKeyFilter> registration = new FilterRegistrationBean<>();
        if (key.isEmpty()) {
            registration.setEnabled(false);
            // a disabled registration still describes its filter
            registration.setFilter(new ApiKeyFilter(null, problems));
            log.info("no API key configured ({}): POST /pin and /pins are open", ApiKey.SETTINGS);
            return registration;
        }
        registration.setFilter(new ApiKeyFilter(key.get(), problems));
        registration.addUrlPatterns("/pin", "/pin/", "/pins", "/pins/");
        registration.setOrder(ORDER);
        log.info("POST /pin and /pins require the API key in header {}", ApiKey.HEADER);
        return registration;
    }
}
