package dev.pinpipe.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pinpipe.ingest.IngestProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** Where the key comes from, what is refused at start-up, and that nothing prints it. */
class ApiKeyTest {

    static final String KEY = "s3cret-Key_0123";

    @TempDir
    Path dir;

    @Test
    void noSettingMeansNoKey() {
        assertThat(ApiKey.of(properties(null, null))).isEmpty();
        assertThat(ApiKey.of(properties("", Path.of("")))).isEmpty();
    }

    @Test
    void theInlineKeyMatchesOnlyItself() {
        ApiKey key = ApiKey.of(properties(KEY, null)).orElseThrow();
        assertThat(key.matches(KEY)).isTrue();
        assertThat(key.matches(null)).isFalse();
        assertThat(key.matches("")).isFalse();
        assertThat(key.matches(KEY + "x")).isFalse();
        assertThat(key.matches(KEY.substring(1))).isFalse();
        assertThat(key.matches(KEY.toLowerCase())).isFalse();
    }

    @Test
    void theFileKeyLosesItsTrailingNewline() throws Exception {
        Path file = Files.writeString(dir.resolve("api-key"), KEY + "\n");
        ApiKey key = ApiKey.of(properties(null, file)).orElseThrow();
        assertThat(key.matches(KEY)).isTrue();
        assertThat(key.matches(KEY + "\n")).isFalse();
    }

    @Test
    void bothSettingsAreRefusedNamingBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("api-key"), KEY);
        assertThatThrownBy(() -> ApiKey.of(properties(KEY, file)))
                .hasMessageContaining("PINPIPE_API_KEY").hasMessageContaining("PINPIPE_API_KEY_FILE");
    }

    @Test
    void aMissingFileOrAKeyNoHeaderCarriesIsRefusedWithoutShowingIt() throws Exception {
        assertThatThrownBy(() -> ApiKey.of(properties(null, dir.resolve("absent")))).hasMessageContaining("absent");
        Path blank = Files.writeString(dir.resolve("blank"), "\n");
        assertThatThrownBy(() -> ApiKey.of(properties(null, blank))).hasMessageContaining("visible ASCII");
        assertThatThrownBy(() -> ApiKey.of(properties("two words", null)))
                .hasMessageContaining("visible ASCII").message().doesNotContain("two words");
        assertThatThrownBy(() -> ApiKey.of(properties("clé", null))).message().doesNotContain("clé");
    }

    @Test
    void neitherTheKeyNorTheSettingsPrintIt() {
        IngestProperties properties = properties(KEY, null);
        assertThat(properties.toString()).doesNotContain(KEY).contains("apiKey=(set)");
        assertThat(ApiKey.of(properties).orElseThrow().toString()).doesNotContain(KEY);
    }

    private static IngestProperties properties(String key, Path file) {
        return new IngestProperties("PinterestTopic", DataSize.ofMegabytes(1), DataSize.ofMegabytes(16), 10_000,
                Duration.ofSeconds(4), Duration.ofSeconds(2), Duration.ofSeconds(2), key, file);
    }
}
