package dev.pinpipe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.localstack.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Fuzzes the HTTP API from its own OpenAPI document ({@code /v3/api-docs}) with schemathesis (the
 * pinned venv the build creates, {@code bin/schemathesis-venv.sh}): valid and invalid pins and batches,
 * at least {@value #MIN_CASES} requests against the real app and broker, and not one may be answered 5xx.
 */
@ExtendWith(LocalStackExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"pinpipe.ingest.max-batch-pins=20", "pinpipe.ingest.max-batch-body-size=256KB"})
@Import(StatusCount.class)
class OpenApiFuzzIT {

    static final int MIN_CASES = 5_000;
    /**
     * Fuzzing-phase cases per operation (/pin and /pin/, /pins and /pins/), split so both runs take about
     * as long (a batch costs schemathesis twice a pin's time); with the coverage phase's cases over 5 000.
     */
    static final Map<String, Integer> EXAMPLES_PER_OPERATION = Map.of("pin", 1_650, "pins", 800);
    static final long TIME_LIMIT_SECONDS = 240;

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> LocalStackExtension.stack().kafkaBootstrap());
    }

    @LocalServerPort
    int port;

    @Test
    void noGeneratedRequestIsAnsweredWithAServerError() throws Exception {
        Path venv = Path.of(System.getProperty("pinpipe.schemathesis.venv",
                Path.of("..", ".pinpipe", "schemathesis-venv").toString()));
        Path schemathesis = venv.resolve("bin").resolve("schemathesis");
        assertThat(schemathesis).as("run ingest-api/bin/schemathesis-venv.sh (the build's pre-integration-test does)").isExecutable();
        Path out = Files.createDirectories(Path.of("target", "schemathesis"));
        long seed = Long.getLong("pinpipe.fuzz.seed", System.currentTimeMillis() % 1_000_000);
        StatusCount.reset();
        long started = System.nanoTime();
        // two single-worker runs side by side, one per endpoint: schemathesis's worker threads trip a
        // CPython 3.11 race in the ast module (hypothesis parses lambdas' source while describing a strategy)
        Map<String, Process> runs = new LinkedHashMap<>();
        for (String endpoint : List.of("pin", "pins")) {
            runs.put(endpoint, new ProcessBuilder(schemathesis.toString(), "run", "http://127.0.0.1:" + port + "/v3/api-docs",
                    "--include-path-regex", "^/" + endpoint + "/?$",
                    "--checks", "not_a_server_error",
                    "--max-examples", Integer.toString(EXAMPLES_PER_OPERATION.get(endpoint)),
                    "--workers", "1",
                    "--seed", Long.toString(seed),
                    "--request-timeout", "30",
                    "--generation-database", "none",
                    "--no-color",
                    "--report", "junit", "--report-junit-path", out.resolve(endpoint + ".junit.xml").toString())
                    .redirectErrorStream(true).redirectOutput(out.resolve(endpoint + ".log").toFile()).start());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIME_LIMIT_SECONDS);
        int generated = 0;
        Map<String, Integer> exits = new LinkedHashMap<>();
        for (Map.Entry<String, Process> run : runs.entrySet()) {
            Process process = run.getValue();
            if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            exits.put(run.getKey(), process.isAlive() ? null : process.exitValue());
            String output = Files.readString(out.resolve(run.getKey() + ".log"), StandardCharsets.UTF_8);
            System.out.println(output);
            generated += generatedCases(output);
        }
        System.out.printf("schemathesis (seed %d): %d cases generated; the server answered %d requests: %d 4xx, %d 5xx; "
                        + "in %d s; exit codes %s%n", seed, generated, StatusCount.ALL.get(), StatusCount.CLIENT_ERRORS.get(),
                StatusCount.SERVER_ERRORS.get(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), exits);

        assertThat(StatusCount.SERVER_ERRORS.get()).as("5xx answers").isZero();
        assertThat(exits).as("schemathesis exit codes: 0 = no failure, within " + TIME_LIMIT_SECONDS + " s (logs in " + out + ")")
                .containsOnly(Map.entry("pin", 0), Map.entry("pins", 0));
        assertThat(generated).as("cases schemathesis generated").isGreaterThanOrEqualTo(MIN_CASES);
    }

    /** The "N generated" figure of a schemathesis summary (0 if it prints none). */
    private static int generatedCases(String output) {
        Matcher m = Pattern.compile("(\\d+) generated").matcher(output);
        int last = 0;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }
}
