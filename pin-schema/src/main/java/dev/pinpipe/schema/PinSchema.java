package dev.pinpipe.schema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The pipeline's PostgreSQL schema, owned by Flyway: the versioned migrations of pin-core's
 * {@code db/migration/V*.sql} applied in order, once each, recorded in {@value #HISTORY_TABLE} of the
 * connection's current schema ({@code public} unless the URL says {@code currentSchema=}). One entry
 * point for the local stack, {@code ./pinpipe migrate} and compose's {@code migrate} service.
 *
 * <p>A database made by the home-made migrator this replaced carries its record {@value #LEGACY_TABLE}
 * (version 1 = V1__pins.sql, 2 = V2__pins_rejected.sql) and no Flyway history. Such a database is
 * adopted: Flyway baselines it at the last old version whose tables are all there, so V1/V2 never run
 * twice, and applies only what comes after. The old table is left as it was and no longer read.
 */
public final class PinSchema {

    /** Where the migrations are: pin-core's resources, on the classpath of everything that migrates. */
    public static final String LOCATION = "classpath:db/migration";
    /** Flyway's record of what ran (its default name). */
    public static final String HISTORY_TABLE = "flyway_schema_history";
    /** The old migrator's record: {@code version INTEGER, script TEXT, applied_at TIMESTAMPTZ}. */
    public static final String LEGACY_TABLE = "pinpipe_schema_version";

    /**
     * The old migrator's versions and the tables each created: a version counts as applied only when
     * its record row and all its tables are there (a database set up by hand may record V2 without
     * having run it). Closed: the old migrator knew these two and no other.
     */
    static final Map<Integer, List<String>> LEGACY_VERSIONS = Map.of(
            1, List.of("pins_batch", "pins_stream", "pipeline_runs"),
            2, List.of("pins_rejected"));

    private PinSchema() {
    }

    /** What a migration did. */
    public record Result(String schema, String initialVersion, String version, List<String> applied, Integer adoptedAt) {

        public String summary() {
            String adopted = adoptedAt == null ? ""
                    : "adopted the old " + LEGACY_TABLE + " at version " + adoptedAt + " (baseline); ";
            String ran = applied.isEmpty() ? "nothing to apply" : "applied " + String.join(", ", applied);
            return "schema \"" + schema + "\": " + adopted + ran + "; now at version " + version;
        }
    }

    /** Applies what is missing; safe to run any number of times, from several processes at once. */
    public static Result migrate(String jdbcUrl, String user, String password) throws SQLException {
        FluentConfiguration config = configure(jdbcUrl, user, password);
        Integer adoptAt;
        String schema;
        try (Connection c = config.getDataSource().getConnection()) {
            schema = c.getSchema();
            adoptAt = legacyBaseline(c);
        }
        if (adoptAt != null) {
            config.baselineOnMigrate(true)
                    .baselineVersion(Integer.toString(adoptAt))
                    .baselineDescription("adopted from " + LEGACY_TABLE);
        }
        MigrateResult result = config.load().migrate();
        List<String> applied = result.getSuccessfulMigrations().stream()
                .map(m -> "V" + m.version + " " + m.description).toList();
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                : result.initialSchemaVersion != null ? result.initialSchemaVersion : "none";
        return new Result(schema, result.initialSchemaVersion, version, applied, adoptAt);
    }

    /** Flyway as the pipeline uses it: our location only, no clean, no out-of-order. */
    static FluentConfiguration configure(String jdbcUrl, String user, String password) {
        return Flyway.configure()
                .dataSource(jdbcUrl, user, password)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                .cleanDisabled(true);
    }

    /**
     * The version to baseline a database of the old migrator at, or null when there is nothing to
     * adopt: Flyway already keeps the schema, or the old record is absent (a fresh database).
     */
    static Integer legacyBaseline(Connection c) throws SQLException {
        Set<String> tables = tablesOfCurrentSchema(c);
        if (tables.contains(HISTORY_TABLE) || !tables.contains(LEGACY_TABLE)) {
            return null;
        }
        Set<Integer> recorded = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT version FROM " + LEGACY_TABLE);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                recorded.add(rs.getInt(1));
            }
        }
        int baseline = 0;
        for (int v = 1; LEGACY_VERSIONS.containsKey(v) && recorded.contains(v) && tables.containsAll(LEGACY_VERSIONS.get(v)); v++) {
            baseline = v;
        }
        return baseline;
    }

    private static Set<String> tablesOfCurrentSchema(Connection c) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        return tables;
    }
}
