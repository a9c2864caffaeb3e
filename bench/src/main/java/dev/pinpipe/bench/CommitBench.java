package dev.pinpipe.bench;

import dev.pinpipe.core.config.Settings;
import dev.pinpipe.localstack.LocalStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * PostgreSQL commits of the embedded stack with synchronous_commit off and on, alternated in one run:
 * single-row commit latency (one client), commits/s (eight clients), and how many commits that had
 * returned a kill -9 of the server takes back. Run through {@code bench/durability/run}, on local-stack's
 * class path; see bench/durability/README.md.
 */
@Command(name = "commit-bench", mixinStandardHelpOptions = true,
        description = "PostgreSQL commits of the embedded stack with synchronous_commit off and on, alternated: latency, commits/s, commits lost to kill -9.")
public final class CommitBench implements Callable<Integer> {

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "2", description = "rounds of off then on (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--commits", paramLabel = "N", defaultValue = "3000", description = "commits timed per client count (default ${DEFAULT-VALUE})")
    int commits;

    @Option(names = "--crashes", paramLabel = "C", defaultValue = "3", description = "kill -9 of PostgreSQL per round and setting (default ${DEFAULT-VALUE})")
    int crashes;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CommitBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("commit-bench");
        System.out.println("| synchronous_commit | round | p50 µs (1 client) | p99 µs (1 client) | commits/s (1 client) | commits/s (8 clients) | commits lost to kill -9 |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (int round = 1; round <= rounds; round++) {
            for (String mode : List.of("off", "on")) {
                Path dir = work.resolve(mode + "-" + round);
                try (LocalStack stack = LocalStack.launch(dir.resolve("data"), dir.resolve("stack.log"), "embedded",
                        Map.of(Settings.PG_SYNCHRONOUS_COMMIT.variable(), mode))) {
                    setUp(stack);
                    single(stack, commits / 5);   // warm-up
                    long[] lat = single(stack, commits);
                    double oneRate = commits / (Arrays.stream(lat).sum() / 1e9);
                    double eightRate = concurrent(stack, 8, commits);
                    List<Integer> lost = new ArrayList<>();
                    for (int c = 0; c < crashes; c++) {
                        lost.add(crash(stack));
                    }
                    Arrays.sort(lat);
                    System.out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.0f | %.0f | %s |%n", mode, round,
                            lat[lat.length / 2] / 1000, lat[(int) (lat.length * 0.99)] / 1000, oneRate, eightRate, lost);
                }
            }
        }
        return 0;
    }

    private static Connection connect(LocalStack stack) throws SQLException {
        return DriverManager.getConnection(stack.jdbcUrl(), stack.dbUser(), stack.dbPassword());
    }

    private static void setUp(LocalStack stack) throws SQLException {
        try (Connection c = connect(stack); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS commit_bench (id bigint PRIMARY KEY, payload text)");
        }
    }

    private static final AtomicLong IDS = new AtomicLong();

    /** {@code n} autocommitted single-row inserts on one connection; the latency of each. */
    private static long[] single(LocalStack stack, int n) throws SQLException {
        long[] lat = new long[n];
        try (Connection c = connect(stack); PreparedStatement ps = c.prepareStatement("INSERT INTO commit_bench VALUES (?, repeat('x', 400))")) {
            for (int i = 0; i < n; i++) {
                ps.setLong(1, IDS.incrementAndGet());
                long t0 = System.nanoTime();
                ps.executeUpdate();
                lat[i] = System.nanoTime() - t0;
            }
        }
        return lat;
    }

    /** Commits per second of {@code clients} connections committing {@code n} rows in all. */
    private static double concurrent(LocalStack stack, int clients, int n) throws Exception {
        CountDownLatch done = new CountDownLatch(clients);
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        for (int t = 0; t < clients; t++) {
            new Thread(() -> {
                try {
                    single(stack, n / clients);
                } catch (Throwable e) {
                    errors.add(e);
                } finally {
                    done.countDown();
                }
            }).start();
        }
        done.await();
        if (!errors.isEmpty()) {
            throw new IllegalStateException(errors.get(0));
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** Commits in a loop, kill -9 after a second, restart: how many commits that returned are gone. */
    private static int crash(LocalStack stack) throws Exception {
        List<Long> committed = Collections.synchronizedList(new ArrayList<>());
        Thread writer = new Thread(() -> {
            try (Connection c = connect(stack); PreparedStatement ps = c.prepareStatement("INSERT INTO commit_bench VALUES (?, 'crash')")) {
                while (true) {
                    long id = IDS.incrementAndGet();
                    ps.setLong(1, id);
                    ps.executeUpdate();
                    committed.add(id);
                }
            } catch (SQLException gone) {
                // the server was killed
            }
        });
        writer.start();
        Thread.sleep(1000);
        stack.killPostgres();
        writer.join();
        stack.startPostgres();
        int found = 0;
        try (Connection c = connect(stack); PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM commit_bench WHERE id = ANY (?)")) {
            ps.setArray(1, c.createArrayOf("bigint", committed.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                found = rs.getInt(1);
            }
        }
        return committed.size() - found;
    }
}
