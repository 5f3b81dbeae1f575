package dev.gantry.rollback;

import dev.gantry.common.action.Durations;
import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.Log;
import dev.gantry.checks.Check;
import dev.gantry.checks.CheckOutcome;
import dev.gantry.checks.CheckRunner;
import dev.gantry.checks.CheckSuite;
import dev.gantry.checks.HealthWait;
import dev.gantry.checks.Scope;
import dev.gantry.checks.SuiteResult;

import java.net.URI;
import dev.gantry.common.http.Time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies the restored deployment with the smoke-test check engine: waits (up to {@code verify-timeout}) until its
 * wait checks pass, then runs every check once. The same checks file format as the smoke-test action.
 */
final class Verification {
    /** How it went: {@code line} is the one sentence for the summary and the incident. */
    record Result(boolean passed, String line, List<CheckOutcome> outcomes, Duration elapsed) {
    }

    private Verification() {
    }

    static Result run(ActionContext ctx, URI url, CheckSuite suite, Map<String, String> secrets, Duration waitTimeout,
                      Time time) {
        Log log = ctx.log();
        Clock clock = time.clock();
        Instant start = clock.instant();
        Map<String, String> github = new LinkedHashMap<>();
        github.put("repository", ctx.github().repository());
        github.put("sha", ctx.github().sha());
        github.put("run_id", ctx.github().runId());
        try (CheckRunner runner = CheckRunner.builder().github(github).time(time).build()) {
            Scope scope = runner.scope(suite, url, Map.of(), secrets, log);
            List<Check> waitChecks = suite.waitChecks();
            Map<String, CheckOutcome> done = new LinkedHashMap<>();
            if (!waitChecks.isEmpty() && !waitTimeout.isZero()) {
                log.group("Verify: waiting for " + url + " to be healthy (up to " + Durations.human(waitTimeout) + ")");
                HealthWait.Result waited;
                try {
                    waited = new HealthWait(waitTimeout, Duration.ofSeconds(2), Duration.ofSeconds(15), clock,
                            time.sleeper()).until(runner, waitChecks, url, scope, log);
                } finally {
                    log.endGroup();
                }
                if (!waited.healthy()) {
                    CheckOutcome f = waited.lastFailure();
                    List<CheckOutcome> outcomes = new ArrayList<>(waited.lastOutcomes().values());
                    String why = f == null ? "not healthy" : "'" + f.name() + "' " + f.brief() + ": " + f.message();
                    return new Result(false, "failed: " + url + " did not become healthy within "
                            + Durations.human(waitTimeout) + " (" + waited.attempts() + " attempts; last: " + why + ")",
                            outcomes, Duration.between(start, clock.instant()));
                }
                done.putAll(waited.lastOutcomes());
            }
            log.group("Verify: " + suite.checks().size() + " check(s) against " + url);
            SuiteResult r;
            try {
                r = runner.run(suite, url, scope, log, done);
            } finally {
                log.endGroup();
            }
            Duration took = Duration.between(start, clock.instant());
            if (r.allPassed()) {
                return new Result(true, "passed: " + r.passed() + " of " + r.outcomes().size() + " check(s) against "
                        + url, r.outcomes(), took);
            }
            CheckOutcome f = r.outcomes().stream().filter(CheckOutcome::failed).findFirst().orElseThrow();
            return new Result(false, "failed: " + r.failed() + " of " + r.outcomes().size() + " check(s) against " + url
                    + "; first: '" + f.name() + "' " + f.message(), r.outcomes(), took);
        }
    }
}
