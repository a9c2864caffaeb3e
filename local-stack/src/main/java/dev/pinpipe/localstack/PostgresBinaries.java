package dev.pinpipe.localstack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The PostgreSQL binaries zonky ships as a Maven artifact, unpacked once per version into a shared
 * folder under the temp dir. We unpack and run them ourselves instead of through zonky's
 * EmbeddedPostgres because that one cannot start PostgreSQL as root (initdb refuses), and CI runs as root.
 */
final class PostgresBinaries {

    private static final String ARCHIVE = "postgres-linux-x86_64.txz";

    private PostgresBinaries() {
    }

    /** The folder holding {@code bin/initdb} and {@code bin/postgres}, unpacking it on first use. */
    static Path install() throws IOException {
        URL archive = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
        if (archive == null || !System.getProperty("os.name").startsWith("Linux") || !"amd64".equals(System.getProperty("os.arch"))) {
            throw new IllegalStateException("local-stack ships PostgreSQL for Linux amd64 only");
        }
        // the archive's URL names the binaries artifact and its version: a stable cache key
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "pinpipe-postgres-" + Integer.toHexString(archive.toString().hashCode()));
        if (Files.exists(home.resolve(".complete"))) {
            return home;
        }
        Path staging = Files.createTempDirectory(home.getParent(), home.getFileName() + ".tmp");
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(archive.openStream())))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path target = staging.resolve(entry.getName()).normalize();
                if (!target.startsWith(staging)) {
                    throw new IOException("bad entry in " + ARCHIVE + ": " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else {
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                            (entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
        Dirs.makeTraversable(staging);
        Files.createFile(staging.resolve(".complete"));
        try {
            Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException unpackedMeanwhile) {
            // another stack unpacked the same version at the same time: use theirs
            Dirs.deleteTree(staging);
        }
        return home;
    }
}
