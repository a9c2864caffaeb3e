package dev.pinpipe.batch;

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
        long corruptLines,
        int daysFound,
        Status status,
        Instant startedAt,
        Instant finishedAt) {

    enum Status {
        RUNNING, SUCCEEDED, FAILED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static BatchSummary start(UUID runId, LocalDate from, LocalDate to, Instant now) {
        return new BatchSummary(runId, from, to, 0, 0, 0, 0, 0, Status.RUNNING, now, null);
    }

    BatchSummary counted(long read, long rejected, long corrupt, int days) {
        return new BatchSummary(runId, from, to, read, rowsWritten, rejected, corrupt, days, status, startedAt, finishedAt);
    }

    BatchSummary written(long written) {
        return new BatchSummary(runId, from, to, rowsRead, written, rowsRejected, corruptLines, daysFound, status, startedAt, finishedAt);
    }

    BatchSummary finished(Status outcome, Instant now) {
        return new BatchSummary(runId, from, to, rowsRead, rowsWritten, rowsRejected, corruptLines, daysFound, outcome, startedAt, now);
    }

    /** The one-line summary, e.g. {@code batch run … dt=2026-11-27: read=24 written=24 rejected=0 (corrupt 0) in 3.1 s, succeeded}. */
    String line() {
        String range = from.equals(to) ? "dt=" + from : "dt=" + from + ".." + to;
        double seconds = finishedAt == null ? 0 : Duration.between(startedAt, finishedAt).toMillis() / 1000.0;
        return String.format(Locale.ROOT, "batch run %s %s: read=%d written=%d rejected=%d (corrupt %d) in %.1f s, %s",
                runId, range, rowsRead, rowsWritten, rowsRejected, corruptLines, seconds, status.label());
    }
}
