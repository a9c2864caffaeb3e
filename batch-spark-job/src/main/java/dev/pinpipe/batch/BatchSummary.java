package dev.pinpipe.batch;

import dev.pinpipe.core.db.RunLedger;
import dev.pinpipe.core.db.RunLedger.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.UUID;

/** What one batch run did: the same facts go to {@code pipeline_runs} and to the one-line summary. */
record BatchSummary(
        UUID runId,
        LocalDate from,
        LocalDate to,
        long rowsRead,
        long rowsWritten,
        long rowsRejected,
        int daysFound,
        Status status,
        Instant startedAt,
        Instant finishedAt) {

    static BatchSummary start(UUID runId, LocalDate from, LocalDate to, Instant now) {
        return new BatchSummary(runId, from, to, 0, 0, 0, 0, Status.RUNNING, now, null);
    }

    /** The counted facts: lines read, rows written, lines quarantined, days with archive objects. */
    BatchSummary counted(long read, long written, long rejected, int days) {
        return new BatchSummary(runId, from, to, read, written, rejected, days, status, startedAt, finishedAt);
    }

    /** Lines read, rows written, lines quarantined, as {@code pipeline_runs} records them. */
    RunLedger.Counts counts() {
        return new RunLedger.Counts(rowsRead, rowsWritten, rowsRejected);
    }

    BatchSummary finished(Status outcome, Instant now) {
        return new BatchSummary(runId, from, to, rowsRead, rowsWritten, rowsRejected, daysFound, outcome, startedAt, now);
    }

    /** The one-line summary, e.g. {@code batch run … dt=2026-11-27: read=24 written=24 rejected=0 in 3.1 s, succeeded}. */
    String line() {
        String range = from.equals(to) ? "dt=" + from : "dt=" + from + ".." + to;
        double seconds = finishedAt == null ? 0 : Duration.between(startedAt, finishedAt).toMillis() / 1000.0;
        return String.format(Locale.ROOT, "batch run %s %s: read=%d written=%d rejected=%d in %.1f s, %s",
                runId, range, rowsRead, rowsWritten, rowsRejected, seconds, status.label());
    }
}
