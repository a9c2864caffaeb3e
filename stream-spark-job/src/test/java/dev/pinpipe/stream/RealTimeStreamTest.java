package dev.pinpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.pinpipe.core.db.RejectedPins;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in Real-time mode, in this JVM, against the stack's real Kafka and Postgres: rows appear
 * while the epoch is still running, hostile records and rows PostgreSQL refuses are quarantined, and
 * an epoch cut short by a stop and replayed after the restart leaves every pin once and every record
 * read once in pipeline_runs.
 */
@ExtendWith(LocalStackExtension.class)
class RealTimeStreamTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void pinsAreWrittenWithinTheEpochAndRejectsQuarantined(LocalStack stack) throws Exception {
        List<String> ids = TestPins.ids(20);
        TestDb.execute(stack, "ALTER TABLE pins_stream ADD CONSTRAINT refuse_rt_test CHECK (title IS DISTINCT FROM 'refuse me') NOT VALID");
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            // a ten-minute epoch: whatever lands below lands before any epoch ends
            StreamingQuery query = StreamJob.start(SharedSpark.session(), args(stack, kafka, "10m"));
            String queryId = query.id().toString();
            MetricRegistry metrics = SharedSpark.metrics().metricRegistry();
            long written = metrics.counter(StreamMetrics.ROWS_WRITTEN).getCount();
            long rejected = metrics.counter(StreamMetrics.ROWS_REJECTED).getCount();
            long latencies = metrics.histogram(StreamMetrics.ACK_TO_ROW_MS).getCount();
            try {
                for (int i = 0; i < ids.size(); i++) {
                    kafka.send(ids.get(i), TestPins.pin(ids.get(i), i, i == 7 ? "refuse me" : "pin " + i));
                }
                String hostileAt = kafka.sendBytes("not json", "not json at all".getBytes(StandardCharsets.UTF_8));
                await().atMost(WAIT).until(() -> TestDb.countPins(stack, ids) == ids.size() - 1);
                await().atMost(WAIT).until(() -> TestDb.rejected(stack, kafka.topic).size() == 2);
                await().atMost(WAIT).until(() -> TestDb.sumRead(TestDb.realTimeRuns(stack, queryId)) == ids.size() + 1);
                assertThat(query.isActive()).isTrue();
                List<TestDb.Run> runs = TestDb.realTimeRuns(stack, queryId);
                assertThat(runs).allSatisfy(run -> {
                    assertThat(run.rowsRead()).isEqualTo(run.rowsWritten() + run.rowsRejected());
                    assertThat(run.status()).isEqualTo("running");
                });
                assertThat(TestDb.sumRejected(runs)).isEqualTo(2);
                // what the executors committed reached the driver's metrics: a latency for each row written, none for the refused one
                await().atMost(WAIT).until(() -> metrics.counter(StreamMetrics.ROWS_REJECTED).getCount() - rejected == 2);
                assertThat(metrics.counter(StreamMetrics.ROWS_WRITTEN).getCount() - written).isEqualTo(ids.size() - 1);
                assertThat(metrics.histogram(StreamMetrics.ACK_TO_ROW_MS).getCount() - latencies).isEqualTo(ids.size() - 1);
                assertThat(TestDb.rejected(stack, kafka.topic)).anySatisfy(r -> {
                    assertThat(r.reason()).contains("PostgreSQL refused the row", "refuse_rt_test");
                    assertThat(new String(r.rawValue(), StandardCharsets.UTF_8)).contains(ids.get(7));
                }).anySatisfy(r -> {
                    assertThat(r.partition() + "/" + r.offset()).isEqualTo(hostileAt);
                    assertThat(r.source()).isEqualTo(RejectedPins.kafkaSource(kafka.topic, r.partition(), r.offset()));
                    assertThat(r.runId()).startsWith(queryId + "/");
                });
            } finally {
                query.stop();
                TestDb.execute(stack, "ALTER TABLE pins_stream DROP CONSTRAINT refuse_rt_test");
            }
        }
    }

    /**
     * Pins arrive while the query is stopped mid-epoch, twice, and restarted from its checkpoint: the
     * cut epoch is replayed from its first offsets, rewriting rows that are there already, and its
     * ledger rows end with the replay's counts. Every pin once; the records read add up to the pins.
     */
    @Test
    void epochsCutShortAndReplayedWriteEveryPinOnce(LocalStack stack) throws Exception {
        int count = 3000;
        List<String> ids = TestPins.ids(count);
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            StreamArgs args = args(stack, kafka, "5s");
            Thread producer = StreamJobTest.producer(kafka, ids, 500);
            StreamingQuery first = StreamJob.start(SharedSpark.session(), args);
            String queryId = first.id().toString();
            producer.start();
            await().atMost(WAIT).until(() -> TestDb.sumRead(TestDb.realTimeRuns(stack, queryId)) >= 1000);
            first.stop();

            StreamingQuery second = StreamJob.start(SharedSpark.session(), args);
            assertThat(second.id().toString()).isEqualTo(queryId);
            await().atMost(WAIT).until(() -> TestDb.sumRead(TestDb.realTimeRuns(stack, queryId)) >= 2000);
            second.stop();

            StreamingQuery third = StreamJob.start(SharedSpark.session(), args);
            try {
                producer.join(WAIT.toMillis());
                await().atMost(WAIT).until(() -> TestDb.countPins(stack, ids) == count
                        && TestDb.sumRead(TestDb.realTimeRuns(stack, queryId)) == count);
            } finally {
                third.stop();
            }
            assertThat(TestDb.countPins(stack, ids)).isEqualTo(count);
            List<TestDb.Run> runs = TestDb.realTimeRuns(stack, queryId);
            assertThat(TestDb.sumRead(runs)).isEqualTo(count);
            assertThat(TestDb.sumRejected(runs)).isZero();
            assertThat(runs).allSatisfy(run -> assertThat(run.rowsRead()).isEqualTo(run.rowsWritten()));
        }
    }

    private StreamArgs args(LocalStack stack, TestKafka kafka, String epoch) {
        String[] argv = {
                "--mode", "real-time",
                "--epoch", epoch,
                "--kafka-bootstrap", stack.kafkaBootstrap(),
                "--topic", kafka.topic,
                "--checkpoint", dir.resolve("checkpoint").toString(),
                "--jdbc-url", stack.jdbcUrl(),
                "--metrics-file", dir.resolve("metrics.ndjson").toString()};
        return StreamArgs.parse(argv, Map.copyOf(stack.env()));
    }
}
