package dev.pinpipe.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The report page in Debian's headless Chromium, through its chromedriver, both named so that Selenium
 * Manager downloads nothing. Shared with the end-to-end test that opens the page of a whole pipeline run.
 */
public final class ReportBrowser implements AutoCloseable {

    private static final Path CHROMIUM = Path.of(System.getProperty("pinpipe.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("pinpipe.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;

    private ReportBrowser(ChromeDriver driver) {
        this.driver = driver;
    }

    public static ReportBrowser start() {
        assertThat(CHROMIUM).as("chromium (apt-get install chromium chromium-driver; ./pinpipe test installs it)").isExecutable();
        assertThat(CHROMEDRIVER).as("chromedriver (apt-get install chromium-driver)").isExecutable();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,2400");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
        return new ReportBrowser(new ChromeDriver(service, options));
    }

    /** Opens the page; returns once it has loaded, so its scripts, which draw synchronously, have run. */
    public void open(Path page) {
        driver.get(page.toAbsolutePath().toUri().toString());
    }

    /** The console's errors since the last call. */
    public List<LogEntry> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).toList();
    }

    /** The points each chart drew, as the page reports them in {@code window.pinpipeCharts}. */
    public Object chartPoints() {
        return driver.executeScript("return window.pinpipeCharts");
    }

    public void screenshot(Path file) throws IOException {
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }

    public ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.quit();
    }

    /** The charts the page draws, each by the name {@code window.pinpipeCharts} gives it. */
    public static final List<String> CHARTS = List.of("categories", "followers", "ingest", "latency", "agreement", "media");

    /** True when every chart drew at least one point. */
    public static boolean everyChartHasData(Object points) {
        return points instanceof Map<?, ?> map && CHARTS.stream()
                .allMatch(c -> map.get(c) instanceof Number n && n.longValue() > 0);
    }
}
