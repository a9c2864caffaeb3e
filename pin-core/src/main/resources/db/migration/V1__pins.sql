-- The clean pins, one table per layer of the Lambda architecture (docs/pin-contract.md §3).
CREATE TABLE pins_batch (
    unique_id         UUID PRIMARY KEY,
    "index"           INTEGER NOT NULL,
    category          TEXT NOT NULL,
    title             TEXT,
    description       TEXT,
    tag_list          TEXT,
    follower_count    BIGINT,
    downloaded        BOOLEAN,
    is_image_or_video TEXT,
    image_src         TEXT,
    save_location     TEXT,
    kafka_partition   INTEGER,      -- lineage: where the pin came from
    kafka_offset      BIGINT,
    ingested_at       TIMESTAMPTZ,  -- the Kafka record's timestamp
    processed_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE pins_stream (LIKE pins_batch INCLUDING ALL);

-- One row per batch run (job 'batch', batch_id 0) or streaming micro-batch (job 'stream',
-- run_id = the query id that survives restarts, batch_id = Spark's batch id). The stream job
-- writes its row in the same transaction as the micro-batch's pins, so a replay is recognised.
CREATE TABLE pipeline_runs (
    job           TEXT NOT NULL,
    run_id        TEXT NOT NULL,
    batch_id      BIGINT NOT NULL DEFAULT 0,
    date_from     DATE,
    date_to       DATE,
    rows_read     BIGINT NOT NULL DEFAULT 0,
    rows_written  BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0,
    status        TEXT NOT NULL DEFAULT 'succeeded',
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ,
    PRIMARY KEY (job, run_id, batch_id)
);
