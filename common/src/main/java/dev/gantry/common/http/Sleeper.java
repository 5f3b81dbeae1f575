package dev.gantry.common.http;

import java.time.Duration;

/** Waits; tests substitute one that does not. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d) throws InterruptedException;

    Sleeper SYSTEM = d -> {
        if (!d.isNegative() && !d.isZero()) Thread.sleep(d.toMillis());
    };
}
