package dev.pinpipe.ingest.pin;

import dev.pinpipe.ingest.IngestProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** Puts {@link PinFastPath} first in the chain of {@code /pin} and {@code /pin/} only. */
@Configuration(proxyBeanMethods = false)
class PinFastPathConfig {

    @Bean
    FilterRegistrationBean<PinFastPath> pinFastPath(PinController controller, IngestProperties properties) {
        FilterRegistrationBean<PinFastPath> registration = new FilterRegistrationBean<>(new PinFastPath(controller, properties));
        registration.addUrlPatterns("/pin", "/pin/");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
