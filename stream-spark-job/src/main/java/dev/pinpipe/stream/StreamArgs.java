package dev.pinpipe.stream;

import dev.pinpipe.core.kafka.KafkaClientProperties;
import dev.pinpipe.spark.DriverBinding;
import dev.pinpipe.spark.PostgresSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the stream job is told: command-line flags, each falling back to its PINPIPE_* variable and
 * then to the local default (docs/configuration.md).
 *
 * @param kafkaProperties further Kafka client settings (TLS, SASL) from {@code PINPIPE_KAFKA_PROPERTIES_FILE}
 * @param master  empty when neither {@code --master} nor spark-submit says where to run (then local)
 * @param binding where the driver and its UI listen in local mode
 */
public record StreamArgs(
        String kafkaBootstrap,
        KafkaClientProperties kafkaProperties,
        String topic,
        String checkpoint,
        Mode mode,
        Duration trigger,
        Duration epoch,
        PostgresSettings postgres,
        Optional<String> master,
        long maxOffsetsPerTrigger,
        Path metricsFile,
        DriverBinding binding) {

    public static final String USAGE = """
            Usage: StreamJob [options]   (a flag wins over its environment variable)

              --kafka-bootstrap HOST:PORT    PINPIPE_KAFKA_BOOTSTRAP, default 127.0.0.1:9092
                                             (further Kafka client settings, TLS or SASL: the .properties
                                             file PINPIPE_KAFKA_PROPERTIES_FILE names; no flag)
              --topic NAME                   default PinterestTopic
              --checkpoint DIR|s3a://...     default $PINPIPE_HOME/checkpoints/stream
              --mode real-time|micro-batch   PINPIPE_STREAM_MODE, default real-time: Spark's Real-time
                                             mode, one long-running task per Kafka partition writing
                                             records as they arrive (needs a task slot per partition);
                                             micro-batch: a Spark job per trigger interval
              --epoch DURATION               real-time: how often the offsets are checkpointed, default 1m
              --trigger DURATION             micro-batch: the interval (500ms, 1s, 2m), default 1s
              --jdbc-url URL                 PINPIPE_JDBC_URL, default jdbc:postgresql://127.0.0.1:5432/pinterest
                                             (user and password only from the environment, never a flag:
                                             PINPIPE_DB_USER, PINPIPE_DB_PASSWORD or PINPIPE_DB_PASSWORD_FILE)
              --master URL                   default: spark-submit's master, else local[*]
              --max-offsets-per-trigger N    cap on Kafka records per micro-batch, default 50000
              --metrics-file FILE            one JSON line per micro-batch,
                                             default $PINPIPE_HOME/metrics/stream-batches.ndjson
              --help                         this help

              In local mode the driver and the Spark UI (port 4040) listen on PINPIPE_BIND_ADDRESS,
              default 127.0.0.1 (the UI through SPARK_LOCAL_IP, which ./pinpipe sets to it).
            """;

    /** At 5 000 pins/s a 1 s micro-batch holds 5 000, so the cap only bites when catching up. */
    public static final long DEFAULT_MAX_OFFSETS_PER_TRIGGER = 50_000;

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");
    private static final List<String> FLAGS = List.of("--kafka-bootstrap", "--topic", "--checkpoint", "--trigger",
            "--mode", "--epoch", "--jdbc-url", "--master", "--max-offsets-per-trigger", "--metrics-file");
    private static final String REFUSED_PASSWORD_FLAG = "--db-password";

    /** How the job runs its query: Spark's Real-time mode, or a micro-batch per trigger interval. */
    public enum Mode {
        REAL_TIME("real-time"),
        MICRO_BATCH("micro-batch");

        final String flag;

        Mode(String flag) {
            this.flag = flag;
        }

        static Mode of(String text) {
            for (Mode m : values()) {
                if (m.flag.equals(text.trim())) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--mode: '" + text + "' is neither real-time nor micro-batch");
        }
    }

    /** Thrown for {@code --help}: the caller prints {@link #USAGE} and exits successfully. */
    public static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help requested", null, false, false);
        }
    }

    public static StreamArgs parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = flags(args);
        String home = env.getOrDefault("PINPIPE_HOME", ".pinpipe");
        return new StreamArgs(
                pick(flags, "--kafka-bootstrap", env, "PINPIPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                KafkaClientProperties.fromEnv(env::get),
                flags.getOrDefault("--topic", "PinterestTopic"),
                flags.getOrDefault("--checkpoint", Path.of(home, "checkpoints", "stream").toString()),
                Mode.of(pick(flags, "--mode", env, "PINPIPE_STREAM_MODE", Mode.REAL_TIME.flag)),
                duration("--trigger", flags.getOrDefault("--trigger", "1s")),
                duration("--epoch", flags.getOrDefault("--epoch", "1m")),
                postgres(flags.get("--jdbc-url"), env),
                Optional.ofNullable(flags.get("--master")),
                positive(flags.getOrDefault("--max-offsets-per-trigger", Long.toString(DEFAULT_MAX_OFFSETS_PER_TRIGGER))),
                Path.of(flags.getOrDefault("--metrics-file",
                        Path.of(home, "metrics", "stream-batches.ndjson").toString())),
                DriverBinding.fromEnv(env));
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (name.equals(REFUSED_PASSWORD_FLAG)) {
                throw new IllegalArgumentException(PostgresSettings.refusedFlag(REFUSED_PASSWORD_FLAG,
                        PostgresSettings.PASSWORD_ENV, PostgresSettings.PASSWORD_FILE_ENV));
            }
            if (!FLAGS.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + arg + "' (see --help)");
            }
            if (arg.contains("=")) {
                flags.put(name, arg.substring(arg.indexOf('=') + 1));
            } else if (i + 1 < args.length) {
                flags.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
        }
        return flags;
    }

    /** User and password only ever come from the environment, never from a command line (ps shows it). */
    private static PostgresSettings postgres(String jdbcUrlFlag, Map<String, String> env) {
        PostgresSettings fromEnv = PostgresSettings.fromEnv(env);
        return jdbcUrlFlag == null || jdbcUrlFlag.isBlank()
                ? fromEnv
                : new PostgresSettings(jdbcUrlFlag, fromEnv.user(), fromEnv.password());
    }

    private static String pick(Map<String, String> flags, String flag, Map<String, String> env, String var, String dflt) {
        String value = flags.get(flag);
        if (value == null || value.isBlank()) {
            value = env.get(var);
        }
        return value == null || value.isBlank() ? dflt : value;
    }

    static Duration duration(String text) {
        return duration("--trigger", text);
    }

    static Duration duration(String flag, String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + ": '" + text + "' is not a duration like 500ms, 1s or 2m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    private static long positive(String text) {
        long n;
        try {
            n = Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--max-offsets-per-trigger: '" + text + "' is not a number");
        }
        if (n <= 0) {
            throw new IllegalArgumentException("--max-offsets-per-trigger must be positive");
        }
        return n;
    }
}
