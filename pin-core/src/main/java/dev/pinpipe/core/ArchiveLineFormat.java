package dev.pinpipe.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The archive's line format, the one definition the archiver writes and every reader of the archive
 * reads (docs/pin-contract.md §4): one pin per line, its canonical JSON with the Kafka lineage as the
 * last member, {@code "_kafka":{"partition":P,"offset":O,"timestamp":T}}, then {@link #LINE_END}.
 */
public final class ArchiveLineFormat {

    /** The member holding the lineage. Reserved: a top-level member of that name posted with a pin is dropped. */
    public static final String LINEAGE = "_kafka";
    /** The Kafka partition of the record the line came from, an int. */
    public static final String PARTITION = "partition";
    /** Its Kafka offset, a long. */
    public static final String OFFSET = "offset";
    /** Its Kafka timestamp, epoch milliseconds. */
    public static final String TIMESTAMP = "timestamp";
    /** The lineage's members, in the order the archiver writes them. */
    public static final List<String> LINEAGE_MEMBERS = List.of(PARTITION, OFFSET, TIMESTAMP);
    /** Ends every line; the canonical form escapes every line break inside a pin. */
    public static final char LINE_END = '\n';

    private ArchiveLineFormat() {
    }

    /** Where an archived pin came from: its Kafka record's coordinates and timestamp (epoch milliseconds). */
    public record Lineage(int partition, long offset, long timestamp) {
    }

    /**
     * The lineage of a parsed line, or null when the line has none in this format (no {@link #LINEAGE}
     * object, or a member missing or not an integer of its type).
     */
    public static Lineage lineage(JsonNode line) {
        JsonNode lineage = line == null ? null : line.get(LINEAGE);
        if (lineage == null || !lineage.isObject()) {
            return null;
        }
        JsonNode partition = lineage.get(PARTITION);
        JsonNode offset = lineage.get(OFFSET);
        JsonNode timestamp = lineage.get(TIMESTAMP);
        if (partition == null || !partition.canConvertToInt() || !partition.isIntegralNumber()
                || offset == null || !offset.canConvertToLong() || !offset.isIntegralNumber()
                || timestamp == null || !timestamp.canConvertToLong() || !timestamp.isIntegralNumber()) {
            return null;
        }
        return new Lineage(partition.intValue(), offset.longValue(), timestamp.longValue());
    }
}
