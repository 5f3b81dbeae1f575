package dev.gantry.actiontests.digitalocean;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulated App Platform's own clock, which decides where each deployment is in its phases. It moves when a test
 * moves it by hand, by the simulator's tick on every API request (so a test's deployment progresses as it is
 * polled), and with the pauses of the virtual time an action under test runs on ({@link AppPlatformSimulator#time()}).
 * In {@linkplain #followWallClock() real-time mode} (benchmarks, the sandbox) it also runs with the wall clock.
 */
public final class AppPlatformClock extends Clock {
    private final Instant start;
    private volatile Duration moved = Duration.ZERO;
    private volatile long wallStartNanos = -1;

    public AppPlatformClock(Instant start) {
        this.start = start;
    }

    /** Moves the clock forward by {@code d}. */
    public synchronized void advance(Duration d) {
        moved = moved.plus(d);
    }

    /** From now on the clock also runs with real time. */
    public synchronized void followWallClock() {
        if (wallStartNanos < 0) wallStartNanos = System.nanoTime();
    }

    @Override
    public Instant instant() {
        Instant t = start.plus(moved);
        long w = wallStartNanos;
        return w < 0 ? t : t.plusNanos(System.nanoTime() - w);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
