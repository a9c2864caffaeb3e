package dev.pinpipe.spring;

import dev.pinpipe.core.Secrets;
import dev.pinpipe.core.config.Setting;
import dev.pinpipe.core.config.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * pin-core's settings catalogue as Spring Boot's default properties, the lowest precedence there is:
 * each {@code PINPIPE_…} variable with its default ({@link Settings#defaults()}, a {@code ${PINPIPE_…}}
 * reference in it left for Spring to resolve), and the {@code _FILE} variable of each secret empty. So
 * application.yml says {@code ${PINPIPE_TOPIC}} without repeating a default, and the environment, system
 * properties, command-line arguments and test properties win. Registered in META-INF/spring.factories.
 */
public class CatalogueDefaultsPostProcessor implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        MutablePropertySources sources = environment.getPropertySources();
        Map<String, Object> defaults = defaults();
        // default properties the application set itself (SpringApplication.setDefaultProperties) keep their value
        PropertySource<?> given = sources.get(DefaultPropertiesPropertySource.NAME);
        if (given != null) {
            defaults.keySet().removeIf(given::containsProperty);
        }
        DefaultPropertiesPropertySource.addOrMerge(defaults, sources);
    }

    /** Before the other post-processors, so those that read a {@code PINPIPE_…} variable see its default too. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** Variable → raw default, plus {@code <secret>_FILE} → "" (unset) for each secret setting. */
    static Map<String, Object> defaults() {
        Map<String, Object> defaults = new LinkedHashMap<>(Settings.defaults());
        Settings.all().stream().filter(Setting::secret)
                .forEach(s -> defaults.put(s.variable() + Secrets.FILE_SUFFIX, ""));
        return defaults;
    }
}
