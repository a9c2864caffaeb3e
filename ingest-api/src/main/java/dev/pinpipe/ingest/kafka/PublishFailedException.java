package dev.pinpipe.ingest.kafka;

/**
 * Kafka did not acknowledge a pin in time (broker unreachable, producer buffer full, ack timeout).
 * The pin may or may not be on the topic; a retry is safe because downstream upserts by unique_id.
 */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
