package dev.pinpipe.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.KafkaException;

class DeadLettersTest {

    @Test
    void tooLargeIsFoundAnywhereInTheCauseChainAndNothingElseCounts() {
        Exception tooLarge = new KafkaException("Dead-letter publication failed",
                new ExecutionException(new org.springframework.kafka.core.KafkaProducerException(null, "send failed",
                        new RecordTooLargeException("The message is 1049000 bytes"))));
        assertThat(DeadLetters.isTooLarge(tooLarge)).isTrue();
        assertThat(DeadLetters.isTooLarge(new KafkaException("Dead-letter publication failed",
                new ExecutionException(new TimeoutException("no broker"))))).isFalse();
        assertThat(DeadLetters.isTooLarge(new IllegalStateException())).isFalse();
    }

    @Test
    void aTruncatedCopyKeepsTheCoordinatesAndSaysWhatWasCut() {
        byte[] value = new byte[200_000];
        Arrays.fill(value, (byte) 'x');
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", new byte[10]);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("PinterestTopic", 2, 77, 1_764_201_600_000L,
                TimestampType.CREATE_TIME, 3, value.length, "abc".getBytes(StandardCharsets.UTF_8), value, headers, Optional.of(5));

        ConsumerRecord<byte[], byte[]> copy = DeadLetters.truncated(record, DeadLetters.KEPT_BYTES);
        assertThat(copy.topic()).isEqualTo("PinterestTopic");
        assertThat(copy.partition()).isEqualTo(2);
        assertThat(copy.offset()).isEqualTo(77);
        assertThat(copy.timestamp()).isEqualTo(1_764_201_600_000L);
        assertThat(copy.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(copy.key()).isEqualTo(record.key());
        assertThat(copy.value()).isEqualTo(Arrays.copyOf(value, DeadLetters.KEPT_BYTES));
        assertThat(copy.headers().toArray()).singleElement().satisfies(h -> {
            assertThat(h.key()).isEqualTo(DeadLetters.TRUNCATED_HEADER);
            assertThat(new String(h.value(), StandardCharsets.UTF_8))
                    .isEqualTo("value 200000 bytes, 65536 kept; key 3 bytes, 3 kept; 1 original headers dropped");
        });

        ConsumerRecord<byte[], byte[]> empty = DeadLetters.truncated(record, 0);
        assertThat(empty.value()).isEmpty();
        assertThat(empty.key()).isEmpty();

        ConsumerRecord<byte[], byte[]> tombstone = DeadLetters.truncated(new ConsumerRecord<>("t", 0, 1, null, null), 0);
        assertThat(tombstone.value()).isNull();
        assertThat(new String(tombstone.headers().lastHeader(DeadLetters.TRUNCATED_HEADER).value(), StandardCharsets.UTF_8))
                .startsWith("value null bytes, null kept");
    }

    @Test
    void theReasonListsTheFirstProblemsAndIsBounded() {
        List<FieldError> many = Collections.nCopies(5000, new FieldError("body", "holds a lone surrogate (\\uD800), which is not Unicode text"));
        String reason = InvalidPinException.reason(many);
        assertThat(reason).endsWith("; and 4980 more").hasSizeLessThan(InvalidPinException.MAX_REASON_CHARS);
        assertThat(InvalidPinException.reason(List.of(new FieldError("index", "is required"), new FieldError("category", "must be a string"))))
                .isEqualTo("index: is required; category: must be a string");

        String huge = "x".repeat(InvalidPinException.MAX_REASON_CHARS - 4) + "\uD83D\uDE00" + "y".repeat(10_000);
        String capped = new InvalidPinException(huge, "g").getMessage();
        assertThat(capped).hasSizeLessThanOrEqualTo(InvalidPinException.MAX_REASON_CHARS).endsWith("x...");
        assertThat(new InvalidPinException("index: is required", "pin-archiver").getGroupId()).isEqualTo("pin-archiver");
    }
}
