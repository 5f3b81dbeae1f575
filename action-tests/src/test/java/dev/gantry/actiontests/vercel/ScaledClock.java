package dev.gantry.actiontests.vercel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The simulator's clock: real time multiplied by {@code speed}, plus whatever a test adds with
 * {@link #advance(Duration)}. At speed 20 a simulated three-second build takes 150 ms of the test's time; at
 * speed 0 time only moves when the test says so.
 */
public final class ScaledClock extends Clock {
    private final Instant base;
    private long realStart = System.nanoTime();
    private long simAtRealStart; // simulated nanos since base at realStart
    private double speed;
    private long manualNanos;

    public ScaledClock(double speed) {
        this.base = Instant.parse("2026-11-23T12:00:00Z");
        this.speed = speed;
    }

    /** Changes the speed from now on (time so far is kept). */
    public synchronized ScaledClock speed(double s) {
        long now = System.nanoTime();
        simAtRealStart += (long) ((now - realStart) * speed);
        realStart = now;
        speed = s;
        return this;
    }

    public synchronized double speed() {
        return speed;
    }

    public synchronized void advance(Duration d) {
        manualNanos += d.toNanos();
    }

    @Override
    public synchronized Instant instant() {
        long sim = simAtRealStart + (long) ((System.nanoTime() - realStart) * speed) + manualNanos;
        return base.plusNanos(sim);
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
