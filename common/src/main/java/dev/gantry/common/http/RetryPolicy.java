package dev.gantry.common.http;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long and how often a call is retried: at most {@code maxAttempts} attempts within {@code deadline} of
 * the first, with exponential backoff and full jitter between {@code initialDelay} and {@code maxDelay}. A
 * server's {@code Retry-After} or rate-limit reset wins over the backoff when it is longer.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration deadline,
                          Clock clock, Sleeper sleeper) {

    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofMinutes(3),
                Clock.systemUTC(), Sleeper.SYSTEM);
    }

    public RetryPolicy withMaxAttempts(int n) {
        return new RetryPolicy(n, initialDelay, maxDelay, deadline, clock, sleeper);
    }

    public RetryPolicy withDelays(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, max, deadline, clock, sleeper);
    }

    public RetryPolicy withDeadline(Duration d) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, d, clock, sleeper);
    }

    public RetryPolicy withClock(Clock c, Sleeper s) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, deadline, c, s);
    }

    /** The backoff before attempt {@code attempt + 1} (attempt counts from 1): full jitter. */
    public Duration backoff(int attempt) {
        long cap = Math.min(maxDelay.toMillis(), initialDelay.toMillis() * (1L << Math.min(20, attempt - 1)));
        long lo = Math.max(1, cap / 2);
        return Duration.ofMillis(lo + ThreadLocalRandom.current().nextLong(Math.max(1, cap - lo + 1)));
    }
}
