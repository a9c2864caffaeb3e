package dev.pinpipe.ingest.pin;

import dev.pinpipe.ingest.IngestProperties;
import dev.pinpipe.ingest.auth.ApiKeyConfig;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link PinFastPath} in the chain of {@code /pin} and {@code /pin/} only, right after the API-key
 * check (registered only when a key is configured), which must see every request the fast path answers.
 */
@Configuration(proxyBeanMethods = false)
class PinFastPathConfig {

    @Bean
    FilterRegistrationBean<PinFastPath> pinFastPath(PinController controller, IngestProperties properties) {
        FilterRegistrationBean<PinFastPath> registration = new FilterRegistrationBean<>(new PinFastPath(controller, properties));
        registration.addUrlPatterns("/pin", "/pin/");
        registration.setOrder(ApiKeyConfig.ORDER + 1);
        return registration;
    }
}
