package dev.gantry.rollback;

import dev.gantry.common.action.Durations;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.Poller;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.vercel.Deployment;
import dev.gantry.common.vercel.Project;
import dev.gantry.common.vercel.VercelClient;

import java.net.URI;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.Time;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Vercel's instant rollback (research §2.10, §4): resolve the target (the previous production deployment that is a
 * rollback candidate, paging through the list with {@code until}), request the rollback, and poll the project's
 * {@code lastAliasRequest} until the job succeeds or fails, within the timeout. {@code undo: true} promotes the
 * deployment the last rollback replaced.
 */
final class VercelRollback implements RollbackProvider {
    /** At most this many production deployments are read looking for a candidate. */
    static final int MAX_LISTED = 1000;

    private final Log log;
    private final Settings s;
    private final VercelClient client;
    private final String projectRef;
    private final Time clock;
    private final Deadline deadline;
    private Project project;

    VercelRollback(Log log, Settings s, URI apiUrl, String token, String teamId, String projectId, Deadline deadline) {
        this.log = log;
        this.s = s;
        this.projectRef = projectId;
        this.deadline = deadline;
        this.clock = deadline.time();
        HttpApi http = HttpApi.builder(VercelClient.PROVIDER).baseUrl(apiUrl).token(token).log(log)
                .requestIdHeader("x-vercel-id").deadline(deadline)
                .requestTimeout(Duration.ofMinutes(1)).build();
        this.client = new VercelClient(http, teamId);
    }

    @Override
    public String name() {
        return "Vercel";
    }

    @Override
    public String key() {
        return "vercel";
    }

    @Override
    public String defaultEnvironment() {
        return "production";
    }

    // ---- plan -------------------------------------------------------------------------------------------------------

    @Override
    public Plan plan() {
        try {
            project = client.api().getProject(projectRef, client.teamId(), true);
        } catch (ProviderException e) {
            if (e.isNotFound()) {
                throw InputException.invalid("vercel-project-id", "names no project this token can see: " + projectRef);
            }
            throw e;
        }
        String subject = "project " + project.name() + " (" + project.id() + ")";
        Project.TargetDeployment production = project.production();
        String productionId = production == null ? null : production.id();
        log.info(("Vercel " + subject + ": production is " + (production == null ? "not set" : describe(production))));

        if (s.undo()) return planUndo(subject, production);
        if (production == null) {
            throw new Rejected("no-candidate", null, "Project " + project.name() + " has no production deployment, so "
                    + "there is nothing to roll back from", List.of(), null);
        }
        Deployment target;
        boolean automatic = s.target().isEmpty();
        if (!automatic) {
            target = explicitTarget("target", s.target());
            if (target.id().equals(productionId)) {
                return new Plan(Operation.NONE, subject, productionId, describe(production), target.id(), describe(target),
                        false, List.of(), List.of("Deployment " + target.id() + " serves production already: nothing to do."));
            }
            if (!"READY".equals(target.readyState())) {
                throw new Rejected("rejected", "target", "Input 'target': deployment " + target.id() + " is "
                        + target.readyState() + errorOf(target) + "; only a READY deployment can serve production "
                        + "again. Nothing was changed.",
                        List.of(new Condition(true, "not_ready", "readyState " + target.readyState(), List.of())),
                        productionId);
            }
            if (Boolean.FALSE.equals(target.rollbackCandidate())) {
                throw new Rejected("rejected", "target", "Input 'target': deployment " + target.id() + " never served "
                        + "production, so Vercel cannot roll back to it (it is not a rollback candidate); promote it "
                        + "instead. Nothing was changed.",
                        List.of(new Condition(true, "not_rollback_candidate", "isRollbackCandidate false", List.of())),
                        productionId);
            }
        } else {
            target = candidate(production);
            if (target == null) {
                throw new Rejected("no-candidate", null, "No earlier production deployment of project " + project.name()
                        + " can be rolled back to (none is READY and a rollback candidate); give the target input to "
                        + "choose one", List.of(), productionId);
            }
            log.info("Rollback target (the newest earlier production deployment that is a rollback candidate): "
                    + describe(target));
        }
        return new Plan(Operation.ROLLBACK, subject, productionId, describe(production), target.id(), describe(target),
                automatic, List.of(), List.of("Vercel points the production domains at " + target.id()
                + " again, without a rebuild. To undo, run this action with `undo: true`."));
    }

    private Plan planUndo(String subject, Project.TargetDeployment production) {
        Project.AliasRequest last = project.lastAliasRequest();
        String productionId = production == null ? null : production.id();
        String to = s.target();
        boolean automatic = to.isEmpty();
        if (automatic) {
            if (last == null || !"rollback".equals(last.type()) || !"succeeded".equals(last.jobStatus())
                    || last.fromDeploymentId() == null || last.fromDeploymentId().isBlank()) {
                throw new Rejected("no-candidate", "undo", "Input 'undo' asks to undo a rollback, but the last promote "
                        + "or rollback of project " + project.name() + " was " + (last == null ? "none"
                        : "a " + last.type() + " (" + last.jobStatus() + ")") + "; give the target input to promote a "
                        + "deployment", List.of(), productionId);
            }
            to = last.fromDeploymentId();
        }
        Deployment target = explicitTarget(automatic ? "undo" : "target", to);
        if (target.id().equals(productionId)) {
            return new Plan(Operation.NONE, subject, productionId, describe(production), target.id(), describe(target),
                    false, List.of(), List.of("Deployment " + target.id() + " serves production already: nothing to do."));
        }
        if (!"READY".equals(target.readyState()) || !"production".equals(target.target())) {
            throw new Rejected("rejected", automatic ? "undo" : "target", "Deployment " + target.id() + " cannot be "
                    + "promoted: it is " + target.readyState() + " with target " + target.target()
                    + " (only a READY production deployment can be). Nothing was changed.", List.of(), productionId);
        }
        return new Plan(Operation.UNDO, subject, productionId, production == null ? null : describe(production),
                target.id(), describe(target), automatic, List.of(),
                List.of("Vercel promotes " + target.id() + " (the deployment the rollback replaced) to production again, "
                        + "without a rebuild."));
    }

    private Deployment explicitTarget(String input, String idOrUrl) {
        Deployment d;
        try {
            d = client.deployment(idOrUrl);
        } catch (ProviderException e) {
            if (e.isNotFound()) {
                throw InputException.invalid(input, "names no deployment this token can see: " + idOrUrl);
            }
            throw e;
        }
        if (d.projectId() != null && !d.projectId().equals(project.id())) {
            throw InputException.invalid(input, "names deployment " + d.id() + " of another project (" + d.projectId()
                    + "), not of " + project.name());
        }
        return d;
    }

    /** The newest production deployment older than {@code production} that is READY and a rollback candidate. */
    private Deployment candidate(Project.TargetDeployment production) {
        List<Deployment> listed = client.listDeployments(project.id(), "production", "READY", MAX_LISTED,
                d -> isCandidate(d, production));
        Deployment last = listed.isEmpty() ? null : listed.get(listed.size() - 1);
        log.info(("Looked through " + listed.size() + " READY production deployment(s) of project " + project.name()));
        return last != null && isCandidate(last, production) ? last : null;
    }

    private static boolean isCandidate(Deployment d, Project.TargetDeployment production) {
        if (d.id() == null || d.id().equals(production.id())) return false;
        if (production.createdAt() != null && d.createdAt() != null && d.createdAt() >= production.createdAt()) return false;
        if (d.readyState() != null && !"READY".equals(d.readyState())) return false;
        return !Boolean.FALSE.equals(d.rollbackCandidate());
    }

    private static String errorOf(Deployment d) {
        if (d.errorCode() == null && d.errorMessage() == null) return "";
        return " (" + (d.errorCode() == null ? "" : d.errorCode() + ": ") + (d.errorMessage() == null ? "" : d.errorMessage()) + ")";
    }

    static String describe(Deployment d) {
        return (d.id() + " (" + d.readyState() + (d.url() == null ? "" : ", " + d.url())
                + (d.createdAt() == null ? "" : ", created " + Instant.ofEpochMilli(d.createdAt())) + ")");
    }

    static String describe(Project.TargetDeployment d) {
        return (d.id() + " (" + d.readyState() + (d.url() == null ? "" : ", " + d.url())
                + (d.createdAt() == null ? "" : ", created " + Instant.ofEpochMilli(d.createdAt())) + ")");
    }

    // ---- execute ----------------------------------------------------------------------------------------------------

    @Override
    public Execution execute(Plan plan) {
        Instant start = clock.now();
        VercelClient.JobRequest job;
        if (plan.operation() == Operation.ROLLBACK) {
            log.info(("Requesting the rollback of project " + project.name() + " to " + plan.to()));
            job = client.requestRollback(project.id(), plan.to(), s.hasReason() ? s.reason() : null,
                    project.lastAliasRequest());
        } else if (plan.operation() == Operation.UNDO) {
            log.info("Promoting " + plan.to() + " to production again (undoing the rollback)");
            job = client.requestPromote(project.id(), plan.to(), project.lastAliasRequest());
            if (job.queued()) log.info("Vercel queued the promote behind an active rolling release (202)");
        } else {
            throw new IllegalStateException("nothing to execute for " + plan.operation());
        }
        Project.AliasRequest prior = project.lastAliasRequest();
        String type = job.type();
        Project.AliasRequest req;
        try {
            req = Poller.waitingFor("the " + type + " job of project " + project.name()).timeout(s.timeout())
                    .interval(Duration.ofMillis(250), Duration.ofSeconds(2), 1.5).log(log).deadline(deadline)
                    .build().until(() -> client.api().getProject(project.id(), client.teamId(), true).lastAliasRequest(),
                            r -> VercelClient.isNewJob(r, type, plan.to(), prior) && r.finished(),
                            r -> type + " to " + plan.to() + ": " + (VercelClient.isNewJob(r, type, plan.to(), prior) ? r.jobStatus()
                                    : job.queued() ? "queued" : "not started"));
        } catch (Poller.PollTimeoutException e) {
            Duration took = Duration.between(start, clock.now());
            return new Execution(Status.TIMED_OUT, null, null, "the " + type + " job did not finish within the "
                    + "timeout of " + Durations.human(s.timeout()) + " (last state: " + e.lastState() + "); it may "
                    + "still finish on Vercel", took,
                    List.of(type + " job requested, not finished after " + Durations.human(took)), List.of());
        }
        Duration took = Duration.between(start, clock.now());
        List<String> timeline = List.of(job.type() + " job " + req.jobStatus() + " after " + Durations.human(took));
        if ("failed".equals(req.jobStatus())) {
            return new Execution(Status.FAILED, null, null, "Vercel's " + job.type() + " job to " + plan.to()
                    + " failed; production still points at " + plan.from(), took, timeline, List.of());
        }
        Project after = client.project(project.id());
        String now = after.production() == null ? null : after.production().id();
        if (!plan.to().equals(now)) {
            return new Execution(Status.FAILED, null, null, "Vercel's " + job.type() + " job ended " + req.jobStatus()
                    + ", but production points at " + now + ", not " + plan.to(), took, timeline, List.of());
        }
        log.info(("Production of project " + project.name() + " is " + plan.to() + " now"));
        return new Execution(Status.SUCCEEDED, null, null, "the " + job.type() + " job " + req.jobStatus()
                + "; production is " + plan.to(), took, timeline, List.of());
    }

    // ---- what serves ------------------------------------------------------------------------------------------------

    /**
     * The deployment production points at now, the commit it was built from ({@code meta.githubCommitSha}, as
     * Vercel's Git integration and vercel-deploy set it) and its production URL (its first alias: the production
     * domains move to it with the rollback).
     */
    @Override
    public Served served(Plan plan, Execution execution) {
        Deployment d = client.deployment(plan.to());
        String commit = d.meta() == null ? null : d.meta().get("githubCommitSha");
        String url = d.alias() != null && !d.alias().isEmpty() ? "https://" + d.alias().get(0) : d.httpsUrl();
        return new Served(d.id(), commit, url);
    }
}
