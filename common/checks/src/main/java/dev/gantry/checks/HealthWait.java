package dev.gantry.checks;

import dev.gantry.common.action.Log;
import dev.gantry.common.http.Sleeper;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits until a deployment is healthy: repeats the wait checks until one attempt passes them all, or the
 * deadline (counted from the start) passes. Any failure is retried (connection refused, 404 from a route not
 * yet live, 5xx, a failed assertion). Between attempts it backs off exponentially from {@code interval} up to
 * {@code maxInterval} with ±20% jitter, never sleeping past the deadline, and after the last attempt fails at
 * once. A 429 or 503 with {@code Retry-After} longer than the back-off is honoured (up to the deadline).
 * Each attempt is one log line; an attempt's requests get at least one second even at the deadline. A check that
 * cannot be built (a template names nothing defined) ends the wait at once: waiting would not change it.
 */
public final class HealthWait {
    /** The least time an attempt's requests get, even when the deadline is closer (the wait may overrun by it). */
    static final Duration MIN_ATTEMPT = Duration.ofSeconds(1);

    /** The wait's end: {@code healthy}, the attempts made, and the outcomes of the last attempt. */
    public record Result(boolean healthy, int attempts, Duration elapsed, Map<String, CheckOutcome> lastOutcomes) {
        /** The first failed outcome of the last attempt, or null when healthy. */
        public CheckOutcome lastFailure() {
            return lastOutcomes.values().stream().filter(CheckOutcome::failed).findFirst().orElse(null);
        }
    }

    private final Duration timeout;
    private final Duration interval;
    private final Duration maxInterval;
    private final Clock clock;
    private final Sleeper sleeper;

    public HealthWait(Duration timeout, Duration interval, Duration maxInterval, Clock clock, Sleeper sleeper) {
        this.timeout = timeout;
        this.interval = interval;
        this.maxInterval = maxInterval.compareTo(interval) < 0 ? interval : maxInterval;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public HealthWait(Duration timeout, Duration interval) {
        this(timeout, interval, Duration.ofSeconds(30), Clock.systemUTC(), Sleeper.SYSTEM);
    }

    public Result until(CheckRunner runner, List<Check> checks, URI baseUrl, Scope scope, Log log) {
        Instant start = clock.instant();
        Instant deadline = start.plus(timeout);
        Duration next = interval;
        int attempt = 0;
        Map<String, CheckOutcome> last = new LinkedHashMap<>();
        while (true) {
            attempt++;
            last = new LinkedHashMap<>();
            List<String> parts = new ArrayList<>();
            boolean ok = true;
            Duration askedWait = null;
            for (Check c : checks) {
                Duration left = Duration.between(clock.instant(), deadline);
                // an attempt at the deadline still gets a fair chance to answer
                CheckOutcome o = runner.attempt(c, baseUrl, scope, log, left.compareTo(MIN_ATTEMPT) < 0 ? MIN_ATTEMPT : left).outcome();
                last.put(c.name(), o);
                parts.add(c.name() + " " + (o.httpStatus() == 0 ? o.message() : o.httpStatus() + (o.passed() ? "" : " (" + o.message() + ")")));
                if (!o.passed()) {
                    ok = false;
                    askedWait = o.retryAfter();
                    break;
                }
            }
            Instant now = clock.instant();
            Duration elapsed = Duration.between(start, now);
            if (ok) {
                log.info("attempt " + attempt + ": " + String.join(", ", parts) + " → healthy after " + seconds(elapsed));
                return new Result(true, attempt, elapsed, last);
            }
            CheckOutcome broken = last.values().stream()
                    .filter(o -> o.failureKind() == CheckOutcome.FailureKind.CONFIGURATION).findFirst().orElse(null);
            if (broken != null) {
                // a check that cannot be built (an undefined {{name}}) will not heal by waiting
                log.info("attempt " + attempt + ": " + String.join(", ", parts) + " → not retried: " + broken.message());
                return new Result(false, attempt, elapsed, last);
            }
            if (!now.isBefore(deadline)) {
                log.info("attempt " + attempt + ": " + String.join(", ", parts) + " → giving up after " + seconds(elapsed));
                return new Result(false, attempt, elapsed, last);
            }
            Duration left = Duration.between(now, deadline);
            long jittered = Math.round(next.toMillis() * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
            boolean honoured = askedWait != null && askedWait.toMillis() > jittered;
            if (honoured) jittered = askedWait.toMillis();
            Duration sleep = Duration.ofMillis(Math.max(1, Math.min(jittered, left.toMillis())));
            log.info("attempt " + attempt + ": " + String.join(", ", parts) + "; next in " + seconds(sleep)
                    + (honoured ? " (Retry-After)" : ""));
            try {
                sleeper.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(false, attempt, Duration.between(start, clock.instant()), last);
            }
            next = Duration.ofMillis(Math.min(maxInterval.toMillis(), next.toMillis() * 2));
        }
    }

    static String seconds(Duration d) {
        return dev.gantry.common.action.Durations.human(d);
    }
}
