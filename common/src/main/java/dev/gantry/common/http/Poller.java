package dev.gantry.common.http;

import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.Durations;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.Log;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition with a deadline. Polls on an interval schedule that starts short and backs off, logs a
 * line whenever the observed state changes (and a heartbeat while it does not), and on timeout fails with what
 * it was waiting for and the last state seen. A probe fails the wait early by throwing. The wait ends at its own
 * timeout or at the step's {@link Deadline}, whichever comes first.
 */
public final class Poller {
    private final String what;
    private final Duration timeout;
    private final Duration initialInterval;
    private final Duration maxInterval;
    private final double factor;
    private final Duration heartbeat;
    private final Log log;
    private final Time time;
    private final Deadline deadline;

    private Poller(Builder b) {
        this.what = Objects.requireNonNull(b.what, "what");
        this.timeout = b.timeout;
        this.initialInterval = b.initialInterval;
        this.maxInterval = b.maxInterval;
        this.factor = b.factor;
        this.heartbeat = b.heartbeat;
        this.log = b.log;
        this.time = b.time;
        this.deadline = b.deadline;
    }

    public static Builder waitingFor(String what) {
        return new Builder(what);
    }

    /**
     * Polls {@code probe} until {@code done} holds, describing each state with {@code describe}.
     *
     * @throws PollTimeoutException when the deadline passes first
     */
    public <T> T until(Supplier<T> probe, Predicate<T> done, Function<T, String> describe) {
        return until(probe, done, describe, null);
    }

    /**
     * As {@link #until(Supplier, Predicate, Function)}, but the pause after each state is {@code next.apply(state)}
     * (a schedule that knows when the state is likely to change), or the backoff schedule where it returns null.
     * The pause never runs past the wait's end.
     */
    public <T> T until(Supplier<T> probe, Predicate<T> done, Function<T, String> describe,
                       Function<T, Duration> next) {
        Instant start = time.now();
        Instant end = start.plus(timeout);
        boolean stepEndsFirst = deadline != null && deadline.at().isBefore(end);
        if (stepEndsFirst) end = deadline.at();
        Duration interval = initialInterval;
        String lastDescription = null;
        Instant lastLine = start;
        while (true) {
            T state;
            try {
                state = probe.get();
            } catch (Deadline.DeadlineException e) {
                // the step's time ran out during the probe itself (a last poll at the deadline that got no answer, or
                // a provider that asked for a pause past the deadline): the cause says which
                throw new PollTimeoutException(what, deadline == null ? Durations.human(timeout) : deadline.description(),
                        lastDescription, e);
            }
            String d = describe.apply(state);
            Instant now = time.now();
            if (!Objects.equals(d, lastDescription)) {
                log.info(d + " (" + elapsed(start, now) + ")");
                lastDescription = d;
                lastLine = now;
            } else if (Duration.between(lastLine, now).compareTo(heartbeat) >= 0) {
                log.info("still waiting for " + what + ": " + d + " (" + elapsed(start, now) + ")");
                lastLine = now;
            }
            if (done.test(state)) {
                return state;
            }
            if (!now.isBefore(end)) {
                throw stepEndsFirst ? new PollTimeoutException(what, deadline.description(), lastDescription)
                        : new PollTimeoutException(what, Durations.human(timeout), lastDescription);
            }
            Duration left = Duration.between(now, end);
            Duration planned = next == null ? null : next.apply(state);
            if (planned == null || planned.isNegative()) planned = interval;
            Duration sleep = planned.compareTo(left) < 0 ? planned : left;
            try {
                time.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PollTimeoutException(what, Durations.human(Duration.between(start, time.now())), lastDescription);
            }
            long grown = (long) (interval.toMillis() * factor);
            interval = Duration.ofMillis(Math.min(maxInterval.toMillis(), Math.max(grown, 1)));
        }
    }

    static String elapsed(Instant a, Instant b) {
        return Durations.human(Duration.ofSeconds(Duration.between(a, b).toSeconds()));
    }

    /** The wait ran out of time: exit 1, with what we waited for and the last state seen. */
    public static final class PollTimeoutException extends ActionException {
        private final String lastState;

        /** {@code after}: the timeout as the user wrote it ({@code 10m}, or {@code timeout: 10m} for the step's). */
        PollTimeoutException(String what, String after, String lastState) {
            this(what, after, lastState, null);
        }

        /** {@code cause}: the step's deadline hit inside a probe; its message says what the wait was for. */
        PollTimeoutException(String what, String after, String lastState, Deadline.DeadlineException cause) {
            super(ExitCode.FAILED, "Timed out after " + after + " waiting for " + what
                    + "; last state: " + (lastState == null ? "none seen" : lastState)
                    + (cause == null ? "" : " (" + cause.getMessage() + ")"), "timeout", null, cause);
            this.lastState = lastState;
        }

        public String lastState() {
            return lastState;
        }
    }

    public static final class Builder {
        private final String what;
        private Duration timeout = Duration.ofMinutes(10);
        private Duration initialInterval = Duration.ofSeconds(1);
        private Duration maxInterval = Duration.ofSeconds(15);
        private double factor = 1.5;
        private Duration heartbeat = Duration.ofSeconds(30);
        private Log log;
        private Time time = Time.SYSTEM;
        private Deadline deadline;

        private Builder(String what) {
            this.what = what;
        }

        public Builder timeout(Duration d) {
            this.timeout = d;
            return this;
        }

        public Builder interval(Duration initial, Duration max, double growth) {
            this.initialInterval = initial;
            this.maxInterval = max;
            this.factor = growth;
            return this;
        }

        public Builder heartbeat(Duration d) {
            this.heartbeat = d;
            return this;
        }

        public Builder log(Log l) {
            this.log = l;
            return this;
        }

        public Builder time(Time t) {
            this.time = t;
            return this;
        }

        /** The step's deadline: the wait ends there if its own timeout is later. Its time is used. */
        public Builder deadline(Deadline d) {
            this.deadline = d;
            if (d != null) this.time = d.time();
            return this;
        }

        public Poller build() {
            Objects.requireNonNull(log, "log");
            return new Poller(this);
        }
    }
}
