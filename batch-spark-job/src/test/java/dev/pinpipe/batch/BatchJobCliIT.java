package dev.pinpipe.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pinpipe.core.SamplePins;
import dev.pinpipe.localstack.LocalStack;
import dev.pinpipe.localstack.LocalStackExtension;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged job as a user starts it ({@code ./pinpipe batch}): a fresh JVM on the thin jar plus
 * {@code target/classpath.txt}, configured only through the PINPIPE_* environment.
 */
@ExtendWith(LocalStackExtension.class)
class BatchJobCliIT {

    private static final long TIMEOUT_SECONDS = 300;

    private record Outcome(int exit, String out, String err) {
    }

    @Test
    void helpAndBadArgumentsNeedNoSpark(LocalStack stack) throws Exception {
        Outcome help = launch(stack, "help", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: BatchJob", "--date", "--from", "--to");

        Outcome bad = launch(stack, "bad", "--date", "yesterday");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("BatchJob: Invalid value for option '--date': expects YYYY-MM-DD, got 'yesterday'");
    }

    @Test
    void runsADayFromTheEnvironmentAlone(LocalStack stack) throws Exception {
        LocalDate day = LocalDate.parse("2026-09-09");
        try (ArchiveFixture archive = new ArchiveFixture(stack.s3Endpoint(), stack.s3Region(), stack.s3AccessKey(),
                stack.s3SecretKey(), stack.bucket())) {
            archive.archive("pins", day, SamplePins.rawLines(), 3, 7, 10, Instant.parse("2026-09-09T12:00:00Z").toEpochMilli());
        }
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
             Statement st = c.createStatement()) {
            st.execute("TRUNCATE pins_batch");
        }

        Outcome run = launch(stack, "day", "--date", day.toString(), "--master", "local[2]");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("dt=2026-09-09: read=24 written=24 rejected=0", "succeeded");
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), min(kafka_offset) FROM pins_batch")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(24);
            assertThat(rs.getLong(2)).isEqualTo(7L);
        }
    }

    private static Outcome launch(LocalStack stack, String name, String... args)
            throws IOException, InterruptedException, SQLException {
        Path jar = Path.of(System.getProperty("batch.jar"));
        String classpath = Files.readString(Path.of(System.getProperty("batch.classpath.file"))).strip();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(Arrays.asList(System.getProperty("spark.jvm.options").trim().split("\\s+")));
        command.add("-cp");
        command.add(jar + File.pathSeparator + classpath);
        command.add(BatchJob.class.getName());
        command.addAll(List.of(args));

        Path dir = Files.createDirectories(Path.of("target", "cli-it"));
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("PINPIPE_"));
        builder.environment().putAll(stack.env());
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("BatchJob did not finish within " + TIMEOUT_SECONDS + " s; see " + err);
        }
        return new Outcome(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
