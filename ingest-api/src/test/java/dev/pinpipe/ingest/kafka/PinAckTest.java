package dev.pinpipe.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.PinJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PinAckTest {

    @Test
    void handWrittenJsonIsWhatJacksonWrites() throws Exception {
        for (PinAck ack : new PinAck[] {
                new PinAck("fbe53c66-3442-4773-b19e-d3ec6f54dddf", "PinterestTopic", 0, 0),
                new PinAck("00000000-0000-4000-8000-00000000002a", "pins.v2_test-topic", 2, Long.MAX_VALUE)}) {
            assertThat(new String(ack.json(), StandardCharsets.US_ASCII)).isEqualTo(PinJson.MAPPER.writeValueAsString(ack));
        }
    }
}
