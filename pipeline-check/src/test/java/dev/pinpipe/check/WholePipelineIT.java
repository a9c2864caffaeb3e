package dev.pinpipe.check;

import static dev.pinpipe.check.PipelineHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.SamplePins;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline as a user runs it: every process started by {@code ./pinpipe up} (stack, ingest
 * API, archiver, stream job), pins posted by the emulator through both API forms, the batch job run by
 * {@code ./pinpipe batch}. Then the archive, {@code pins_stream} and {@code pins_batch} must each hold
 * every acknowledged pin exactly once, and the shared sample must be cleaned exactly as expected.
 */
class WholePipelineIT {

    private static final List<String> SERVICES = List.of("stack", "ingest-api", "batch-consumer", "stream-job");

    @Test
    void acknowledgedPinsReachTheArchiveAndBothTablesExactlyOnce() throws Exception {
        Map<String, String> vars = PipelineHarness.freshEnvironment("whole-pipeline");
        Launcher launcher = PipelineHarness.launcher(vars);
        PipelineEnv env = PipelineEnv.from(launcher.env());
        try {
            launcher.require(minutes(15), "up");

            // poison first: the stream's census is taken once every acknowledged pin is in pins_stream, and only
            // records produced before the last pin are sure to be in a micro-batch by then (its rejected count)
            List<String> poison = List.of("not json", "{\"index\": 1, \"category\": \"art\"}",
                    "{\"index\": \"seven\", \"unique_id\": \"c5521660-f3a3-4571-b476-189975a3adb3\", \"category\": 5}");
            PipelineHarness.producePoison(env, poison);
            launcher.require(minutes(3), "emulate", "--from", PipelineHarness.SAMPLE.toString(),
                    "--ids-out", PipelineHarness.ids(launcher, "sample").toString());
            launcher.require(minutes(5), "emulate", "--count", "2000", "--batch-size", "250", "--concurrency", "4",
                    "--seed", "7", "--ids-out", PipelineHarness.ids(launcher, "batched").toString());
            launcher.require(minutes(5), "emulate", "--count", "1000", "--concurrency", "8", "--seed", "8",
                    "--ids-out", PipelineHarness.ids(launcher, "single").toString());

            SentPins sent = SentPins.read(PipelineHarness.ids(launcher, "sample"), PipelineHarness.ids(launcher, "batched"),
                    PipelineHarness.ids(launcher, "single"));
            assertThat(sent.rejected()).isEmpty();
            assertThat(sent.inDoubt()).isEmpty();
            assertThat(sent.acked()).hasSize(SamplePins.rawLines().size() + 3000);

            ArchiveCensus archive = Drain.archive(env, sent.acked(), minutes(3)).census();
            TableCensus stream = Drain.table(env, "pins_stream", "stream", sent.acked(), minutes(3)).census();
            for (String date : archive.dates()) {
                launcher.require(minutes(10), "batch", "--date", date);
            }
            TableCensus batch = TableCensus.take(env, "pins_batch", "batch");
            ArchiveCensus finalArchive = ArchiveCensus.take(env);
            Reconciliation r = Reconciliation.of("whole pipeline", sent.sent(), sent.acked(), finalArchive, stream, batch);
            System.out.println(r.line());

            // archive: one line per acknowledged pin, nothing else (poison went to the DLT)
            assertThat(finalArchive.lines()).isEqualTo(sent.acked().size());
            assertThat(finalArchive.perPin().keySet()).isEqualTo(sent.acked());
            assertThat(finalArchive.doubledRecords()).isZero();
            assertThat(TopicCensus.take(env).deadLetters()).isEqualTo(poison.size());
            // both tables: exactly the acknowledged pins
            assertThat(stream.ids()).isEqualTo(sent.acked());
            assertThat(batch.ids()).isEqualTo(sent.acked());
            assertThat(r.exact()).as(r.line()).isTrue();

            // the shared sample, column by column, in both layers
            Map<String, Map<String, Object>> expected = SamplePins.expectedById();
            for (String table : List.of("pins_stream", "pins_batch")) {
                Map<String, Map<String, Object>> rows = PipelineHarness.rows(env, table, expected.keySet());
                assertThat(rows.keySet()).as(table).isEqualTo(expected.keySet());
                for (var e : expected.entrySet()) {
                    for (String column : SamplePins.EXPECTED_COLUMNS) {
                        assertThat(rows.get(e.getKey()).get(column)).as("%s.%s of %s", table, column, e.getKey())
                                .isEqualTo(e.getValue().get(column));
                    }
                }
            }

            // pipeline_runs adds up: everything read was written or rejected, each pin written once
            assertThat(batch.runRowsRead()).isEqualTo(batch.runRowsWritten() + batch.runRowsRejected());
            assertThat(batch.runRowsWritten()).isEqualTo(sent.acked().size());
            assertThat(stream.runRowsRead()).isEqualTo(stream.runRowsWritten() + stream.runRowsRejected());
            assertThat(stream.runRowsWritten()).isEqualTo(sent.acked().size());
            assertThat(stream.runRowsRejected()).isEqualTo(poison.size());
        } finally {
            launcher.run(minutes(3), "down");
        }
        PipelineHarness.assertNothingLeft(launcher, SERVICES);
    }
}
