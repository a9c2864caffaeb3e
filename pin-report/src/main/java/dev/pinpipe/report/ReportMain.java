package dev.pinpipe.report;

import dev.pinpipe.core.config.CatalogueDefaults;
import dev.pinpipe.core.config.DatabaseOptions;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./pinpipe report}: the result views as a terminal summary, or with {@code --html} as one
 * self-contained page with charts. The database from the catalogue: PINPIPE_JDBC_URL, PINPIPE_DB_USER,
 * and the password from PINPIPE_DB_PASSWORD or the file PINPIPE_DB_PASSWORD_FILE names (never a flag).
 */
@Command(name = "pinpipe report", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 100,
        description = {"Summarises the result views (pins_serving, pins_per_category, pins_follower_buckets,",
                "pins_media_share, pins_layer_agreement, stream_latency_per_minute, pipeline_runs_latest, …) in the",
                "terminal, or writes them as one HTML page with charts that needs no network to view (--html).",
                "Password: PINPIPE_DB_PASSWORD or PINPIPE_DB_PASSWORD_FILE (a file holding it); never a flag."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:the report was printed or written", "1:the database could not be read or the file not written",
            "2:bad arguments or settings"})
public final class ReportMain implements Callable<Integer> {

    /** How many of pipeline_runs' newest rows the page lists unless told otherwise. */
    public static final int RECENT_RUNS = 20;

    @Option(names = "--html", paramLabel = "FILE", description = "write the HTML page to FILE instead of printing the summary")
    Path html;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "" + RECENT_RUNS,
            description = "how many of pipeline_runs' newest rows the page lists (default ${DEFAULT-VALUE})")
    int runs;

    @Mixin
    DatabaseOptions db;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    /** @param env where the settings are read (the password above all) */
    public ReportMain(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command with its defaults from {@code env}. */
    public static CommandLine commandLine(Map<String, String> env) {
        return new CommandLine(new ReportMain(env)).setDefaultValueProvider(new CatalogueDefaults(env));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String password;
        try {
            password = db.password(env);
        } catch (IllegalArgumentException e) {
            err.println("report: " + e.getMessage());
            return 2;
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), password)) {
            if (html == null) {
                out.print(TerminalSummary.render(ReportReader.read(c, runs)));
            } else {
                HtmlReport.Written written = HtmlReport.write(c, runs, html);
                out.printf(Locale.ROOT, "report: wrote %s in %.2f s%n", written.describe(), written.took().toNanos() / 1e9);
            }
            out.flush();
            return 0;
        } catch (SQLException e) {
            err.println("report: reading " + db.redactedUrl() + " as " + db.user() + " failed: " + e.getMessage());
            if ("42P01".equals(e.getSQLState())) {   // undefined table: a schema older than the views
                err.println("report: the views come with the newest migration: ./pinpipe migrate");
            }
            return 1;
        } catch (IOException e) {
            err.println("report: could not write " + html + ": " + e);
            return 1;
        }
    }
}
