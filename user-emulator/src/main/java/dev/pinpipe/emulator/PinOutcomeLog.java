package dev.pinpipe.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pinpipe.core.PinFields;
import dev.pinpipe.core.PinJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --ids-out FILE}: one {@code <outcome> <unique_id>} line per pin once its request is over —
 * {@code acked}, {@code rejected}, or {@code failed} (no definitive answer: the pin may or may not have
 * reached Kafka). A {@code /pins} request whose pins had different fates is logged {@code partial}, as
 * the per-pin answer is not kept. The end-to-end checks read it to know exactly which pins the API
 * acknowledged.
 */
final class PinOutcomeLog implements AutoCloseable {

    private final BufferedWriter out;

    PinOutcomeLog(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void record(List<byte[]> pins, Outcome outcome) {
        String word = outcome.acked() == pins.size() ? "acked"
                : outcome.rejected() == pins.size() ? "rejected"
                : outcome.failed() == pins.size() ? "failed" : "partial";
        StringBuilder lines = new StringBuilder();
        for (byte[] pin : pins) {
            lines.append(word).append(' ').append(uniqueId(pin)).append('\n');
        }
        synchronized (this) {
            try {
                out.write(lines.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String uniqueId(byte[] pin) {
        try {
            JsonNode id = PinJson.parse(pin).get(PinFields.UNIQUE_ID);
            return id == null ? "-" : id.asText().strip();
        } catch (IOException e) {
            return "-";
        }
    }
}
