package dev.pinpipe.archive;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * One closed archive object: consecutive pins of one partition as NDJSON.
 *
 * @param topic          the topic the records came from
 * @param partition      their partition
 * @param firstOffset    offset of the first record (names the object)
 * @param lastOffset     offset of the last record
 * @param firstTimestamp Kafka timestamp of the first record (its UTC date is the {@code dt=} folder)
 * @param newestTimestamp the newest Kafka timestamp among the records
 * @param records        number of lines
 * @param body           the NDJSON bytes
 * @param idleCut        closed by wall-clock idleness (or a hand-over on revocation) rather than by its content; see {@link PartitionBuffer}
 */
record ArchiveObject(
        String topic,
        int partition,
        long firstOffset,
        long lastOffset,
        long firstTimestamp,
        long newestTimestamp,
        int records,
        byte[] body,
        boolean idleCut) {

    private static final int OFFSET_DIGITS = 20;

    /** The archive day of every line in this object: the UTC date of its first record, the {@code dt=} folder. */
    String day() {
        return Instant.ofEpochMilli(firstTimestamp).atZone(ZoneOffset.UTC).toLocalDate().toString();
    }

    /**
     * {@code <folder>dt=YYYY-MM-DD/<topic>+<partition>+<first offset, 20 digits>.json} ({@link S3Properties#archiveFolder()}):
     * a function of Kafka coordinates only.
     * Built by hand rather than with a format string: {@code Formatter} shows in a PUT's client CPU.
     */
    String key(String folder) {
        String dt = day();
        String offset = Long.toString(firstOffset);
        StringBuilder key = new StringBuilder(folder.length() + topic.length() + 48)
                .append(folder).append("dt=").append(dt).append('/').append(topic).append('+').append(partition).append('+');
        for (int i = offset.length(); i < OFFSET_DIGITS; i++) {
            key.append('0');
        }
        return key.append(offset).append(".json").toString();
    }
}
