package dev.pinpipe.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import dev.pinpipe.core.config.Settings;
import org.junit.jupiter.api.Test;

/** How {@link ConfiguredVariables} tells the settings code reads: the catalogue's constants, not their mentions. */
class ConfiguredVariablesTest {

    @Test
    void aCatalogueConstantIsReadAsItsVariable() {
        String code = """
                import dev.pinpipe.core.config.Settings;
                import static dev.pinpipe.core.config.Settings.S3_BUCKET;
                class A {
                    String topic = Settings.TOPIC.value(System::getenv);
                    String bucket = S3_BUCKET.value(System::getenv);
                    String url = dev.pinpipe.core.config.Settings.JDBC_URL.value(System::getenv);
                    String table = Settings.PINS_BATCH_TABLE;
                }
                """;
        assertThat(ConfiguredVariables.catalogueReferences(code)).containsExactlyInAnyOrder(
                Settings.TOPIC.variable(), Settings.S3_BUCKET.variable(), Settings.JDBC_URL.variable());
    }

    @Test
    void commentsAndOtherClassesSettingsDoNotCount() {
        String code = """
                /** Reads Settings.TOPIC, like {@link Settings#DLT_TOPIC}. */
                class A {
                    // Settings.S3_BUCKET once
                    String url = "s3a://bucket/Settings.API_PORT"; /* Settings.API_URL */
                    Object pg = PostgresSettings.JDBC_URL;
                }
                """;
        assertThat(ConfiguredVariables.catalogueReferences(code)).isEmpty();
        assertThat(ConfiguredVariables.withoutComments(code)).contains("\"s3a://bucket/Settings.API_PORT\"").doesNotContain("API_URL");
    }

    @Test
    void aConstantTheCatalogueLacksOrAWildcardImportFails() {
        assertThatThrownBy(() -> ConfiguredVariables.catalogueReferences("Object x = Settings.NO_SUCH_SETTING;"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("NO_SUCH_SETTING");
        assertThatThrownBy(() -> ConfiguredVariables.catalogueReferences("import static dev.pinpipe.core.config.Settings.*;"))
                .isInstanceOf(AssertionError.class);
    }

    /** pin-spark's classes read the database's settings through the catalogue; the stream job uses them. */
    @Test
    void aLibraryCountsThroughTheClassesTheModuleUses() {
        assertThat(ConfiguredVariables.of("stream-spark-job", List.of("pin-spark", "pin-core")))
                .contains(Settings.DB_PASSWORD.variable(), Settings.BIND_ADDRESS.variable())
                .as("the catalogue's own classes read nothing by being named").doesNotContain(Settings.TEST_STACK.variable());
    }
}
