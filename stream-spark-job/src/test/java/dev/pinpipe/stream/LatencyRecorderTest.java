package dev.pinpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

class LatencyRecorderTest {

    @Test
    void passesRowsThroughAndMeasuresFromKafkaTimestampToCommit() {
        Instant commit = Instant.parse("2026-11-27T12:00:10Z");
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i <= 100; i++) { // latencies 10 ms … 1000 ms
            rows.add(RowFactory.create("pin-" + i, Timestamp.from(commit.minusMillis(10L * i))));
        }
        LatencyRecorder recorder = new LatencyRecorder(rows.iterator(), 1);
        List<Row> seen = new ArrayList<>();
        recorder.forEachRemaining(seen::add);

        assertThat(seen).isEqualTo(rows);
        assertThat(recorder.count()).isEqualTo(100);
        assertThat(recorder.latencies(commit)).containsExactly(500, 990, 1000);
    }

    @Test
    void noRowsNoLatency() {
        LatencyRecorder recorder = new LatencyRecorder(List.<Row>of().iterator(), 0);
        assertThat(recorder.latencies(Instant.now())).containsExactly(-1, -1, -1);
    }
}
