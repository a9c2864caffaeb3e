package dev.pinpipe.stream;

/**
 * What the writer knows about one micro-batch once its transaction is over; the listener joins it
 * with Spark's own progress figures. Latencies run from the Kafka record's timestamp to our commit,
 * i.e. until the row is visible in pins_stream; they are -1 for a replay or an empty batch.
 */
record BatchOutcome(long batchId, long rowsRead, long rowsWritten, long rowsRejected, boolean replay,
                    long latencyP50Ms, long latencyP99Ms, long latencyMaxMs) {

    static BatchOutcome replayed(long batchId) {
        return new BatchOutcome(batchId, 0, 0, 0, true, -1, -1, -1);
    }
}
