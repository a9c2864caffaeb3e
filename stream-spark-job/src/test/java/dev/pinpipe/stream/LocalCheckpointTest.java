package dev.pinpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which checkpoint locations get the process-free checkpoint file manager (StreamJob). */
class LocalCheckpointTest {

    @ParameterizedTest(name = "{0} local: {1}")
    @CsvSource({
            ".pinpipe/checkpoints/stream, true",
            "/tmp/checkpoints/stream, true",
            "file:/tmp/checkpoints/stream, true",
            "file:///tmp/checkpoints/stream, true",
            "s3a://pinterestdata/checkpoints/stream, false",
            "hdfs://namenode:8020/checkpoints/stream, false",
    })
    void onlyLocalPathsAreLocal(String checkpoint, boolean local) {
        assertThat(StreamJob.isLocal(checkpoint)).isEqualTo(local);
    }
}
