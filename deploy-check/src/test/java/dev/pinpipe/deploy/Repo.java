package dev.pinpipe.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The repository checkout these tests read: the parent's Surefire sets {@code pinpipe.repo.root}. */
final class Repo {

    /** Falls back to this module's parent directory for a run from an IDE. */
    static final Path ROOT = Path.of(System.getProperty("pinpipe.repo.root", "..")).toAbsolutePath().normalize();

    private Repo() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String relative) {
        return read(path(relative));
    }
}
