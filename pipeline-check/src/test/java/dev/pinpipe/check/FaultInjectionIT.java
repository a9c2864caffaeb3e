package dev.pinpipe.check;

import static dev.pinpipe.check.PipelineHarness.minutes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.config.Settings;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Crashes under load, and nothing lost, nothing doubled. The services run as separate processes
 * started by {@code ./pinpipe up}; the stack runs under the local-stack extension so its servers (each
 * a process of its own) can be killed, stopped and started. A steady emulator load (50 pins/s, enough to have requests in flight at every crash) runs through each scenario; afterwards the load stops,
 * the pipeline drains, and every acknowledged pin must be in the archive exactly once (no Kafka record
 * archived twice) and in {@code pins_stream} exactly once, with no row for a pin never sent.
 */
@ExtendWith(LocalStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    private static final List<String> SERVICES = List.of("ingest-api", "batch-consumer", "stream-job");
    private static final int KILL_CYCLES = Integer.getInteger("pinpipe.faults.cycles", 10);
    private static final int SERVER_KILLS_EACH = Integer.getInteger("pinpipe.faults.server-kills", 3);

    private static Launcher launcher;
    private static PipelineEnv env;
    private static final List<Path> loads = new ArrayList<>();
    private static final Random random = new Random(Long.getLong("pinpipe.faults.seed", 42));

    @BeforeAll
    static void startServices(LocalStack stack) {
        Map<String, String> vars = new LinkedHashMap<>(PipelineHarness.freshEnvironment("fault-injection"));
        vars.putAll(stack.env());
        launcher = PipelineHarness.launcher(vars);
        env = PipelineEnv.from(launcher.env());
        launcher.require(minutes(15), "up", "ingest-api", "batch-consumer", "stream-job");
    }

    @AfterAll
    static void stopServices() {
        if (launcher != null) {
            launcher.run(minutes(3), "down");
            PipelineHarness.assertNothingLeft(launcher, SERVICES);
        }
    }

    @Test
    @Order(1)
    void killingServicesAtRandomLosesAndDoublesNothing() throws Exception {
        Process load = startLoad("kills");
        int cycles = 0;
        while (cycles < KILL_CYCLES) {
            Thread.sleep(2000 + random.nextInt(4000));
            String victim = SERVICES.get(random.nextInt(SERVICES.size()));
            launcher.kill9(victim);
            launcher.require(minutes(5), "up", victim);
            cycles++;
            System.out.println("fault cycle " + cycles + ": kill -9 " + victim + ", restarted");
        }
        stopLoad(load);
        reconcile("kill -9 x" + cycles + " (api/archiver/stream)", false);
    }

    /**
     * kill -9 of PostgreSQL, the S3 server and the broker, {@value #SERVER_KILLS_EACH} times each in a
     * seeded random order at seeded random moments, each restarted after a short random outage. Then every
     * layer is reconciled, the batch table included (the batch job reads the archive the crashes wrote).
     */
    @Test
    @Order(2)
    void killingServersAtRandomLosesAndDoublesNothing(LocalStack stack) throws Exception {
        Map<String, Runnable[]> servers = Map.of(
                "postgres", new Runnable[] {stack::killPostgres, stack::startPostgres},
                "s3", new Runnable[] {stack::killS3, stack::startS3},
                "kafka", new Runnable[] {stack::killKafka, stack::startKafka});
        List<String> victims = new ArrayList<>();
        for (int i = 0; i < SERVER_KILLS_EACH; i++) {
            victims.addAll(List.of("postgres", "s3", "kafka"));
        }
        Collections.shuffle(victims, random);
        Process load = startLoad("server-kills");
        int cycle = 0;
        for (String victim : victims) {
            Thread.sleep(2000 + random.nextInt(3000));
            servers.get(victim)[0].run();
            long down = random.nextInt(2000);
            Thread.sleep(down);
            long t0 = System.nanoTime();
            servers.get(victim)[1].run();
            System.out.printf("server crash %d: kill -9 %s, down %d ms, restarted in %.1f s%n",
                    ++cycle, victim, down, (System.nanoTime() - t0) / 1e9);
        }
        Thread.sleep(3000);
        stopLoad(load);
        reconcile("server kill -9 x" + cycle + " (pg/s3/kafka)", true);
    }

    @Test
    @Order(3)
    void postgresDownForTwentySecondsUnderLoad(LocalStack stack) throws Exception {
        outageUnderLoad("postgres-down", "postgres down 20 s", stack::stopPostgres, stack::startPostgres);
    }

    @Test
    @Order(4)
    void s3DownForTwentySecondsUnderLoad(LocalStack stack) throws Exception {
        outageUnderLoad("s3-down", "s3 down 20 s", stack::stopS3, stack::startS3);
    }

    /** One server stopped for 20 s in the middle of a steady load, then the usual reconciliation. */
    private void outageUnderLoad(String load, String scenario, Runnable stop, Runnable start) throws Exception {
        Process emulator = startLoad(load);
        Thread.sleep(3000);
        stop.run();
        Thread.sleep(20_000);
        start.run();
        Thread.sleep(3000);
        stopLoad(emulator);
        reconcile(scenario, false);
    }

    /** A steady load until stopped: the emulator retries what a dead API did not answer. */
    private Process startLoad(String name) {
        Path ids = PipelineHarness.ids(launcher, name);
        loads.add(ids);
        return launcher.start("emulate", "--duration", "10m", "--rate", "50", "--concurrency", "8",
                "--max-retries", "200", "--seed", Integer.toString(loads.size() * 1000 + 1), "--ids-out", ids.toString());
    }

    /** SIGTERM: the emulator stops starting requests, finishes those in flight and writes its ids. */
    private static void stopLoad(Process load) throws InterruptedException {
        load.destroy();
        assertThat(load.waitFor(3, TimeUnit.MINUTES)).as("emulator stopped").isTrue();
    }

    /** Every load so far against the archive and pins_stream; with {@code batch}, the batch job runs each archived day first. */
    private void reconcile(String scenario, boolean batch) {
        SentPins sent = SentPins.read(loads.toArray(Path[]::new));
        assertThat(sent.acked()).as("the load was acknowledged at all").isNotEmpty();
        ArchiveCensus archive = Drain.archive(env, sent.acked(), minutes(4)).census();
        TableCensus stream = Drain.table(env, Settings.PINS_STREAM_TABLE, "stream", sent.acked(), minutes(4)).census();
        TableCensus batchTable = null;
        if (batch) {
            for (String date : archive.dates()) {
                launcher.require(minutes(10), "batch", "--date", date);
            }
            batchTable = TableCensus.take(env, Settings.PINS_BATCH_TABLE, "batch");
        }
        Reconciliation r = Reconciliation.of(scenario, sent.sent(), sent.acked(), ArchiveCensus.take(env), stream, batchTable);
        System.out.println("FAULTS " + r.line() + " in_doubt=" + sent.inDoubt().size());
        assertThat(r.lost()).as(r.line()).isZero();
        assertThat(r.doubled()).as(r.line()).isZero();
    }

}
