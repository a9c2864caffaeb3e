package dev.pinpipe.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Replays an NDJSON file: one pin a line, sent as written; blank lines skipped. */
final class FilePinSource implements PinSource {

    private final List<byte[]> pins;

    private FilePinSource(List<byte[]> pins) {
        this.pins = pins;
    }

    static FilePinSource read(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return new FilePinSource(lines.map(String::strip).filter(line -> !line.isEmpty())
                    .map(line -> line.getBytes(StandardCharsets.UTF_8)).toList());
        }
    }

    @Override
    public long size() {
        return pins.size();
    }

    @Override
    public byte[] pin(long i) {
        return pins.get((int) i);
    }
}
