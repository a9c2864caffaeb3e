package dev.pinpipe.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;

/**
 * {@code ./pinpipe report} over the real migrated schema holding {@link KnownPins}: the terminal summary's
 * numbers, and the HTML page opened from a file:// URL in Debian's headless Chromium, where every chart
 * must draw exactly the points the views hold, with no console error and nothing fetched.
 */
@ExtendWith(LocalStackExtension.class)
class ReportIT {

    private static final Path SCREENSHOT = Path.of("target", "report-screenshot.png");

    private static Map<String, String> env;
    private static ReportBrowser reportBrowser;
    private static ChromeDriver browser;

    @BeforeAll
    static void knownPins(LocalStack stack) throws Exception {
        env = stack.env();
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword())) {
            KnownPins.insert(c);
        }
    }

    @AfterAll
    static void quitBrowser() {
        if (reportBrowser != null) {
            reportBrowser.close();
        }
    }

    @Test
    void theTerminalSummaryShowsWhatTheViewsHold() {
        Run run = report();

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("pins_serving 300: 280 from pins_batch, 20 from pins_stream only")
                .contains("pins_batch 280 rows   pins_stream 270 rows")
                .contains("in both 250   only in batch 30   only in stream 20   cleaned columns differ 5")
                .contains("ack-to-row latency p50 950 ms   p99 1,400 ms   over 270 pins")
                .contains("categories (top 9 of 9)")
                .containsPattern("\\n  unknown +42 ")
                .containsPattern("\\n  image +210  +70\\.0 %")
                .containsPattern("\\n  batch +succeeded +285 +280 +5 +5  2026-11-27 10:50:40Z ")
                .containsPattern("\\n  stream +succeeded +11 +10 +1 +3  2026-11-27 10:27:00Z ");
    }

    @Test
    void theHtmlPageDrawsEveryChartInChromium() throws Exception {
        Path page = Path.of("target", "report-it.html").toAbsolutePath();
        Run run = report("--html", page.toString());
        assertThat(run.code()).as(run.err()).isZero();

        open(page);
        reportBrowser.screenshot(SCREENSHOT);
        assertThat(consoleErrors()).as("console errors").isEmpty();
        assertThat(browser.executeScript("return window.pinpipeCharts")).as("data points each chart drew")
                .isEqualTo(Map.of("categories", 9L, "followers", 7L, "ingest", 30L, "latency", 54L, "agreement", 4L, "media", 3L));
        for (String chart : List.of("categories", "followers", "ingest", "latency", "agreement", "media")) {
            WebElement svg = browser.findElement(By.cssSelector("#chart-" + chart + " svg"));
            assertThat(svg.getSize().getHeight()).as(chart + "'s svg height").isGreaterThan(100);
            assertThat(svg.findElements(By.cssSelector("path")).size()).as(chart + "'s drawn shapes").isGreaterThan(5);
        }
        assertThat(browser.findElements(By.cssSelector("#table-latest tbody tr"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#table-recent tbody tr"))).hasSize(20);
        assertThat(browser.findElement(By.id("chart-categories")).getText()).contains(KnownPins.HOSTILE_CATEGORY);
        assertThat(browser.executeScript("return window.pwned === undefined")).as("a category's markup stays text").isEqualTo(true);
        assertThat(browser.executeScript("return document.querySelectorAll('[src], link[href]').length")).as("elements that load")
                .isEqualTo(0L);
        assertThat(browser.executeScript("return performance.getEntriesByType('resource').length")).as("resources fetched")
                .isEqualTo(0L);
    }

    @Test
    void aPageOfNoRowsSaysSoWithoutAnError() throws Exception {
        Instant now = Instant.now();
        Report empty = new Report("jdbc:postgresql://127.0.0.1:5432/pinterest", now, new Report.Layers(0, 0, 0, 0),
                new Report.Agreement(0, 0, 0, 0), List.of(), List.of(), List.of(), List.of(), List.of(),
                new Report.Latency(0, null, null), List.of(), List.of());
        Path page = HtmlReport.write(empty, Path.of("target", "report-empty.html")).file();

        open(page);
        assertThat(consoleErrors()).as("console errors").isEmpty();
        assertThat(browser.executeScript("return window.pinpipeCharts")).as("data points each chart drew")
                .isEqualTo(Map.of("categories", 0L, "followers", 0L, "ingest", 0L, "latency", 0L, "agreement", 4L, "media", 0L));
        assertThat(browser.findElement(By.id("chart-ingest")).getText()).isEqualTo("No rows yet.");
        assertThat(browser.findElement(By.id("table-recent")).getText()).isEqualTo("No rows yet.");
    }

    private static void open(Path page) {
        if (reportBrowser == null) {
            reportBrowser = ReportBrowser.start();
            browser = reportBrowser.driver();
        }
        reportBrowser.open(page);
    }

    private static List<LogEntry> consoleErrors() {
        return reportBrowser.consoleErrors();
    }

    private static Run report(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ReportMain.commandLine(env).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    private record Run(int code, String out, String err) {
    }
}
