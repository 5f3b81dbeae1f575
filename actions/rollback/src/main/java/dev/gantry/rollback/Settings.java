package dev.gantry.rollback;

import dev.gantry.checks.CheckSuite;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the inputs said, checked. {@code target} is empty for an automatic choice; {@code checks} is null
 * when there is no {@code verify-url}; {@code verifySecrets} are masked already.
 */
record Settings(String provider, URI apiUrl, String target, String reason, Duration timeout, boolean dryRun,
                boolean commit, boolean revert, boolean undo, URI verifyUrl, CheckSuite checks,
                Map<String, String> verifySecrets, Duration verifyTimeout,
                Incident incident, String githubToken, String environment) {

    /** When to open (or comment on) the incident issue. */
    enum Incident {
        ALWAYS, ON_FAILURE, NEVER;

        static Incident of(String input) {
            return switch (input) {
                case "false" -> NEVER;
                case "on-failure" -> ON_FAILURE;
                default -> ALWAYS;
            };
        }
    }

    boolean hasReason() {
        return reason != null && !reason.isBlank();
    }
}
