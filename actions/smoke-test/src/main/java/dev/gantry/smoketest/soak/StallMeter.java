package dev.gantry.smoketest.soak;

import org.HdrHistogram.Histogram;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Measures how long the machine keeps the load generator from running (jHiccup's method): a thread asks to wake
 * every millisecond and records how late it woke. On a runner whose cores are busy with other work, or during a
 * GC pause, every thread of the process is held up alike, the soak's own loop included. The soak takes these
 * stalls out of its floor latency: time when the generator could not have noticed an answer is never charged to
 * the app.
 *
 * <p>{@link #stalled(long)} is the cumulative stall up to a moment, including a stall still in progress (the
 * meter has not woken for longer than it should), so the difference between two readings bounds the stall
 * between them. Lateness under {@link #ALLOWANCE_NANOS} (timer slack, a wake-up's normal cost) is not a stall.
 */
final class StallMeter implements AutoCloseable {
    static final long PERIOD_NANOS = 1_000_000L;
    static final long ALLOWANCE_NANOS = 200_000L;

    private final LongSupplier clock;
    private final Histogram hiccups = new Histogram(3);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long cumulative;
    private volatile long lastWake;

    private StallMeter(LongSupplier clock) {
        this.clock = clock;
        this.lastWake = clock.getAsLong();
        this.thread = Thread.ofPlatform().name("soak-stall-meter").daemon().unstarted(this::measure);
    }

    static StallMeter start(LongSupplier clock) {
        StallMeter m = new StallMeter(clock);
        m.thread.start();
        return m;
    }

    private void measure() {
        long expected = lastWake + PERIOD_NANOS;
        while (running) {
            long wait = expected - clock.getAsLong();
            if (wait > 0) LockSupport.parkNanos(wait);
            long now = clock.getAsLong();
            long late = now - expected;
            if (late >= 0) {
                synchronized (hiccups) {
                    // as jHiccup does: a wake-up 300 ms late stands for the 300 samples that could not be taken,
                    // so the percentiles say how much of the time the machine held the generator back
                    hiccups.recordValueWithExpectedInterval(late / 1000, PERIOD_NANOS / 1000);
                }
                if (late > ALLOWANCE_NANOS) cumulative += late - ALLOWANCE_NANOS; // one writer: this thread
                lastWake = now;
                expected = now + PERIOD_NANOS;
            }
        }
    }

    /** Cumulative stall up to {@code now} (nanoseconds), counting a stall in progress. */
    long stalled(long now) {
        // lastWake first: a wake-up between the two reads then counts its stall twice (too low a floor, never too high)
        long last = lastWake;
        long c = cumulative;
        long overdue = now - last - PERIOD_NANOS - ALLOWANCE_NANOS;
        return overdue > 0 ? c + overdue : c;
    }

    /** How late the meter woke, in microseconds, over the whole run. */
    Histogram hiccups() {
        synchronized (hiccups) {
            return hiccups.copy();
        }
    }

    long totalStallNanos() {
        return cumulative;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
