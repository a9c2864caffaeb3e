package dev.pinpipe.core.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies the versioned SQL migrations under {@code db/migration/} in order, once each, recording
 * them in {@code pinpipe_schema_version}. A transaction-scoped advisory lock lets several processes
 * start at once. Deliberately tiny (instead of Flyway) so the Spark jobs carry no extra dependency.
 */
public final class SchemaMigrator {

    /** Every migration, oldest first. Append, never edit an applied one. */
    public static final List<String> MIGRATIONS = List.of("V1__pins.sql", "V2__pins_rejected.sql");

    private static final long LOCK_KEY = 0x70696e70697065L; // "pinpipe"

    private SchemaMigrator() {
    }

    /** Applies what is missing; returns how many migrations ran. */
    public static int migrate(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            st.execute("CREATE TABLE IF NOT EXISTS pinpipe_schema_version ("
                    + "version INTEGER PRIMARY KEY, script TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
            int current;
            try (ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM pinpipe_schema_version")) {
                rs.next();
                current = rs.getInt(1);
            }
            int applied = 0;
            for (int i = current; i < MIGRATIONS.size(); i++) {
                String script = MIGRATIONS.get(i);
                st.execute(read("db/migration/" + script));
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO pinpipe_schema_version (version, script) VALUES (?, ?)")) {
                    ps.setInt(1, i + 1);
                    ps.setString(2, script);
                    ps.executeUpdate();
                }
                applied++;
            }
            connection.commit();
            return applied;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static String read(String resource) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
