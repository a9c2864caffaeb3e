package dev.pinpipe.check;

import java.util.ArrayList;
import java.util.List;

/** Wall-clock seconds per stage of a run, in order. */
final class StageClock {

    private record Stage(String name, double seconds) {
    }

    private final long start = System.nanoTime();
    private long last = start;
    private final List<Stage> stages = new ArrayList<>();

    void mark(String stage) {
        long now = System.nanoTime();
        stages.add(new Stage(stage, (now - last) / 1e9));
        last = now;
    }

    void print() {
        for (Stage s : stages) {
            System.out.printf("  %-34s %7.1f s%n", s.name(), s.seconds());
        }
        System.out.printf("  %-34s %7.1f s%n", "total", (last - start) / 1e9);
    }
}
