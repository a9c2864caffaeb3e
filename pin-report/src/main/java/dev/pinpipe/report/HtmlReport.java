package dev.pinpipe.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The report as one self-contained HTML page: the template, Apache ECharts and the page's script
 * inlined, the data as a JSON block. Viewing it loads nothing from the network.
 */
public final class HtmlReport {

    /** The webjar's version (pin-report/pom.xml); its common build holds line, bar, pie and the usual components. */
    static final String ECHARTS_VERSION = "5.3.1";
    static final String ECHARTS = "/META-INF/resources/webjars/echarts/" + ECHARTS_VERSION + "/dist/echarts.common.min.js";

    private static final Pattern PLACEHOLDER = Pattern.compile("@@([A-Z_]+)@@");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SimpleModule()
            .addSerializer(Instant.class, ToStringSerializer.instance)
            .addSerializer(Duration.class, new SecondsSerializer()));

    private HtmlReport() {
    }

    /** Reads the views through {@code c} and writes the page; {@link Written#took} counts both. */
    public static Written write(Connection c, int recentRuns, Path file) throws SQLException, IOException {
        long start = System.nanoTime();
        return write(ReportReader.read(c, recentRuns), file, start);
    }

    /** The page, written whole or not at all (a new file moved over the old one). */
    public static Written write(Report report, Path file) throws IOException {
        return write(report, file, System.nanoTime());
    }

    private static Written write(Report report, Path file, long start) throws IOException {
        byte[] page = render(report).getBytes(StandardCharsets.UTF_8);
        Path target = file.toAbsolutePath().normalize();
        Files.createDirectories(target.getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        try {
            Files.write(partial, page);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return new Written(target, page.length, Duration.ofNanos(System.nanoTime() - start));
    }

    public static String render(Report report) {
        Map<String, String> parts = Map.of(
                "ECHARTS_VERSION", ECHARTS_VERSION,
                "ECHARTS", inScript(resource(ECHARTS)),
                "DATA", json(report),
                "SCRIPT", inScript(resource("report.js")));
        Matcher m = PLACEHOLDER.matcher(resource("report.html"));
        StringBuilder page = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(page, Matcher.quoteReplacement(parts.get(m.group(1))));
        }
        return m.appendTail(page).toString();
    }

    /**
     * The report as JSON that can stand inside a script element: {@code <}, {@code >} and {@code &}
     * (only ever inside strings in JSON) as escapes, so a value such as {@code </script>} cannot end
     * the element; U+2028/U+2029 too, which older JavaScript refuses in a string.
     */
    static String json(Report report) {
        try {
            return JSON.writeValueAsString(report)
                    .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                    .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report could not be written as JSON", e);
        }
    }

    /** Script text whose {@code </script} would end the element early, written {@code <\/script} (the same in JavaScript). */
    private static String inScript(String script) {
        return script.replaceAll("(?i)</(script)", "<\\\\/$1");
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing from the classpath: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page on disk: where, its bytes and how long making it took. */
    public record Written(Path file, long bytes, Duration took) {

        /** "path (1.0 MB)" */
        public String describe() {
            return String.format(Locale.ROOT, "%s (%.1f MB)", file, bytes / 1e6);
        }
    }

    /** A duration as seconds with a fraction, what the page's script formats. */
    private static final class SecondsSerializer extends JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            gen.writeNumber(value.toMillis() / 1000.0);
        }
    }
}
