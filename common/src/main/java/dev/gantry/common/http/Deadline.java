package dev.gantry.common.http;

import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.Durations;
import dev.gantry.common.action.ExitCode;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The instant a step must be done by, from its {@code timeout} input. Every wait of the step is bounded by it:
 * polling and every retry pause end by {@link #at()}; a wait that cannot fit ends the step at once with
 * {@code result=timeout}, saying what it was waiting for. Requests (connecting, headers and the whole body) may
 * run {@link #GRACE} longer, so that the last poll at the deadline and the clean-up after it (cancelling, the
 * last status, the report) still get an answer; nothing runs past that.
 */
public final class Deadline {
    /** How long after the deadline a request may still run: the last poll, and the clean-up and report. */
    public static final Duration GRACE = Duration.ofSeconds(5);

    private final Instant at;
    private final Time time;
    private final String description;

    private Deadline(Instant at, Time time, String description) {
        this.at = at;
        this.time = Objects.requireNonNull(time, "time");
        this.description = description;
    }

    /**
     * {@code timeout} from now; {@code description} names where it comes from, as the user wrote it, e.g.
     * {@code "timeout: 10m"}.
     */
    public static Deadline after(Duration timeout, Time time, String description) {
        return new Deadline(time.now().plus(timeout), time, description);
    }

    /** No deadline (a library used outside an action, or a test that does not care). */
    public static Deadline none(Time time) {
        return new Deadline(Instant.MAX, time, null);
    }

    /** Whichever ends first: this deadline or {@code d} from now (then described by {@code description}). */
    public Deadline within(Duration d, String description) {
        Instant other = time.now().plus(d);
        return other.isBefore(at) ? new Deadline(other, time, description) : this;
    }

    public Instant at() {
        return at;
    }

    public Time time() {
        return time;
    }

    /** Where the deadline comes from ({@code "timeout: 10m"}), or null when there is none. */
    public String description() {
        return description;
    }

    public boolean isSet() {
        return !at.equals(Instant.MAX);
    }

    /** What is left, never negative. */
    public Duration remaining() {
        if (!isSet()) return Duration.ofSeconds(Long.MAX_VALUE / 2);
        Duration d = Duration.between(time.now(), at);
        return d.isNegative() ? Duration.ZERO : d;
    }

    public boolean passed() {
        return isSet() && !time.now().isBefore(at);
    }

    /** {@code d}, or what is left of the deadline when that is shorter. */
    public Duration cap(Duration d) {
        Duration left = remaining();
        return d.compareTo(left) <= 0 ? d : left;
    }

    /** A request's timeout: {@code d}, or what is left of the deadline and its {@link #GRACE}. */
    public Duration capRequest(Duration d) {
        if (!isSet()) return d;
        Duration left = Duration.between(time.now(), at.plus(GRACE));
        if (left.isNegative()) left = Duration.ZERO;
        return d.compareTo(left) <= 0 ? d : left;
    }

    /** Whether a wait of {@code d} from now still ends before the deadline. */
    public boolean fits(Duration d) {
        return !isSet() || !time.now().plus(d).isAfter(at);
    }

    /**
     * The step's time is up while {@code doing} (e.g. "waiting for deployment 4d78d55e"). Exit 1 with
     * {@code result=timeout}, like every other timeout.
     */
    public DeadlineException exceeded(String doing, Throwable cause) {
        return new DeadlineException("Timed out " + doing + ": the step's time is up ("
                + (description == null ? "deadline" : description) + ")", cause);
    }

    /**
     * A wait does not fit: stops now. {@code reason} says what wanted the wait and how long, e.g. "DigitalOcean
     * asked to wait 1m (HTTP 429, Retry-After)".
     */
    public DeadlineException cannotWait(String doing, String reason, Throwable cause) {
        return new DeadlineException("Timed out " + doing + ": " + reason + ", but the step's time ends in "
                + Durations.human(remaining()) + " (" + (description == null ? "deadline" : description) + ")", cause);
    }

    /** The step ran out of time: exit 1, {@code result=timeout}. */
    public static final class DeadlineException extends ActionException {
        DeadlineException(String message, Throwable cause) {
            super(ExitCode.FAILED, message, "timeout", null, cause);
        }
    }
}
