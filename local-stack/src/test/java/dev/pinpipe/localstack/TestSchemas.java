package dev.pinpipe.localstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A fresh, empty schema of the stack's database per test: a database of its own as far as Flyway and the
 * pipeline's unqualified SQL are concerned, so the stack's {@code public} schema stays as the stack made it.
 */
final class TestSchemas {

    private TestSchemas() {
    }

    /** Creates a schema with a random name and returns the name. */
    static String create(LocalStack stack) throws SQLException {
        String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = Clients.jdbc(stack); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        }
        return schema;
    }

    /** A URL whose connections have {@code schema} as their current schema (search_path): where unqualified SQL lands. */
    static String url(LocalStack stack, String schema) {
        return stack.jdbcUrl() + "?currentSchema=" + schema;
    }

    static Connection connect(LocalStack stack, String schema) throws SQLException {
        return DriverManager.getConnection(url(stack, schema), stack.dbUser(), stack.dbPassword());
    }
}
