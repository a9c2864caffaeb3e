package dev.pinpipe.batch;

import dev.pinpipe.core.Secrets;
import dev.pinpipe.core.config.Setting;
import dev.pinpipe.core.config.Settings;
import dev.pinpipe.spark.DriverBinding;
import dev.pinpipe.spark.JobCommandLine;
import dev.pinpipe.spark.PostgresSettings;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The batch job's command line: the days, and flags that default to their catalogue setting (the
 * variable their {@code descriptionKey} names, else the local default); the S3 secret key and the
 * database password come from the environment only. Builds {@link BatchArgs}.
 */
@Command(name = "BatchJob", sortOptions = false,
        description = {"Reads the pin archive s3a://<bucket>/<prefix>/dt=<day>/ for one day or a range of days, applies the "
                + "seven cleaning rules and upserts the rows into pins_batch (re-runnable).", ""},
        footer = {"", "With a custom S3 endpoint and neither S3 key given, the local server's login (the keys' defaults); "
                + "with an empty endpoint (AWS) and neither key, the AWS default credential chain."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:success (also a day with no archive objects, with a warning)", "1:the run failed",
            "2:bad arguments or settings"})
final class BatchCommand implements JobCommandLine.Options<BatchArgs> {

    private static final String S3_ENDPOINT_FLAG = "--s3-endpoint";
    private static final String S3_ACCESS_KEY_FLAG = "--s3-access-key";

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", converter = DayConverter.class,
            description = "the day to process (default: today, UTC)")
    LocalDate date;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", converter = DayConverter.class,
            description = "first day of a range (inclusive; with --to)")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", converter = DayConverter.class,
            description = "last day of a range (inclusive; default: --from; at most " + BatchArgs.MAX_DAYS + " days)")
    LocalDate to;

    @Option(names = S3_ENDPOINT_FLAG, paramLabel = "URL", descriptionKey = "PINPIPE_S3_ENDPOINT")
    String s3Endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", descriptionKey = "PINPIPE_S3_REGION")
    String s3Region;

    @Option(names = S3_ACCESS_KEY_FLAG, paramLabel = "KEY", descriptionKey = "PINPIPE_S3_ACCESS_KEY")
    String s3AccessKey;

    @Option(names = "--bucket", paramLabel = "NAME", descriptionKey = "PINPIPE_S3_BUCKET")
    String bucket;

    @Option(names = "--prefix", paramLabel = "PREFIX", descriptionKey = "PINPIPE_S3_PREFIX")
    String prefix;

    @Option(names = "--jdbc-url", paramLabel = "URL", descriptionKey = "PINPIPE_JDBC_URL")
    String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER", descriptionKey = "PINPIPE_DB_USER")
    String dbUser;

    /** Null when unset: spark-submit's master, else local mode. */
    @Option(names = "--master", paramLabel = "MASTER", descriptionKey = "PINPIPE_SPARK_MASTER")
    String master;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    boolean help;

    @Spec
    CommandSpec spec;

    private final Clock clock;

    /** @param clock what "today" is when no day is given (in UTC) */
    BatchCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public BatchArgs settings(Map<String, String> env) {
        if (date != null && (from != null || to != null)) {
            throw new IllegalArgumentException("give either --date or --from/--to, not both");
        }
        if (from == null && to != null) {
            throw new IllegalArgumentException("--to needs --from");
        }
        LocalDate first = date != null ? date : from != null ? from : LocalDate.now(clock.withZone(ZoneOffset.UTC));
        String endpoint = endpoint(env);
        String accessKey = matched(S3_ACCESS_KEY_FLAG) || given(Settings.S3_ACCESS_KEY, env) ? blankToNull(s3AccessKey) : null;
        String secretKey = blankToNull(Secrets.fromEnv(env, Settings.S3_SECRET_KEY.variable()));
        if (accessKey == null && secretKey == null && !endpoint.isEmpty()) {
            // a custom endpoint is the local S3 server (or another S3-compatible one): its local login
            accessKey = Settings.S3_ACCESS_KEY.value(env::get);
            secretKey = Settings.S3_SECRET_KEY.secretValue(env::get);
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("give both the S3 access key and secret key, or neither");
        }
        return new BatchArgs(first, to != null ? to : first, endpoint, s3Region, accessKey, secretKey, bucket,
                prefix.replaceAll("^/+|/+$", ""), new PostgresSettings(jdbcUrl, dbUser, PostgresSettings.password(env)),
                master, DriverBinding.fromEnv(env));
    }

    @Override
    public List<Setting> environmentOnly() {
        return List.of(Settings.S3_SECRET_KEY, Settings.DB_PASSWORD, Settings.BIND_ADDRESS);
    }

    /**
     * The endpoint, empty for AWS's own. Its variable set but empty also means AWS (docs/cluster.md),
     * where the catalogue's defaults count a blank variable as unset.
     */
    private String endpoint(Map<String, String> env) {
        String variable = env.get(Settings.S3_ENDPOINT.variable());
        boolean awsByVariable = !matched(S3_ENDPOINT_FLAG) && variable != null && variable.isBlank();
        return awsByVariable ? "" : s3Endpoint.strip();
    }

    private boolean matched(String flag) {
        return spec.commandLine().getParseResult().hasMatchedOption(flag);
    }

    private static boolean given(Setting setting, Map<String, String> env) {
        return blankToNull(env.get(setting.variable())) != null;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    static final class DayConverter implements ITypeConverter<LocalDate> {
        @Override
        public LocalDate convert(String text) {
            try {
                return LocalDate.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("expects YYYY-MM-DD, got '" + text + "'");
            }
        }
    }
}
