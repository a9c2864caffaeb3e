package dev.pinpipe.stream;

/**
 * What the writer knows about one micro-batch once its transaction is over; the listener joins it
 * with Spark's own progress figures. Latencies run from the Kafka record's timestamp to our commit,
 * i.e. until the row is visible in pins_stream; they are -1 for a replay or an empty batch.
 */
record BatchOutcome(long batchId, long rowsRead, long rowsWritten, long rowsRejected, boolean replay,
                    long latencyP50Ms, long latencyP99Ms, long latencyMaxMs, WriterTimes times) {

    static BatchOutcome replayed(long batchId) {
        return new BatchOutcome(batchId, 0, 0, 0, true, -1, -1, -1, WriterTimes.NONE);
    }

    /**
     * Where the writer's part of a micro-batch (Spark's {@code addBatch}) went, in ms: planning the
     * rules' query (analysis, optimization, physical plan: the same work every micro-batch), the Spark
     * job that reads Kafka, applies the rules and collects the rows, and the Postgres transaction
     * (COPY, upsert, ledger, commit). -1 for a replay.
     */
    record WriterTimes(long planMs, long sparkJobMs, long postgresMs) {
        static final WriterTimes NONE = new WriterTimes(-1, -1, -1);
    }
}
