package dev.pinpipe.check;

import java.util.Set;

/**
 * What the pipeline did with the pins a client sent, in the terms of "nothing lost, nothing doubled".
 *
 * <ul>
 *   <li><b>lost</b>: acknowledged pins missing from the archive or from a table;</li>
 *   <li><b>doubled</b>: Kafka records archived more than once (a pin posted twice is two records, and
 *       rightly two lines; one record on two lines is a duplicate), plus table rows whose id was
 *       never sent at all — the primary key already rules out two rows for one id;</li>
 *   <li>a pin whose request died with the API (no answer) is <em>in doubt</em>: it may or may not have
 *       reached Kafka, so it may appear downstream without being counted as doubled.</li>
 * </ul>
 */
public record Reconciliation(String scenario, int acknowledged, long archivedLines, int archivedAcknowledged,
        int streamRows, int batchRows, int lostInArchive, int lostInStream, int lostInBatch, long doubledRecords,
        int strayRows) {

    /**
     * @param sent every id a client tried to post (acknowledged or in doubt)
     * @param acked the ids the API acknowledged
     * @param batch null when the batch layer was not run in this scenario
     */
    public static Reconciliation of(String scenario, Set<String> sent, Set<String> acked, ArchiveCensus archive,
            TableCensus stream, TableCensus batch) {
        int archivedAcked = (int) acked.stream().filter(archive.perPin()::containsKey).count();
        int lostStream = (int) acked.stream().filter(id -> !stream.ids().contains(id)).count();
        int lostBatch = batch == null ? 0 : (int) acked.stream().filter(id -> !batch.ids().contains(id)).count();
        int stray = (int) stream.ids().stream().filter(id -> !sent.contains(id)).count()
                + (batch == null ? 0 : (int) batch.ids().stream().filter(id -> !sent.contains(id)).count());
        return new Reconciliation(scenario, acked.size(), archive.lines(), archivedAcked, stream.ids().size(),
                batch == null ? -1 : batch.ids().size(), acked.size() - archivedAcked, lostStream, lostBatch,
                archive.doubledRecords(), stray);
    }

    public long lost() {
        return lostInArchive + lostInStream + lostInBatch;
    }

    public long doubled() {
        return doubledRecords + strayRows;
    }

    public boolean exact() {
        return lost() == 0 && doubled() == 0;
    }

    /** The one-line figure a scenario prints. */
    public String line() {
        return String.format("%-28s acknowledged=%d archived=%d (lines %d) stream_rows=%d%s lost=%d doubled=%d %s",
                scenario, acknowledged, archivedAcknowledged, archivedLines, streamRows,
                batchRows < 0 ? "" : " batch_rows=" + batchRows, lost(), doubled(), exact() ? "OK" : "FAILED");
    }
}
