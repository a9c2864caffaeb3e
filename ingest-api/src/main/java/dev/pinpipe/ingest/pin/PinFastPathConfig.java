package dev.pinpipe.ingest.pin;

import dev.pinpipe.ingest.IngestProperties;
import dev.pinpipe.ingest.auth.ApiKeyConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * Puts {@link PinFastPath} in the chain of {@code /pin} and {@code /pin/} only, right after the API-key
 * check (registered only when a key is configured), which must see every request the fast path answers.
 * With Spring Security added (docs/security.md), right after its filter chain instead, for the same reason.
 */
@Configuration(proxyBeanMethods = false)
class PinFastPathConfig {

    private static final String SPRING_SECURITY_FILTER = "org.springframework.security.web.FilterChainProxy";

    @Bean
    FilterRegistrationBean<PinFastPath> pinFastPath(PinController controller, IngestProperties properties,
            @Value("${spring.security.filter.order:-100}") int securityFilterOrder) {
        FilterRegistrationBean<PinFastPath> registration = new FilterRegistrationBean<>(new PinFastPath(controller, properties));
        registration.addUrlPatterns("/pin", "/pin/");
        boolean springSecurity = ClassUtils.isPresent(SPRING_SECURITY_FILTER, PinFastPathConfig.class.getClassLoader());
        registration.setOrder(Math.max(ApiKeyConfig.ORDER, springSecurity ? securityFilterOrder : ApiKeyConfig.ORDER) + 1);
        return registration;
    }
}
