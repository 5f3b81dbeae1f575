package dev.gantry.smoketest.soak;

/**
 * Sends a {@link SoakPlan}'s schedule and records into a {@link SoakRecorder}. An engine is open-loop: slot
 * {@code i} is due at {@code start + i/rate} whatever happened to earlier slots; a due slot that finds no free
 * connection waits for one (and that wait shows in corrected latency); slots still unsent when the
 * measurement ends are missed.
 */
interface SoakEngine {

    /**
     * When the engine started and where the measured window lies (its clock's values), how long its loop was
     * working rather than waiting over {@code [start, end)}, and whether every request sent was answered (or
     * failed) before the drain deadline.
     */
    record Timing(long start, long measureStart, long end, long busyNanos, boolean drained) {
    }

    /** Called from the engine's loop; prints progress now and then. */
    interface Progress {
        void tick(long nowNanos, Timing timing);
    }

    String name();

    Timing run(SoakPlan plan, SoakRecorder recorder, Progress progress, StallMeter meter) throws java.io.IOException;
}
