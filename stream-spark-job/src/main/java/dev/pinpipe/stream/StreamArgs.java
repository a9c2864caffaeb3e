package dev.pinpipe.stream;

import dev.pinpipe.core.kafka.KafkaClientProperties;
import dev.pinpipe.spark.DriverBinding;
import dev.pinpipe.spark.JobCommandLine;
import dev.pinpipe.spark.PostgresSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the stream job is told: command-line flags, each falling back to its catalogue setting's variable
 * and then to the local default (docs/configuration.md); parsed by {@link StreamCommand}.
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

    /** How the job runs its query: Spark's Real-time mode, or a micro-batch per trigger interval. */
    public enum Mode {
        REAL_TIME("real-time"),
        MICRO_BATCH("micro-batch");

        final String flag;

        Mode(String flag) {
            this.flag = flag;
        }

        static Optional<Mode> of(String text) {
            for (Mode m : values()) {
                if (m.flag.equals(text.strip())) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * The settings {@code args} and {@code env} give ({@link StreamCommand}); null for {@code --help}.
     *
     * @throws picocli.CommandLine.ParameterException a usage error, naming the flag or variable
     */
    public static StreamArgs parse(String[] args, Map<String, String> env) {
        return JobCommandLine.parse(new StreamCommand(), args, env);
    }
}
