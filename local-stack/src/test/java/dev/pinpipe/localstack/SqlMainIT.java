package dev.pinpipe.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import dev.pinpipe.schema.SqlMain;

/**
 * {@code ./pinpipe sql} without psql: pin-schema's {@link SqlMain} against the stack's PostgreSQL, its
 * settings from the environment as the launcher passes them, in a schema of its own. The expected text
 * is what psql 15 prints for the same queries.
 */
@ExtendWith(LocalStackExtension.class)
class SqlMainIT {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void settingsOfAFreshSchema(LocalStack stack) throws Exception {
        env.put("PINPIPE_JDBC_URL", TestSchemas.url(stack, TestSchemas.create(stack)));
        env.put("PINPIPE_DB_USER", stack.dbUser());
        env.put("PINPIPE_DB_PASSWORD", stack.dbPassword());
    }

    private int sql(String query) {
        return SqlMain.commandLine(env).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute("--", query);
    }

    @Test
    void aResultAsPsqlPrintsIt() {
        int code = sql("SELECT 'x' AS a, E'ab\\nc' AS b, 1 AS n UNION ALL SELECT 'longer', NULL, NULL");

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("""
                   a    | b  | n\s
                --------+----+---
                 x      | ab+| 1
                        | c  |\s
                 longer |    |\s\s
                (2 rows)

                """);
    }

    @Test
    void valuesAsTheServerWritesThem() {
        assertThat(sql("SET TIME ZONE 'UTC'; SELECT true AS t, NULL::bigint AS nothing, 1.50::numeric AS num, 0.25::float8 AS f, "
                + "timestamptz '2026-12-01 10:00:05.5+00' AS at, interval '62 minutes' AS i, '\\x0102'::bytea AS raw, ARRAY[1, 2] AS arr"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("""
                SET
                 t | nothing | num  |  f   |            at            |    i     |  raw   |  arr \s
                ---+---------+------+------+--------------------------+----------+--------+-------
                 t |         | 1.50 | 0.25 | 2026-12-01 10:00:05.5+00 | 01:02:00 | \\x0102 | {1,2}
                (1 row)

                """);
    }

    @Test
    void statementsWithoutRowsPrintTheirCommandTags() {
        assertThat(sql("CREATE TABLE t (a int); INSERT INTO t VALUES (1), (2); UPDATE t SET a = a + 1; "
                + "SELECT sum(a) AS total FROM t; DELETE FROM t; DROP TABLE t")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("""
                CREATE TABLE
                INSERT 0 2
                UPDATE 2
                 total\s
                -------
                     5
                (1 row)

                DELETE 2
                DROP TABLE
                """);
    }

    @Test
    void anSqlErrorExitsOneWithPostgresMessageAndWhereItIs() {
        int code = sql("SELECT 1 AS fine,\n  missing_column\nFROM pg_class");

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("""
                ERROR:  column "missing_column" does not exist
                LINE 2:   missing_column
                          ^
                """);
    }

    /** As with psql -c: the statements of one text are one transaction. */
    @Test
    void anErrorTakesBackTheStatementsBeforeIt() {
        assertThat(sql("CREATE TABLE kept (a int)")).isZero();

        assertThat(sql("INSERT INTO kept VALUES (1); SELECT 1 / 0")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("ERROR:  division by zero\n");

        out.getBuffer().setLength(0);
        assertThat(sql("SELECT count(*) AS n FROM kept")).isZero();
        assertThat(out.toString()).contains("\n 0\n");
    }

    @Test
    void theDetailAndHintOfAnErrorFollowIt() {
        assertThat(sql("CREATE TABLE u (a int PRIMARY KEY); INSERT INTO u VALUES (1)")).isZero();

        assertThat(sql("INSERT INTO u VALUES (1)")).isEqualTo(1);
        assertThat(err.toString()).endsWith("""
                ERROR:  duplicate key value violates unique constraint "u_pkey"
                DETAIL:  Key (a)=(1) already exists.
                """);
    }

    @Test
    void thePasswordComesFromTheFileItsVariableNames(LocalStack stack, @TempDir Path dir) throws Exception {
        env.remove("PINPIPE_DB_PASSWORD");
        env.put("PINPIPE_DB_PASSWORD_FILE", Files.writeString(dir.resolve("db-password"), stack.dbPassword() + "\n").toString());

        assertThat(sql("SELECT current_user AS who")).as(err.toString()).isZero();
        assertThat(out.toString()).contains(" " + stack.dbUser() + "\n");
    }

    @Test
    void aDatabaseThatIsNotThereExitsTwoWithoutShowingThePassword(LocalStack stack) {
        env.put("PINPIPE_JDBC_URL", stack.jdbcUrl().replace("/pinterest", "/no_such_database"));
        env.put("PINPIPE_DB_PASSWORD", "s3cr3t");

        assertThat(sql("SELECT 1")).isEqualTo(2);
        assertThat(err.toString()).startsWith("sql: cannot connect to " + env.get("PINPIPE_JDBC_URL") + " as " + stack.dbUser() + ": ")
                .contains("no_such_database").doesNotContain("s3cr3t");
    }
}
