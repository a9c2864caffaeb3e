package dev.pinpipe.stream;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import org.apache.spark.sql.Row;

/**
 * Passes the clean rows of a micro-batch through to the upsert, counting them and remembering each
 * row's Kafka timestamp, so the commit-to-visible latency needs no second Spark job.
 */
final class LatencyRecorder implements Iterator<Row> {

    private final Iterator<Row> rows;
    private final int ingestedAt;
    private long[] timestamps = new long[1024];
    private int count;

    LatencyRecorder(Iterator<Row> rows, int ingestedAtIndex) {
        this.rows = rows;
        this.ingestedAt = ingestedAtIndex;
    }

    @Override
    public boolean hasNext() {
        return rows.hasNext();
    }

    @Override
    public Row next() {
        Row row = rows.next();
        if (count == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, count * 2);
        }
        timestamps[count++] = epochMillis(row.get(ingestedAt));
        return row;
    }

    long count() {
        return count;
    }

    /** p50, p99 and max of {@code committedAt - ingested_at} in ms, or -1s when no row went by. */
    long[] latencies(Instant committedAt) {
        if (count == 0) {
            return new long[] {-1, -1, -1};
        }
        long commit = committedAt.toEpochMilli();
        long[] lat = new long[count];
        for (int i = 0; i < count; i++) {
            lat[i] = commit - timestamps[i];
        }
        Arrays.sort(lat);
        return new long[] {lat[rank(0.50)], lat[rank(0.99)], lat[count - 1]};
    }

    private int rank(double q) {
        return Math.min(count - 1, (int) Math.ceil(q * count) - 1);
    }

    private static long epochMillis(Object value) {
        if (value instanceof Timestamp t) {
            return t.getTime();
        }
        return ((Instant) value).toEpochMilli(); // spark.sql.datetime.java8API.enabled
    }
}
