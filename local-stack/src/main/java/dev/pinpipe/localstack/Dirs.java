package dev.pinpipe.localstack;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folder chores (JDK only, the test side uses them too). */
final class Dirs {

    private Dirs() {
    }

    /** Deletes {@code root} and all below; a linked folder's contents too (PostgresServer's stand-in), the link itself last. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.exists(root) ? Files.walk(root, FileVisitOption.FOLLOW_LINKS) : Stream.of(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** rwxr-xr-x on every folder under {@code root}: PostgreSQL may run as another user (see PostgresServer). */
    static void makeTraversable(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
    }
}
