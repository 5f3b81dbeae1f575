package dev.gantry.checks;

import java.time.Duration;
import java.util.List;

/**
 * What one check did. {@code failures} lists every failed assertion as {@code subject: why}; {@code message}
 * is the one line a person reads first. {@code httpStatus} is 0 when no response came back. {@code retryAfter}
 * is how long a 429 or 503 asked us to wait ({@code Retry-After}), or null. {@code attempts} counts the requests
 * sent (retries and repeats included).
 */
public record CheckOutcome(String name, int line, Status status, FailureKind failureKind, String method, String target,
                           int httpStatus, long durationMillis, List<String> failures, String message,
                           Duration retryAfter, int attempts) {

    public CheckOutcome(String name, int line, Status status, FailureKind failureKind, String method, String target,
                        int httpStatus, long durationMillis, List<String> failures, String message, Duration retryAfter) {
        this(name, line, status, failureKind, method, target, httpStatus, durationMillis, failures, message, retryAfter, 1);
    }

    public CheckOutcome(String name, int line, Status status, FailureKind failureKind, String method, String target,
                        int httpStatus, long durationMillis, List<String> failures, String message) {
        this(name, line, status, failureKind, method, target, httpStatus, durationMillis, failures, message, null, 1);
    }

    public enum Status { PASSED, FAILED, SKIPPED }

    /**
     * Why a failed check failed: its assertions, no response at all, the check itself could not be built, or
     * {@code LIMIT}: the response was larger than Gantry reads, so it could not be judged (not the app's failure).
     */
    public enum FailureKind { NONE, ASSERTION, TRANSPORT, CONFIGURATION, LIMIT }

    public CheckOutcome {
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    public CheckOutcome withAttempts(int n) {
        return new CheckOutcome(name, line, status, failureKind, method, target, httpStatus, durationMillis, failures,
                message, retryAfter, n);
    }

    /** {@code GET /api/health → 200 (12 ms)}, or the reason when there was no response. */
    public String brief() {
        String req = method + " " + target;
        if (status == Status.SKIPPED) return req + ": skipped (" + message + ")";
        if (httpStatus == 0) return req + " → " + message + " (" + durationMillis + " ms)";
        return req + " → " + httpStatus + " (" + durationMillis + " ms)";
    }
}
