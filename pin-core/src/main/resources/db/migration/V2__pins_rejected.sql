-- The quarantine: every record a Spark job read but could not turn into a row of pins_batch or
-- pins_stream, with the reason (docs/pin-contract.md §3). Keyed by where the record came from, so a
-- replayed micro-batch or a re-run day rewrites its row instead of adding one.
CREATE TABLE pins_rejected (
    job             TEXT NOT NULL,         -- 'stream' or 'batch'
    source          TEXT NOT NULL,         -- kafka:<topic>/<partition>/<offset>, or s3a://<bucket>/<key>#<position>
    kafka_partition INTEGER,               -- lineage, when known
    kafka_offset    BIGINT,
    raw_value       BYTEA,                 -- the record's first bytes (at most RejectedPins.MAX_RAW_BYTES); null for a null Kafka value
    raw_length      INTEGER NOT NULL,      -- the record's whole length in bytes
    reason          TEXT NOT NULL,         -- why it is not a row: names the field or the problem
    run_id          TEXT NOT NULL,         -- the pipeline_runs row that quarantined it (its job, run_id, batch_id)
    batch_id        BIGINT NOT NULL DEFAULT 0,
    rejected_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (job, source)
);

CREATE INDEX pins_rejected_run ON pins_rejected (job, run_id, batch_id);
