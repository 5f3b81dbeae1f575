package dev.gantry.prismagate.db;

import java.time.Duration;

/** The step's deadline ({@code timeout}): every wait and every read of the gate is bounded by what is left of it. */
public final class Deadline {
    private final Duration timeout;
    private final long end;

    private Deadline(Duration timeout) {
        this.timeout = timeout;
        this.end = System.nanoTime() + timeout.toNanos();
    }

    public static Deadline in(Duration timeout) {
        return new Deadline(timeout);
    }

    public Duration timeout() {
        return timeout;
    }

    /** What is left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, end - System.nanoTime()));
    }

    public boolean passed() {
        return end - System.nanoTime() <= 0;
    }

    /** {@code d} cut to what is left ({@code d} zero means "no limit of its own": what is left). */
    public Duration cap(Duration d) {
        Duration left = remaining();
        return d.isZero() || d.compareTo(left) > 0 ? left : d;
    }

    /** What is left in whole seconds, rounded up, at least 1 (pgjdbc's timeouts are whole seconds). */
    public int seconds() {
        long ms = remaining().toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (ms + 999) / 1000));
    }
}
