package dev.gantry.rollback;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.Durations;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.github.GitHubReporter.DeploymentRecord;
import dev.gantry.common.github.GitHubReporter.DeploymentState;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.rollback.RollbackProvider.Condition;
import dev.gantry.rollback.RollbackProvider.Execution;
import dev.gantry.rollback.RollbackProvider.Operation;
import dev.gantry.rollback.RollbackProvider.Plan;
import dev.gantry.rollback.RollbackProvider.Rejected;

import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.Time;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The rollback, whatever the provider: plan (find and validate the target), stop there on a dry run, execute and
 * wait, verify the restored deployment with the smoke-test checks, finish (DigitalOcean: commit when asked and
 * verified), mark the GitHub deployment records, open or add to the incident issue, and write outputs and the
 * step summary. Nothing is changed before the plan is complete and valid.
 */
final class RollbackFlow {
    private final ActionContext ctx;
    private final Settings s;
    private final RollbackProvider provider;
    private final Deadline deadline;
    private final Log log;
    private final Time clock;
    private final Report report = new Report();
    private GitHubReporter github;

    RollbackFlow(ActionContext ctx, Settings s, RollbackProvider provider, Deadline deadline) {
        this.ctx = ctx;
        this.s = s;
        this.provider = provider;
        this.deadline = deadline;
        this.clock = deadline.time();
        this.log = ctx.log();
    }

    void run() {
        report.provider = provider.name();
        report.reason = s.reason();
        report.dryRun = s.dryRun();
        report.started = clock.now();
        report.runUrl = ctx.github().runUrl();
        report.trigger = ctx.github().actor().isEmpty() ? null : ctx.github().actor() + " ("
                + ctx.github().eventName() + (ctx.github().workflow().isEmpty() ? "" : ", workflow " + ctx.github().workflow()) + ")";
        if (s.hasReason()) log.info(("Reason: " + s.reason()));

        Plan plan;
        try {
            plan = provider.plan();
        } catch (Rejected r) {
            rejected(r);
            return;
        } catch (ActionException e) {
            // bad input (including a rejected token) is reported as it is; a provider failure is an incident
            report.error = e.getMessage();
            finishReport();
            if (e.exitCode() == ExitCode.PROVIDER_ERROR && !s.dryRun()) {
                reportToGitHub(null, null);
            } else {
                report.write(ctx.summary());
            }
            throw e;
        } finally {
            report.environment = environment();
        }
        report.plan = plan;
        report.conditions = plan.conditions();
        report.notes.addAll(plan.notes());
        setOutput("rolled-back-from", plan.from());
        setOutput("rolled-back-to", plan.to());
        log.info(("Plan: " + plan.operation().word + " of " + plan.subject()
                + (plan.from() == null ? "" : "; serving now: " + plan.fromDescription())
                + (plan.to() == null ? "" : "; afterwards: " + plan.toDescription())));
        for (String n : plan.notes()) log.info((n));

        if (s.dryRun()) {
            log.info("Dry run: nothing was changed.");
            finishReport();
            report.write(ctx.summary());
            ctx.result("dry-run");
            return;
        }
        if (plan.operation() == Operation.NONE) {
            verify(plan);
            finishReport();
            report.write(ctx.summary());
            ctx.result("already-active");
            failOnVerification(plan);
            return;
        }

        Execution ex;
        try {
            ex = provider.execute(plan);
        } catch (ActionException e) {
            report.error = e.getMessage();
            finishReport();
            reportToGitHub(plan, null);
            throw e;
        }
        report.execution = ex;
        report.notes.addAll(ex.notes());
        setOutput("deployment-id", ex.deploymentId());
        if (ex.restored() != null) setOutput("rolled-back-to", ex.restored());
        if (ex.succeeded()) {
            log.info(("Done: " + ex.detail() + " (" + Durations.human(ex.elapsed()) + ")"));
            verify(plan);
        } else {
            log.info(("The " + plan.operation().word + " did not complete: " + ex.detail()));
        }
        boolean verified = report.verification == null || report.verification.passed();
        ActionException finishing = null;
        try {
            report.notes.addAll(provider.finish(plan, ex, verified));
        } catch (ActionException e) {
            report.error = "the " + plan.operation().word + " is done, but finishing it failed: " + e.getMessage();
            finishing = e;
        }
        finishReport();
        reportToGitHub(plan, ex);
        if (finishing != null) throw finishing;

        if (ex.status() == RollbackProvider.Status.TIMED_OUT) {
            throw new ActionException(ExitCode.FAILED, "The " + plan.operation().word + " of " + plan.subject()
                    + " timed out: " + ex.detail() + ". Raise the timeout input if it takes longer.", "timeout", null, null);
        }
        if (!ex.succeeded()) {
            throw new ActionException(ExitCode.FAILED, "The " + plan.operation().word + " of " + plan.subject()
                    + " failed: " + ex.detail(), "failure", null, null);
        }
        failOnVerification(plan);
        ctx.result(plan.operation() == Operation.COMMIT ? "committed" : "success");
    }

    private void rejected(Rejected r) {
        report.rejected = r.getMessage();
        report.conditions = r.conditions;
        report.servingWhenRejected = r.from;
        setOutput("rolled-back-from", r.from);
        for (Condition c : r.conditions) {
            if (c.error()) log.info(("Validation: " + c.describe()));
        }
        finishReport();
        if (r.input != null) {
            // a target that can never work is the input's fault: no incident, just the reason
            report.write(ctx.summary());
            throw r.getMessage().startsWith("Input '") ? new InputException(r.input, r.getMessage())
                    : InputException.invalid(r.input, "(" + r.getMessage() + ")");
        }
        if (s.dryRun()) {
            report.write(ctx.summary());
        } else {
            reportToGitHub(null, null);
        }
        throw new ActionException(ExitCode.FAILED, r.getMessage(), r.result, null, null);
    }

    private void verify(Plan plan) {
        if (s.verifyUrl() == null) return;
        Verification.Result v = Verification.run(ctx, s.verifyUrl(), s.checks(), s.verifySecrets(), s.verifyTimeout(), clock);
        report.verification = v;
        if (v.passed()) {
            log.info(("Verification " + v.line()));
        } else {
            log.error("Verification " + v.line());
        }
    }

    private void failOnVerification(Plan plan) {
        if (report.verification != null && !report.verification.passed()) {
            throw new ActionException(ExitCode.FAILED, (plan.operation() == Operation.NONE ? "Deployment " + plan.to()
                    + " serves already, but its verification " : "The " + plan.operation().word + " to "
                    + report.restored() + " is done, but its verification ") + report.verification.line(), "failure",
                    null, null);
        }
    }

    private void finishReport() {
        ctx.setOutput("verification", report.verification == null ? "skipped" : report.verification.passed() ? "pass" : "fail");
        report.finished = clock.now();
        report.environment = environment();
    }

    private String environment() {
        return s.environment().isEmpty() ? provider.defaultEnvironment() : s.environment();
    }

    // ---- GitHub -----------------------------------------------------------------------------------------------------

    /**
     * Marks the deployment records (when the switch happened) and opens or adds to the incident issue, then writes
     * the summary. Never fails the action: the gateway turns GitHub trouble into warnings.
     */
    private void reportToGitHub(Plan plan, Execution ex) {
        try {
            GitHubReporter gh = github();
            String env = environment();
            if (plan != null && ex != null && ex.succeeded() && plan.operation().switchesDeployment()) {
                boolean healthy = report.verification == null || report.verification.passed();
                String restored = report.restored();
                if (plan.from() != null) {
                    gh.findDeployment(env, plan.from()).ifPresent(r -> gh.setStatus(r,
                            plan.operation() == Operation.ROLLBACK ? DeploymentState.FAILURE : DeploymentState.INACTIVE,
                            null, (plan.operation() == Operation.ROLLBACK ? "rolled back to " : "replaced by ") + restored
                                    + (s.hasReason() ? ": " + s.reason() : "")));
                }
                Optional<DeploymentRecord> rec = gh.findDeployment(env, restored);
                if (rec.isEmpty() && ex.deploymentId() != null && !ex.deploymentId().equals(restored)) {
                    rec = gh.findDeployment(env, ex.deploymentId());
                }
                if (rec.isEmpty()) {
                    rec = gh.createDeployment(new GitHubReporter.DeploymentRequest(env, null, provider.name() + " "
                            + plan.operation().word + " to " + restored, false, true, provider.key(),
                            ex.deploymentId() != null ? ex.deploymentId() : restored));
                }
                rec.ifPresent(r -> gh.setStatus(r, healthy ? DeploymentState.SUCCESS : DeploymentState.FAILURE,
                        s.verifyUrl() == null ? null : s.verifyUrl().toString(),
                        (healthy ? "restored by " : "restored, verification failed, by ") + plan.operation().word));
            }
            boolean wanted = switch (s.incident()) {
                case NEVER -> false;
                case ON_FAILURE -> report.failed();
                case ALWAYS -> report.failed() || plan != null && plan.operation().switchesDeployment();
            };
            if (wanted) {
                Optional<String> url = gh.incident("rollback:" + env, report.incidentTitle(), report.incidentMarkdown().toString(),
                        List.of("incident", "rollback"));
                url.ifPresent(u -> {
                    report.incidentUrl = u;
                    ctx.setOutput("incident-url", u);
                });
            }
        } finally {
            report.write(ctx.summary());
        }
    }

    private GitHubReporter github() {
        if (github == null) {
            github = GitHubReporters.create(GitHubReporters.Settings.of(ctx.github(), s.githubToken(), true), log, deadline);
        }
        return github;
    }

    private void setOutput(String name, String value) {
        if (value != null) ctx.setOutput(name, value);
    }
}
