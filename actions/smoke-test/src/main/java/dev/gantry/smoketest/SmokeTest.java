package dev.gantry.smoketest;

import dev.gantry.common.action.ActionContext;
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
import dev.gantry.smoketest.report.Report;
import dev.gantry.smoketest.slo.Gates;
import dev.gantry.smoketest.slo.Samples;
import dev.gantry.smoketest.slo.Slo;
import dev.gantry.smoketest.slo.SloResult;
import dev.gantry.smoketest.slo.Verdict;
import dev.gantry.smoketest.soak.SoakPlan;
import dev.gantry.smoketest.soak.SoakResult;
import dev.gantry.smoketest.soak.SoakSession;

import java.net.URI;
import java.nio.file.Path;
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
 * few samples, the rate not reached) is {@code inconclusive} (exit 3); else {@code pass}. Every soak gates on its
 * errors ({@link Gates}). {@code fail-on} narrows what fails the step: {@code functional} only checks,
 * {@code slo} only gates (and the soak); the rest is reported as a warning.
 */
final class SmokeTest {
    private static final int MAX_ANNOTATIONS = 10;

    enum FailOn { ANY, FUNCTIONAL, SLO }

    record Settings(URI url, CheckSuite checks, Duration waitTimeout, Duration waitInterval,
                    Duration requestTimeout, Map<String, String> headers, Map<String, String> variables,
                    Map<String, String> secrets, List<Slo> slos, int soakRate, Duration soakDuration,
                    Duration soakWarmup, int maxInFlight, Path junitPath, String junitInput, GitHubReporter reporter,
                    FailOn failOn) {
        /** The checks file as the repository names it, or {@code <inline checks>} / {@code <default>}. */
        String checksSource() {
            return checks.source();
        }
    }

    private final ActionContext ctx;
    private final Log log;
    private final Settings s;

    SmokeTest(ActionContext ctx, Settings settings) {
        this.ctx = ctx;
        this.log = ctx.log();
        this.s = settings;
    }

    void run() {
        Instant started = Instant.now();
        CheckSuite suite = s.checks();
        validateAgainst(suite);

        try (CheckRunner runner = CheckRunner.builder().requestTimeout(s.requestTimeout()).defaultHeaders(s.headers())
                .github(githubValues()).build()) {
            Scope scope = runner.scope(s.variables(), s.secrets(), log);

            // 1. wait until healthy
            List<Check> waitChecks = suite.waitChecks();
            HealthWait.Result waited = null;
            if (!waitChecks.isEmpty() && !s.waitTimeout().isZero()) {
                log.group("Waiting for " + s.url() + " to be healthy (" + String.join(", ", waitChecks.stream().map(Check::name).toList())
                        + "; up to " + human(s.waitTimeout()) + ")");
                waited = new HealthWait(s.waitTimeout(), s.waitInterval()).until(runner, waitChecks, s.url(), scope, log);
                log.endGroup();
            }

            SuiteResult checks;
            SoakResult[] soak = {null};
            String[] soakSkipped = {null};
            if (waited != null && !waited.healthy()) {
                List<CheckOutcome> outcomes = new ArrayList<>();
                for (Check c : suite.checks()) {
                    CheckOutcome last = waited.lastOutcomes().get(c.name());
                    outcomes.add(last != null ? last : new CheckOutcome(c.name(), c.line(), CheckOutcome.Status.SKIPPED,
                            CheckOutcome.FailureKind.NONE, c.request().method(), c.request().target(), 0, 0, List.of(),
                            "never healthy"));
                }
                checks = new SuiteResult(outcomes, scope);
                soakSkipped[0] = "the deployment never became healthy";
            } else {
                Map<String, CheckOutcome> done = new LinkedHashMap<>(waited == null ? Map.of() : waited.lastOutcomes());
                log.group("Checks (" + suite.checks().size() + ")");
                checks = runner.run(suite, s.url(), scope, log, done, partial -> {
                    if (s.soakRate() <= 0) return;
                    log.endGroup();
                    if (!partial.allPassed()) {
                        soakSkipped[0] = "a check failed";
                        log.info("Soak skipped: a check failed.");
                    } else {
                        try {
                            soak[0] = soak(suite, runner, scope);
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
            }

            List<SloResult> gates = gates(checks, soak[0], soakSkipped[0]);
            boolean functional = checks.failed() > 0 || (waited != null && !waited.healthy())
                    || (soak[0] != null && soak[0].writes() != null && soak[0].writes().cleanupFailed() > 0);
            Verdict verdict = Verdict.decide(Verdict.FailOn.valueOf(s.failOn().name()), functional, gates, soak[0]);
            report(suite, checks, waited, gates, soak[0], soakSkipped[0], verdict, started);
            finish(verdict, checks, waited, gates, soak[0]);
        }
    }

    private void validateAgainst(CheckSuite suite) {
        for (Slo slo : s.slos()) {
            if (slo.check() != null && suite.check(slo.check()) == null) {
                throw InputException.invalid("slo", "names check '" + slo.check() + "' in '" + slo.text()
                        + "', but the checks are: " + String.join(", ", suite.checks().stream().map(Check::name).toList()));
            }
        }
        if (s.soakRate() > 0 && suite.effectiveSoakTargets().isEmpty()) {
            throw InputException.invalid("soak-rate", "asks for a soak, but no check can be repeated: the soak sends only"
                    + " GET, HEAD and OPTIONS checks unless the checks file allows writes (name them under soak: targets:)");
        }
        validateSamples(suite);
    }

    /** Every gate must be judgeable on the requests the run plans, and the soak's writes must fit their cap. */
    private void validateSamples(CheckSuite suite) {
        SoakPlan plan = s.soakRate() > 0 ? SoakSession.skeleton(suite, soakSettings()) : null;
        for (Slo slo : s.slos()) {
            String problem;
            if (plan != null && (slo.check() == null || plan.targets().stream().anyMatch(t -> t.name().equals(slo.check())))) {
                problem = Gates.tooFewPlanned(slo, SoakSession.measured(plan, slo.check()), true, "the soak plans",
                        "raise soak-rate or soak-duration" + (slo.check() == null ? "" : ", or " + slo.check() + "'s soak weight"));
            } else if (slo.check() != null) {
                problem = Gates.tooFewPlanned(slo, 1, false, "check '" + slo.check() + "' sends", plan == null
                        ? "set soak-rate to judge it on a soak" : "name it under soak: targets: to judge it on the soak");
            } else {
                problem = Gates.tooFewPlanned(slo, suite.checks().size(), false, "without a soak (soak-rate 0) the checks send",
                        "set soak-rate to judge it on a soak");
            }
            if (problem != null) throw InputException.invalid("slo", problem);
        }
        if (plan != null) {
            long writes = SoakSession.writes(plan);
            int max = suite.soakOptions().maxWrites();
            if (writes > max) {
                throw InputException.invalid("checks", String.format(Locale.ROOT, "allows the soak at most %d writes (soak: writes:"
                        + " max:), but %d req/s for %s (+%s warm-up) sends %d; lower the writes' weight, soak-rate or"
                        + " soak-duration, or raise max", max, s.soakRate(), human(s.soakDuration()), human(s.soakWarmup()), writes));
            }
        }
    }

    private SoakSession.Settings soakSettings() {
        return new SoakSession.Settings(s.soakRate(), s.soakWarmup(), s.soakDuration(), s.maxInFlight(), s.requestTimeout());
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
        log.group(String.format(Locale.ROOT, "Soak: %d req/s for %s (+%s warm-up) over %s, at most %d in flight",
                s.soakRate(), human(s.soakDuration()), human(s.soakWarmup()),
                String.join(", ", suite.effectiveSoakTargets().stream().map(t -> t.check() + "×" + t.weight()).toList()), s.maxInFlight()));
        if (s.soakDuration().plus(s.soakWarmup()).compareTo(Duration.ofMinutes(10)) >= 0) {
            log.info("This soak alone takes " + human(s.soakDuration().plus(s.soakWarmup()))
                    + "; the job's (or step's) timeout-minutes must leave room for it, the wait and the checks.");
        }
        SoakResult r = SoakSession.run(suite, runner, scope, s.url(), soakSettings(), log);
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
        if (s.soakRate() > 0 && Gates.needsDefault(s.slos())) {
            defaultGate = Gates.defaultErrorGate(soak != null ? soak.overall().count() : Math.round(s.soakRate() * s.soakDuration().toMillis() / 1000.0));
        }
        List<SloResult> out = Gates.judge(s.slos(), defaultGate, checks, soak, soakSkipped);
        if (out.isEmpty()) return out;
        log.group("SLO gates");
        for (SloResult r : out) log.info(r.line() + "  [" + r.basis() + ", " + r.samples() + " samples]");
        log.endGroup();
        return out;
    }

    private void report(CheckSuite suite, SuiteResult checks, HealthWait.Result waited, List<SloResult> gates,
                        SoakResult soak, String soakSkipped, Verdict verdict, Instant started) {
        int annotations = 0;
        for (CheckOutcome o : checks.outcomes()) {
            if (!o.failed() || annotations >= MAX_ANNOTATIONS) continue;
            annotations++;
            String file = s.checksSource() != null && !s.checksSource().startsWith("<") ? s.checksSource() : null;
            Annotation where = new Annotation("smoke-test: check '" + o.name() + "' failed", file,
                    file != null && o.line() > 0 ? o.line() : null, null, null, null);
            String msg = o.method() + " " + o.target() + (o.httpStatus() > 0 ? " → " + o.httpStatus() : "") + ": "
                    + String.join("; ", o.failures());
            if (verdict.kind() == Verdict.Kind.FAIL && s.failOn() != FailOn.SLO) log.error(msg, where);
            else log.warning(msg, where);
        }
        for (SloResult g : gates) {
            if (!g.passed() && s.failOn() == FailOn.FUNCTIONAL) {
                log.warning("SLO gate not met (fail-on: functional): " + g.line(), Annotation.titled("smoke-test: SLO"));
            }
        }

        Samples overall = Gates.overall(checks, soak);
        ctx.setOutput("p50-ms", ms(overall.latency(), 50));
        ctx.setOutput("p95-ms", ms(overall.latency(), 95));
        ctx.setOutput("p99-ms", ms(overall.latency(), 99));
        ctx.setOutput("error-rate", overall.count() == 0 ? "0" : String.format(Locale.ROOT, "%.4f", overall.errorRate()));
        ctx.setOutput("achieved-rps", soak == null ? "0" : String.format(Locale.ROOT, "%.1f", soak.achievedRps()));
        ctx.setOutput("checks-passed", Long.toString(checks.passed()));
        ctx.setOutput("checks-failed", Long.toString(checks.failed()));

        Report report = new Report(s.url().toString(), verdict.kind().output, headline(verdict, checks, waited, gates, soak),
                checks, waited, gates, soak, soakSkipped, s.failOn().name().toLowerCase(Locale.ROOT));
        report.toSummary(ctx.summary());

        if (s.junitPath() != null) {
            JUnitReport.write(s.junitPath(), s.checksSource() == null || s.checksSource().startsWith("<") ? null : s.checksSource(),
                    checks.outcomes(), gates, soak, started, log::mask);
            ctx.setOutput("report-path", s.junitInput());
            log.info("JUnit report: " + s.junitInput());
        } else {
            ctx.setOutput("report-path", "");
        }
        if (s.reporter() != null) {
            s.reporter().stickyComment("smoke-test:" + s.url().getHost(), log.mask(report.markdown(true).toString()))
                    .ifPresent(u -> log.info("PR comment: " + u));
        }
    }

    private String headline(Verdict v, SuiteResult checks, HealthWait.Result waited, List<SloResult> gates, SoakResult soak) {
        if (waited != null && !waited.healthy()) {
            CheckOutcome f = waited.lastFailure();
            return "not healthy after " + human(waited.elapsed()) + " (" + waited.attempts() + " attempts); last: "
                    + (f == null ? "no answer" : f.name() + " " + f.brief() + (f.httpStatus() > 0 ? ": " + f.message() : ""));
        }
        CheckOutcome failed = checks.outcomes().stream().filter(CheckOutcome::failed).findFirst().orElse(null);
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

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms >= 60_000) return ms / 60_000 + "m";
        if (ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }
}
