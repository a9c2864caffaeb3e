-- Read-only views over the two layers for people, the report and the dashboards (README.md, "Looking
-- at the results"). They hold no data: each query reads the tables as they are at that moment.

-- The Lambda serving layer: the batch layer's rows, and the speed layer's for the pins the batch layer
-- does not have (yet). The anti-join runs on pins_batch's primary key.
CREATE VIEW pins_serving AS
SELECT b.unique_id, b."index", b.category, b.title, b.description, b.tag_list, b.follower_count,
       b.downloaded, b.is_image_or_video, b.image_src, b.save_location, b.kafka_partition,
       b.kafka_offset, b.ingested_at, b.processed_at, 'batch'::text AS layer
FROM pins_batch b
UNION ALL
SELECT s.unique_id, s."index", s.category, s.title, s.description, s.tag_list, s.follower_count,
       s.downloaded, s.is_image_or_video, s.image_src, s.save_location, s.kafka_partition,
       s.kafka_offset, s.ingested_at, s.processed_at, 'stream'::text AS layer
FROM pins_stream s
WHERE NOT EXISTS (SELECT 1 FROM pins_batch b WHERE b.unique_id = s.unique_id);

-- Pins by the UTC day they were acknowledged (whatever the session's time zone); a pin without
-- ingested_at has no day and is left out.
CREATE VIEW pins_per_day AS
SELECT (ingested_at AT TIME ZONE 'UTC')::date AS day, count(*) AS pins
FROM pins_serving
WHERE ingested_at IS NOT NULL
GROUP BY 1
ORDER BY 1;

CREATE VIEW pins_per_category AS
SELECT category, count(*) AS pins
FROM pins_serving
GROUP BY category
ORDER BY pins DESC, category;

-- Pins by follower count, a bucket per order of magnitude, each listed (0 when empty); a NULL count
-- (the source said nothing usable) is 'unknown', with no lower bound, last.
CREATE VIEW pins_follower_buckets AS
WITH buckets (bucket, lower_bound) AS (
    VALUES ('0–99', 0::bigint), ('100–999', 100), ('1k–9.9k', 1000), ('10k–99.9k', 10000),
           ('100k–999k', 100000), ('1M+', 1000000), ('unknown', NULL)
), counted AS (
    SELECT CASE WHEN follower_count IS NULL THEN NULL
                WHEN follower_count < 100 THEN 0
                WHEN follower_count < 1000 THEN 100
                WHEN follower_count < 10000 THEN 1000
                WHEN follower_count < 100000 THEN 10000
                WHEN follower_count < 1000000 THEN 100000
                ELSE 1000000 END::bigint AS lower_bound,
           count(*) AS pins
    FROM pins_serving
    GROUP BY 1
)
SELECT b.bucket, b.lower_bound, coalesce(c.pins, 0) AS pins
FROM buckets b
LEFT JOIN counted c ON c.lower_bound IS NOT DISTINCT FROM b.lower_bound
ORDER BY b.lower_bound NULLS LAST;

-- Pins by is_image_or_video and their share of all pins (0..1, four decimals); NULL and '' are 'unknown'.
CREATE VIEW pins_media_share AS
SELECT coalesce(nullif(is_image_or_video, ''), 'unknown') AS media_type,
       count(*) AS pins,
       round(count(*) / sum(count(*)) OVER (), 4) AS share
FROM pins_serving
GROUP BY 1
ORDER BY pins DESC, media_type;

CREATE VIEW pins_ingested_per_minute AS
SELECT date_trunc('minute', ingested_at) AS minute, count(*) AS pins
FROM pins_serving
WHERE ingested_at IS NOT NULL
GROUP BY 1
ORDER BY 1;

-- The speed layer's latency from the broker's acknowledgement (ingested_at) to the row (processed_at),
-- per minute of acknowledgement. A replayed row carries its newer processed_at.
CREATE VIEW stream_latency_per_minute AS
WITH latency AS (
    SELECT date_trunc('minute', ingested_at) AS minute,
           (extract(epoch FROM processed_at - ingested_at) * 1000)::double precision AS ms
    FROM pins_stream
    WHERE ingested_at IS NOT NULL
)
SELECT minute,
       count(*) AS pins,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50_ms,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99_ms
FROM latency
GROUP BY minute
ORDER BY minute;

-- Each job's newest run (by started_at: a stream query started afresh counts its batches from 0 again),
-- the rows it ever quarantined, and how far its table is behind: now() minus the newest ingested_at in
-- pins_batch ('batch') or pins_stream ('stream'). The stream job adds a run per micro-batch, so the
-- newest is found through the index below instead of a sort of every run.
CREATE INDEX pipeline_runs_newest ON pipeline_runs (job, started_at DESC, batch_id DESC, run_id DESC);

CREATE VIEW pipeline_runs_latest AS
SELECT r.job, r.run_id, r.batch_id, r.status, r.rows_read, r.rows_written, r.rows_rejected,
       r.started_at, r.finished_at,
       (SELECT count(*) FROM pins_rejected q WHERE q.job = r.job) AS quarantined,
       now() - CASE r.job WHEN 'batch' THEN (SELECT max(ingested_at) FROM pins_batch)
                          WHEN 'stream' THEN (SELECT max(ingested_at) FROM pins_stream) END AS lag
FROM (VALUES ('batch'), ('stream')) AS jobs (job)
CROSS JOIN LATERAL (
    SELECT * FROM pipeline_runs p
    WHERE p.job = jobs.job
    ORDER BY p.started_at DESC, p.batch_id DESC, p.run_id DESC
    LIMIT 1) r
ORDER BY r.job;

-- Where the two layers disagree about a pin: in one only, or in both with a different cleaned value.
-- processed_at, the Kafka coordinates and ingested_at are not compared: they differ by design.
CREATE VIEW pins_layer_disagreement AS
SELECT coalesce(b.unique_id, s.unique_id) AS unique_id,
       CASE WHEN s.unique_id IS NULL THEN 'only in batch'
            WHEN b.unique_id IS NULL THEN 'only in stream'
            ELSE 'cleaned columns differ' END AS problem
FROM pins_batch b
FULL JOIN pins_stream s ON s.unique_id = b.unique_id
WHERE b.unique_id IS NULL OR s.unique_id IS NULL
   OR (b."index", b.category, b.title, b.description, b.tag_list, b.follower_count, b.downloaded,
       b.is_image_or_video, b.image_src, b.save_location)
      IS DISTINCT FROM
      (s."index", s.category, s.title, s.description, s.tag_list, s.follower_count, s.downloaded,
       s.is_image_or_video, s.image_src, s.save_location);

-- The same comparison in one row: in_both counts every pin both layers hold, differ those of them
-- whose cleaned columns disagree.
CREATE VIEW pins_layer_agreement AS
SELECT (SELECT count(*) FROM pins_batch) - count(*) FILTER (WHERE problem = 'only in batch') AS in_both,
       count(*) FILTER (WHERE problem = 'only in batch') AS only_batch,
       count(*) FILTER (WHERE problem = 'only in stream') AS only_stream,
       count(*) FILTER (WHERE problem = 'cleaned columns differ') AS differ
FROM pins_layer_disagreement;
