package dev.pinpipe.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQL text only; the statements run against a real PostgreSQL in the Spark jobs' tests. */
class RunLedgerTest {

    @Test
    void everyStatementIsOnTheOneTableByItsKey() {
        assertThat(RunLedger.INSERT_SQL)
                .startsWith("INSERT INTO pipeline_runs (job, run_id, batch_id, date_from, date_to, started_at,")
                .endsWith("VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .doesNotContain("ON CONFLICT");
        assertThat(RunLedger.INSERT_ONCE_SQL).isEqualTo(RunLedger.INSERT_SQL + " ON CONFLICT (job, run_id, batch_id) DO NOTHING");
        assertThat(RunLedger.UPSERT_SQL)
                .startsWith(RunLedger.INSERT_SQL + " ON CONFLICT (job, run_id, batch_id) DO UPDATE SET ")
                .contains("status = EXCLUDED.status", "rows_read = EXCLUDED.rows_read", "finished_at = EXCLUDED.finished_at")
                .doesNotContain("job = EXCLUDED", "run_id = EXCLUDED", "batch_id = EXCLUDED");
        assertThat(RunLedger.FINISH_SQL).startsWith("UPDATE pipeline_runs SET ").endsWith(" WHERE job = ? AND run_id = ? AND batch_id = ?");
        assertThat(RunLedger.EXISTS_SQL).isEqualTo("SELECT 1 FROM pipeline_runs WHERE job = ? AND run_id = ? AND batch_id = ?");
    }

    @Test
    void everyColumnIsInTheMigration() throws Exception {
        String ddl = new String(getClass().getClassLoader().getResourceAsStream("db/migration/V1__pins.sql").readAllBytes());
        String table = ddl.substring(ddl.indexOf("CREATE TABLE " + RunLedger.TABLE + " ("));
        List<String> columns = new ArrayList<>(RunLedger.KEY_COLUMNS);
        columns.addAll(RunLedger.VALUE_COLUMNS);
        for (String column : columns) {
            assertThat(table).containsPattern("\\n\\s+" + column + "\\s");
        }
        assertThat(table).contains("PRIMARY KEY (" + String.join(", ", RunLedger.KEY_COLUMNS) + ")");
    }

    @Test
    void jobsAndStatusesAreStoredInLowerCase() {
        assertThat(RunLedger.BATCH.job()).isEqualTo("batch");
        assertThat(RunLedger.STREAM.job()).isEqualTo("stream");
        assertThat(RunLedger.Status.SUCCEEDED.label()).isEqualTo("succeeded");
    }
}
