package dev.pinpipe.bench;

import static org.apache.spark.sql.functions.col;

import dev.pinpipe.batch.ArchiveReader;
import dev.pinpipe.batch.BatchArgs;
import dev.pinpipe.batch.BatchJob;
import dev.pinpipe.batch.S3aSettings;
import dev.pinpipe.core.ArchiveLineFormat;
import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.config.Settings;
import dev.pinpipe.core.rules.DownloadedRule;
import dev.pinpipe.core.rules.FollowerCountRule;
import dev.pinpipe.core.rules.Text;
import dev.pinpipe.core.rules.TextRule;
import dev.pinpipe.spark.PinColumns;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * bench/batch: N archived pins → pins_batch with the real batch job, split into read / transform /
 * write, and the seven rules alone as native Column expressions vs the same rules as Java UDFs
 * wrapping pin-core's plain-Java rules. Prints a table and one JSON line. See bench/batch/README.md.
 */
@Command(name = "batch-bench", mixinStandardHelpOptions = true,
        description = "N archived pins → pins_batch with the real batch job (read / transform / write), and the seven rules alone as native Columns vs Java UDFs.")
public final class BatchBench implements Callable<Integer> {

    /** Lines per archive object the bench writes (the archiver cuts at its flush size; the job reads any). */
    private static final int LINES_PER_OBJECT = 50_000;
    private static final int PARTITIONS = 3;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "1000000", description = "pins to archive and process (default ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "3", description = "timed runs of each step; the median counts (default ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--master", paramLabel = "MASTER", defaultValue = "local[2]", description = "the Spark master, as the reference ceilings were measured (default ${DEFAULT-VALUE})")
    String master;

    @Option(names = "--day", paramLabel = "YYYY-MM-DD", defaultValue = "2000-01-01", description = "the archive day the pins go under (default ${DEFAULT-VALUE})")
    LocalDate day;

    @Option(names = "--prefix", paramLabel = "PREFIX", defaultValue = "bench-pins", description = "the bench's own archive folder, never the real one (default ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--rules-alone", paramLabel = "true|false", defaultValue = "true", arity = "1", description = "also time the rules on cached rows (default ${DEFAULT-VALUE})")
    boolean rulesAlone;

    @Option(names = "--seed", paramLabel = "S", defaultValue = BenchPins.DEFAULT_SEED, description = "the generated pins' seed (default ${DEFAULT-VALUE})")
    long seed;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BatchBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        // the job's own settings (S3, PostgreSQL) from the same variables it reads when ./pinpipe batch runs it
        BatchArgs args = BatchArgs.parse(new String[] {"--date", day.toString(), "--prefix", prefix, "--master", master},
                System.getenv(), Clock.systemUTC());
        log("settings: " + args + ", rows=" + rows + ", repeat=" + repeat);

        long t = System.nanoTime();
        try (S3Client s3 = s3(args)) {
            deleteDay(s3, args);
            archive(s3, args);
        }
        log(String.format(Locale.ROOT, "archived %d pins in %.1f s", rows, seconds(t)));

        SparkSession.Builder builder = SparkSession.builder().appName("pinpipe-batch-bench").master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1");
        S3aSettings.sparkConf(args).forEach(builder::config);
        SparkSession spark = builder.getOrCreate();
        PinColumns.SPARK_CONF.forEach(spark.conf()::set);
        // the job's read partitioning, so that read / read + clean are split as the job runs them
        BatchJob.DEFAULT_SPARK_CONF.forEach(spark.conf()::set);
        try {
            run(spark, args, rows, repeat, rulesAlone);
        } finally {
            spark.stop();
        }
        return 0;
    }

    private static void run(SparkSession spark, BatchArgs args, int rows, int repeat, boolean rulesAlone) throws Exception {
        PG.find(args);
        ArchiveReader reader = new ArchiveReader(spark, args.bucket(), args.prefix());
        List<String> folders = reader.existingFolders(args.days());
        Supplier<Dataset<Row>> raw = () -> reader.read(folders);

        log("warm-up");
        noop(raw.get());
        noop(PinColumns.clean(raw.get()));
        // The job's first run in a JVM also JIT-compiles the job's own generated code, which later runs
        // do not pay (docs/performance.md): it is timed and reported apart ("first run").
        double firstRun = median(1, "batch job, first run in this JVM (empty pins_batch)", () -> {
            truncate(args);
            job(spark, args, rows);
        });
        // and the ceiling's plan once, so that it is timed warm as well
        truncate(args);
        jdbcAppend(PinColumns.clean(raw.get()), args, rows);

        double read = median(repeat, "read → noop", () -> noop(raw.get()));
        double readClean = median(repeat, "read + clean → noop", () -> noop(PinColumns.clean(raw.get())));

        double e2eEmpty = median(repeat, "batch job, empty pins_batch", () -> {
            truncate(args);
            job(spark, args, rows);
        });
        double e2eRerun = median(repeat, "batch job, every row already there (re-run)", () -> job(spark, args, rows));
        // the reference ceiling (bench/README.md) on the same rows, read and cleaned alike: Spark's JDBC writer appending
        // into an empty pins_batch (no staging, no upsert), as "Spark JDBC append" there was measured
        double jdbcAppend = median(repeat, "Spark JDBC append, read + clean → empty pins_batch (the reference ceiling)", () -> {
            truncate(args);
            jdbcAppend(PinColumns.clean(raw.get()), args, rows);
        });
        truncate(args);

        double scan = 0;
        double nativeHuge = 0;
        double nativeRules = 0;
        double udfRules = 0;
        if (rulesAlone) {
            Dataset<Row> cached = raw.get().persist(StorageLevel.MEMORY_ONLY());
            long count = cached.count();
            if (count != rows) {
                throw new IllegalStateException("cached " + count + " rows, expected " + rows);
            }
            List<Column> plain = new ArrayList<>();
            for (String f : PinFields.ALL) {
                plain.add(col(f));
            }
            scan = median(repeat, "cached scan → noop", () -> noop(cached.select(plain.toArray(Column[]::new))));
            spark.conf().set("spark.sql.codegen.hugeMethodLimit", "65535");
            nativeHuge = median(repeat, "cached + rules as native Columns → noop, Spark's default hugeMethodLimit", () -> noop(cached.select(nativeRules())));
            PinColumns.SPARK_CONF.forEach(spark.conf()::set);
            nativeRules = median(repeat, "cached + rules as native Columns → noop", () -> noop(cached.select(nativeRules())));
            udfRules = median(repeat, "cached + rules as Java UDFs → noop", () -> noop(cached.select(udfRules())));
            cached.unpersist(true);
        }
        double transform = Math.max(0, readClean - read);
        double write = Math.max(0, e2eEmpty - readClean);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rows", rows);
        result.put("master", args.masterOr(null));
        result.put("rows_per_s", perSecond(rows, e2eEmpty));
        result.put("rerun_rows_per_s", perSecond(rows, e2eRerun));
        result.put("first_run_rows_per_s", perSecond(rows, firstRun));
        result.put("jdbc_append_rows_per_s", perSecond(rows, jdbcAppend));
        result.put("e2e_vs_jdbc_append", round(jdbcAppend / Math.max(1e-9, e2eEmpty)));
        result.put("first_run_s", round(firstRun));
        result.put("e2e_s", round(e2eEmpty));
        result.put("rerun_s", round(e2eRerun));
        result.put("read_s", round(read));
        result.put("transform_s", round(transform));
        result.put("write_s", round(write));
        result.put("read_rows_per_s", perSecond(rows, read));
        result.put("read_clean_rows_per_s", perSecond(rows, readClean));
        result.put("cached_scan_rows_per_s", perSecond(rows, scan));
        result.put("native_rows_per_s", perSecond(rows, nativeRules));
        result.put("udf_rows_per_s", perSecond(rows, udfRules));
        result.put("native_default_huge_method_limit_rows_per_s", perSecond(rows, nativeHuge));
        result.put("native_rules_alone_rows_per_s", perSecond(rows, nativeRules - scan));
        result.put("udf_rules_alone_rows_per_s", perSecond(rows, udfRules - scan));
        result.put("native_vs_udf", round((udfRules - scan) / Math.max(1e-9, nativeRules - scan)));

        System.out.println();
        System.out.printf(Locale.ROOT, "%-52s %10s %12s%n", "batch bench (" + rows + " pins, " + args.masterOr(null) + ", median of " + repeat + ")", "seconds", "rows/s");
        row("S3 → pins_batch end to end (empty table)", e2eEmpty, rows);
        row("S3 → pins_batch end to end (re-run, all conflicts)", e2eRerun, rows);
        row("S3 → pins_batch end to end, first run in the JVM", firstRun, rows);
        row("Spark JDBC append into empty pins_batch (ceiling)", jdbcAppend, rows);
        row("  read (S3 NDJSON, explicit schema → noop)", read, rows);
        row("  transform (clean, read subtracted)", transform, rows);
        row("  write (COPY + upsert, read+clean subtracted)", write, rows);
        row("rules on cached rows: native Columns", nativeRules, rows);
        row("rules on cached rows: Java UDFs", udfRules, rows);
        row("rules on cached rows: native, hugeMethodLimit 65535", nativeHuge, rows);
        row("  native, cached scan subtracted", nativeRules - scan, rows);
        row("  Java UDFs, cached scan subtracted", udfRules - scan, rows);
        System.out.println("CPU seconds per 1 M rows (median run; JVM + PostgreSQL):");
        CPU.forEach((name, c) -> System.out.printf(Locale.ROOT, "  %-58s JVM %6.1f  PostgreSQL %6.1f  (wall %.1f s)%n",
                name, c[1] * 1e6 / rows, c[2] * 1e6 / rows, c[0]));
        double[] e2eCpu = CPU.getOrDefault("batch job, empty pins_batch", new double[3]);
        result.put("e2e_jvm_cpu_s_per_m", round(e2eCpu[1] * 1e6 / rows));
        result.put("e2e_pg_cpu_s_per_m", round(e2eCpu[2] * 1e6 / rows));
        result.put("load_avg", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        System.out.println("BENCH " + json(result));
    }

    /** The seven rules plus the pass-through trims, as pin-spark's Column expressions. */
    private static Column[] nativeRules() {
        return new Column[] {
                PinColumns.trim(col("unique_id")), PinColumns.trim(col("index")), PinColumns.trim(col("category")),
                PinColumns.text(TextRule.TITLE, col("title")), PinColumns.text(TextRule.DESCRIPTION, col("description")),
                PinColumns.text(TextRule.TAG_LIST, col("tag_list")), PinColumns.followerCount(col("follower_count")),
                PinColumns.downloaded(col("downloaded")), PinColumns.trim(col("is_image_or_video")),
                PinColumns.text(TextRule.IMAGE_SRC, col("image_src")), PinColumns.text(TextRule.SAVE_LOCATION, col("save_location"))};
    }

    /** The same, as Java UDFs wrapping pin-core's plain rules (benchmark only: opaque to Spark's optimizer and codegen). */
    private static Column[] udfRules() {
        UserDefinedFunction trim = functions.udf((UDF1<String, String>) Text::trim, DataTypes.StringType);
        UserDefinedFunction followers = functions.udf((UDF1<String, Long>) FollowerCountRule::clean, DataTypes.LongType);
        UserDefinedFunction downloaded = functions.udf((UDF1<String, Boolean>) DownloadedRule::clean, DataTypes.BooleanType);
        Function<TextRule, UserDefinedFunction> text = rule -> functions.udf((UDF1<String, String>) rule::clean, DataTypes.StringType);
        return new Column[] {
                trim.apply(col("unique_id")), trim.apply(col("index")), trim.apply(col("category")),
                text.apply(TextRule.TITLE).apply(col("title")), text.apply(TextRule.DESCRIPTION).apply(col("description")),
                text.apply(TextRule.TAG_LIST).apply(col("tag_list")), followers.apply(col("follower_count")),
                downloaded.apply(col("downloaded")), trim.apply(col("is_image_or_video")),
                text.apply(TextRule.IMAGE_SRC).apply(col("image_src")), text.apply(TextRule.SAVE_LOCATION).apply(col("save_location"))};
    }

    private static void job(SparkSession spark, BatchArgs args, int rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = BatchJob.execute(spark, args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String summary = out.toString(StandardCharsets.UTF_8).strip();
        log("  " + summary);
        if (exit != 0 || !summary.contains("read=" + rows + " written=" + rows + " rejected=0")) {
            throw new IllegalStateException("the batch job did not write every row: exit " + exit + ", " + summary);
        }
    }

    /** The reference "Spark JDBC append" setup (bench/README.md): batchsize 10 000, reWriteBatchedInserts, stringtype=unspecified (uuid). */
    private static void jdbcAppend(Dataset<Row> clean, BatchArgs args, int rows) {
        String url = args.postgres().jdbcUrl();
        url += (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true&stringtype=unspecified";
        clean.write().format("jdbc").mode("append")
                .option("url", url).option("driver", "org.postgresql.Driver").option("dbtable", Settings.PINS_BATCH_TABLE)
                .option("user", args.postgres().user()).option("password", args.postgres().password())
                .option("batchsize", "10000")
                .save();
        long written = countPinsBatch(args);
        if (written != rows) {
            throw new IllegalStateException("the JDBC append left " + written + " rows in pins_batch, expected " + rows);
        }
    }

    private static long countPinsBatch(BatchArgs args) {
        try (Connection c = DriverManager.getConnection(args.postgres().jdbcUrl(), args.postgres().user(), args.postgres().password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM " + Settings.PINS_BATCH_TABLE)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void truncate(BatchArgs args) {
        try (Connection c = DriverManager.getConnection(args.postgres().jdbcUrl(), args.postgres().user(), args.postgres().password());
             Statement st = c.createStatement()) {
            st.execute("TRUNCATE " + Settings.PINS_BATCH_TABLE);
            st.execute("VACUUM ANALYZE " + Settings.PINS_BATCH_TABLE);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void noop(Dataset<Row> ds) {
        ds.write().format("noop").mode("overwrite").save();
    }

    interface Step {
        void run() throws Exception;
    }

    /**
     * Median wall-clock seconds of {@code repeat} runs of {@code step}. Each run's CPU seconds (this
     * JVM's, and PostgreSQL's: the postmaster and its backends) are logged and kept by name in
     * {@link #CPU}: on a shared machine they vary far less with load than wall time does.
     */
    private static double median(int repeat, String name, Step step) throws Exception {
        double[] s = new double[repeat];
        double[][] cpu = new double[repeat][];
        for (int i = 0; i < repeat; i++) {
            double jvm0 = jvmCpuSeconds();
            double pg0 = PG.cpuSeconds();
            long t = System.nanoTime();
            step.run();
            s[i] = seconds(t);
            cpu[i] = new double[] {s[i], jvmCpuSeconds() - jvm0, PG.cpuSeconds() - pg0};
            log(String.format(Locale.ROOT, "%s: %.2f s (CPU: JVM %.1f s, PostgreSQL %.1f s; load %.1f)", name, s[i], cpu[i][1], cpu[i][2],
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        }
        Arrays.sort(cpu, (a, b) -> Double.compare(a[0], b[0]));
        CPU.put(name, cpu[repeat / 2]);
        Arrays.sort(s);
        return s[repeat / 2];
    }

    /** Per step: {wall, JVM CPU, PostgreSQL CPU} seconds of the median run. */
    private static final Map<String, double[]> CPU = new LinkedHashMap<>();

    private static double jvmCpuSeconds() {
        return ProcCpu.thisProcessNanos() / 1e9;
    }

    /** PostgreSQL's CPU time: the postmaster's with its backends', found through a connection's backend. */
    private static final class PgCpu {
        private long postmaster = -1;

        void find(BatchArgs args) {
            try (Connection c = DriverManager.getConnection(args.postgres().jdbcUrl(), args.postgres().user(), args.postgres().password());
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                postmaster = ProcCpu.parentOf(rs.getLong(1));
            } catch (Exception e) {
                log("PostgreSQL's CPU time not measured (" + e + ")");
            }
        }

        double cpuSeconds() {
            return Math.max(0, ProcCpu.withChildrenNanos(postmaster)) / 1e9;
        }
    }

    private static final PgCpu PG = new PgCpu();

    // ---- input: generated pins in the archiver's line format, under the bench's own prefix

    /**
     * Archives the generated pins for the day as the archiver would have: pin i on partition i % 3 at
     * that partition's next offset, each line the pin with its lineage ({@link ArchiveLineFormat}).
     */
    private void archive(S3Client s3, BatchArgs args) {
        BenchPins pins = new BenchPins(seed);
        String topic = Settings.TOPIC.value(System::getenv);
        long timestamp = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        List<StringBuilder> objects = new ArrayList<>();
        long[] nextOffset = new long[PARTITIONS];
        long[] firstOffset = new long[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            objects.add(new StringBuilder());
        }
        for (int i = 0; i < rows; i++) {
            int p = i % PARTITIONS;
            String pin = new String(pins.pin(i).json(), StandardCharsets.UTF_8);
            objects.get(p).append(pin, 0, pin.length() - 1)
                    .append(",\"").append(ArchiveLineFormat.LINEAGE).append("\":{\"").append(ArchiveLineFormat.PARTITION).append("\":").append(p)
                    .append(",\"").append(ArchiveLineFormat.OFFSET).append("\":").append(nextOffset[p]++)
                    .append(",\"").append(ArchiveLineFormat.TIMESTAMP).append("\":").append(timestamp + i).append("}}")
                    .append(ArchiveLineFormat.LINE_END);
            if (nextOffset[p] - firstOffset[p] == LINES_PER_OBJECT) {
                put(s3, args, topic, p, firstOffset[p], objects.get(p));
                firstOffset[p] = nextOffset[p];
                objects.set(p, new StringBuilder());
            }
        }
        for (int p = 0; p < PARTITIONS; p++) {
            if (nextOffset[p] > firstOffset[p]) {
                put(s3, args, topic, p, firstOffset[p], objects.get(p));
            }
        }
    }

    /** One object, named as the archiver names them: {@code <prefix>/dt=<day>/<topic>+<partition>+<first offset>.json}. */
    private void put(S3Client s3, BatchArgs args, String topic, int partition, long firstOffset, StringBuilder lines) {
        String key = "%s/dt=%s/%s+%d+%020d.json".formatted(args.prefix(), day, topic, partition, firstOffset);
        s3.putObject(b -> b.bucket(args.bucket()).key(key).contentType("application/x-ndjson"),
                RequestBody.fromBytes(lines.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** An earlier run's objects of the day go first. */
    private void deleteDay(S3Client s3, BatchArgs args) {
        String folder = args.prefix() + "/dt=" + day + "/";
        for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(args.bucket()).prefix(folder)).contents()) {
            s3.deleteObject(b -> b.bucket(args.bucket()).key(object.key()));
        }
    }

    private static S3Client s3(BatchArgs args) {
        return S3Client.builder()
                .endpointOverride(URI.create(args.s3Endpoint()))
                .region(Region.of(args.s3Region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(args.s3AccessKey(), args.s3SecretKey())))
                .forcePathStyle(true)
                // plain PUTs with a Content-MD5-free body: what every S3-compatible server accepts
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .build();
    }

    // ---- small helpers

    private static void row(String name, double seconds, int rows) {
        System.out.printf(Locale.ROOT, "%-52s %10.2f %12s%n", name, seconds, perSecond(rows, seconds));
    }

    private static Object perSecond(int rows, double seconds) {
        return seconds <= 0 ? "-" : Math.round(rows / seconds);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void log(String message) {
        System.err.println("[batch bench] " + message);
    }

    private static String json(Map<String, Object> map) {
        StringBuilder s = new StringBuilder("{");
        map.forEach((k, v) -> s.append(s.length() > 1 ? ", " : "").append('"').append(k).append("\": ")
                .append(v instanceof String str ? '"' + str + '"' : String.valueOf(v)));
        return s.append('}').toString();
    }
}
