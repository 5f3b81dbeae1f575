package dev.gantry.common.http;

import dev.gantry.common.action.Durations;
import dev.gantry.common.action.Log;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The one place a provider call is retried, through Feign ({@link HttpApi}'s transport) and outside it (uploads,
 * event streams, log downloads, the calls that create something).
 *
 * <ul>
 *   <li>A rate limit (429, or a 403 the provider marks as one) was not processed: resent, whatever the method.</li>
 *   <li>A request that never reached the server (connection refused, connect timeout) is resent.</li>
 *   <li>No answer, 500, 502, 503 or 504: resent when the call is idempotent. When it creates something, the
 *       caller's check ("did it happen?") runs first, after the pause, and the call is resent only when it did
 *       not; without a check it is not resent.</li>
 *   <li>Anything else fails at once.</li>
 * </ul>
 * The pause is the policy's backoff, or the provider's {@code Retry-After} / rate-limit reset when longer. No pause
 * ever ends past the step's {@link Deadline}: a wait that cannot fit stops the step now with {@code result=timeout}
 * and says what the provider asked for.
 */
public final class RetryExecutor {
    private final String provider;
    private final RetryPolicy policy;
    private final Deadline deadline;
    private final Log log;

    public RetryExecutor(String provider, RetryPolicy policy, Deadline deadline, Log log) {
        this.provider = Objects.requireNonNull(provider);
        this.policy = Objects.requireNonNull(policy);
        this.deadline = Objects.requireNonNull(deadline);
        this.log = log;
    }

    /** One attempt of a call; fails with a {@link ProviderException} the executor classifies. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run();
    }

    /** After a failure whose outcome is unknown: what the failed call did, if it did anything. */
    @FunctionalInterface
    public interface Check<T> {
        Optional<T> whatHappened();
    }

    public Deadline deadline() {
        return deadline;
    }

    public RetryPolicy policy() {
        return policy;
    }

    public Time time() {
        return deadline.time();
    }

    /** A read or a safe write ({@code idempotent}), or a call resent only when the provider did not process it. */
    public <T> T call(String operation, boolean idempotent, Attempt<T> attempt) {
        return run(operation, idempotent, attempt, null);
    }

    /**
     * A call that creates something: resent after a lost answer or a 5xx only when {@code check} says it did not
     * happen; what it finds is returned instead.
     */
    public <T> T create(String operation, Attempt<T> attempt, Check<T> check) {
        return run(operation, false, attempt, Objects.requireNonNull(check));
    }

    private <T> T run(String operation, boolean idempotent, Attempt<T> attempt, Check<T> check) {
        Time time = deadline.time();
        Instant budgetEnd = time.now().plus(policy.budget());
        for (int n = 1; ; n++) {
            if (deadline.capRequest(Duration.ofSeconds(1)).isZero()) throw deadline.exceeded("before " + operation, null);
            ProviderException failure;
            try {
                return attempt.run();
            } catch (ProviderException e) {
                failure = e;
            }
            boolean notProcessed = failure.rateLimited() || failure.neverSent();
            boolean unknown = failure.status() == 0 || failure.isTransient();
            if (!notProcessed && !(unknown && (idempotent || check != null))) throw failure;
            if (n >= policy.maxAttempts()) {
                throw failure.withNote("gave up after " + n + " attempts");
            }
            Instant now = time.now();
            Duration delay = policy.backoff(n);
            boolean asked = false;
            if (failure.retryAt() != null) {
                Duration server = Duration.between(now, failure.retryAt());
                if (server.compareTo(delay) > 0) {
                    delay = server;
                    asked = true;
                }
            }
            if (!deadline.fits(delay)) {
                throw deadline.cannotWait("on " + operation, asked
                        ? provider + " asked to wait " + Durations.human(delay) + " (" + describe(failure)
                                + ", Retry-After or its rate-limit reset)"
                        : "the next attempt after " + describe(failure) + " would come in " + Durations.human(delay),
                        failure);
            }
            if (now.plus(delay).isAfter(budgetEnd)) {
                throw failure.withNote("gave up: the next attempt would be in " + Durations.human(delay)
                        + ", past the retry budget of " + Durations.human(policy.budget()));
            }
            if (log != null) {
                log.info(provider + ": " + describe(failure) + " on " + operation + "; "
                        + (check != null && !notProcessed ? "checking whether it happened, then " : "")
                        + "retrying in " + Durations.human(delay) + " (attempt " + (n + 1) + " of "
                        + policy.maxAttempts() + ")");
            }
            try {
                time.sleep(delay);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw failure;
            }
            if (check != null && !notProcessed) {
                Optional<T> happened = check.whatHappened();
                if (happened.isPresent()) {
                    if (log != null) {
                        log.info(provider + ": " + operation + " went through despite " + describe(failure)
                                + "; continuing with it");
                    }
                    return happened.get();
                }
            }
        }
    }

    private static String describe(ProviderException e) {
        if (e.status() > 0) return "HTTP " + e.status() + (e.rateLimited() && e.status() != 429 ? " (rate limit)" : "");
        return e.neverSent() ? "no connection" : "no answer";
    }
}
