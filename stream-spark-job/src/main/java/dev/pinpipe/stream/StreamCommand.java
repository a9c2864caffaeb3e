package dev.pinpipe.stream;

import dev.pinpipe.core.config.Setting;
import dev.pinpipe.core.config.Settings;
import dev.pinpipe.core.kafka.KafkaClientProperties;
import dev.pinpipe.spark.DriverBinding;
import dev.pinpipe.spark.JobCommandLine;
import dev.pinpipe.spark.PostgresSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The stream job's command line: each flag defaults to its catalogue setting (the variable its
 * {@code descriptionKey} names, else the local default); the database user and password, the Kafka
 * properties file and the bind address come from the environment only. Builds {@link StreamArgs}.
 */
@Command(name = "StreamJob", sortOptions = false,
        description = {"The speed layer: the topic's pins through the seven rules into pins_stream, exactly once across restarts "
                + "from the checkpoint.", ""},
        footer = {"", "In local mode the driver and the Spark UI (port 4040) listen on the bind address (the UI through "
                + "SPARK_LOCAL_IP, which ./pinpipe sets to it)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped (SIGTERM)", "1:the query failed", "2:bad arguments or settings"})
final class StreamCommand implements JobCommandLine.Options<StreamArgs> {

    @Option(names = "--kafka-bootstrap", paramLabel = "HOST:PORT", descriptionKey = "PINPIPE_KAFKA_BOOTSTRAP")
    String kafkaBootstrap;

    @Option(names = "--topic", paramLabel = "NAME", descriptionKey = "PINPIPE_TOPIC")
    String topic;

    @Option(names = "--checkpoint", paramLabel = "DIR|s3a://…", descriptionKey = "PINPIPE_STREAM_CHECKPOINT")
    String checkpoint;

    @Option(names = "--mode", paramLabel = "real-time|micro-batch", descriptionKey = "PINPIPE_STREAM_MODE",
            converter = ModeConverter.class)
    StreamArgs.Mode mode;

    @Option(names = "--epoch", paramLabel = "DURATION", descriptionKey = "PINPIPE_STREAM_EPOCH",
            converter = DurationConverter.class)
    Duration epoch;

    @Option(names = "--trigger", paramLabel = "DURATION", descriptionKey = "PINPIPE_STREAM_TRIGGER",
            converter = DurationConverter.class)
    Duration trigger;

    @Option(names = "--jdbc-url", paramLabel = "URL", descriptionKey = "PINPIPE_JDBC_URL")
    String jdbcUrl;

    /** Null when unset: spark-submit's master, else local mode. */
    @Option(names = "--master", paramLabel = "URL", descriptionKey = "PINPIPE_SPARK_MASTER")
    String master;

    @Option(names = "--max-offsets-per-trigger", paramLabel = "N", descriptionKey = "PINPIPE_STREAM_MAX_OFFSETS_PER_TRIGGER",
            converter = PositiveConverter.class)
    long maxOffsetsPerTrigger;

    @Option(names = "--metrics-file", paramLabel = "FILE", descriptionKey = "PINPIPE_STREAM_METRICS_FILE")
    Path metricsFile;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "this help")
    boolean help;

    @Override
    public StreamArgs settings(Map<String, String> env) {
        return new StreamArgs(kafkaBootstrap, KafkaClientProperties.fromEnv(env::get), topic, checkpoint, mode, trigger, epoch,
                new PostgresSettings(jdbcUrl, Settings.DB_USER.value(env::get), PostgresSettings.password(env)),
                Optional.ofNullable(master), maxOffsetsPerTrigger, metricsFile, DriverBinding.fromEnv(env));
    }

    @Override
    public List<Setting> environmentOnly() {
        return List.of(Settings.KAFKA_PROPERTIES_FILE, Settings.DB_USER, Settings.DB_PASSWORD, Settings.BIND_ADDRESS);
    }

    static final class ModeConverter implements ITypeConverter<StreamArgs.Mode> {
        @Override
        public StreamArgs.Mode convert(String text) {
            return StreamArgs.Mode.of(text).orElseThrow(() ->
                    new TypeConversionException("'" + text + "' is neither real-time nor micro-batch"));
        }
    }

    /** {@code 500ms}, {@code 1s}, {@code 2m}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

        @Override
        public Duration convert(String text) {
            Matcher m = DURATION.matcher(text.strip());
            if (!m.matches()) {
                throw new TypeConversionException("'" + text + "' is not a duration like 500ms, 1s or 2m");
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
        }
    }

    static final class PositiveConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String text) {
            try {
                long n = Long.parseLong(text.strip());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // the message below
            }
            throw new TypeConversionException("'" + text + "' is not a positive whole number");
        }
    }
}
