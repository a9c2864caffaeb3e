package dev.pinpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which Postgres failures the writer waits out (the fault suite stops Postgres under load for real). */
class MicroBatchWriterTest {

    @ParameterizedTest(name = "SQLState {0} transient: {1}")
    @CsvSource({
            "08001, true",   // connection refused: the server is down
            "08006, true",   // connection lost mid-transaction
            "57P01, true",   // admin shutdown
            "57P03, true",   // the server is starting up
            "53300, true",   // too many connections
            "23505, false",  // unique violation: a bug, not an outage
            "42P01, false",  // undefined table
    })
    void waitsOutOutagesOnly(String state, boolean transientFailure) {
        assertThat(MicroBatchWriter.isTransient(new SQLException("x", state))).isEqualTo(transientFailure);
        assertThat(MicroBatchWriter.isTransient(new SQLException("wrapper", "XX000", new SQLException("x", state))))
                .isEqualTo(transientFailure);
        // a task's failure, as Spark's job failure reaches the driver
        assertThat(MicroBatchWriter.isTransient(new RuntimeException("Job aborted", new SQLException("x", state))))
                .isEqualTo(transientFailure);
    }
}
