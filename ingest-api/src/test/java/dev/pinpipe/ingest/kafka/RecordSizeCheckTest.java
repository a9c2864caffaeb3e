package dev.pinpipe.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.record.CompressionType;
import org.junit.jupiter.api.Test;

class RecordSizeCheckTest {

    /** Kafka's default message.max.bytes (topic max.message.bytes): 1 MiB + 12. */
    static final int BROKER_DEFAULT = 1_048_588;

    @Test
    void theDefaultBodyLimitFitsTheBrokerDefaultWithLz4AndOneMibDoesNot() {
        int fits = RecordSizeCheck.recordUpperBound(1_024_000, CompressionType.LZ4);
        assertThat(fits + RecordSizeCheck.compressionOverhead(CompressionType.LZ4, fits)).isLessThanOrEqualTo(BROKER_DEFAULT);
        int oneMib = RecordSizeCheck.recordUpperBound(1_048_576, CompressionType.LZ4);
        assertThat(oneMib).isGreaterThan(BROKER_DEFAULT);
    }

    @Test
    void aRecordHoldsThePinTheKeyAndKafkasOverhead() {
        int record = RecordSizeCheck.recordUpperBound(10_000, CompressionType.NONE);
        assertThat(record).isBetween(10_000 + 36, 10_000 + 36 + 200);
        assertThat(RecordSizeCheck.compressionOverhead(CompressionType.NONE, record)).isZero();
        assertThat(RecordSizeCheck.compressionOverhead(CompressionType.LZ4, 1 << 20)).isEqualTo(11 + 4 * 17);
    }
}
