package dev.pinpipe.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.pinpipe.schema.PinSchema;

/**
 * A real PostgreSQL (zonky's binaries, see {@link PostgresBinaries}) with its cluster under {@code dir}:
 * initialised on first start (database {@code pinterest}, role {@code pinpipe}), its schema brought up to
 * date by Flyway ({@link PinSchema}) at every start, kept across restarts. Authentication is {@code trust} on loopback only.
 *
 * <p>PostgreSQL refuses to run as root, so as root the server runs as {@code nobody} and its cluster
 * folder belongs to that user. It runs in a process group of its own ({@link Spawner}), so
 * {@link #kill()} crashes the postmaster and every backend at once, as a power cut would for them.
 *
 * <p>Commits are durable by default ({@code synchronous_commit=on}): a commit returns once its WAL is
 * on disk, so a crash of the server cannot take back a transaction a client saw committed.
 */
final class PostgresServer extends ProcessServer {

    private static final int NOBODY = Spawner.NOBODY;
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String host;
    private final int port;
    private final Path dir;
    private final String synchronousCommit;

    /** @param synchronousCommit PostgreSQL's {@code synchronous_commit}: {@code on} (durable) or {@code off} */
    PostgresServer(String host, int port, Path dir, String synchronousCommit) {
        this.host = host;
        this.port = port;
        this.dir = dir;
        this.synchronousCommit = synchronousCommit;
    }

    @Override
    public String name() {
        return "postgres";
    }

    @Override
    public synchronized void start() throws Exception {
        if (process != null) {
            return;
        }
        Path home = PostgresBinaries.install();
        Path cluster = cluster();
        if (!Files.exists(cluster.resolve("PG_VERSION"))) {
            initdb(home, cluster);
        }
        process = launch(List.of(home.resolve("bin/postgres").toString(), "-D", cluster.toString(), "-p", Integer.toString(port),
                "-c", "listen_addresses=" + host,
                "-c", "unix_socket_directories=",        // TCP only: no socket file in a shared folder
                "-c", "synchronous_commit=" + synchronousCommit));
        awaitConnectable();
        createDatabase();
    }

    @Override
    public synchronized void stop() throws Exception {
        if (process == null) {
            return;
        }
        // SIGINT is PostgreSQL's "fast" shutdown: disconnects clients, checkpoints, exits (SIGTERM would wait for clients)
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    private void initdb(Path home, Path cluster) throws Exception {
        Dirs.deleteTree(cluster);
        Files.createDirectories(cluster);
        Files.setPosixFilePermissions(cluster, PosixFilePermissions.fromString("rwx------"));
        if (Spawner.isRoot()) {
            Files.setAttribute(cluster, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(cluster, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
        }
        Process initdb = launch(List.of(home.resolve("bin/initdb").toString(), "-D", cluster.toString(),
                "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"));
        if (!initdb.waitFor(120, TimeUnit.SECONDS) || initdb.exitValue() != 0) {
            initdb.destroyForcibly();
            throw new IllegalStateException("initdb failed for " + cluster + " (its output is above)");
        }
    }

    /**
     * The cluster folder: {@code dir}, unless we run as root and user {@code nobody} cannot reach it (a
     * checkout under a 0700 folder, as {@code mktemp -d} makes). Then the cluster lives in a stand-in
     * folder under the temp dir, named after {@code dir} (so a restart finds it) and linked from it.
     */
    private Path cluster() throws IOException {
        if (!Spawner.isRoot() || traversableByOthers(dir.getParent())) {
            return dir;
        }
        Path standIns = Path.of(System.getProperty("java.io.tmpdir"), "pinpipe-postgres-data");
        Path standIn = standIns.resolve(Integer.toHexString(dir.toAbsolutePath().normalize().toString().hashCode()));
        Files.createDirectories(standIns);
        Files.setPosixFilePermissions(standIns, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (!Files.isSymbolicLink(dir)) {
            Dirs.deleteTree(dir);
            Files.createSymbolicLink(dir, standIn);
        }
        return standIn;
    }

    private static boolean traversableByOthers(Path folder) throws IOException {
        for (Path p = folder.toAbsolutePath(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static Process launch(List<String> command) throws IOException {
        // output joins this process's own, which the launcher or the test extension logs
        return Spawner.start(command, true, new ProcessBuilder().inheritIO());
    }

    private void awaitConnectable() throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (true) {
            try (Connection ignored = connect("postgres", "postgres")) {
                return;
            } catch (SQLException notYet) {
                if (!process.isAlive()) {
                    int code = process.exitValue();
                    process = null;
                    throw new IllegalStateException("PostgreSQL exited at start with code " + code + " (its output is above)", notYet);
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL did not accept connections on port " + port + " within 60 s", notYet);
                }
                Thread.sleep(50);
            }
        }
    }

    private void createDatabase() throws SQLException {
        try (Connection admin = connect("postgres", "postgres"); Statement st = admin.createStatement()) {
            if (!exists(st, "SELECT 1 FROM pg_roles WHERE rolname = '" + Endpoints.DB_USER + "'")) {
                st.execute("CREATE ROLE " + Endpoints.DB_USER + " LOGIN PASSWORD '" + Endpoints.DB_PASSWORD + "'");
            }
            if (!exists(st, "SELECT 1 FROM pg_database WHERE datname = '" + Endpoints.DATABASE + "'")) {
                st.execute("CREATE DATABASE " + Endpoints.DATABASE + " OWNER " + Endpoints.DB_USER);
            }
        }
        PinSchema.migrate(jdbcUrl(Endpoints.DATABASE), Endpoints.DB_USER, Endpoints.DB_PASSWORD);
    }

    private Connection connect(String database, String user) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, Endpoints.DB_PASSWORD);
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?connectTimeout=5&loginTimeout=5";
    }

    private static boolean exists(Statement st, String query) throws SQLException {
        try (ResultSet rs = st.executeQuery(query)) {
            return rs.next();
        }
    }
}
