package dev.pinpipe.spark;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * One HikariCP pool per database in each executor JVM, so the tasks of one micro-batch after another
 * reuse their connections instead of opening one (TCP, SCRAM, session set-up) per micro-batch. Idle connections close after a minute, so a batch
 * job's executors hold nothing once it is done.
 */
public final class ExecutorConnections {

    /**
     * Session memory for one Spark partition's upsert, which holds the whole partition twice: in the
     * staging table (a temporary table lives in {@code temp_buffers}, 8 MB by default) and in the
     * {@code DISTINCT ON} sort ({@code work_mem}, 4 MB by default); these keep a large partition in memory. {@code temp_buffers} can only be set before a session's first temporary
     * table, hence once, when the pool opens the connection.
     */
    static final String SESSION_SETTINGS = "SET temp_buffers = '256MB'; SET work_mem = '256MB'";
    private static final int MAX_CONNECTIONS = 16;
    private static final long IDLE_MILLIS = 60_000;

    private static final Map<PostgresSettings, HikariDataSource> POOLS = new ConcurrentHashMap<>();

    private ExecutorConnections() {
    }

    /** A pooled connection in auto-commit mode; closing it hands it back. */
    public static Connection borrow(PostgresSettings settings) throws SQLException {
        return POOLS.computeIfAbsent(settings, ExecutorConnections::open).getConnection();
    }

    private static HikariDataSource open(PostgresSettings settings) {
        // pgjdbc's DataSource, not DriverManager, which misses a driver only a job jar's class loader holds
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(settings.jdbcUrl());
        postgres.setUser(settings.user());
        postgres.setPassword(settings.password());
        HikariConfig config = new HikariConfig();
        config.setDataSource(postgres);
        config.setPoolName("pinpipe-executor");
        config.setMaximumPoolSize(MAX_CONNECTIONS);
        config.setMinimumIdle(0);
        config.setIdleTimeout(IDLE_MILLIS);
        config.setConnectionInitSql(SESSION_SETTINGS);
        // a database that is down must fail the task now (its retry loop waits), not at first use
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool = new HikariDataSource(config);
        Runtime.getRuntime().addShutdownHook(new Thread(pool::close, "pinpipe-executor-pool-close"));
        return pool;
    }
}
