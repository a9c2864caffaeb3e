package dev.pinpipe.check;

import static dev.pinpipe.check.PipelineHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.SamplePins;
import dev.pinpipe.core.config.Settings;
import dev.pinpipe.localstack.Listeners;
import dev.pinpipe.report.ReportBrowser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline as a user runs it: every process started by {@code ./pinpipe up} (stack, ingest
 * API, archiver, stream job), pins posted by the emulator through both API forms, the batch job run by
 * {@code ./pinpipe batch}. Then the archive, {@code pins_stream} and {@code pins_batch} must each hold
 * every acknowledged pin exactly once, and the shared sample must be cleaned exactly as expected.
 * Hostile input runs first: records that are not pins straight onto the topic (each must end in the
 * DLT and in {@code pins_rejected}, never stop a stage) and generated hostile requests to the API (no
 * 5xx; what it acknowledges must land like any pin), then ordinary pins must land within 10 s.
 *
 * <p>The whole run uses a topic other than the catalogue's default ({@code PINPIPE_TOPIC}, set for the
 * stack that creates it, every process {@code ./pinpipe} starts and the checks here; its DLT follows it):
 * a process that ignored the variable would publish or read elsewhere, pins would not arrive, and the
 * default topic would exist on the broker at the end.
 */
class WholePipelineIT {

    private static final List<String> SERVICES = List.of("stack", "ingest-api", "batch-consumer", "stream-job");
    private static final String TOPIC = "PinsUnderAnotherName";

    @Test
    void acknowledgedPinsReachTheArchiveAndBothTablesExactlyOnce() throws Exception {
        Map<String, String> vars = PipelineHarness.freshEnvironment("whole-pipeline");
        vars.put(Settings.TOPIC.variable(), TOPIC);
        Launcher launcher = PipelineHarness.launcher(vars);
        PipelineEnv env = PipelineEnv.from(launcher.env());
        assertThat(env.topic()).isEqualTo(TOPIC).isNotEqualTo(Settings.TOPIC.localDefault());
        try {
            launcher.require(minutes(15), "up");
            assertEverythingListensOnLoopback(launcher);

            // poison first: the stream's census is taken once every acknowledged pin is in pins_stream, and only
            // records produced before the last pin are sure to be in a micro-batch by then (its rejected count)
            List<byte[]> poison = PipelineHarness.hostileRecords();
            PipelineHarness.producePoison(env, poison);
            // then generated hostile requests to the API: never a 5xx, and what it acknowledges flows like any pin
            HostileTraffic hostile = HostileTraffic.post(env.apiUrl(), 400, 19);
            System.out.println(hostile.line());
            assertThat(hostile.serverErrors).as("5xx answers").isEmpty();
            assertThat(hostile.acked).as("some hostile pins are valid").isNotEmpty();
            // ordinary pins after the hostility land at once
            launcher.require(minutes(3), "emulate", "--count", "100", "--concurrency", "4", "--seed", "6",
                    "--ids-out", PipelineHarness.ids(launcher, "after-hostile").toString());
            SentPins afterHostile = SentPins.read(PipelineHarness.ids(launcher, "after-hostile"));
            assertThat(afterHostile.acked()).hasSize(100);
            double landed = Drain.table(env, Settings.PINS_STREAM_TABLE, "stream", afterHostile.acked(), minutes(2)).seconds();
            System.out.printf("ordinary pins posted after the hostile ones were all in pins_stream %.1f s later%n", landed);
            assertThat(landed).as("seconds until the ordinary pins were in pins_stream").isLessThan(10.0);
            launcher.require(minutes(3), "emulate", "--from", PipelineHarness.SAMPLE.toString(),
                    "--ids-out", PipelineHarness.ids(launcher, "sample").toString());
            launcher.require(minutes(5), "emulate", "--count", "2000", "--batch-size", "250", "--concurrency", "4",
                    "--seed", "7", "--ids-out", PipelineHarness.ids(launcher, "batched").toString());
            launcher.require(minutes(5), "emulate", "--count", "1000", "--concurrency", "8", "--seed", "8",
                    "--ids-out", PipelineHarness.ids(launcher, "single").toString());

            SentPins emulated = SentPins.read(PipelineHarness.ids(launcher, "sample"), PipelineHarness.ids(launcher, "batched"),
                    PipelineHarness.ids(launcher, "single"), PipelineHarness.ids(launcher, "after-hostile"));
            assertThat(emulated.rejected()).isEmpty();
            assertThat(emulated.inDoubt()).isEmpty();
            assertThat(emulated.acked()).hasSize(SamplePins.rawLines().size() + 3100);
            SentPins sent = emulated.plusAcked(hostile.acked);

            ArchiveCensus archive = Drain.archive(env, sent.acked(), minutes(3)).census();
            TableCensus stream = Drain.table(env, Settings.PINS_STREAM_TABLE, "stream", sent.acked(), minutes(3)).census();
            for (String date : archive.dates()) {
                launcher.require(minutes(10), "batch", "--date", date);
            }
            TableCensus batch = TableCensus.take(env, Settings.PINS_BATCH_TABLE, "batch");
            ArchiveCensus finalArchive = ArchiveCensus.take(env);
            Reconciliation r = Reconciliation.of("whole pipeline", sent.sent(), sent.acked(), finalArchive, stream, batch);
            System.out.println(r.line());

            // archive: one line per acknowledged pin, nothing else (poison went to the DLT)
            assertThat(finalArchive.lines()).isEqualTo(sent.acked().size());
            assertThat(finalArchive.perPin().keySet()).isEqualTo(sent.acked());
            assertThat(finalArchive.doubledRecords()).isZero();
            TopicCensus topics = TopicCensus.take(env);
            assertThat(topics.deadLetters()).isEqualTo(poison.size());
            // every record went through the topic the variable names; nothing ever touched the default one
            assertThat(topics.pinRecords()).isGreaterThanOrEqualTo(sent.acked().size() + poison.size());
            Set<String> onTheBroker = PipelineHarness.topics(env);
            assertThat(onTheBroker).as("topics on the broker").contains(env.topic(), env.deadLetterTopic())
                    .doesNotContain(Settings.TOPIC.localDefault());
            if (!env.deadLetterTopic().equals(Settings.DLT_TOPIC.localDefault())) {   // unless Maven's environment names it
                assertThat(onTheBroker).as("topics on the broker").doesNotContain(Settings.DLT_TOPIC.localDefault());
            }
            // both tables: exactly the acknowledged pins
            assertThat(stream.ids()).isEqualTo(sent.acked());
            assertThat(batch.ids()).isEqualTo(sent.acked());
            assertThat(r.exact()).as(r.line()).isTrue();

            // the shared sample, column by column, in both layers
            Map<String, Map<String, Object>> expected = SamplePins.expectedById();
            for (String table : List.of(Settings.PINS_STREAM_TABLE, Settings.PINS_BATCH_TABLE)) {
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
            // every record that is not a pin is quarantined once, with a reason; the archive held none
            assertThat(PipelineHarness.quarantined(env, "stream")).hasSize(poison.size()).allSatisfy(reason -> assertThat(reason).isNotBlank());
            assertThat(PipelineHarness.quarantined(env, "batch")).isEmpty();
            assertThat(batch.runRowsRejected()).isZero();
            // and no process stopped on the way
            for (String service : SERVICES) {
                assertThat(ProcessHandle.of(launcher.pid(service)).map(ProcessHandle::isAlive)).as("%s alive", service).contains(true);
            }
            // what the run produced, as people see it: ./pinpipe report's page, every chart drawn in Chromium
            Path page = launcher.home().resolve("whole-pipeline-report.html");
            launcher.require(minutes(2), "report", "--html", page.toString());
            try (ReportBrowser browser = ReportBrowser.start()) {
                browser.open(page);
                browser.screenshot(Path.of("target", "whole-pipeline-report.png"));
                assertThat(browser.consoleErrors()).as("console errors").isEmpty();
                assertThat(ReportBrowser.everyChartHasData(browser.chartPoints())).as("every chart has data: %s",
                        browser.chartPoints()).isTrue();
            }
        } finally {
            launcher.run(minutes(3), "down");
        }
        PipelineHarness.assertNothingLeft(launcher, SERVICES);
    }

    /** Closed by default: every socket the processes of {@code ./pinpipe up} (and their children) listen on is loopback. */
    private static void assertEverythingListensOnLoopback(Launcher launcher) {
        List<ProcessHandle> processes = SERVICES.stream()
                .map(launcher::pid)
                .map(ProcessHandle::of)
                .flatMap(java.util.Optional::stream)
                .toList();
        assertThat(processes).as("running processes of ./pinpipe up").hasSize(SERVICES.size());
        List<Listeners.Listener> listeners = Listeners.of(processes);
        listeners.forEach(l -> System.out.println("listening: " + l));
        assertThat(listeners).as("listeners").hasSizeGreaterThanOrEqualTo(7);   // API, archiver, both management ports, Kafka, S3, PostgreSQL, …
        assertThat(listeners).as("listeners beyond loopback").allMatch(Listeners.Listener::loopback);
    }
}
