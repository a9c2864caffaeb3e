package dev.pinpipe.core.config;

import dev.pinpipe.core.Secrets;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The database options of every picocli main that talks to PostgreSQL ({@code @Mixin}): the URL and the
 * user as flags over their catalogue settings (through {@link CatalogueDefaults}), the password only
 * from the environment, never a flag.
 */
public final class DatabaseOptions {

    @Option(names = "--jdbc-url", paramLabel = "URL", descriptionKey = "PINPIPE_JDBC_URL",
            description = {"the database (env PINPIPE_JDBC_URL), default", "${DEFAULT-VALUE}"})
    String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER", descriptionKey = "PINPIPE_DB_USER",
            description = "the database user (env PINPIPE_DB_USER, default ${DEFAULT-VALUE})")
    String user;

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return user;
    }

    /** The URL, with the value of any {@code password=} parameter masked: what messages may show. */
    public String redactedUrl() {
        return Secrets.redactedJdbcUrl(jdbcUrl);
    }

    /** A message when the URL is not PostgreSQL's, else null. */
    public String problem() {
        return jdbcUrl.startsWith("jdbc:postgresql:") ? null
                : "expected a jdbc:postgresql: URL (" + Settings.JDBC_URL.variable() + "), got " + redactedUrl();
    }

    /**
     * The password: {@code PINPIPE_DB_PASSWORD} or the file {@code PINPIPE_DB_PASSWORD_FILE} names, else the local default.
     *
     * @throws IllegalArgumentException both set, or the file unreadable
     */
    public String password(Map<String, String> env) {
        return Settings.DB_PASSWORD.secretValue(env::get);
    }
}
