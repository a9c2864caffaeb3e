package dev.pinpipe.report;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the result views say at one moment: the serving layer per layer, how batch and stream agree,
 * the pins' shape (categories, follower buckets, media), ingest and stream latency per minute, and the
 * runs. Read by {@link ReportReader}; shown by {@link TerminalSummary} and {@link HtmlReport}.
 *
 * @param database   where it was read from (the JDBC URL without its parameters)
 * @param recentRuns the newest rows of pipeline_runs, newest first
 */
public record Report(
        String database,
        Instant generatedAt,
        Layers layers,
        Agreement agreement,
        List<Category> categories,
        List<FollowerBucket> followerBuckets,
        List<Media> media,
        List<MinuteCount> ingestedPerMinute,
        List<MinuteLatency> streamLatencyPerMinute,
        Latency streamLatency,
        List<LatestRun> latestRuns,
        List<Run> recentRuns) {

    public Report {
        categories = List.copyOf(categories);
        followerBuckets = List.copyOf(followerBuckets);
        media = List.copyOf(media);
        ingestedPerMinute = List.copyOf(ingestedPerMinute);
        streamLatencyPerMinute = List.copyOf(streamLatencyPerMinute);
        latestRuns = List.copyOf(latestRuns);
        recentRuns = List.copyOf(recentRuns);
    }

    /**
     * Rows of each table and where pins_serving takes its rows from.
     *
     * @param servingBatch  pins_serving's rows from pins_batch
     * @param servingStream pins_serving's rows from pins_stream (not yet in pins_batch)
     */
    public record Layers(long batchRows, long streamRows, long servingBatch, long servingStream) {
        public long serving() {
            return servingBatch + servingStream;
        }
    }

    /** pins_layer_agreement's one row. */
    public record Agreement(long inBoth, long onlyBatch, long onlyStream, long differ) {
    }

    public record Category(String category, long pins) {
    }

    /** @param lowerBound null for the 'unknown' bucket (no follower count) */
    public record FollowerBucket(String bucket, Long lowerBound, long pins) {
    }

    /** @param share of all pins, 0..1 */
    public record Media(String mediaType, long pins, double share) {
    }

    public record MinuteCount(Instant minute, long pins) {
    }

    public record MinuteLatency(Instant minute, long pins, double p50Ms, double p99Ms) {
    }

    /** The stream's ack-to-row latency over all its rows; the percentiles are null without rows. */
    public record Latency(long pins, Double p50Ms, Double p99Ms) {
    }

    /** A row of pipeline_runs; {@code finishedAt} is null while it runs. */
    public record Run(String job, String runId, long batchId, String status, long rowsRead, long rowsWritten,
                      long rowsRejected, Instant startedAt, Instant finishedAt) {
    }

    /**
     * A job's newest run, with the rows it has in quarantine and how far its table is behind.
     *
     * @param lag now minus the newest ingested_at in the job's table; null when the table is empty
     */
    public record LatestRun(Run run, long quarantined, Duration lag) {
    }
}
