package dev.pinpipe.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandTagsTest {

    @Test
    void oneTagPerStatementAsPsqlNamesIt() {
        assertThat(CommandTags.of("create table t (a int); insert into t values (1); Update t set a = 2; delete from t;"
                + " DROP TABLE t; truncate pins_batch; SET TIME ZONE 'UTC'; VACUUM; begin; commit"))
                .containsExactly("CREATE TABLE", "INSERT", "UPDATE", "DELETE", "DROP TABLE", "TRUNCATE TABLE", "SET", "VACUUM", "BEGIN", "COMMIT");
    }

    @Test
    void qualifiersBeforeTheObjectAreLeftOut() {
        assertThat(CommandTags.of("CREATE OR REPLACE VIEW v AS SELECT 1; CREATE TEMP TABLE x (a int); CREATE UNIQUE INDEX i ON x (a);"
                + " CREATE MATERIALIZED VIEW m AS SELECT 1; ALTER TABLE x ADD b int; CREATE TABLE y AS SELECT 1"))
                .containsExactly("CREATE VIEW", "CREATE TABLE", "CREATE INDEX", "CREATE MATERIALIZED VIEW", "ALTER TABLE", "SELECT");
    }

    @Test
    void aStatementWithCommonTableExpressionsIsTheOneTheyLeadTo() {
        assertThat(CommandTags.of("WITH gone AS (SELECT unique_id FROM pins_stream) DELETE FROM pins_batch WHERE unique_id IN (SELECT * FROM gone)"))
                .containsExactly("DELETE");
    }

    @Test
    void semicolonsInQuotesAndCommentsSplitNothing() {
        assertThat(CommandTags.of("INSERT INTO t VALUES ('a;b', E'c\\';d', \"odd;name\"); -- one; two\n"
                + "/* a; /* nested; */ b; */ UPDATE t SET a = $$x;y$$ || $tag$z;$tag$ WHERE b = $1;;  ;"))
                .containsExactly("INSERT", "UPDATE");
    }

    @Test
    void theCountWhereTheTagCarriesOne() {
        assertThat(CommandTags.withCount("INSERT", 2)).isEqualTo("INSERT 0 2");
        assertThat(CommandTags.withCount("UPDATE", 3)).isEqualTo("UPDATE 3");
        assertThat(CommandTags.withCount("SELECT", 4)).isEqualTo("SELECT 4");
        assertThat(CommandTags.withCount("CREATE VIEW", 0)).isEqualTo("CREATE VIEW");
    }
}
