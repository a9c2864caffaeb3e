package dev.pinpipe.schema;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import dev.pinpipe.core.config.CatalogueDefaults;
import dev.pinpipe.core.Secrets;
import dev.pinpipe.core.config.DatabaseOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./pinpipe sql "<query>"} where the machine has no psql: runs the query over JDBC and prints
 * what {@code psql -c} would — each result as an {@link AlignedTable}, a statement without rows as its
 * command tag, PostgreSQL's own error message. The text goes to the server as one simple query, as
 * psql sends it, so several statements run in one transaction and an error's position is the text's.
 * Exit 0, 1 on an SQL error, 2 on bad settings or when the database cannot be reached.
 */
@Command(name = "sql", mixinStandardHelpOptions = true, sortOptions = false, usageHelpWidth = 100,
        description = {
            "Runs one query (or several, separated by ';') against the pipeline's PostgreSQL and prints the results as psql does.",
            "What ./pinpipe sql runs when psql is not on the PATH. Password: PINPIPE_DB_PASSWORD or PINPIPE_DB_PASSWORD_FILE; never a flag."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:done", "1:PostgreSQL reported an error", "2:bad settings, or the database cannot be reached"})
public final class SqlMain implements Callable<Integer> {

    /** java.sql types psql right-aligns: the numbers. */
    private static final Set<Integer> NUMBERS = Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT,
            Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL);

    @Mixin
    DatabaseOptions db;

    @Parameters(index = "0", paramLabel = "QUERY", description = "the SQL to run")
    String query;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;

    /** @param env where the settings are read: the catalogue's variables and the password's */
    public SqlMain(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command over {@code env}, its defaults from the catalogue. */
    public static CommandLine commandLine(Map<String, String> env) {
        return new CommandLine(new SqlMain(env)).setDefaultValueProvider(new CatalogueDefaults(env));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (db.problem() != null) {
            err.println("sql: " + db.problem());
            return 2;
        }
        Properties properties = new Properties();
        properties.setProperty("user", db.user());
        try {
            properties.setProperty("password", db.password(env));
        } catch (IllegalArgumentException e) {
            err.println("sql: " + e.getMessage());
            return 2;
        }
        // psql's way: the whole text in one simple-protocol message, every value as the server's text
        properties.setProperty("preferQueryMode", "simple");
        properties.setProperty("ApplicationName", "pinpipe sql");
        Connection connection;
        try {
            connection = DriverManager.getConnection(db.jdbcUrl(), properties);
        } catch (SQLException e) {
            err.println("sql: cannot connect to " + db.redactedUrl() + " as " + db.user() + ": "
                    + Secrets.redactedJdbcUrl(String.valueOf(e.getMessage())));
            return 2;
        }
        try (connection; Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            List<String> tags = CommandTags.of(query);
            int result = 0;
            for (boolean rows = statement.execute(query); ; rows = statement.getMoreResults(), result++) {
                printWarnings(err, statement.getWarnings());
                statement.clearWarnings();
                if (rows) {
                    try (ResultSet rs = statement.getResultSet()) {
                        out.print(table(rs).render());
                    }
                } else if (statement.getUpdateCount() >= 0) {
                    out.println(result < tags.size() ? CommandTags.withCount(tags.get(result), statement.getUpdateCount()) : "OK");
                } else {
                    break;
                }
            }
            out.flush();
            return 0;
        } catch (SQLException e) {
            out.flush();
            err.print(errorReport(e, query));
            err.flush();
            return 1;
        }
    }

    static AlignedTable table(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<AlignedTable.Column> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(new AlignedTable.Column(meta.getColumnLabel(i), NUMBERS.contains(meta.getColumnType(i))));
        }
        List<List<String>> rows = new ArrayList<>();
        while (rs.next()) {
            List<String> row = new ArrayList<>(columns.size());
            for (int i = 1; i <= columns.size(); i++) {
                row.add(rs.getString(i));
            }
            rows.add(row);
        }
        return new AlignedTable(columns, rows);
    }

    /**
     * As psql reports an error: {@code ERROR:  message}, the line of the query it points at with a caret
     * under the position, then DETAIL and HINT. Only the message for an error that did not come from
     * the server.
     */
    static String errorReport(SQLException e, String query) {
        ServerErrorMessage server = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (server == null) {
            return "ERROR:  " + e.getMessage() + "\n";
        }
        StringBuilder out = new StringBuilder(server.getSeverity()).append(":  ").append(server.getMessage()).append('\n');
        int position = server.getPosition();
        if (position > 0 && position <= query.length() + 1) {
            int at = query.offsetByCodePoints(0, Math.min(position - 1, query.codePointCount(0, query.length())));
            int start = query.lastIndexOf('\n', at - 1) + 1;
            int end = query.indexOf('\n', at);
            String line = query.substring(start, end < 0 ? query.length() : end);
            String prefix = "LINE " + (query.substring(0, start).chars().filter(c -> c == '\n').count() + 1) + ": ";
            out.append(prefix).append(line).append('\n')
                    .append(" ".repeat(prefix.length() + query.codePointCount(start, at))).append("^\n");
        }
        if (server.getDetail() != null) {
            out.append("DETAIL:  ").append(server.getDetail()).append('\n');
        }
        if (server.getHint() != null) {
            out.append("HINT:  ").append(server.getHint()).append('\n');
        }
        return out.toString();
    }

    /** A NOTICE (or WARNING) the server raised, as psql prints it. */
    private static void printWarnings(PrintWriter err, SQLWarning warning) {
        for (SQLWarning w = warning; w != null; w = w.getNextWarning()) {
            err.println(w.getMessage().startsWith("NOTICE: ") || w.getMessage().startsWith("WARNING: ")
                    ? w.getMessage().replaceFirst(": ", ":  ") : "NOTICE:  " + w.getMessage());
        }
        err.flush();
    }
}
