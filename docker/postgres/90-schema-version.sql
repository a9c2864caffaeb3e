-- Runs once, after the migrations mounted before it: records them the way
-- dev.pinpipe.core.db.SchemaMigrator does, so a job that migrates on start finds the schema current
-- instead of re-running V1 on existing tables. One row per file of SchemaMigrator.MIGRATIONS
-- (deploy-check's ComposeSchemaTest keeps the two lists equal).
CREATE TABLE IF NOT EXISTS pinpipe_schema_version (
    version    INTEGER PRIMARY KEY,
    script     TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO pinpipe_schema_version (version, script) VALUES
    (1, 'V1__pins.sql');
