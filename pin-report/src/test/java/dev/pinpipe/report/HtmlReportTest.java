package dev.pinpipe.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pinpipe.report.Report.Agreement;
import dev.pinpipe.report.Report.Category;
import dev.pinpipe.report.Report.Latency;
import dev.pinpipe.report.Report.LatestRun;
import dev.pinpipe.report.Report.Layers;
import dev.pinpipe.report.Report.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    private static final String HOSTILE = "</script><!--<script>alert(1)</SCRIPT >\u2028&amp;";
    private static final Instant AT = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void valuesCannotEndTheDataBlockAndComeBackUnchanged() throws Exception {
        String page = HtmlReport.render(report(HOSTILE));

        // the page's own three script elements close, nothing else does
        assertThat(Pattern.compile("(?i)</script").matcher(page).results().count()).isEqualTo(3);
        Matcher data = Pattern.compile("<script type=\"application/json\" id=\"pinpipe-data\">(.*?)</script>", Pattern.DOTALL).matcher(page);
        assertThat(data.find()).isTrue();
        assertThat(data.group(1)).doesNotContain("<", ">", "&", "\u2028");
        JsonNode json = new ObjectMapper().readTree(data.group(1));
        assertThat(json.at("/categories/0/category").asText()).isEqualTo(HOSTILE);
        assertThat(json.at("/generatedAt").asText()).isEqualTo("2026-11-27T10:00:00Z");
        assertThat(json.at("/latestRuns/0/lag").asDouble()).isEqualTo(90.5);
    }

    @Test
    void thePageCarriesEChartsAndItsScriptInline() {
        String page = HtmlReport.render(report("art"));

        assertThat(page).startsWith("<!DOCTYPE html>").doesNotContain("@@")
                .contains("Apache ECharts " + HtmlReport.ECHARTS_VERSION)
                .contains("window.pinpipeCharts = drawn")
                .hasSizeGreaterThan(500_000);
    }

    @Test
    void aLagReadsInTheLargestUnitsThatMatter() {
        assertThat(TerminalSummary.lag(null)).isEqualTo("- (no rows)");
        assertThat(TerminalSummary.lag(Duration.ofMillis(1_500))).isEqualTo("1.5 s");
        assertThat(TerminalSummary.lag(Duration.ofSeconds(125))).isEqualTo("2 min 5 s");
        assertThat(TerminalSummary.lag(Duration.ofMinutes(185))).isEqualTo("3 h 5 min");
        assertThat(TerminalSummary.lag(Duration.ofHours(50))).isEqualTo("2 d 2 h");
    }

    private static Report report(String category) {
        Run run = new Run("batch", "run-1", 0, "succeeded", 10, 9, 1, AT, AT.plusSeconds(5));
        return new Report("jdbc:postgresql://127.0.0.1:5432/pinterest", AT, new Layers(9, 9, 9, 0), new Agreement(9, 0, 0, 0),
                List.of(new Category(category, 9)), List.of(), List.of(), List.of(), List.of(), new Latency(0, null, null),
                List.of(new LatestRun(run, 1, Duration.ofMillis(90_500))), List.of(run));
    }
}
