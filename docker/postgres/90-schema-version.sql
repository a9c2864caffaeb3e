-- Runs once, after the migrations applied before it: records them the way
-- dev.pinpipe.core.db.SchemaMigrator does, so anything that later migrates with it finds the schema
-- current instead of re-running V1 on existing tables (which fails: "relation already exists").
-- One row per file of SchemaMigrator.MIGRATIONS (deploy-check's ComposeSchemaTest keeps them equal).
CREATE TABLE IF NOT EXISTS pinpipe_schema_version (
    version    INTEGER PRIMARY KEY,
    script     TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO pinpipe_schema_version (version, script) VALUES
    (1, 'V1__pins.sql'),
    (2, 'V2__pins_rejected.sql');
