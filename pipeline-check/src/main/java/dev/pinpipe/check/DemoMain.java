package dev.pinpipe.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.PinJson;
import dev.pinpipe.core.config.Settings;
import dev.pinpipe.report.HtmlReport;
import dev.pinpipe.report.ReportMain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./pinpipe demo}: the whole pipeline on the embedded stack, as a new user meets it. Starts
 * everything through the launcher, posts pins with the user emulator, waits until the archive and
 * both tables hold every acknowledged pin, and reports, also as the HTML page of {@code ./pinpipe report}.
 * Exit 0 only when each acknowledged pin is in the archive once and in both tables once, and the page
 * was written.
 */
@Command(name = "pinpipe demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the whole pipeline end to end on the embedded stack and reports what reached each layer.",
                "Starts the stack and services (./pinpipe up), posts pins (./pinpipe emulate), waits for the S3 archive",
                "and pins_stream, runs the batch job (./pinpipe batch) and checks pins_batch; then stops everything.",
                "--cluster does the same on the cluster mode: ./pinpipe up --cluster and ./pinpipe batch --cluster."})
public final class DemoMain implements Callable<Integer> {

    @Option(names = "--pins", defaultValue = "5000", description = "pins to post (default ${DEFAULT-VALUE})")
    int pins;

    @Option(names = "--cluster", description = "the cluster mode (docs/cluster.md): up --cluster (three brokers, a Spark"
            + " master and two workers, the stream job on them) and batch --cluster")
    boolean cluster;

    @Option(names = "--keep", description = "leave the stack and services running afterwards")
    boolean keep;

    @Option(names = "--concurrency", defaultValue = "16", description = "requests in flight (default ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--batch-size", defaultValue = "1", description = "pins per request; > 1 uses POST /pins (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--timeout", defaultValue = "PT3M", description = "how long each layer may take to catch up (ISO-8601, default ${DEFAULT-VALUE})")
    Duration timeout;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("pinpipe.root", ".")).toAbsolutePath().normalize();
        Launcher launcher = new Launcher(root, Map.of(), null);
        PipelineEnv env = PipelineEnv.from(launcher.env());
        StageClock clock = new StageClock();
        try {
            step("1/5 starting the local stack and the services (./pinpipe " + String.join(" ", verb("up")) + ")");
            launcher.require(Duration.ofMinutes(15), verb("up"));
            clock.mark("start stack + services");

            Path ids = launcher.home().resolve("demo").resolve("sent-" + System.currentTimeMillis() + ".txt");
            Files.createDirectories(ids.getParent());
            step("2/5 posting " + pins + " pins with the user emulator (dirty values included)");
            // a fresh seed each run, so a demo never re-posts an earlier demo's pins; the tables may hold an
            // earlier demo's rows, so the census counts only pins published from now on
            Instant posting = Instant.now().minusSeconds(1);
            launcher.run(Duration.ofMinutes(10), "emulate", "--count", Integer.toString(pins),
                    "--concurrency", Integer.toString(concurrency), "--batch-size", Integer.toString(batchSize),
                    "--seed", Long.toString(System.currentTimeMillis()), "--ids-out", ids.toString());
            SentPins sent = SentPins.read(ids);
            clock.mark("post " + pins + " pins");

            step("3/5 waiting for the S3 archive and pins_stream");
            Drain.Waited<ArchiveCensus> archive = Drain.archive(env, sent.acked(), timeout);
            clock.mark("archive (after the last ack)");
            Drain.Waited<TableCensus> stream = Drain.table(env, Settings.PINS_STREAM_TABLE, "stream", sent.acked(), timeout, posting);
            clock.mark("pins_stream (after the archive)");

            step("4/5 running the batch job for the archived days (./pinpipe " + String.join(" ", verb("batch")) + ")");
            List<String> dates = archive.census().dates().isEmpty()
                    ? List.of(LocalDate.now(ZoneOffset.UTC).toString()) : List.copyOf(archive.census().dates());
            for (String date : dates) {
                launcher.require(Duration.ofMinutes(10), verb("batch", "--date", date));
            }
            TableCensus batch = TableCensus.take(env, Settings.PINS_BATCH_TABLE, "batch", posting);
            clock.mark("batch job");

            step("5/5 report");
            ArchiveCensus finalArchive = ArchiveCensus.take(env);
            TopicCensus topic = TopicCensus.take(env);
            Reconciliation r = Reconciliation.of("demo", sent.sent(), sent.acked(), finalArchive, stream.census(), batch);
            HtmlReport.Written page = writePage(env, launcher.home().resolve("report").resolve("pinpipe-report.html"));
            clock.mark("report");
            printReport(env, sent, finalArchive, topic, r, clock, page);
            return r.exact() && page != null ? 0 : 1;
        } finally {
            if (keep) {
                System.out.println();
                System.out.println("Still running (--keep). Query:  ./pinpipe sql \"SELECT category, count(*) FROM pins_batch GROUP BY 1\"");
                System.out.println("                       or:  ./pinpipe psql      Status: ./pinpipe status      Stop: ./pinpipe down");
            } else {
                step("stopping everything (./pinpipe down; --keep leaves it running)");
                launcher.run(Duration.ofMinutes(3), "down");
            }
        }
    }

    /** The result views as {@code ./pinpipe report --html} writes them; null, the reason printed, when that failed. */
    private static HtmlReport.Written writePage(PipelineEnv env, Path file) {
        try (Connection c = DriverManager.getConnection(env.jdbcUrl(), env.dbUser(), env.dbPassword())) {
            return HtmlReport.write(c, ReportMain.RECENT_RUNS, file);
        } catch (SQLException | IOException e) {
            System.out.println("demo: the HTML report could not be written: " + e.getMessage());
            return null;
        }
    }

    private static void printReport(PipelineEnv env, SentPins sent, ArchiveCensus archive, TopicCensus topic,
            Reconciliation r, StageClock clock, HtmlReport.Written page) throws Exception {
        System.out.println();
        System.out.println("pins      sent " + (sent.acked().size() + sent.rejected().size() + sent.inDoubt().size())
                + "  acknowledged " + sent.acked().size() + "  rejected " + sent.rejected().size()
                + "  unanswered " + sent.inDoubt().size());
        System.out.println("kafka     " + env.topic() + " records " + topic.pinRecords() + "  dead letters (" + env.deadLetterTopic() + ") "
                + topic.deadLetters());
        System.out.println("archive   objects " + archive.objects() + "  lines " + archive.lines() + "  days " + archive.dates()
                + "  records archived twice " + archive.doubledRecords());
        System.out.println("tables    pins_stream " + r.streamRows() + " rows  pins_batch " + r.batchRows() + " rows");
        System.out.println("report    " + (page == null ? "not written (see above)" : page.describe()
                + String.format(Locale.ROOT, " in %.1f s: the result views with charts, for any browser", page.took().toNanos() / 1e9)));
        System.out.println();
        printSamples(env, archive);
        System.out.println();
        System.out.println("timings");
        clock.print();
        System.out.println();
        System.out.println(r.line());
    }

    /** A few cleaned rows beside their raw form, picked where the rules had something to clean. */
    private static void printSamples(PipelineEnv env, ArchiveCensus archive) throws Exception {
        List<String> ids = archive.rawById().entrySet().stream()
                .filter(e -> e.getValue().contains("Local save in") && (e.getValue().contains("User Info Error")
                        || e.getValue().contains("k\"") || e.getValue().contains("No Title Data Available")))
                .map(Map.Entry::getKey).sorted().limit(3).toList();
        System.out.printf("%-22s | %-40s | %s%n", "field", "raw (archive)", "clean (pins_batch)");
        try (Connection c = DriverManager.getConnection(env.jdbcUrl(), env.dbUser(), env.dbPassword());
                PreparedStatement ps = c.prepareStatement("SELECT title, follower_count, downloaded, tag_list, save_location"
                        + " FROM " + Settings.PINS_BATCH_TABLE + " WHERE unique_id = ?::uuid")) {
            for (String id : ids) {
                JsonNode raw = PinJson.parse(archive.rawById().get(id));
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    System.out.println("unique_id " + id);
                    for (String col : List.of("title", "follower_count", "downloaded", "tag_list", "save_location")) {
                        System.out.printf("  %-20s | %-40s | %s%n", col, abbreviate(String.valueOf(raw.get(col))),
                                abbreviate(String.valueOf(rs.getObject(col))));
                    }
                }
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** A launcher verb with its arguments, plus --cluster in the cluster mode. */
    private String[] verb(String name, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(name));
        if (cluster) {
            all.add("--cluster");
        }
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    private static void step(String what) {
        System.out.println("demo: " + what);
    }
}
