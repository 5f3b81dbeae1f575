package dev.gantry.common.testing;

import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.Sleeper;
import dev.gantry.common.http.Time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A clock that only moves when something sleeps on it; records every sleep. */
public final class FakeTime extends Clock implements Sleeper {
    private Instant now = Instant.parse("2026-11-23T12:00:00Z");
    public final List<Duration> sleeps = new ArrayList<>();

    @Override
    public synchronized void sleep(Duration d) {
        sleeps.add(d);
        now = now.plus(d);
    }

    /** This clock as the {@link Time} actions and clients take. */
    public Time time() {
        return new Time(this, this);
    }

    /** A deadline {@code d} from now on this clock. */
    public Deadline deadline(Duration d) {
        return Deadline.after(d, time(), "timeout: " + d.toSeconds() + "s");
    }

    @Override
    public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
        return this;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }
}
