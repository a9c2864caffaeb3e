package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.pinpipe.schema.MigrateMain;
import dev.pinpipe.schema.PinSchema;
import picocli.CommandLine;

/**
 * Flyway on the stack's real PostgreSQL. Each test works in a schema of its own (a fresh "database" for
 * Flyway and for the old migrator alike: both only ever used the connection's current schema), so the
 * stack's own {@code public} schema stays as the stack made it.
 */
@ExtendWith(LocalStackExtension.class)
class SchemaMigrationIT {

    /**
     * What the old home-made migrator (SchemaMigrator, removed) left in a database once it had applied
     * V1__pins.sql and V2__pins_rejected.sql: their DDL as it was then, and its version record. Written out
     * here on purpose: it must not follow later edits of the migrations.
     */
    private static final String OLD_MIGRATOR_V1 = """
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
                kafka_partition   INTEGER,
                kafka_offset      BIGINT,
                ingested_at       TIMESTAMPTZ,
                processed_at      TIMESTAMPTZ NOT NULL DEFAULT now()
            );
            CREATE TABLE pins_stream (LIKE pins_batch INCLUDING ALL);
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
            """;
    private static final String OLD_MIGRATOR_V2 = """
            CREATE TABLE pins_rejected (
                job             TEXT NOT NULL,
                source          TEXT NOT NULL,
                kafka_partition INTEGER,
                kafka_offset    BIGINT,
                raw_value       BYTEA,
                raw_length      INTEGER NOT NULL,
                reason          TEXT NOT NULL,
                run_id          TEXT NOT NULL,
                batch_id        BIGINT NOT NULL DEFAULT 0,
                rejected_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
                PRIMARY KEY (job, source)
            );
            CREATE INDEX pins_rejected_run ON pins_rejected (job, run_id, batch_id);
            """;
    /** The old migrator's version table, created before its first migration, one row per migration. */
    private static final String OLD_VERSION_TABLE = """
            CREATE TABLE IF NOT EXISTS pinpipe_schema_version (
                version INTEGER PRIMARY KEY, script TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
            """;
    private static final String OLD_RECORD_V1 = "INSERT INTO pinpipe_schema_version (version, script) VALUES (1, 'V1__pins.sql')";
    private static final String OLD_RECORD_V2 = "INSERT INTO pinpipe_schema_version (version, script) VALUES (2, 'V2__pins_rejected.sql')";

    private static final List<String> BOOKKEEPING = List.of(PinSchema.HISTORY_TABLE, PinSchema.LEGACY_TABLE);

    @Test
    void theStacksOwnDatabaseIsKeptByFlyway(LocalStack stack) throws Exception {
        try (Connection c = Clients.jdbc(stack)) {
            assertThat(history(c, "public")).extracting(Row::text)
                    .containsExactly("1 pins SQL true", "2 pins rejected SQL true", "3 views SQL true");
        }
    }

    /** V1 and V2 make the tables the old migrator made: once both are migrated, nothing tells them apart. */
    @Test
    void aFreshDatabaseMigratesToTheSchemaTheOldMigratorLeft(LocalStack stack) throws Exception {
        String fresh = TestSchemas.create(stack);
        String old = TestSchemas.create(stack);
        oldMigrator(stack, old, true, true, true);

        PinSchema.Result result = PinSchema.migrate(url(stack, fresh), stack.dbUser(), stack.dbPassword());
        PinSchema.migrate(url(stack, old), stack.dbUser(), stack.dbPassword());

        assertThat(result.adoptedAt()).isNull();
        assertThat(result.applied()).containsExactly("V1 pins", "V2 pins rejected", "V3 views");
        assertThat(result.version()).isEqualTo("3");
        try (Connection c = Clients.jdbc(stack)) {
            assertThat(history(c, fresh)).extracting(Row::text)
                    .containsExactly("1 pins SQL true", "2 pins rejected SQL true", "3 views SQL true");
            assertThat(describe(c, fresh)).isNotEmpty().isEqualTo(describe(c, old));
            assertThat(tables(c, fresh)).doesNotContain(PinSchema.LEGACY_TABLE);
        }
        // a second run finds nothing to do
        assertThat(PinSchema.migrate(url(stack, fresh), stack.dbUser(), stack.dbPassword()).applied()).isEmpty();
    }

    @Test
    void aDatabaseOfTheOldMigratorIsAdoptedWithoutReRunningV1OrV2(LocalStack stack) throws Exception {
        String schema = TestSchemas.create(stack);
        oldMigrator(stack, schema, true, true, true);
        UUID pin = UUID.randomUUID();
        try (Connection c = TestSchemas.connect(stack, schema);
             Statement st = c.createStatement()) {
            st.execute("INSERT INTO pins_batch (unique_id, \"index\", category) VALUES ('" + pin + "', 7, 'art')");
        }
        List<String> before;
        try (Connection c = Clients.jdbc(stack)) {
            before = describe(c, schema);
        }

        PinSchema.Result result = PinSchema.migrate(url(stack, schema), stack.dbUser(), stack.dbPassword());

        assertThat(result.adoptedAt()).isEqualTo(2);
        assertThat(result.applied()).as("only what came after V2").containsExactly("V3 views");
        assertThat(result.version()).isEqualTo("3");
        assertThat(result.summary()).contains("adopted the old pinpipe_schema_version at version 2");
        try (Connection c = Clients.jdbc(stack)) {
            assertThat(history(c, schema)).extracting(Row::text)
                    .containsExactly("2 adopted from pinpipe_schema_version BASELINE true", "3 views SQL true");
            assertThat(describe(c, schema)).as("the tables as they were, the views beside them").containsAll(before);
            assertThat(count(c, schema, "pins_batch WHERE unique_id = '" + pin + "'")).as("the tables were not re-created").isEqualTo(1);
            assertThat(count(c, schema, PinSchema.LEGACY_TABLE)).as("the old record is left as it was").isEqualTo(2);
        }
        PinSchema.Result again = PinSchema.migrate(url(stack, schema), stack.dbUser(), stack.dbPassword());
        assertThat(again.adoptedAt()).as("adopted once; then Flyway's history rules").isNull();
        assertThat(again.applied()).isEmpty();
        try (Connection c = Clients.jdbc(stack)) {
            assertThat(history(c, schema)).hasSize(2);
        }
    }

    /** A database Flyway brought to V2 earlier, rows and all, gets V3's views on the next migrate, reading those rows. */
    @Test
    void aDatabaseAtV2GetsTheViewsOverTheRowsItHas(LocalStack stack) throws Exception {
        String schema = TestSchemas.create(stack);
        Flyway.configure().dataSource(url(stack, schema), stack.dbUser(), stack.dbPassword())
                .locations(PinSchema.LOCATION).target("2").load().migrate();
        UUID pin = UUID.randomUUID();
        try (Connection c = TestSchemas.connect(stack, schema); Statement st = c.createStatement()) {
            st.execute("INSERT INTO pins_stream (unique_id, \"index\", category) VALUES ('" + pin + "', 7, 'art')");
        }

        PinSchema.Result result = PinSchema.migrate(url(stack, schema), stack.dbUser(), stack.dbPassword());

        assertThat(result.applied()).containsExactly("V3 views");
        assertThat(result.version()).isEqualTo("3");
        try (Connection c = TestSchemas.connect(stack, schema); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT unique_id, layer FROM pins_serving")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getObject(1, UUID.class) + " " + rs.getString(2)).isEqualTo(pin + " stream");
            assertThat(rs.next()).isFalse();
        }
        assertThat(PinSchema.migrate(url(stack, schema), stack.dbUser(), stack.dbPassword()).applied()).isEmpty();
    }

    /**
     * docs/cluster.md once had cluster users run V1 by hand plus a version record listing V1 and V2: a
     * record of V2 without its table. Adoption trusts the tables, so V2 is applied then.
     */
    @Test
    void aRecordedVersionWhoseTablesAreMissingIsAppliedAfterAll(LocalStack stack) throws Exception {
        String schema = TestSchemas.create(stack);
        oldMigrator(stack, schema, true, false, true);

        PinSchema.Result result = PinSchema.migrate(url(stack, schema), stack.dbUser(), stack.dbPassword());

        assertThat(result.adoptedAt()).isEqualTo(1);
        assertThat(result.applied()).containsExactly("V2 pins rejected", "V3 views");
        try (Connection c = Clients.jdbc(stack)) {
            assertThat(history(c, schema)).extracting(Row::text)
                    .containsExactly("1 adopted from pinpipe_schema_version BASELINE true", "2 pins rejected SQL true", "3 views SQL true");
            assertThat(tables(c, schema)).contains("pins_rejected");
        }
    }

    @Test
    void tablesWithNeitherRecordAreRefusedNotGuessed(LocalStack stack) throws Exception {
        String schema = TestSchemas.create(stack);
        try (Connection c = TestSchemas.connect(stack, schema);
             Statement st = c.createStatement()) {
            st.execute(OLD_MIGRATOR_V1);
        }
        assertThatThrownBy(() -> PinSchema.migrate(url(stack, schema), stack.dbUser(), stack.dbPassword()))
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("non-empty schema");
    }

    /** The command ./pinpipe migrate and compose run, with the password from a file as a mounted secret gives it. */
    @Test
    void theMigrateCommandMigratesAndReports(LocalStack stack, @TempDir Path dir) throws Exception {
        String schema = TestSchemas.create(stack);
        Path secret = Files.writeString(dir.resolve("db-password"), stack.dbPassword() + "\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = MigrateMain.commandLine(Map.of("PINPIPE_DB_PASSWORD_FILE", secret.toString()))
                .setOut(new PrintWriter(out)).setErr(new PrintWriter(err));

        int code = cli.execute("--jdbc-url", url(stack, schema), "--db-user", stack.dbUser());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("schema \"" + schema + "\": applied V1 pins, V2 pins rejected, V3 views; now at version 3");
        assertThat(cli.execute("--jdbc-url", url(stack, schema), "--db-user", stack.dbUser())).isZero();
        assertThat(out.toString()).contains("nothing to apply; now at version 3");
        try (Connection c = Clients.jdbc(stack)) {
            assertThat(tables(c, schema)).contains("pins_batch", "pins_stream", "pipeline_runs", "pins_rejected");
        }
    }

    @Test
    void theMigrateCommandFailsWithStatusOneWhenTheDatabaseIsNotThere(LocalStack stack) {
        StringWriter err = new StringWriter();
        CommandLine cli = MigrateMain.commandLine(Map.of("PINPIPE_DB_PASSWORD", "s3cr3t"))
                .setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(err));
        String missing = stack.jdbcUrl().replace("/pinterest", "/no_such_database") + "?connectTimeout=5";

        assertThat(cli.execute("--jdbc-url", missing, "--db-user", stack.dbUser())).isEqualTo(1);
        assertThat(err.toString()).contains("migrate: ", "failed").doesNotContain("s3cr3t");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static String url(LocalStack stack, String schema) {
        return TestSchemas.url(stack, schema);
    }

    /** As the old migrator did it: version table, then each migration and its row, in one transaction. */
    private static void oldMigrator(LocalStack stack, String schema, boolean v1, boolean v2, boolean recordV2)
            throws SQLException {
        try (Connection c = TestSchemas.connect(stack, schema);
             Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute(OLD_VERSION_TABLE);
            if (v1) {
                st.execute(OLD_MIGRATOR_V1);
                st.execute(OLD_RECORD_V1);
            }
            if (v2) {
                st.execute(OLD_MIGRATOR_V2);
            }
            if (recordV2) {
                st.execute(OLD_RECORD_V2);
            }
            c.commit();
        }
    }

    record Row(String text) {
    }

    private static List<Row> history(Connection c, String schema) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT version, description, type, success FROM " + schema + "." + PinSchema.HISTORY_TABLE + " ORDER BY installed_rank")) {
            while (rs.next()) {
                rows.add(new Row(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getBoolean(4)));
            }
        }
        return rows;
    }

    private static List<String> tables(Connection c, String schema) throws SQLException {
        return query(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY 1", schema);
    }

    private static long count(Connection c, String schema, String from) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + "." + from)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The pipeline's tables and views as PostgreSQL sees them, bookkeeping tables left out: columns (type,
     * null, default), constraints and indexes by definition, the schema's name taken out.
     */
    private static List<String> describe(Connection c, String schema) throws SQLException {
        List<String> lines = new ArrayList<>();
        lines.addAll(query(c, """
                SELECT 'column ' || table_name || '.' || column_name || ' #' || ordinal_position || ' ' || data_type
                       || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '-')
                FROM information_schema.columns WHERE table_schema = ? AND table_name NOT IN (?, ?)
                ORDER BY table_name, ordinal_position""", schema));
        lines.addAll(query(c, """
                SELECT 'constraint ' || cl.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
                FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace
                WHERE n.nspname = ? AND cl.relname NOT IN (?, ?) ORDER BY 1""", schema));
        lines.addAll(query(c, """
                SELECT 'index ' || tablename || ' ' || indexname || ' ' || replace(indexdef, schemaname || '.', '')
                FROM pg_indexes WHERE schemaname = ? AND tablename NOT IN (?, ?) ORDER BY 1""", schema));
        return lines;
    }

    private static List<String> query(Connection c, String sql, String schema) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            if (sql.contains("NOT IN (?, ?)")) {
                ps.setString(2, BOOKKEEPING.get(0));
                ps.setString(3, BOOKKEEPING.get(1));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }
}
