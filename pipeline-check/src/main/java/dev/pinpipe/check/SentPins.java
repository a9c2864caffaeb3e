package dev.pinpipe.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * What a client sent, read from the user emulator's {@code --ids-out} file (one {@code <outcome>
 * <unique_id>} line per pin: {@code acked}, {@code rejected} or {@code failed}). A failed pin got no
 * definitive answer, so it is in doubt: it may have reached Kafka.
 */
public record SentPins(Set<String> acked, Set<String> rejected, Set<String> inDoubt) {

    public static SentPins read(Path... files) {
        Set<String> acked = new HashSet<>();
        Set<String> rejected = new HashSet<>();
        Set<String> inDoubt = new HashSet<>();
        for (Path file : files) {
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] parts = line.strip().split("\\s+");
                    if (parts.length != 2) {
                        continue;
                    }
                    switch (parts[0]) {
                        case "acked" -> acked.add(parts[1]);
                        case "rejected" -> rejected.add(parts[1]);
                        default -> inDoubt.add(parts[1]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        inDoubt.removeAll(acked);
        return new SentPins(acked, rejected, inDoubt);
    }

    /** These pins and more that were acknowledged (e.g. by a client other than the emulator). */
    public SentPins plusAcked(Set<String> more) {
        Set<String> all = new HashSet<>(acked);
        all.addAll(more);
        Set<String> doubt = new HashSet<>(inDoubt);
        doubt.removeAll(all);
        return new SentPins(all, rejected, doubt);
    }

    /** Every id that may legitimately appear downstream. */
    public Set<String> sent() {
        Set<String> all = new HashSet<>(acked);
        all.addAll(inDoubt);
        return all;
    }
}
