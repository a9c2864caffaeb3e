package dev.pinpipe.schema;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

import org.flywaydb.core.api.FlywayException;

import dev.pinpipe.core.Secrets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./pinpipe migrate}, compose's {@code migrate} service: brings the database the jobs write to
 * up to the newest migration ({@link PinSchema}). Reads the jobs' own settings: PINPIPE_JDBC_URL,
 * PINPIPE_DB_USER, and the password from PINPIPE_DB_PASSWORD or the file PINPIPE_DB_PASSWORD_FILE names
 * (never a flag: {@code ps} shows command lines). Exit 0 when the schema is current, 1 when migrating
 * failed, 2 on bad settings.
 */
@Command(name = "migrate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
            "Applies pin-core's db/migration (Flyway) to the pipeline's PostgreSQL database: what is missing, once each.",
            "A database made by the old migrator (table " + PinSchema.LEGACY_TABLE + ") is adopted without re-running V1/V2.",
            "Password: PINPIPE_DB_PASSWORD or PINPIPE_DB_PASSWORD_FILE (a file holding it), default pinpipe; never a flag."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:the schema is at the newest version", "1:migrating failed", "2:bad settings"})
public final class MigrateMain implements Callable<Integer> {

    static final String PASSWORD_ENV = "PINPIPE_DB_PASSWORD";
    static final String DEFAULT_PASSWORD = "pinpipe";

    @Option(names = "--jdbc-url", paramLabel = "URL",
            defaultValue = "${env:PINPIPE_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/pinterest}",
            description = "the database (env PINPIPE_JDBC_URL, default ${DEFAULT-VALUE})")
    String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:PINPIPE_DB_USER:-pinpipe}",
            description = "a role that may create tables in it (env PINPIPE_DB_USER, default ${DEFAULT-VALUE})")
    String user;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    public MigrateMain() {
        this(System.getenv());
    }

    /** @param env where the password (PINPIPE_DB_PASSWORD / PINPIPE_DB_PASSWORD_FILE) is read */
    public MigrateMain(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("pinpipe.log.level", "info"));
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.showLogName", "false");
        System.exit(new CommandLine(new MigrateMain()).execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            err.println("migrate: expected a jdbc:postgresql: URL (PINPIPE_JDBC_URL), got " + redacted(jdbcUrl));
            return 2;
        }
        String password;
        try {
            password = Objects.requireNonNullElse(Secrets.fromEnv(env, PASSWORD_ENV), DEFAULT_PASSWORD);
        } catch (IllegalArgumentException e) {
            err.println("migrate: " + e.getMessage());
            return 2;
        }
        try {
            PinSchema.Result result = PinSchema.migrate(jdbcUrl, user, password);
            out.println("migrate: " + redacted(jdbcUrl) + " as " + user + ": " + result.summary());
            out.flush();
            return 0;
        } catch (FlywayException | java.sql.SQLException e) {
            err.println("migrate: " + redacted(jdbcUrl) + " as " + user + " failed: " + redacted(String.valueOf(e.getMessage())));
            return 1;
        }
    }

    /** The URL with the value of any {@code password=} parameter masked. */
    static String redacted(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)([?&;]password=)[^&;]*", "$1***");
    }
}
