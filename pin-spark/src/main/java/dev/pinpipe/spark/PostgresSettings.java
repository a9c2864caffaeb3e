package dev.pinpipe.spark;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Where clean pins are written. Serializable because Spark ships it to every executor.
 *
 * @param jdbcUrl  e.g. {@code jdbc:postgresql://127.0.0.1:5432/pinterest}
 */
public record PostgresSettings(String jdbcUrl, String user, String password) implements Serializable {

    public static final String JDBC_URL_ENV = "PINPIPE_JDBC_URL";
    public static final String USER_ENV = "PINPIPE_DB_USER";
    public static final String PASSWORD_ENV = "PINPIPE_DB_PASSWORD";

    public static final String DEFAULT_JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/pinterest";
    public static final String DEFAULT_USER = "pinpipe";
    public static final String DEFAULT_PASSWORD = "pinpipe";

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("expected a jdbc:postgresql: URL, got " + jdbcUrl);
        }
    }

    /** From PINPIPE_JDBC_URL / PINPIPE_DB_USER / PINPIPE_DB_PASSWORD, with the local defaults. */
    public static PostgresSettings fromEnv() {
        return fromEnv(System.getenv());
    }

    public static PostgresSettings fromEnv(Map<String, String> env) {
        return new PostgresSettings(
                env.getOrDefault(JDBC_URL_ENV, DEFAULT_JDBC_URL),
                env.getOrDefault(USER_ENV, DEFAULT_USER),
                env.getOrDefault(PASSWORD_ENV, DEFAULT_PASSWORD));
    }

    /**
     * A new connection. Through pgjdbc's driver directly rather than {@code DriverManager}, which
     * does not see a driver that only a job jar's class loader (spark-submit) holds.
     */
    public Connection connect() throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        Connection connection = new org.postgresql.Driver().connect(jdbcUrl, props);
        if (connection == null) {
            throw new SQLException("pgjdbc refused the URL " + jdbcUrl);
        }
        return connection;
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=***]";
    }
}
