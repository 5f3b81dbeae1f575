package dev.gantry.smoketest;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.Durations;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.Annotation;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.checks.Check;
import dev.gantry.checks.CheckOutcome;
import dev.gantry.checks.CheckRunner;
import dev.gantry.checks.CheckSuite;
import dev.gantry.checks.HealthWait;
import dev.gantry.checks.Scope;
import dev.gantry.checks.SuiteResult;
import dev.gantry.smoketest.report.JUnitReport;
import dev.gantry.smoketest.report.JsonReport;
import dev.gantry.smoketest.report.Report;
import dev.gantry.smoketest.slo.Gates;
import dev.gantry.smoketest.slo.Samples;
import dev.gantry.smoketest.slo.Slo;
import dev.gantry.smoketest.slo.SloResult;
import dev.gantry.smoketest.slo.Verdict;
import dev.gantry.smoketest.soak.SoakResult;
import dev.gantry.smoketest.soak.SoakSession;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The smoke-test flow: wait until healthy, run the checks, soak (while what the checks created still exists,
 * before the trailing cleanup checks), evaluate the SLO gates, report, and decide.
 *
 * <p>The verdict ({@link Verdict}): a failed check (or never healthy, or a soak cleanup that failed) or a failed
 * gate is {@code fail}; a gate the run could not decide (the load generator fell behind where that mattered, too
 * few samples, the rate not reached) or a check whose answer was larger than Gantry reads is {@code inconclusive}
 * (exit 3); else {@code pass}. Every soak gates on its errors ({@link Gates}). {@code fail-on} narrows what fails
 * the step: {@code functional} only checks, {@code slo} only gates (and the soak); the rest is reported as a
 * warning.
 */
final class SmokeTest {
    private static final int MAX_ANNOTATIONS = 10;

    enum FailOn { ANY, FUNCTIONAL, SLO }

    private final ActionContext ctx;
    private final Log log;
    private final Settings s;

    SmokeTest(ActionContext ctx, Settings settings) {
        this.ctx = ctx;
        this.log = ctx.log();
        this.s = settings;
    }

    /** What the checks phase left: the checks' outcomes, the wait, and the soak (or why it was skipped). */
    private record Run(SuiteResult checks, HealthWait.Result waited, SoakResult soak, String soakSkipped) {
    }

    void run() {
        Instant started = ctx.time().now();
        try (CheckRunner runner = CheckRunner.builder().requestTimeout(s.requestTimeout()).defaultHeaders(s.headers())
                .github(githubValues()).time(ctx.time()).retryLimit(s.waitTimeout())
                .proxyEnvironment(ctx::env).build()) {
            Scope scope = runner.scope(s.variables(), s.secrets(), log);
            HealthWait.Result waited = waitUntilHealthy(runner, scope);
            Run run = waited != null && !waited.healthy() ? neverHealthy(waited, scope) : checks(runner, scope, waited);
            List<SloResult> gates = gates(run.checks(), run.soak(), run.soakSkipped());
            Verdict verdict = decide(run, gates);
            report(run, gates, verdict, started);
            finish(verdict, run.checks(), waited, gates, run.soak());
        }
    }

    private HealthWait.Result waitUntilHealthy(CheckRunner runner, Scope scope) {
        List<Check> waitChecks = s.checks().waitChecks();
        if (waitChecks.isEmpty() || s.waitTimeout().isZero()) return null;
        log.group("Waiting for " + s.url() + " to be healthy (" + String.join(", ", waitChecks.stream().map(Check::name).toList())
                + "; up to " + Durations.human(s.waitTimeout()) + ")");
        try {
            return new HealthWait(s.waitTimeout(), s.waitInterval(), Duration.ofSeconds(30), ctx.time().clock(),
                    ctx.time().sleeper()).until(runner, waitChecks, s.url(), scope, log);
        } finally {
            log.endGroup();
        }
    }

    /** Never healthy: the wait's last outcomes, every other check skipped. */
    private Run neverHealthy(HealthWait.Result waited, Scope scope) {
        List<CheckOutcome> outcomes = new ArrayList<>();
        for (Check c : s.checks().checks()) {
            CheckOutcome last = waited.lastOutcomes().get(c.name());
            outcomes.add(last != null ? last : new CheckOutcome(c.name(), c.line(), CheckOutcome.Status.SKIPPED,
                    CheckOutcome.FailureKind.NONE, c.request().method(), c.request().target(), 0, 0, List.of(),
                    "never healthy"));
        }
        return new Run(new SuiteResult(outcomes, scope), waited, null, "the deployment never became healthy");
    }

    /** Every check in order; the soak runs where the trailing cleanup checks begin. */
    private Run checks(CheckRunner runner, Scope scope, HealthWait.Result waited) {
        CheckSuite suite = s.checks();
        SoakResult[] soak = {null};
        String[] soakSkipped = {null};
        Map<String, CheckOutcome> done = new LinkedHashMap<>(waited == null ? Map.of() : waited.lastOutcomes());
        log.group("Checks (" + suite.checks().size() + ")");
        SuiteResult checks = runner.run(suite, s.url(), scope, log, done, partial -> {
            if (s.soak().rate() <= 0) return;
            log.endGroup();
            if (!partial.allPassed()) {
                soakSkipped[0] = "a check failed";
                log.info("Soak skipped: a check failed.");
            } else {
                try {
                    soak[0] = soak(suite, runner, scope);
                } catch (SoakSession.ProxiedException e) {
                    soakSkipped[0] = e.getMessage();
                    log.endGroup();
                } catch (Scope.UnknownVariableException | IllegalArgumentException e) {
                    // not thrown from here: the cleanup checks must still run
                    soakSkipped[0] = "a soak target cannot be built: " + e.getMessage();
                    log.endGroup();
                }
            }
            log.group("Cleanup checks");
        });
        log.endGroup();
        if (soakSkipped[0] != null && soakSkipped[0].startsWith("a soak target cannot be built")) {
            throw InputException.invalid("checks", "asks for a soak, but " + soakSkipped[0]
                    + " (soak targets may use only values captured before the cleanup checks)");
        }
        if (soakSkipped[0] != null && soakSkipped[0].startsWith("soak target '")) {
            throw InputException.invalid("soak-rate", "asks for a soak, but " + soakSkipped[0] + Settings.PROXY_REMEDY);
        }
        return new Run(checks, waited, soak[0], soakSkipped[0]);
    }

    private Map<String, String> githubValues() {
        var g = ctx.github();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("repository", g.repository());
        m.put("sha", g.sha());
        m.put("head_sha", g.headSha());
        m.put("ref", g.ref());
        m.put("ref_name", g.refName());
        m.put("head_ref", g.headRef());
        m.put("event_name", g.eventName());
        m.put("actor", g.actor());
        m.put("workflow", g.workflow());
        m.put("run_id", g.runId());
        m.put("run_attempt", g.runAttempt());
        String runNumber = ctx.env("GITHUB_RUN_NUMBER");
        m.put("run_number", runNumber == null ? "" : runNumber);
        m.put("server_url", g.serverUrl());
        g.pullRequestNumber().ifPresent(n -> m.put("pr_number", Integer.toString(n)));
        return m;
    }

    private SoakResult soak(CheckSuite suite, CheckRunner runner, Scope scope) {
        Settings.Soak k = s.soak();
        log.group(String.format(Locale.ROOT, "Soak: %d req/s for %s (+%s warm-up) over %s, at most %d in flight",
                k.rate(), Durations.human(k.duration()), Durations.human(k.warmup()),
                String.join(", ", suite.effectiveSoakTargets().stream().map(t -> t.check() + "×" + t.weight()).toList()),
                k.maxInFlight()));
        if (k.duration().plus(k.warmup()).compareTo(Duration.ofMinutes(10)) >= 0) {
            log.info("This soak alone takes " + Durations.human(k.duration().plus(k.warmup()))
                    + "; the job's (or step's) timeout-minutes must leave room for it, the wait and the checks.");
        }
        SoakResult r = SoakSession.run(suite, runner, scope, s.url(), s.soakSettings(), log);
        SoakResult.Generator g = r.generator();
        log.info(String.format(Locale.ROOT, "soak done: %d requests measured (%s engine), achieved %.1f req/s, errors %d;"
                        + " latency p50 %.2f / p99 %.2f ms corrected, %.2f / %.2f ms uncorrected, p99 %.2f ms without the generator's delays",
                r.overall().count(), r.engine(), r.achievedRps(), r.overall().errors(), r.overall().p(50),
                r.overall().p(99), r.overall().uncorrectedP(50), r.overall().uncorrectedP(99), r.overall().floorP(99)));
        log.info(String.format(Locale.ROOT, "generator: schedule lag p99 %.2f ms, slot wait p99 %.2f ms, machine stalls p99 %.2f ms"
                        + " (%.0f ms in all), loop busy %.0f%%, %.1f ms CPU per 1,000 requests, connections %.0f%% used",
                g.lagP99Ms(), g.slotWaitP99Ms(), g.stallP99Ms(), g.stallTotalMs(), g.loopBusy() * 100, g.cpuMillisPer1000(),
                g.occupancy() * 100));
        if (r.saturated()) {
            log.info("The generator did not keep up (" + r.saturationReason() + "); that matters only for a gate it could"
                    + " have tipped: those are inconclusive, the rest stand.");
        }
        if (r.writes() != null && (r.writes().cleanupFailed() > 0 || r.writes().leftBehind() > 0)) {
            log.warning("Soak writes: " + r.writes().cleaned() + " of " + r.writes().answered() + " undone by '"
                    + r.writes().cleanupCheck() + "'" + (r.writes().problems().isEmpty() ? "" : "; " + String.join("; ", r.writes().problems())),
                    Annotation.titled("smoke-test: soak cleanup"));
        }
        log.endGroup();
        return r;
    }

    /** Gates over the soak (corrected latency) when it ran, else over the checks' own requests; see {@link Gates}. */
    private List<SloResult> gates(SuiteResult checks, SoakResult soak, String soakSkipped) {
        Slo defaultGate = null;
        Settings.Soak k = s.soak();
        if (k.rate() > 0 && Gates.needsDefault(s.slos())) {
            defaultGate = Gates.defaultErrorGate(soak != null ? soak.overall().count()
                    : Math.round(k.rate() * k.duration().toMillis() / 1000.0));
        }
        List<SloResult> out = Gates.judge(s.slos(), defaultGate, checks, soak, soakSkipped);
        if (out.isEmpty()) return out;
        log.group("SLO gates");
        for (SloResult r : out) log.info(r.line() + "  [" + r.basis() + ", " + r.samples() + " samples]");
        log.endGroup();
        return out;
    }

    /**
     * A failed check (not one that could not be judged), never healthy, or a soak cleanup that failed is a
     * functional failure; a check that could not be judged because its answer was larger than Gantry reads
     * ({@code LIMIT}) leaves the run inconclusive, like a gate the soak could not decide: it is Gantry's limit, never
     * the app failing. See {@link Verdict}.
     */
    private Verdict decide(Run run, List<SloResult> gates) {
        SoakResult soak = run.soak();
        boolean functional = run.checks().outcomes().stream().anyMatch(o -> o.failed() && !limited(o))
                || (run.waited() != null && !run.waited().healthy())
                || (soak != null && soak.writes() != null && soak.writes().cleanupFailed() > 0);
        String notJudged = run.checks().outcomes().stream().filter(SmokeTest::limited).findFirst()
                .map(o -> "'" + o.name() + "' was not judged: " + o.message()).orElse(null);
        return Verdict.decide(Verdict.FailOn.valueOf(s.failOn().name()), functional, notJudged, gates, soak);
    }

    private static boolean limited(CheckOutcome o) {
        return o.failed() && o.failureKind() == CheckOutcome.FailureKind.LIMIT;
    }

    private void report(Run run, List<SloResult> gates, Verdict verdict, Instant started) {
        annotations(run.checks(), gates, verdict);
        Samples overall = Gates.overall(run.checks(), run.soak());
        outputs(run, overall);
        String headline = headline(verdict, run.checks(), run.waited(), gates, run.soak());
        Report report = new Report(s.url().toString(), verdict.kind().output, headline, run.checks(), run.waited(), gates,
                run.soak(), run.soakSkipped(), s.failOn().name().toLowerCase(Locale.ROOT));
        report.toSummary(ctx.summary());
        report.notice(ctx.notice());
        boolean file = s.checksSource() != null && !s.checksSource().startsWith("<");
        if (s.junitPath() != null) {
            JUnitReport.write(s.junitPath(), file ? s.checksSource() : null, run.checks().outcomes(), gates, run.soak(),
                    started, log::mask);
            log.info("JUnit report: " + s.junitInput());
        }
        ctx.setOutput("report-path", s.junitPath() == null ? "" : s.junitInput());
        if (s.jsonReportPath() != null) {
            JsonReport.write(s.jsonReportPath(), new JsonReport.Run(verdict.kind().output, headline, s.url().toString(),
                    s.checksSource(), s.failOn().name().toLowerCase(Locale.ROOT), started, ctx.time().now(),
                    run.checks(), run.waited(), gates, run.soak(), run.soakSkipped(), overall), log::mask);
            log.info("JSON report: " + s.jsonReportInput());
        }
        ctx.setOutput("json-report-path", s.jsonReportPath() == null ? "" : s.jsonReportInput());
        if (s.reporter() != null) {
            s.reporter().stickyComment("smoke-test:" + s.url().getHost(), report.markdown(true))
                    .ifPresent(u -> log.info("PR comment: " + u));
        }
    }

    /** An annotation per failed check (on its line of the checks file), at most ten; SLO misses under fail-on: functional. */
    private void annotations(SuiteResult checks, List<SloResult> gates, Verdict verdict) {
        int annotations = 0;
        for (CheckOutcome o : checks.outcomes()) {
            if (!o.failed() || annotations >= MAX_ANNOTATIONS) continue;
            annotations++;
            String file = s.checksSource() != null && !s.checksSource().startsWith("<") ? s.checksSource() : null;
            Annotation where = new Annotation("smoke-test: check '" + o.name() + "' " + (limited(o) ? "not judged" : "failed"),
                    file, file != null && o.line() > 0 ? o.line() : null, null, null, null);
            String msg = o.method() + " " + o.target() + (o.httpStatus() > 0 ? " → " + o.httpStatus() : "") + ": "
                    + String.join("; ", o.failures());
            if (verdict.kind() == Verdict.Kind.FAIL && s.failOn() != FailOn.SLO && !limited(o)) log.error(msg, where);
            else log.warning(msg, where);
        }
        for (SloResult g : gates) {
            if (!g.passed() && s.failOn() == FailOn.FUNCTIONAL) {
                log.warning("SLO gate not met (fail-on: functional): " + g.line(), Annotation.titled("smoke-test: SLO"));
            }
        }
    }

    private void outputs(Run run, Samples overall) {
        ctx.setOutput("p50-ms", ms(overall.latency(), 50));
        ctx.setOutput("p95-ms", ms(overall.latency(), 95));
        ctx.setOutput("p99-ms", ms(overall.latency(), 99));
        ctx.setOutput("error-rate", overall.count() == 0 ? "0" : String.format(Locale.ROOT, "%.4f", overall.errorRate()));
        ctx.setOutput("achieved-rps", run.soak() == null ? "0" : String.format(Locale.ROOT, "%.1f", run.soak().achievedRps()));
        ctx.setOutput("checks-passed", Long.toString(run.checks().passed()));
        ctx.setOutput("checks-failed", Long.toString(run.checks().failed()));
    }

    private String headline(Verdict v, SuiteResult checks, HealthWait.Result waited, List<SloResult> gates, SoakResult soak) {
        if (waited != null && !waited.healthy()) {
            CheckOutcome f = waited.lastFailure();
            return "not healthy after " + Durations.human(waited.elapsed()) + " (" + waited.attempts() + " attempts); last: "
                    + (f == null ? "no answer" : f.name() + " " + f.brief() + (f.httpStatus() > 0 ? ": " + f.message() : ""));
        }
        CheckOutcome failed = checks.outcomes().stream().filter(o -> o.failed() && !limited(o)).findFirst().orElse(null);
        long gatesMet = gates.stream().filter(SloResult::passed).count();
        StringBuilder b = new StringBuilder();
        b.append(checks.passed()).append('/').append(checks.outcomes().size()).append(" checks passed");
        if (!gates.isEmpty()) b.append(", ").append(gatesMet).append('/').append(gates.size()).append(" SLO gates met");
        if (soak != null) b.append(String.format(Locale.ROOT, ", soak %.0f req/s achieved of %.0f", soak.achievedRps(), soak.targetRps()));
        SloResult gateFailed = gates.stream().filter(SloResult::failed).findFirst().orElse(null);
        if (failed != null) b.append(" — '").append(failed.name()).append("' failed: ").append(failed.message());
        else if (soak != null && soak.writes() != null && soak.writes().cleanupFailed() > 0) {
            b.append(" — the soak's cleanup failed for ").append(soak.writes().cleanupFailed()).append(" of ")
                    .append(soak.writes().captured()).append(" writes");
        } else if (gateFailed != null) b.append(" — ").append(gateFailed.line());
        else if (v.kind() == Verdict.Kind.INCONCLUSIVE) b.append(" — inconclusive: ").append(v.reason());
        return b.toString();
    }

    private void finish(Verdict verdict, SuiteResult checks, HealthWait.Result waited, List<SloResult> gates, SoakResult soak) {
        ctx.result(verdict.kind().output);
        String line = headline(verdict, checks, waited, gates, soak);
        switch (verdict.kind()) {
            case PASS -> log.info("smoke-test passed: " + line);
            case FAIL -> throw ActionException.failed("smoke-test failed: " + line, "fail");
            case INCONCLUSIVE -> throw new ActionException(ExitCode.PROVIDER_ERROR,
                    "smoke-test inconclusive: " + verdict.reason() + (soak != null && soak.saturated()
                            ? ". Lower soak-rate, raise max-in-flight, or run on a bigger runner." : "."),
                    "inconclusive", null, null);
        }
    }

    static String ms(org.HdrHistogram.Histogram h, double percentile) {
        return String.format(Locale.ROOT, "%.2f", h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0);
    }
}
