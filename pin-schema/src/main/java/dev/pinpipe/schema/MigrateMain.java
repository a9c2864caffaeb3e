package dev.pinpipe.schema;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

import org.flywaydb.core.api.FlywayException;

import dev.pinpipe.core.Secrets;
import dev.pinpipe.core.config.CatalogueDefaults;
import dev.pinpipe.core.config.DatabaseOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
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

    /** The database, as a role that may create tables in it. */
    @Mixin
    DatabaseOptions db;

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
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command over {@code env}, its defaults from the catalogue. */
    public static CommandLine commandLine(Map<String, String> env) {
        return new CommandLine(new MigrateMain(env)).setDefaultValueProvider(new CatalogueDefaults(env));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (db.problem() != null) {
            err.println("migrate: " + db.problem());
            return 2;
        }
        String password;
        try {
            password = db.password(env);
        } catch (IllegalArgumentException e) {
            err.println("migrate: " + e.getMessage());
            return 2;
        }
        try {
            PinSchema.Result result = PinSchema.migrate(db.jdbcUrl(), db.user(), password);
            out.println("migrate: " + db.redactedUrl() + " as " + db.user() + ": " + result.summary());
            out.flush();
            return 0;
        } catch (FlywayException | java.sql.SQLException e) {
            err.println("migrate: " + db.redactedUrl() + " as " + db.user() + " failed: "
                    + Secrets.redactedJdbcUrl(String.valueOf(e.getMessage())));
            return 1;
        }
    }
}
