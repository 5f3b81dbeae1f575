package dev.gantry.rollback;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.Durations;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.github.GitHubReporter.DeploymentRecord;
import dev.gantry.common.github.GitHubReporter.DeploymentRequest;
import dev.gantry.common.github.GitHubReporter.DeploymentState;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.Time;
import dev.gantry.rollback.RollbackProvider.Condition;
import dev.gantry.rollback.RollbackProvider.Execution;
import dev.gantry.rollback.RollbackProvider.Operation;
import dev.gantry.rollback.RollbackProvider.Plan;
import dev.gantry.rollback.RollbackProvider.Rejected;
import dev.gantry.rollback.RollbackProvider.Served;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
        begin();
        Plan plan = plan();
        if (s.dryRun()) {
            log.info("Dry run: nothing was changed.");
            finishReport();
            report.write(ctx.summary());
            ctx.result("dry-run");
            return;
        }
        if (plan.operation() == Operation.NONE) {
            verify();
            finishReport();
            report.write(ctx.summary());
            ctx.result("already-active");
            failOnVerification(plan);
            return;
        }
        conclude(plan, execute(plan));
    }

    private void begin() {
        report.provider = provider.name();
        report.reason = s.reason();
        report.dryRun = s.dryRun();
        report.started = clock.now();
        report.runUrl = ctx.github().runUrl();
        report.trigger = ctx.github().actor().isEmpty() ? null : ctx.github().actor() + " ("
                + ctx.github().eventName() + (ctx.github().workflow().isEmpty() ? "" : ", workflow "
                + ctx.github().workflow()) + ")";
        if (s.hasReason()) log.info("Reason: " + s.reason());
        ctx.notice().later(report::notice);
    }

    /** The provider's plan, announced; a refusal or a failure to plan is reported and thrown. */
    private Plan plan() {
        Plan plan;
        try {
            plan = provider.plan();
        } catch (Rejected r) {
            throw rejected(r);
        } catch (ActionException e) {
            // bad input (including a rejected token) is reported as it is; a provider failure is an incident
            report.environment = environment();
            report.error = e.getMessage();
            finishReport();
            if (e.exitCode() == ExitCode.PROVIDER_ERROR && !s.dryRun()) {
                reportToGitHub(null, null);
            } else {
                report.write(ctx.summary());
            }
            throw e;
        }
        report.environment = environment();
        report.plan = plan;
        report.conditions = plan.conditions();
        report.notes.addAll(plan.notes());
        setOutput("rolled-back-from", plan.from());
        setOutput("rolled-back-to", plan.to());
        log.info("Plan: " + plan.operation().word + " of " + plan.subject()
                + (plan.from() == null ? "" : "; serving now: " + plan.fromDescription())
                + (plan.to() == null ? "" : "; afterwards: " + plan.toDescription()));
        for (String n : plan.notes()) log.info(n);
        return plan;
    }

    private Execution execute(Plan plan) {
        try {
            return provider.execute(plan);
        } catch (ActionException e) {
            report.error = e.getMessage();
            finishReport();
            reportToGitHub(plan, null);
            throw e;
        }
    }

    /** After the provider's job: verify, finish (commit), report, and end with the verdict's exit code. */
    private void conclude(Plan plan, Execution ex) {
        report.execution = ex;
        report.notes.addAll(ex.notes());
        setOutput("deployment-id", ex.deploymentId());
        if (ex.restored() != null) setOutput("rolled-back-to", ex.restored());
        if (ex.succeeded()) {
            log.info("Done: " + ex.detail() + " (" + Durations.human(ex.elapsed()) + ")");
            verify();
        } else {
            log.info("The " + plan.operation().word + " did not complete: " + ex.detail());
        }
        ActionException finishing = null;
        try {
            report.notes.addAll(provider.finish(plan, ex, report.verification == null || report.verification.passed()));
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

    /** A refused move: the summary (and, when it is no input's fault, the incident); returns what to throw. */
    private RuntimeException rejected(Rejected r) {
        report.environment = environment();
        report.rejected = r.getMessage();
        report.conditions = r.conditions;
        report.servingWhenRejected = r.from;
        setOutput("rolled-back-from", r.from);
        for (Condition c : r.conditions) {
            if (c.error()) log.info("Validation: " + c.describe());
        }
        finishReport();
        if (r.input != null) {
            // a target that can never work is the input's fault: no incident, just the reason
            report.write(ctx.summary());
            return r.getMessage().startsWith("Input '") ? new InputException(r.input, r.getMessage())
                    : InputException.invalid(r.input, "(" + r.getMessage() + ")");
        }
        if (s.dryRun()) {
            report.write(ctx.summary());
        } else {
            reportToGitHub(null, null);
        }
        return new ActionException(ExitCode.FAILED, r.getMessage(), r.result, null, null);
    }

    private void verify() {
        if (s.verifyUrl() == null) return;
        Verification.Result v = Verification.run(ctx, s.verifyUrl(), s.checks(), s.verifySecrets(), s.verifyTimeout(), clock);
        report.verification = v;
        if (v.passed()) {
            log.info("Verification " + v.line());
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
     * the summary. Never fails the action: the reporter turns GitHub trouble into warnings.
     */
    private void reportToGitHub(Plan plan, Execution ex) {
        try {
            if (plan != null && ex != null && ex.succeeded() && plan.operation().switchesDeployment()) {
                records(plan, ex);
            }
            if (incidentWanted(plan)) {
                github().incident(new GitHubReporter.Incident("rollback:" + environment(), "incident",
                                report.incidentTitle(), report.incidentMarkdown(), List.of("rollback")))
                        .ifPresent(u -> {
                            report.incidentUrl = u;
                            ctx.setOutput("incident-url", u);
                        });
            }
        } finally {
            report.write(ctx.summary());
        }
    }

    private boolean incidentWanted(Plan plan) {
        return switch (s.incident()) {
            case NEVER -> false;
            case ON_FAILURE -> report.failed();
            case ALWAYS -> report.failed() || plan != null && plan.operation().switchesDeployment();
        };
    }

    /**
     * The record of what served before is set {@code inactive}; the record of what serves now says
     * {@code success} (or {@code failure} when its verification failed) with its live URL: the record made when it
     * was deployed, or, when it has none, a new one at the commit it was built from (never the workflow's commit,
     * which in an on-failure job is the bad one).
     */
    private void records(Plan plan, Execution ex) {
        GitHubReporter gh = github();
        String env = environment();
        String restored = report.restored();
        if (plan.from() != null) {
            gh.findDeployment(env, plan.from()).ifPresent(r -> gh.setStatus(r, DeploymentState.INACTIVE, null,
                    (plan.operation() == Operation.ROLLBACK ? "rolled back to " : "replaced by ") + restored
                            + (s.hasReason() ? ": " + s.reason() : "")));
        }
        Served served = served(plan, ex, restored);
        Optional<DeploymentRecord> record = restoredRecord(gh, env, ex, served);
        boolean healthy = report.verification == null || report.verification.passed();
        String url = served.url() != null ? served.url() : s.verifyUrl() == null ? null : s.verifyUrl().toString();
        report.liveUrl = url;
        report.restoredCommit = served.commit();
        record.ifPresent(r -> gh.setStatus(r, healthy ? DeploymentState.SUCCESS : DeploymentState.FAILURE, url,
                (healthy ? "restored by " : "restored, verification failed, by ") + plan.operation().word));
    }

    /** What the provider says serves now; when it cannot say, the restored id alone (and a note). */
    private Served served(Plan plan, Execution ex, String restored) {
        try {
            return provider.served(plan, ex);
        } catch (ActionException e) {
            report.notes.add("Could not ask " + provider.name() + " which commit and URL the restored deployment has: "
                    + e.getMessage());
            return new Served(restored, null, null);
        }
    }

    private Optional<DeploymentRecord> restoredRecord(GitHubReporter gh, String env, Execution ex, Served served) {
        Set<String> ids = new LinkedHashSet<>();
        ids.add(report.restored());
        if (served.deploymentId() != null) ids.add(served.deploymentId());
        if (ex.deploymentId() != null) ids.add(ex.deploymentId());
        ids.remove(null);
        for (String id : ids) {
            Optional<DeploymentRecord> r = gh.findDeployment(env, id);
            if (r.isPresent()) return r;
        }
        if (served.commit() == null) {
            report.notes.add("No GitHub deployment record for the restored deployment " + report.restored() + ": "
                    + provider.name() + " does not say which commit it was built from, and no record of it exists.");
            return Optional.empty();
        }
        return gh.createDeployment(new DeploymentRequest(env, served.commit(), provider.name() + " "
                + (ex.deploymentId() != null ? "rollback deployment " + ex.deploymentId() : "deployment "
                + report.restored()), false, true, provider.key(),
                ex.deploymentId() != null ? ex.deploymentId() : report.restored()));
    }

    private GitHubReporter github() {
        if (github == null) {
            github = GitHubReporters.forStep(ctx, GitHubReporters.Settings.of(ctx.github(), s.githubToken(), true)
                    .withProductionEnvironment(s.productionEnvironment()), deadline);
        }
        return github;
    }

    private void setOutput(String name, String value) {
        if (value != null) ctx.setOutput(name, value);
    }
}
