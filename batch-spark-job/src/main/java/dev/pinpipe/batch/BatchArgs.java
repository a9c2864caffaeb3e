package dev.pinpipe.batch;

import dev.pinpipe.core.Secrets;

import dev.pinpipe.spark.DriverBinding;
import dev.pinpipe.spark.PostgresSettings;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's settings: a command-line flag wins over its PINPIPE_* environment variable, which wins
 * over the local default (docs/configuration.md). Immutable; {@link #parse} is the only way in.
 *
 * @param from        first archive day ({@code dt=}), inclusive
 * @param to          last archive day, inclusive
 * @param s3Endpoint  S3 endpoint URL; blank means AWS's own endpoint for {@code s3Region}
 * @param s3AccessKey static credentials, or null for the AWS default credential chain
 * @param s3SecretKey from the environment only, like the database password (never a flag)
 * @param master      the Spark master, or null to keep the one spark-submit set
 * @param binding     where the driver listens in local mode
 */
public record BatchArgs(
        LocalDate from,
        LocalDate to,
        String s3Endpoint,
        String s3Region,
        String s3AccessKey,
        String s3SecretKey,
        String bucket,
        String prefix,
        PostgresSettings postgres,
        String master,
        DriverBinding binding) {

    public static final String DEFAULT_S3_ENDPOINT = "http://127.0.0.1:9000";
    public static final String DEFAULT_S3_REGION = "us-east-1";
    public static final String DEFAULT_S3_ACCESS_KEY = "pinpipe";
    public static final String DEFAULT_S3_SECRET_KEY = "pinpipe-secret";
    public static final String S3_SECRET_KEY_ENV = "PINPIPE_S3_SECRET_KEY";
    /** A file holding the S3 secret key (trailing newline stripped), instead of {@link #S3_SECRET_KEY_ENV}. */
    public static final String S3_SECRET_KEY_FILE_ENV = "PINPIPE_S3_SECRET_KEY_FILE";
    public static final String DEFAULT_BUCKET = "pinterestdata";
    public static final String DEFAULT_PREFIX = "pins";
    public static final String DEFAULT_MASTER = "local[*]";

    /** A range longer than this is almost certainly a typo (and would list thousands of folders). */
    static final int MAX_DAYS = 366;

    public static final String USAGE = """
            Usage: BatchJob [options]
              Reads the pin archive s3a://<bucket>/<prefix>/dt=<day>/ for one day or a range of days,
              applies the seven cleaning rules and upserts the rows into pins_batch (re-runnable).

              --date YYYY-MM-DD        the day to process (default: today, UTC)
              --from YYYY-MM-DD        first day of a range (inclusive; with --to)
              --to YYYY-MM-DD          last day of a range (inclusive; default: --from)
              --s3-endpoint URL        S3 endpoint; "" = AWS itself      [PINPIPE_S3_ENDPOINT, http://127.0.0.1:9000]
              --s3-region REGION                                         [PINPIPE_S3_REGION, us-east-1]
              --s3-access-key KEY      static credentials; unset on AWS = default chain
                                                                         [PINPIPE_S3_ACCESS_KEY, local: pinpipe]
              --bucket NAME                                              [PINPIPE_S3_BUCKET, pinterestdata]
              --prefix PREFIX          folder of the dt= partitions      [pins]
              --jdbc-url URL                                             [PINPIPE_JDBC_URL, jdbc:postgresql://127.0.0.1:5432/pinterest]
              --db-user USER                                             [PINPIPE_DB_USER, pinpipe]
              --master MASTER          Spark master (default local[*]; under spark-submit its --master)
              --help                   this help

              Secrets only from the environment, never a flag (a command line is visible in ps):
                PINPIPE_DB_PASSWORD or PINPIPE_DB_PASSWORD_FILE (a file holding it)      [pinpipe]
                PINPIPE_S3_SECRET_KEY or PINPIPE_S3_SECRET_KEY_FILE        [local: pinpipe-secret]
              In local mode the driver listens on PINPIPE_BIND_ADDRESS [127.0.0.1].

              Exit status: 0 on success (also on a day with no archive objects, with a warning),
              1 when the run failed, 2 on bad arguments.
            """;

    private static final List<String> FLAGS = List.of("date", "from", "to", "s3-endpoint", "s3-region",
            "s3-access-key", "bucket", "prefix", "jdbc-url", "db-user", "master");
    /** Secrets' flags, refused with the variables to use instead. */
    private static final Map<String, String> REFUSED = Map.of(
            "db-password", PostgresSettings.refusedFlag("--db-password", PostgresSettings.PASSWORD_ENV, PostgresSettings.PASSWORD_FILE_ENV),
            "s3-secret-key", PostgresSettings.refusedFlag("--s3-secret-key", S3_SECRET_KEY_ENV, S3_SECRET_KEY_FILE_ENV));

    public BatchArgs {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        if (from.plusDays(MAX_DAYS).isBefore(to)) {
            throw new IllegalArgumentException("a range of more than " + MAX_DAYS + " days: " + from + " to " + to);
        }
    }

    /** The days of the range, in order. */
    public List<LocalDate> days() {
        return from.datesUntil(to.plusDays(1)).toList();
    }

    /** True when {@code args} asks for the usage text. */
    public static boolean wantsHelp(String[] args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    /**
     * Parses {@code --name value} or {@code --name=value} flags over the environment.
     *
     * @throws IllegalArgumentException with a message fit for the user on any bad flag or value
     */
    public static BatchArgs parse(String[] args, Map<String, String> env, Clock clock) {
        Map<String, String> flags = flags(args);
        String date = flags.get("date");
        String fromText = flags.get("from");
        if (date != null && (fromText != null || flags.containsKey("to"))) {
            throw new IllegalArgumentException("give either --date or --from/--to, not both");
        }
        if (fromText == null && flags.containsKey("to")) {
            throw new IllegalArgumentException("--to needs --from");
        }
        LocalDate from = date != null ? day("--date", date)
                : fromText != null ? day("--from", fromText)
                : LocalDate.now(clock.withZone(java.time.ZoneOffset.UTC));
        LocalDate to = flags.containsKey("to") ? day("--to", flags.get("to")) : from;

        String endpoint = setting(flags, "s3-endpoint", env, "PINPIPE_S3_ENDPOINT", DEFAULT_S3_ENDPOINT).strip();
        String accessKey = blankToNull(setting(flags, "s3-access-key", env, "PINPIPE_S3_ACCESS_KEY", null));
        String secretKey = blankToNull(Secrets.fromEnv(env, S3_SECRET_KEY_ENV));
        if (accessKey == null && secretKey == null && !endpoint.isEmpty()) {
            // a custom endpoint is the local S3 server (or another S3-compatible one): its local login
            accessKey = DEFAULT_S3_ACCESS_KEY;
            secretKey = DEFAULT_S3_SECRET_KEY;
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("give both the S3 access key and secret key, or neither");
        }
        PostgresSettings postgres = new PostgresSettings(
                setting(flags, "jdbc-url", env, PostgresSettings.JDBC_URL_ENV, PostgresSettings.DEFAULT_JDBC_URL),
                setting(flags, "db-user", env, PostgresSettings.USER_ENV, PostgresSettings.DEFAULT_USER),
                PostgresSettings.password(env));
        String prefix = flags.getOrDefault("prefix", DEFAULT_PREFIX).replaceAll("^/+|/+$", "");
        return new BatchArgs(from, to, endpoint,
                setting(flags, "s3-region", env, "PINPIPE_S3_REGION", DEFAULT_S3_REGION),
                accessKey, secretKey,
                setting(flags, "bucket", env, "PINPIPE_S3_BUCKET", DEFAULT_BUCKET),
                prefix, postgres, flags.get("master"), DriverBinding.fromEnv(env));
    }

    /** The master to set, or null when spark-submit already chose one. */
    public String masterOr(String submitted) {
        if (master != null) {
            return master;
        }
        return submitted == null ? DEFAULT_MASTER : null;
    }

    /** Never prints secrets. */
    @Override
    public String toString() {
        return "BatchArgs[from=" + from + ", to=" + to + ", s3Endpoint=" + (s3Endpoint.isEmpty() ? "(AWS)" : s3Endpoint)
                + ", s3Region=" + s3Region + ", credentials=" + (s3AccessKey == null ? "default chain" : "static")
                + ", bucket=" + bucket + ", prefix=" + prefix + ", postgres=" + postgres + ", master=" + master + ", bind=" + binding.address() + "]";
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "' (see --help)");
            }
            String name = arg.substring(2);
            int eq = name.indexOf('=');
            String inline = eq >= 0 ? name.substring(eq + 1) : null;
            name = eq >= 0 ? name.substring(0, eq) : name;
            if (REFUSED.containsKey(name)) {
                throw new IllegalArgumentException(REFUSED.get(name));
            }
            if (!FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + " (see --help)");
            }
            String value;
            if (inline != null) {
                value = inline;
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (flags.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " given twice");
            }
        }
        return flags;
    }

    private static String setting(Map<String, String> flags, String flag, Map<String, String> env, String variable,
                                  String fallback) {
        String value = flags.get(flag);
        if (value != null) {
            return value;
        }
        value = env.get(variable);
        return value != null ? value : fallback;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static LocalDate day(String flag, String text) {
        try {
            return LocalDate.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " expects YYYY-MM-DD, got '" + text + "'");
        }
    }
}
