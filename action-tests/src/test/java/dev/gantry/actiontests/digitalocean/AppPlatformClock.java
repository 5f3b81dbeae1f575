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
 * In {@linkplain #followWallClock() real-time mode} (benchmarks) it is the wall clock (plus what tests moved it
 * by), so that App Platform's timestamps and the action's clock agree, as they do in real life.
 */
public final class AppPlatformClock extends Clock {
    private final Instant start;
    private volatile Duration moved = Duration.ZERO;
    private volatile boolean wall;

    public AppPlatformClock(Instant start) {
        this.start = start;
    }

    /** Moves the clock forward by {@code d}. */
    public synchronized void advance(Duration d) {
        moved = moved.plus(d);
    }

    /** From now on the clock is the wall clock (call it before anything is created on the simulator). */
    public synchronized void followWallClock() {
        wall = true;
    }

    @Override
    public Instant instant() {
        return (wall ? Instant.now() : start).plus(moved);
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
