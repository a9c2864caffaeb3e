package dev.pinpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.SamplePins;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The job in this JVM against the stack's real Kafka and Postgres. */
@ExtendWith(LocalStackExtension.class)
class StreamJobTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void samplePinsLandInPinsStreamAsExpected(LocalStack stack) throws Exception {
        Map<String, Map<String, Object>> expected = SamplePins.expectedById();
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            for (String line : SamplePins.rawLines()) {
                kafka.send(PinJson.parse(line).get("unique_id").textValue(), line);
            }
            StreamingQuery query = StreamJob.start(SharedSpark.session(), args(stack, kafka));
            try {
                await().atMost(WAIT).until(() -> TestDb.countPins(stack, expected.keySet()) == expected.size());
            } finally {
                query.stop();
            }
            Map<String, Map<String, Object>> rows = TestDb.pins(stack, expected.keySet());
            expected.forEach((id, columns) -> {
                columns.forEach((column, value) ->
                        assertThat(rows.get(id).get(column)).as(id + " " + column).isEqualTo(value));
                assertThat(rows.get(id)).as(id + " lineage")
                        .doesNotContainEntry("kafka_partition", null)
                        .doesNotContainEntry("kafka_offset", null)
                        .doesNotContainEntry("ingested_at", null)
                        .doesNotContainEntry("processed_at", null);
            });
            List<TestDb.Run> runs = TestDb.runs(stack, query.id().toString());
            assertThat(TestDb.sumRead(runs)).isEqualTo(expected.size());
            assertThat(TestDb.sumRejected(runs)).isZero();
        }
    }

    @Test
    void samePinPostedTwiceKeepsOneRowWithTheLaterVersion(LocalStack stack) throws Exception {
        List<String> ids = TestPins.ids(2);
        String early = ids.get(0);
        String sameBatch = ids.get(1);
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            kafka.send(early, TestPins.pin(early, 1, "first version"));
            StreamingQuery query = StreamJob.start(SharedSpark.session(), args(stack, kafka));
            try {
                await().atMost(WAIT).until(() -> title(stack, early), "first version"::equals);
                kafka.send(early, TestPins.pin(early, 1, "second version")); // a later micro-batch
                kafka.send(sameBatch, TestPins.pin(sameBatch, 2, "first version")); // most likely one micro-batch
                kafka.send(sameBatch, TestPins.pin(sameBatch, 2, "second version"));
                await().atMost(WAIT).until(() -> title(stack, early) + "|" + title(stack, sameBatch),
                        "second version|second version"::equals);
            } finally {
                query.stop();
            }
            assertThat(TestDb.countPins(stack, ids)).isEqualTo(2);
        }
    }

    @Test
    void garbageIsCountedAsRejectedAndTheStreamKeepsGoing(LocalStack stack) throws Exception {
        List<String> ids = TestPins.ids(2);
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            kafka.send("g1", "not json at all");
            kafka.sendBytes("g2", new byte[] {(byte) 0xff, 0, (byte) 0xfe, 1});
            kafka.send("g3", "{}");
            kafka.send("g4", "{\"index\": \"seven\", \"unique_id\": \"not-a-uuid\", \"category\": \"\"}");
            kafka.send("g5", "[1, 2, 3]");
            kafka.sendBytes("g6", null);
            kafka.send(ids.get(0), TestPins.pin(ids.get(0), 7, "good pin"));
            StreamingQuery query = StreamJob.start(SharedSpark.session(), args(stack, kafka));
            String queryId = query.id().toString();
            try {
                await().atMost(WAIT).until(() -> TestDb.sumRead(TestDb.runs(stack, queryId)) >= 7);
                kafka.send(ids.get(1), TestPins.pin(ids.get(1), 8, "after the garbage"));
                await().atMost(WAIT).until(() -> TestDb.countPins(stack, ids) == 2);
                assertThat(query.isActive()).isTrue();
            } finally {
                query.stop();
            }
            List<TestDb.Run> runs = TestDb.runs(stack, queryId);
            assertThat(TestDb.sumRead(runs)).isEqualTo(8);
            assertThat(TestDb.sumRejected(runs)).isEqualTo(6);
        }
    }

    /**
     * The first run fails right after micro-batch 1 is committed to Postgres but before Spark records
     * it (Spark replays it on restart), the second is stopped abruptly while pins still arrive (the
     * running micro-batch is interrupted mid-way), the third runs to the end: every pin once, and
     * pipeline_runs reads every record exactly once.
     */
    @Test
    void crashAfterCommitAndAbruptStopStillWriteEveryPinOnce(LocalStack stack) throws Exception {
        int count = 3000;
        List<String> ids = TestPins.ids(count);
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            StreamArgs args = args(stack, kafka, "--max-offsets-per-trigger", "400");
            Thread producer = producer(kafka, ids, 1000);
            AtomicBoolean crashed = new AtomicBoolean();
            StreamingQuery first = StreamJob.start(SharedSpark.session(), args,
                    writer -> (VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> {
                        writer.call(batch, batchId);
                        if (batchId == 1 && crashed.compareAndSet(false, true)) {
                            throw new IllegalStateException("simulated crash between our commit and Spark's");
                        }
                    });
            String queryId = first.id().toString();
            producer.start();
            assertThatThrownBy(() -> first.awaitTermination(WAIT.toMillis())).isInstanceOf(StreamingQueryException.class);

            StreamingQuery second = StreamJob.start(SharedSpark.session(), args);
            assertThat(second.id().toString()).isEqualTo(queryId);
            await().atMost(WAIT).until(() -> TestDb.runs(stack, queryId).size() >= 4);
            second.stop();

            StreamingQuery third = StreamJob.start(SharedSpark.session(), args);
            try {
                producer.join(WAIT.toMillis());
                await().atMost(WAIT).until(() -> TestDb.sumRead(TestDb.runs(stack, queryId)) >= count);
            } finally {
                third.stop();
            }

            assertThat(TestDb.countPins(stack, ids)).isEqualTo(count);
            List<TestDb.Run> runs = TestDb.runs(stack, queryId);
            assertThat(TestDb.sumRead(runs)).isEqualTo(count);
            assertThat(TestDb.sumRejected(runs)).isZero();
            assertThat(runs).allSatisfy(run -> assertThat(run.status()).isEqualTo("succeeded"));
            assertThat(runs.stream().mapToLong(TestDb.Run::batchId))
                    .containsExactlyElementsOf(LongStream.range(0, runs.size()).boxed().toList());
            assertThat(batchLines(args)).anySatisfy(line -> {
                assertThat(line.get("batchId").asLong()).isEqualTo(1);
                assertThat(line.get("replay").asBoolean()).isTrue();
            });
        }
    }

    /** Sends the pins at about {@code perSecond}, in slices of a tenth of a second. */
    static Thread producer(TestKafka kafka, List<String> ids, int perSecond) {
        Thread producer = new Thread(() -> {
            try {
                int slice = Math.max(1, perSecond / 10);
                for (int i = 0; i < ids.size(); i++) {
                    kafka.sendAsync(ids.get(i), TestPins.pin(ids.get(i), i, "pin " + i));
                    if (i % slice == slice - 1) {
                        Thread.sleep(100);
                    }
                }
                kafka.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "test-producer");
        producer.setDaemon(true);
        return producer;
    }

    private StreamArgs args(LocalStack stack, TestKafka kafka, String... more) {
        List<String> argv = new java.util.ArrayList<>(List.of(
                "--kafka-bootstrap", stack.kafkaBootstrap(),
                "--topic", kafka.topic,
                "--checkpoint", dir.resolve("checkpoint").toString(),
                "--trigger", "200ms",
                "--jdbc-url", stack.jdbcUrl(),
                "--metrics-file", dir.resolve("metrics.ndjson").toString()));
        argv.addAll(List.of(more));
        return StreamArgs.parse(argv.toArray(String[]::new), stack.env());
    }

    private static String title(LocalStack stack, String id) throws Exception {
        Map<String, Object> row = TestDb.pins(stack, List.of(id)).get(id);
        return row == null ? null : (String) row.get("title");
    }

    private static List<JsonNode> batchLines(StreamArgs args) throws Exception {
        // the listener reports asynchronously, just after the micro-batch
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(args.metricsFile()));
        return Files.readAllLines(args.metricsFile()).stream().map(line -> {
            try {
                return PinJson.parse(line);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }
}
