package dev.pinpipe.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.ArchiveLineFormat.Lineage;
import org.junit.jupiter.api.Test;

class ArchiveLineFormatTest {

    private static Lineage lineage(String line) throws Exception {
        return ArchiveLineFormat.lineage(PinJson.parse(line));
    }

    @Test
    void readsTheLineageOfTheDocumentedLine() throws Exception {
        assertThat(lineage("{\"index\":1,\"_kafka\":{\"partition\":0,\"offset\":1234,\"timestamp\":1764201600000}}"))
                .isEqualTo(new Lineage(0, 1234, 1_764_201_600_000L));
        assertThat(lineage("{\"_kafka\":{\"partition\":2147483647,\"offset\":9223372036854775807,\"timestamp\":-1}}"))
                .isEqualTo(new Lineage(Integer.MAX_VALUE, Long.MAX_VALUE, -1));
    }

    @Test
    void aLineWithoutLineageInThisFormatHasNone() throws Exception {
        assertThat(lineage("{\"index\":1}")).isNull();
        assertThat(lineage("{\"_kafka\":[0,1,2]}")).isNull();
        assertThat(lineage("{\"_kafka\":{\"partition\":0,\"offset\":1}}")).as("no timestamp").isNull();
        assertThat(lineage("{\"_kafka\":{\"partition\":\"0\",\"offset\":1,\"timestamp\":2}}")).as("a string").isNull();
        assertThat(lineage("{\"_kafka\":{\"partition\":0.5,\"offset\":1,\"timestamp\":2}}")).as("a fraction").isNull();
        assertThat(lineage("{\"_kafka\":{\"partition\":2147483648,\"offset\":1,\"timestamp\":2}}")).as("beyond an int").isNull();
        assertThat(lineage("{\"x\":{\"_kafka\":{\"partition\":0,\"offset\":1,\"timestamp\":2}}}")).as("not top-level").isNull();
    }
}
