package dev.pinpipe.report;

import dev.pinpipe.report.Report.Category;
import dev.pinpipe.report.Report.FollowerBucket;
import dev.pinpipe.report.Report.LatestRun;
import dev.pinpipe.report.Report.Media;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Stream;

/** The report as plain text for a terminal: a few lines per view, the biggest groups first. */
public final class TerminalSummary {

    static final int TOP_CATEGORIES = 10;
    private static final int BAR_WIDTH = 30;
    private static final int MIN_NAME_WIDTH = 16;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private TerminalSummary() {
    }

    public static String render(Report r) {
        StringBuilder out = new StringBuilder();
        line(out, "pinpipe report of %s at %s", r.database(), time(r.generatedAt()));
        out.append('\n');
        line(out, "pins       pins_serving %s: %s from pins_batch, %s from pins_stream only",
                n(r.layers().serving()), n(r.layers().servingBatch()), n(r.layers().servingStream()));
        line(out, "tables     pins_batch %s rows   pins_stream %s rows", n(r.layers().batchRows()), n(r.layers().streamRows()));
        line(out, "agreement  in both %s   only in batch %s   only in stream %s   cleaned columns differ %s",
                n(r.agreement().inBoth()), n(r.agreement().onlyBatch()), n(r.agreement().onlyStream()), n(r.agreement().differ()));
        line(out, "stream     ack-to-row latency %s",
                r.streamLatency().pins() == 0 ? "(no rows in pins_stream)"
                        : "p50 " + ms(r.streamLatency().p50Ms()) + "   p99 " + ms(r.streamLatency().p99Ms())
                        + "   over " + n(r.streamLatency().pins()) + " pins");

        // one name column for the three lists, as wide as their longest name
        int width = Stream.of(r.categories().stream().map(Category::category), r.followerBuckets().stream().map(FollowerBucket::bucket),
                        r.media().stream().map(Media::mediaType))
                .flatMap(names -> names).mapToInt(String::length).max().orElse(0);
        String row = "  %-" + Math.max(MIN_NAME_WIDTH, width) + "s %9s  %s";
        long top = r.categories().stream().limit(TOP_CATEGORIES).mapToLong(Category::pins).max().orElse(0);
        section(out, "categories (top " + Math.min(TOP_CATEGORIES, r.categories().size()) + " of " + r.categories().size() + ")",
                r.categories().isEmpty());
        r.categories().stream().limit(TOP_CATEGORIES)
                .forEach(c -> line(out, row, c.category(), n(c.pins()), bar(c.pins(), top)));

        long most = r.followerBuckets().stream().mapToLong(FollowerBucket::pins).max().orElse(0);
        section(out, "follower buckets", r.followerBuckets().isEmpty());
        r.followerBuckets().forEach(b -> line(out, row, b.bucket(), n(b.pins()), bar(b.pins(), most)));

        section(out, "media", r.media().isEmpty());
        for (Media m : r.media()) {
            line(out, row, m.mediaType(), n(m.pins()), String.format(Locale.ROOT, "%5.1f %%", m.share() * 100));
        }

        section(out, "runs: each job's newest (pipeline_runs_latest)", r.latestRuns().isEmpty());
        if (!r.latestRuns().isEmpty()) {
            line(out, "  %-7s %-10s %9s %9s %9s %11s  %-20s %s", "job", "status", "read", "written", "rejected",
                    "quarantined", "finished", "lag");
        }
        for (LatestRun l : r.latestRuns()) {
            line(out, "  %-7s %-10s %9s %9s %9s %11s  %-20s %s", l.run().job(), l.run().status(), n(l.run().rowsRead()),
                    n(l.run().rowsWritten()), n(l.run().rowsRejected()), n(l.quarantined()),
                    l.run().finishedAt() == null ? "-" : time(l.run().finishedAt()), lag(l.lag()));
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String title, boolean empty) {
        out.append('\n').append(title).append(empty ? ": no rows yet" : "").append('\n');
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args).stripTrailing()).append('\n');
    }

    private static String n(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String ms(Double value) {
        return value == null ? "-" : String.format(Locale.ROOT, "%,.0f ms", value);
    }

    private static String time(Instant t) {
        return TIME.format(t);
    }

    /** A proportional bar, at least one block for any pin. */
    private static String bar(long value, long max) {
        if (max <= 0 || value <= 0) {
            return "";
        }
        return "█".repeat((int) Math.max(1, Math.round((double) value * BAR_WIDTH / max)));
    }

    static String lag(Duration lag) {
        if (lag == null) {
            return "- (no rows)";
        }
        long s = Math.max(0, lag.toSeconds());
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", lag.toMillis() / 1000.0);
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        if (s < 86400) {
            return (s / 3600) + " h " + (s % 3600) / 60 + " min";
        }
        return (s / 86400) + " d " + (s % 86400) / 3600 + " h";
    }
}
