package dev.gantry.common.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The clock every wait reads and the pause every wait takes: polls, retries, deadlines. Actions get it from
 * {@code ActionContext.time()}; the real one is {@link #SYSTEM}, and tests inject a virtual one whose clock moves
 * when something sleeps on it (the only test seam besides the API base URL).
 */
public record Time(Clock clock, Sleeper sleeper) {
    public static final Time SYSTEM = new Time(Clock.systemUTC(), Sleeper.SYSTEM);

    public Instant now() {
        return clock.instant();
    }

    public void sleep(Duration d) throws InterruptedException {
        sleeper.sleep(d);
    }
}
