package dev.gantry.checks;

import java.util.List;

/**
 * What one check did. {@code failures} lists every failed assertion as {@code subject: why}; {@code message}
 * is the one line a person reads first. {@code httpStatus} is 0 when no response came back. {@code retryAfter}
 * is how long a 429 or 503 asked us to wait ({@code Retry-After}), or null.
 */
public record CheckOutcome(String name, int line, Status status, FailureKind failureKind, String method, String target,
                           int httpStatus, long durationMillis, List<String> failures, String message,
                           java.time.Duration retryAfter) {

    public CheckOutcome(String name, int line, Status status, FailureKind failureKind, String method, String target,
                        int httpStatus, long durationMillis, List<String> failures, String message) {
        this(name, line, status, failureKind, method, target, httpStatus, durationMillis, failures, message, null);
    }

    public enum Status { PASSED, FAILED, SKIPPED }

    /** Why a failed check failed: its assertions, no response at all, or the check itself could not be built. */
    public enum FailureKind { NONE, ASSERTION, TRANSPORT, CONFIGURATION }

    public CheckOutcome {
        failures = List.copyOf(failures);
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** {@code GET /api/health → 200 (12 ms)}, or the reason when there was no response. */
    public String brief() {
        String req = method + " " + target;
        if (status == Status.SKIPPED) return req + ": skipped (" + message + ")";
        if (httpStatus == 0) return req + " → " + message + " (" + durationMillis + " ms)";
        return req + " → " + httpStatus + " (" + durationMillis + " ms)";
    }
}
