package dev.pinpipe.spark;

import dev.pinpipe.core.Secrets;
import dev.pinpipe.core.config.Settings;
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

    public PostgresSettings {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("expected a jdbc:postgresql: URL, got " + redacted(jdbcUrl));
        }
    }

    /**
     * From the catalogue's {@link Settings#JDBC_URL}, {@link Settings#DB_USER} and {@link Settings#DB_PASSWORD}
     * (the password also from its {@code _FILE} variable), else their local defaults. The password never
     * comes from a command line: {@code ps} shows those.
     */
    public static PostgresSettings fromEnv() {
        return fromEnv(System.getenv());
    }

    public static PostgresSettings fromEnv(Map<String, String> env) {
        return new PostgresSettings(Settings.JDBC_URL.value(env::get), Settings.DB_USER.value(env::get), password(env));
    }

    /** The catalogue's {@link Settings#DB_PASSWORD}: its variable or the file its {@code _FILE} variable names, else the local default. */
    public static String password(Map<String, String> env) {
        return Settings.DB_PASSWORD.secretValue(env::get);
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
            throw new SQLException("pgjdbc refused the URL " + redacted(jdbcUrl));
        }
        return connection;
    }

    /** Never prints the password, nor one given as a parameter of the URL. */
    @Override
    public String toString() {
        return "PostgresSettings[jdbcUrl=" + redacted(jdbcUrl) + ", user=" + user + ", password=***]";
    }

    private static String redacted(String jdbcUrl) {
        return Secrets.redactedJdbcUrl(jdbcUrl);
    }
}
