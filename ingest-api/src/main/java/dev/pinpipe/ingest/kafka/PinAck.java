package dev.pinpipe.ingest.kafka;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where the broker stored an acknowledged pin: the answer of {@code POST /pin}. */
public record PinAck(@JsonProperty("unique_id") String uniqueId, String topic, int partition, long offset) {
}
