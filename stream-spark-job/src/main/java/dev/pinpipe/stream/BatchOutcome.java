package dev.pinpipe.stream;

/**
 * What the writer knows about one micro-batch once its transaction is over; the listener joins it
 * with Spark's own progress figures. (bench/stream measures each pin's ack-to-visible latency.)
 */
record BatchOutcome(long batchId, long rowsRead, long rowsWritten, long rowsRejected, boolean replay, WriterTimes times) {

    static BatchOutcome replayed(long batchId) {
        return new BatchOutcome(batchId, 0, 0, 0, true, WriterTimes.NONE);
    }

    /**
     * Where the writer's part of a micro-batch (Spark's {@code addBatch}) went, in ms: planning the
     * rules' query (analysis, optimization, physical plan: the same work every micro-batch), the Spark
     * job whose tasks read Kafka, apply the rules and write their rows to Postgres, and the driver's
     * Postgres time (the ledger row). -1 for a replay.
     */
    record WriterTimes(long planMs, long sparkJobMs, long postgresMs) {
        static final WriterTimes NONE = new WriterTimes(-1, -1, -1);
    }
}
