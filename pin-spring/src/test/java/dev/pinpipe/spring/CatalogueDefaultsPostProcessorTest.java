package dev.pinpipe.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.config.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.env.DefaultPropertiesPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class CatalogueDefaultsPostProcessorTest {

    /** A StandardEnvironment whose process environment is {@code env} (the real one would leak in). */
    private static StandardEnvironment withEnv(Map<String, Object> env) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        return environment;
    }

    private static StandardEnvironment processed(Map<String, Object> env) {
        StandardEnvironment environment = withEnv(env);
        new CatalogueDefaultsPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }

    @Test
    void theEnvironmentWinsOverTheDefault() {
        ConfigurableEnvironment environment = processed(Map.of("PINPIPE_API_PORT", "9123"));

        assertThat(environment.resolveRequiredPlaceholders("${PINPIPE_API_PORT}")).isEqualTo("9123");
        assertThat(environment.resolveRequiredPlaceholders("${PINPIPE_ARCHIVER_PORT}"))
                .isEqualTo(Settings.ARCHIVER_PORT.defaultValue()).isEqualTo("8001");
    }

    @Test
    void aReferenceInADefaultResolvesAgainstTheEnvironment() {
        assertThat(processed(Map.of()).resolveRequiredPlaceholders("${PINPIPE_DLT_TOPIC}")).isEqualTo("PinterestTopic.DLT");
        assertThat(processed(Map.of("PINPIPE_TOPIC", "Mine")).resolveRequiredPlaceholders("${PINPIPE_DLT_TOPIC}"))
                .isEqualTo("Mine.DLT");
        assertThat(processed(Map.of("PINPIPE_KAFKA_PORT", "19092")).getProperty("PINPIPE_KAFKA_BOOTSTRAP"))
                .isEqualTo("127.0.0.1:19092");
    }

    @Test
    void anUnsetSettingWithNoDefaultIsEmpty() {
        ConfigurableEnvironment environment = processed(Map.of());

        assertThat(environment.resolveRequiredPlaceholders("${PINPIPE_SPARK_MASTER}")).isEmpty();
        assertThat(environment.resolveRequiredPlaceholders("[${PINPIPE_API_KEY}|${PINPIPE_API_KEY_FILE}]")).isEqualTo("[|]");
    }

    @Test
    void everySettingOfTheCatalogueHasAProperty() {
        ConfigurableEnvironment environment = processed(Map.of());

        Settings.all().forEach(s -> assertThat(environment.containsProperty(s.variable())).as(s.variable()).isTrue());
        assertThat(environment.containsProperty("PINPIPE_NOT_A_SETTING")).isFalse();
    }

    @Test
    void theApplicationsOwnDefaultPropertiesWin() {
        // what SpringApplication.setDefaultProperties leaves in the environment before the post-processors run
        StandardEnvironment environment = withEnv(Map.of());
        DefaultPropertiesPropertySource.addOrMerge(Map.of("PINPIPE_TOPIC", "FromTheApplication", "other", "kept"),
                environment.getPropertySources());

        new CatalogueDefaultsPostProcessor().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty("PINPIPE_DLT_TOPIC")).isEqualTo("FromTheApplication.DLT");
        assertThat(environment.getProperty("other")).isEqualTo("kept");
    }

    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }

    /** Through spring.factories in a real application: last in precedence, below command-line arguments. */
    @Test
    void aSpringApplicationHasTheCatalogueLast() {
        SpringApplication application = new SpringApplication(Empty.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setEnvironment(withEnv(Map.of("PINPIPE_TOPIC", "FromEnv")));

        try (ConfigurableApplicationContext context = application.run(
                "--PINPIPE_API_PORT=9999", "--pinpipe.sample.dlt=${PINPIPE_DLT_TOPIC}", "--pinpipe.sample.port=${PINPIPE_API_PORT}")) {
            ConfigurableEnvironment environment = context.getEnvironment();
            assertThat(environment.getProperty("pinpipe.sample.dlt")).isEqualTo("FromEnv.DLT");
            assertThat(environment.getProperty("pinpipe.sample.port")).isEqualTo("9999");
            assertThat(environment.getProperty("PINPIPE_ARCHIVER_GROUP")).isEqualTo("pin-archiver");
            assertThat(environment.getPropertySources().stream().reduce((first, second) -> second).orElseThrow().getName())
                    .isEqualTo(DefaultPropertiesPropertySource.NAME);
        }
    }
}
