package dev.pinpipe.batch;

import dev.pinpipe.spark.DriverBinding;
import dev.pinpipe.spark.JobCommandLine;
import dev.pinpipe.spark.PostgresSettings;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The job's settings: a command-line flag wins over its catalogue setting's variable, which wins over
 * the local default (docs/configuration.md). Immutable; parsed by {@link BatchCommand}.
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

    /** Where the job runs when neither --master nor spark-submit says. */
    static final String LOCAL_MASTER = "local[*]";

    /** A range longer than this is almost certainly a typo (and would list thousands of folders). */
    static final int MAX_DAYS = 366;

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

    /**
     * The settings {@code args} and {@code env} give; null for {@code --help}.
     *
     * @throws picocli.CommandLine.ParameterException a usage error, naming the flag or variable
     */
    public static BatchArgs parse(String[] args, Map<String, String> env, Clock clock) {
        return JobCommandLine.parse(new BatchCommand(clock), args, env);
    }

    /** The master to set, or null when spark-submit already chose one. */
    public String masterOr(String submitted) {
        if (master != null) {
            return master;
        }
        return submitted == null ? LOCAL_MASTER : null;
    }

    /** Never prints secrets. */
    @Override
    public String toString() {
        return "BatchArgs[from=" + from + ", to=" + to + ", s3Endpoint=" + (s3Endpoint.isEmpty() ? "(AWS)" : s3Endpoint)
                + ", s3Region=" + s3Region + ", credentials=" + (s3AccessKey == null ? "default chain" : "static")
                + ", bucket=" + bucket + ", prefix=" + prefix + ", postgres=" + postgres + ", master=" + master + ", bind=" + binding.address() + "]";
    }
}
