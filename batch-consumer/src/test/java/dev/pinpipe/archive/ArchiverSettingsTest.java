package dev.pinpipe.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.config.Settings;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.StandardEnvironment;

/**
 * What the archiver's application.yml binds, with pin-core's catalogue as its defaults (no Kafka, no S3:
 * an empty application with the service's configuration files).
 */
class ArchiverSettingsTest {

    private static final Function<String, String> ENV = System::getenv;
    private static final long T0 = 1_764_201_600_000L; // 2025-11-27T00:00:00Z

    @Configuration(proxyBeanMethods = false)
    static class Nothing {
    }

    private record Bound(ArchiveProperties archive, S3Properties s3) {
    }

    private static Bound bind(String... args) {
        return bind(new StandardEnvironment(), args);
    }

    private static Bound bind(ConfigurableEnvironment environment, String... args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Nothing.class).environment(environment)
                .web(WebApplicationType.NONE).logStartupInfo(false).run(args)) {
            Binder binder = Binder.get(context.getEnvironment());
            return new Bound(binder.bindOrCreate("pinpipe.archive", ArchiveProperties.class),
                    binder.bindOrCreate("pinpipe.s3", S3Properties.class));
        }
    }

    private static S3Properties s3WithPrefix(String prefix) {
        return new Binder(new MapConfigurationPropertySource(Map.of("pinpipe.s3.prefix", prefix)))
                .bindOrCreate("pinpipe.s3", S3Properties.class);
    }

    private static Duration duration(String text) {
        return DurationStyle.detectAndParse(text);
    }

    @Test
    void everySettingHasTheCataloguesValue() {
        Bound bound = bind();

        assertThat(bound.archive().topic()).isEqualTo(Settings.TOPIC.value(ENV));
        assertThat(bound.archive().dltTopic()).isEqualTo(Settings.DLT_TOPIC.value(ENV));
        assertThat(bound.archive().flushSize()).isEqualTo(Settings.ARCHIVE_FLUSH_SIZE.intValue(ENV));
        assertThat(bound.archive().retryInitial()).isEqualTo(duration(Settings.ARCHIVE_RETRY_INITIAL.value(ENV)));
        assertThat(bound.archive().retryMax()).isEqualTo(duration(Settings.ARCHIVE_RETRY_MAX.value(ENV)));
        assertThat(bound.archive().progressRetention()).isEqualTo(duration(Settings.ARCHIVE_PROGRESS_RETENTION.value(ENV)));
        assertThat(bound.s3().bucket()).isEqualTo(Settings.S3_BUCKET.value(ENV));
        assertThat(bound.s3().prefix()).isEqualTo(Settings.S3_PREFIX.value(ENV));
        assertThat(bound.s3().endpoint()).hasToString(Settings.S3_ENDPOINT.value(ENV));
        assertThat(bound.s3().callTimeout()).isEqualTo(duration(Settings.S3_CALL_TIMEOUT.value(ENV)));
        assertThat(bound.s3().hasStaticCredentials()).isTrue();
    }

    @Test
    void theDeadLetterTopicFollowsTheTopic() {
        Bound bound = bind("--PINPIPE_TOPIC=Other");

        assertThat(bound.archive().topic()).isEqualTo("Other");
        assertThat(bound.archive().dltTopic()).isEqualTo("Other.DLT");
    }

    /** The catalogue's prefix has no slash; the objects and markers are where they always were. */
    @Test
    void theArchiveKeysUnderTheDefaultPrefix() {
        S3Properties s3 = bind("--PINPIPE_S3_PREFIX=" + Settings.S3_PREFIX.localDefault()).s3();
        ArchiveObject object = new ArchiveObject("PinterestTopic", 2, 42, 42, T0, T0, 1, new byte[0], false);

        assertThat(object.key(s3.archiveFolder())).isEqualTo("pins/dt=2025-11-27/PinterestTopic+2+00000000000000000042.json");
        assertThat(ArchiveProgress.restore("PinterestTopic", 2, 45, null, 0).key(s3.progressFolder()))
                .isEqualTo("pins_progress/PinterestTopic+2.json");
    }

    @Test
    void slashesAroundThePrefixAreDropped() {
        for (String prefix : new String[] {"it/a", "it/a/", "/it/a", "//it/a//"}) {
            S3Properties s3 = s3WithPrefix(prefix);
            assertThat(s3.prefix()).as(prefix).isEqualTo("it/a");
            assertThat(s3.archiveFolder()).as(prefix).isEqualTo("it/a/");
            assertThat(s3.progressFolder()).as(prefix).isEqualTo("it/a_progress/");
        }
        S3Properties root = s3WithPrefix("/");
        assertThat(root.archiveFolder()).isEmpty();
        assertThat(root.progressFolder()).isEqualTo("_progress/");
    }

    /**
     * Real AWS: the SDK's endpoint, virtual-host addressing and credential chain; bucket and region still the
     * catalogue's. Without this process's variables: the launcher exports PINPIPE_S3_ENDPOINT and the keys,
     * and a variable that is set wins over the profile, as it should.
     */
    @Test
    void theAwsProfile() {
        StandardEnvironment withoutVariables = new StandardEnvironment();
        withoutVariables.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        S3Properties s3 = bind(withoutVariables, "--spring.profiles.active=aws").s3();

        assertThat(s3.endpoint()).isNull();
        assertThat(s3.pathStyle()).isFalse();
        assertThat(s3.hasStaticCredentials()).isFalse();
        assertThat(s3.checksums()).isEqualTo(S3Properties.Checksums.WHEN_SUPPORTED);
        assertThat(s3.bucket()).isEqualTo(Settings.S3_BUCKET.localDefault());
        assertThat(s3.region()).isEqualTo(Settings.S3_REGION.localDefault());
        assertThat(s3.prefix()).isEqualTo(Settings.S3_PREFIX.localDefault());
    }
}
