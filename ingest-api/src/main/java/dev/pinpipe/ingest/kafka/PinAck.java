package dev.pinpipe.ingest.kafka;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.charset.StandardCharsets;

/** Where the broker stored an acknowledged pin: the answer of {@code POST /pin}. */
public record PinAck(@JsonProperty("unique_id") String uniqueId, String topic, int partition, long offset) {

    /**
     * This ack as JSON, the bytes Jackson writes for the record, built by hand: Spring's return-value
     * handling and message conversion of the ack cost a visible share of the CPU per pin (docs/performance.md). Nothing needs
     * escaping: the unique_id is a validated UUID (hex digits and dashes) and a Kafka topic name is
     * {@code [a-zA-Z0-9._-]}.
     */
    public byte[] json() {
        return ("{\"unique_id\":\"" + uniqueId + "\",\"topic\":\"" + topic + "\",\"partition\":" + partition
                + ",\"offset\":" + offset + "}").getBytes(StandardCharsets.US_ASCII);
    }
}
