package dev.pinpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.SamplePins;
import dev.pinpipe.core.db.RejectedPins;
import dev.pinpipe.core.kafka.KafkaClientProperties;
import dev.pinpipe.spark.PinColumns;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
                // the tasks write the rows before the driver records the micro-batch
                await().atMost(WAIT).until(() -> TestDb.sumRead(TestDb.runs(stack, query.id().toString())) == expected.size());
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

    /** With PINPIPE_KAFKA_PROPERTIES_FILE set, its settings are the source's kafka.* options and the job still reads the broker. */
    @Test
    void readsTheTopicWithAKafkaPropertiesFileSet(LocalStack stack) throws Exception {
        Path file = Files.writeString(dir.resolve("client.properties"), "metadata.max.age.ms=123456\nreconnect.backoff.max.ms=4321\n");
        List<String> ids = TestPins.ids(3);
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            for (int i = 0; i < ids.size(); i++) {
                kafka.send(ids.get(i), TestPins.pin(ids.get(i), i + 1, "with a properties file"));
            }
            StreamArgs args = args(stack, kafka, Map.of(KafkaClientProperties.FILE_VARIABLE, file.toString()));
            assertThat(KafkaPinSource.options(args))
                    .containsEntry("kafka.metadata.max.age.ms", "123456").containsEntry("kafka.reconnect.backoff.max.ms", "4321");
            StreamingQuery query = StreamJob.start(SharedSpark.session(), args);
            try {
                await().atMost(WAIT).until(() -> TestDb.countPins(stack, ids) == ids.size());
            } finally {
                query.stop();
            }
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

    /**
     * Records no ordinary client sends, straight to the topic, then ordinary pins: the query stays up,
     * every pin lands once, every hostile record is quarantined once with its reason, each micro-batch
     * adds up (read = written + rejected), and a restart from the checkpoint doubles nothing.
     */
    @Test
    void hostileRecordsAreQuarantinedAndTheStreamKeepsGoing(LocalStack stack) throws Exception {
        List<String> ids = TestPins.ids(6);
        String id = TestPins.ids(1).get(0);
        Map<String, byte[]> hostile = new LinkedHashMap<>();
        hostile.put("utf-16", TestPins.pin(id, 1, "utf-16").getBytes(StandardCharsets.UTF_16));
        hostile.put("invalid utf-8", new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        hostile.put("not json", "not json at all".getBytes(StandardCharsets.UTF_8));
        hostile.put("array", "[]".getBytes(StandardCharsets.UTF_8));
        hostile.put("u+2028", pinWith(id, "unique_id", id + "\u2028"));
        hostile.put("nul", pinWith(id, "title", "a\u0000b"));
        hostile.put("20 digits", TestPins.pin(id, 1, "x").replaceFirst("\"index\":\\d+", "\"index\":12345678901234567890")
                .getBytes(StandardCharsets.UTF_8));
        hostile.put("1 MB", pinWith(id, "unique_id", "a".repeat(1_000_000)));
        hostile.put("null", null);
        Map<String, String> reasons = Map.of(
                "invalid utf-8", PinColumns.NOT_UTF8, "not json", PinColumns.NOT_JSON_OBJECT,
                "array", PinColumns.NOT_JSON_OBJECT, "u+2028", "unique_id: not a UUID", "nul", "title: contains U+0000",
                "20 digits", PinColumns.INDEX_NOT_AN_INT, "1 MB", "unique_id: not a UUID", "null", PinColumns.NULL_VALUE);
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            Map<String, String> keyAt = new java.util.HashMap<>();
            for (Map.Entry<String, byte[]> record : hostile.entrySet()) {
                keyAt.put(kafka.sendBytes(record.getKey(), record.getValue()), record.getKey());
            }
            for (int i = 0; i < 3; i++) {
                kafka.send(ids.get(i), TestPins.pin(ids.get(i), i, "good pin " + i));
            }
            StreamArgs args = args(stack, kafka);
            StreamingQuery query = StreamJob.start(SharedSpark.session(), args);
            String queryId = query.id().toString();
            try {
                await().atMost(WAIT).until(() -> TestDb.countPins(stack, ids.subList(0, 3)) == 3);
                await().atMost(WAIT).until(() -> TestDb.rejected(stack, kafka.topic).size() == hostile.size());
                assertThat(query.isActive()).isTrue();
            } finally {
                query.stop();
            }
            StreamingQuery again = StreamJob.start(SharedSpark.session(), args);
            assertThat(again.id().toString()).isEqualTo(queryId);
            try {
                for (int i = 3; i < 6; i++) {
                    kafka.send(ids.get(i), TestPins.pin(ids.get(i), i, "good pin " + i));
                }
                await().atMost(WAIT).until(() -> TestDb.countPins(stack, ids) == 6);
                await().atMost(WAIT).until(() -> TestDb.sumRead(TestDb.runs(stack, queryId)) == hostile.size() + 6);
                assertThat(again.isActive()).isTrue();
            } finally {
                again.stop();
            }

            List<TestDb.Rejected> rejected = TestDb.rejected(stack, kafka.topic);
            assertThat(rejected).hasSize(hostile.size());
            assertThat(rejected).extracting(r -> keyAt.get(r.partition() + "/" + r.offset()))
                    .containsExactlyInAnyOrderElementsOf(hostile.keySet());
            for (TestDb.Rejected r : rejected) {
                String key = keyAt.get(r.partition() + "/" + r.offset());
                assertThat(r.source()).isEqualTo(RejectedPins.kafkaSource(kafka.topic, r.partition(), r.offset()));
                byte[] value = hostile.get(key);
                assertThat(r.reason()).as(key).isNotBlank();
                if (reasons.containsKey(key)) {
                    assertThat(r.reason()).as(key).isEqualTo(reasons.get(key));
                }
                assertThat(r.runId()).isEqualTo(queryId);
                assertThat(r.rawLength()).as(key).isEqualTo(value == null ? 0 : value.length);
                assertThat(r.rawValue()).as(key).isEqualTo(value == null ? new byte[0]
                        : Arrays.copyOf(value, Math.min(value.length, RejectedPins.MAX_RAW_BYTES)));
            }
            List<TestDb.Run> runs = TestDb.runs(stack, queryId);
            assertThat(runs).allSatisfy(run -> assertThat(run.rowsRead()).isEqualTo(run.rowsWritten() + run.rowsRejected()));
            assertThat(TestDb.sumRead(runs)).isEqualTo(hostile.size() + 6);
            assertThat(TestDb.sumRejected(runs)).isEqualTo(hostile.size());
            assertThat(TestDb.countPins(stack, ids)).isEqualTo(6);
        }
    }

    /**
     * A row PostgreSQL refuses though every reason let it through (here: a CHECK constraint added for
     * the test, standing for any data error nobody enumerated): the micro-batch is written in halves,
     * the refused row quarantined with PostgreSQL's message, the others written, the query stays up.
     */
    @Test
    void aRowPostgresRefusesIsQuarantinedAndTheRestWritten(LocalStack stack) throws Exception {
        List<String> ids = TestPins.ids(4);
        TestDb.execute(stack, "ALTER TABLE pins_stream ADD CONSTRAINT refuse_for_test CHECK (title IS DISTINCT FROM 'refuse me') NOT VALID");
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            for (int i = 0; i < ids.size(); i++) {
                kafka.send(ids.get(i), TestPins.pin(ids.get(i), i, i == 2 ? "refuse me" : "pin " + i));
            }
            MetricRegistry metrics = SharedSpark.metrics().metricRegistry();
            long written = metrics.counter(StreamMetrics.ROWS_WRITTEN).getCount();
            long rejected = metrics.counter(StreamMetrics.ROWS_REJECTED).getCount();
            long latencies = metrics.histogram(StreamMetrics.ACK_TO_ROW_MS).getCount();
            StreamingQuery query = StreamJob.start(SharedSpark.session(), args(stack, kafka));
            try {
                await().atMost(WAIT).until(() -> TestDb.rejected(stack, kafka.topic).size() == 1);
                await().atMost(WAIT).until(() -> TestDb.countPins(stack, ids) == 3);
                await().atMost(WAIT).until(() -> TestDb.sumRead(TestDb.runs(stack, query.id().toString())) == 4);
                assertThat(query.isActive()).isTrue();
            } finally {
                query.stop();
            }
            // the tasks' commits reached the driver's metrics: the refused row as rejected, with no latency (a partition
            // the first attempt committed is written again by the careful one, and counted again)
            await().atMost(WAIT).until(() -> metrics.counter(StreamMetrics.ROWS_REJECTED).getCount() - rejected == 1);
            assertThat(metrics.counter(StreamMetrics.ROWS_WRITTEN).getCount() - written).isGreaterThanOrEqualTo(3);
            assertThat(metrics.histogram(StreamMetrics.ACK_TO_ROW_MS).getCount() - latencies)
                    .isEqualTo(metrics.counter(StreamMetrics.ROWS_WRITTEN).getCount() - written);
            TestDb.Rejected refused = TestDb.rejected(stack, kafka.topic).get(0);
            assertThat(refused.reason()).contains("PostgreSQL refused the row", "refuse_for_test");
            assertThat(new String(refused.rawValue(), StandardCharsets.UTF_8)).contains(ids.get(2), "refuse me");
            List<TestDb.Run> runs = TestDb.runs(stack, query.id().toString());
            assertThat(runs).allSatisfy(run -> assertThat(run.rowsRead()).isEqualTo(run.rowsWritten() + run.rowsRejected()));
            assertThat(TestDb.sumRead(runs)).isEqualTo(4);
            assertThat(TestDb.sumRejected(runs)).isEqualTo(1);
        } finally {
            TestDb.execute(stack, "ALTER TABLE pins_stream DROP CONSTRAINT refuse_for_test");
        }
    }

    /** A pin of the sample's shape with one field set to {@code value}, as UTF-8 JSON. */
    private static byte[] pinWith(String id, String field, String value) throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode pin = (com.fasterxml.jackson.databind.node.ObjectNode) PinJson.parse(TestPins.pin(id, 1, "x"));
        pin.put(field, value);
        return PinJson.MAPPER.writeValueAsBytes(pin);
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

    /**
     * The executors' transactions commit micro-batch 2 but the driver dies before its ledger row
     * (simulated: the row is deleted, then the query fails): the restarted query finds no row, writes
     * the micro-batch again over the same rows and records it once. Every pin once, every record read
     * once in pipeline_runs.
     */
    @Test
    void crashBetweenTheTasksCommitsAndTheLedgerRowWritesEveryPinOnce(LocalStack stack) throws Exception {
        int count = 1200;
        List<String> ids = TestPins.ids(count);
        try (TestKafka kafka = TestKafka.newTopic(stack.kafkaBootstrap())) {
            StreamArgs args = args(stack, kafka, "--max-offsets-per-trigger", "300");
            Thread producer = producer(kafka, ids, 1000);
            AtomicBoolean crashed = new AtomicBoolean();
            AtomicReference<String> runId = new AtomicReference<>();
            StreamingQuery first = StreamJob.start(SharedSpark.session(), args,
                    writer -> (VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> {
                        writer.call(batch, batchId);
                        if (batchId == 2 && crashed.compareAndSet(false, true)) {
                            TestDb.execute(stack, "DELETE FROM pipeline_runs WHERE job = 'stream' AND run_id = '"
                                    + runId.get() + "' AND batch_id = 2");
                            throw new IllegalStateException("simulated crash between the tasks' commits and the ledger row");
                        }
                    });
            runId.set(first.id().toString());
            producer.start();
            assertThatThrownBy(() -> first.awaitTermination(WAIT.toMillis())).isInstanceOf(StreamingQueryException.class);

            StreamingQuery second = StreamJob.start(SharedSpark.session(), args);
            try {
                producer.join(WAIT.toMillis());
                await().atMost(WAIT).until(() -> TestDb.sumRead(TestDb.runs(stack, runId.get())) >= count);
            } finally {
                second.stop();
            }
            assertThat(TestDb.countPins(stack, ids)).isEqualTo(count);
            List<TestDb.Run> runs = TestDb.runs(stack, runId.get());
            assertThat(TestDb.sumRead(runs)).isEqualTo(count);
            assertThat(runs.stream().mapToLong(TestDb.Run::batchId))
                    .containsExactlyElementsOf(LongStream.range(0, runs.size()).boxed().toList());
            assertThat(batchLines(args)).anySatisfy(line -> {
                assertThat(line.get("batchId").asLong()).isEqualTo(2);
                assertThat(line.get("replay").asBoolean()).isFalse();
                assertThat(line.get("rowsRead").asLong()).isPositive();
            }).noneSatisfy(line -> assertThat(line.get("replay").asBoolean()).isTrue());
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
        return args(stack, kafka, Map.of(), more);
    }

    /** @param env variables beside the stack's */
    private StreamArgs args(LocalStack stack, TestKafka kafka, Map<String, String> env, String... more) {
        List<String> argv = new java.util.ArrayList<>(List.of(
                "--mode", "micro-batch",
                "--kafka-bootstrap", stack.kafkaBootstrap(),
                "--topic", kafka.topic,
                "--checkpoint", dir.resolve("checkpoint").toString(),
                "--trigger", "200ms",
                "--jdbc-url", stack.jdbcUrl(),
                "--metrics-file", dir.resolve("metrics.ndjson").toString()));
        argv.addAll(List.of(more));
        Map<String, String> all = new java.util.HashMap<>(stack.env());
        all.putAll(env);
        return StreamArgs.parse(argv.toArray(String[]::new), all);
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
