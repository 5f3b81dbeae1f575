package dev.gantry.common.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often and how long a call is retried: at most {@code maxAttempts} attempts within {@code budget} of the
 * first, with exponential backoff and jitter between {@code initialDelay} and {@code maxDelay}. A server's
 * {@code Retry-After} or rate-limit reset wins over the backoff when it is longer; the step's {@link Deadline}
 * bounds everything.
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, Duration budget) {

    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofMillis(500), Duration.ofSeconds(20), Duration.ofMinutes(3));
    }

    public RetryPolicy withMaxAttempts(int n) {
        return new RetryPolicy(n, initialDelay, maxDelay, budget);
    }

    public RetryPolicy withDelays(Duration initial, Duration max) {
        return new RetryPolicy(maxAttempts, initial, max, budget);
    }

    public RetryPolicy withBudget(Duration d) {
        return new RetryPolicy(maxAttempts, initialDelay, maxDelay, d);
    }

    /** The backoff before attempt {@code attempt + 1} (attempt counts from 1): half fixed, half jitter. */
    public Duration backoff(int attempt) {
        long cap = Math.min(maxDelay.toMillis(), initialDelay.toMillis() * (1L << Math.min(20, attempt - 1)));
        long lo = Math.max(1, cap / 2);
        return Duration.ofMillis(lo + ThreadLocalRandom.current().nextLong(Math.max(1, cap - lo + 1)));
    }
}
