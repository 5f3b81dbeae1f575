package dev.gantry.verceldeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.http.Poller;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.vercel.Deployment;
import dev.gantry.common.vercel.Project;
import dev.gantry.common.vercel.VercelClient;

import java.time.Duration;

/**
 * What serves production after a production deploy. While an instant rollback holds a project, Vercel does not put
 * new production deployments in front of users: they end READY with {@code readySubstate: STAGED} and the project
 * stays on the rolled-back deployment (research §2.8, §2.10). That is reported as it is (result {@code staged}, a
 * warning, the deployment that really serves production); it is promoted ({@code POST /v10/projects/{id}/promote/
 * {dpl}}, then the job followed to its end) only when the step says {@code promote: true}. The safe default leaves
 * the rollback in place: someone rolled back on purpose.
 */
final class Production {
    private final ActionContext ctx;
    private final Settings s;
    private final VercelClient vercel;
    private final Report report;

    Production(ActionContext ctx, Settings s, VercelClient vercel, Report report) {
        this.ctx = ctx;
        this.s = s;
        this.vercel = vercel;
        this.report = report;
    }

    void settle(Project before, Deployment d) {
        if (!s.request().production()) return;
        Project now = vercel.project(before.id());
        String serving = now.production() == null ? null : now.production().id();
        boolean staged = "STAGED".equals(d.readySubstate()) || !d.id().equals(serving) && now.rollbackInEffect();
        if (staged && s.publish().promote()) {
            serving = promote(now, d);
            staged = !d.id().equals(serving);
        } else if (staged) {
            ctx.log().warning("Production deploy " + d.id() + " is STAGED, not served: an instant rollback holds project "
                    + now.name() + " on " + serving + ", so Vercel did not put this deployment in front of users. Promote "
                    + "it with promote: true on this step, `vercel promote " + d.httpsUrl() + "`, or rollback's undo: true.");
        } else if (serving != null && !serving.equals(d.id())) {
            ctx.log().warning("Production now serves " + serving + ", not " + d.id() + " (a newer deployment?)");
        }
        report.staged = staged;
        report.servingProduction = serving;
        ctx.setOutput("ready-substate", staged ? "STAGED" : d.id().equals(serving) ? "PROMOTED"
                : d.readySubstate() == null ? "" : d.readySubstate());
        if (serving != null) ctx.setOutput("production-deployment-id", serving);
    }

    /** Starts the promote job and follows it; returns what serves production afterwards. */
    private String promote(Project project, Deployment d) {
        ctx.log().info("Promoting " + d.id() + " (promote: true): production is held on "
                + (project.production() == null ? "nothing" : project.production().id()) + " by an instant rollback");
        VercelClient.JobRequest job = vercel.requestPromote(project.id(), d.id(), project.lastAliasRequest());
        if (job.queued()) ctx.log().info("Vercel queued the promote behind a rolling release");
        Project.AliasRequest prior = project.lastAliasRequest();
        Project.AliasRequest done = Poller.waitingFor("the promote job of project " + project.name())
                .timeout(s.api().timeout()).interval(Duration.ofMillis(250), Duration.ofSeconds(5), 1.5)
                .log(ctx.log()).time(vercel.http().time()).deadline(vercel.http().deadline()).build()
                .until(() -> vercel.api().getProject(project.id(), vercel.teamId(), true).lastAliasRequest(),
                        r -> VercelClient.isNewJob(r, "promote", d.id(), prior) && r.finished(),
                        r -> "promote to " + d.id() + ": " + (VercelClient.isNewJob(r, "promote", d.id(), prior)
                                ? r.jobStatus() : "not started"));
        if (!"succeeded".equals(done.jobStatus()) && !"skipped".equals(done.jobStatus())) {
            throw new ProviderException(VercelClient.PROVIDER, 200, "promote_" + done.jobStatus(), "the promote job of "
                    + d.id() + " ended " + done.jobStatus() + "; production still serves " + done.fromDeploymentId(),
                    null, "POST /v10/projects/{projectId}/promote/{deploymentId}", null);
        }
        report.promoted = true;
        Project after = vercel.project(project.id());
        return after.production() == null ? null : after.production().id();
    }
}
