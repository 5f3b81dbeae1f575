package dev.gantry.dodeploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.digitalocean.App;
import dev.gantry.common.digitalocean.AppPlatform;
import dev.gantry.common.digitalocean.AppSpec;
import dev.gantry.common.digitalocean.AppsApi;
import dev.gantry.common.digitalocean.Deployment;
import dev.gantry.common.digitalocean.DeploymentWatcher;
import dev.gantry.common.github.GitHubReporter.DeploymentState;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The deploy: resolve the spec ({@link SpecResolver}), create or update the app, take the deployment that call
 * started, wait for it with a deadline, and report. Also the {@code dry-run} (propose and diff) and
 * {@code delete-preview} operations.
 */
final class DeployFlow {
    private final ActionContext ctx;
    private final Settings s;
    private final Log log;
    private final Deadline deadline;
    private final AppPlatform platform;
    private final Report report;

    DeployFlow(ActionContext ctx, Settings s) {
        this.ctx = ctx;
        this.s = s;
        this.log = ctx.log();
        this.deadline = ctx.deadline("timeout", s.timeout());
        this.platform = AppPlatform.connect(s.apiUrl(), s.token(), log, deadline);
        this.report = new Report(ctx);
    }

    void run() {
        if (s.operation() == Settings.Operation.DELETE_PREVIEW) {
            deletePreview();
            return;
        }
        SpecResolver.Target target = new SpecResolver(ctx, s, platform).resolve();
        if (s.dryRun()) {
            dryRun(target);
        } else {
            deploy(target);
        }
    }

    // ---- deploy ---------------------------------------------------------------------------------------------------

    /** What this run started: the app as the create/update answered, its deployment, and the one before. */
    record Started(App app, Deployment deployment, String previous) {
    }

    private void deploy(SpecResolver.Target t) {
        String environment = !s.environment().isEmpty() ? s.environment()
                : s.preview() ? "preview/" + t.spec().name() : t.spec().name();
        TeamNotice.target(ctx.notice(), environment, t.spec().name(), s.images());
        refuseIfPinned(t.existing());
        Started started = start(t);
        report.started(started.app(), started.deployment(), started.previous());
        GitHubRecord record = GitHubRecord.start(GitHubReporters.forStep(ctx, GitHubReporters.Settings.of(ctx.github(),
                s.githubToken(), s.githubDeployment()).withProductionEnvironment(s.productionEnvironment()), deadline), environment, started.app().name(),
                started.deployment().id(), s.preview());
        if (!s.waitForIt()) {
            report.phase(started.deployment().phaseOrUnknown().name());
            report.notWaited(started.app(), started.deployment(), started.previous());
            ctx.result("started");
            return;
        }
        DeploymentWatcher watcher = DeploymentWatcher.builder(platform, log).timeout(s.timeout())
                .buildLogs(s.buildLogs()).deployLogs(s.deployLogs()).stageLogs(true)
                .reference(t.existing() == null ? null : t.existing().activeDeployment()).build();
        DeploymentWatcher.Outcome outcome = watcher.watch(started.app().id(), started.deployment().id());
        report.phase(outcome.phase().name());
        report.logOutputs(outcome);
        if (outcome.succeeded()) {
            succeeded(watcher, started, outcome, record);
        } else {
            failed(started, outcome, record);
        }
    }

    /** A pinned app takes no deployment; say which step unpins it. */
    private void refuseIfPinned(App existing) {
        if (existing == null || existing.pinnedDeployment() == null || existing.pinnedDeployment().id() == null) return;
        String pinned = existing.pinnedDeployment().id();
        String repo = Optional.ofNullable(ctx.env("GITHUB_ACTION_REPOSITORY")).filter(r -> !r.isBlank())
                .orElse("gantry-actions/gantry");
        String ref = Optional.ofNullable(ctx.env("GITHUB_ACTION_REF")).filter(r -> !r.isBlank()).orElse("v1");
        String step = "- uses: " + repo + "/actions/rollback@" + ref + "\n  with:\n    provider: digitalocean\n"
                + "    token: ${{ secrets.DIGITALOCEAN_TOKEN }}\n    app-id: " + existing.id() + "\n"
                + "    commit: true    # keep the rolled-back version; or revert: true to redeploy the spec from before it\n";
        report.pinned(existing, pinned, step);
        throw ActionException.failed("App " + existing.name() + " is pinned to rollback deployment " + pinned
                + " (a rollback without commit), and App Platform takes no new deployment until the rollback is "
                + "committed or reverted. Nothing was deployed. To go on, run this step once (with commit: true to "
                + "keep the rolled-back version, or revert: true to go back to the spec from before the rollback), "
                + "then deploy again:\n" + step + "The example workflow .github/workflows/example-rollback.yml does "
                + "this with its 'then' input.", "pinned");
    }

    /** Creates or updates the app; the deployment that call started (or one started for it when it started none). */
    private Started start(SpecResolver.Target t) {
        AppSpec spec = t.spec();
        App existing = t.existing();
        AppPlatform.Change change;
        try {
            if (existing == null) {
                log.info("App " + spec.name() + " does not exist yet: creating it");
                change = platform.createApp(spec, s.projectId());
            } else {
                log.info("App " + spec.name() + " exists (" + existing.id() + "): updating its spec, with every "
                        + "component's source pulled again");
                change = platform.updateApp(existing, spec, true);
            }
        } catch (RuntimeException e) {
            throw rejected(e);
        }
        App app = change.app();
        Deployment deployment = change.deployment();
        if (deployment == null) {
            log.info("The update started no deployment; starting one" + (s.forceBuild() ? " with a forced rebuild" : ""));
            deployment = platform.createDeployment(app.id(), s.forceBuild());
        }
        AppPlatform.requireId("app", app.id());
        AppPlatform.requireId("deployment", deployment.id());
        String previous = existing == null || existing.activeDeploymentId() == null ? null
                : AppPlatform.requireId("deployment", existing.activeDeploymentId());
        log.info("Deployment " + deployment.id() + " started for app " + app.name() + " (" + app.id() + ")"
                + (previous == null ? "" : "; the active deployment before it was " + previous));
        return new Started(app, deployment, previous);
    }

    private void succeeded(DeploymentWatcher watcher, Started st, DeploymentWatcher.Outcome outcome, GitHubRecord record) {
        App live;
        try {
            Duration left = deadline.remaining();
            Duration wait = left.isZero() ? Duration.ofSeconds(1) : left;
            live = outcome.app() != null ? watcher.awaitLiveUrl(outcome.app(), wait) : watcher.awaitLiveUrl(st.app().id(), wait);
        } catch (ActionException e) {
            boolean timeout = "timeout".equals(e.result());
            report.finished(appNowOr(st.app()), outcome, st.previous(), timeout ? "timeout" : "unconfirmed");
            record.set(DeploymentState.ERROR, null, timeout ? "no live URL in time" : "the app could not be read");
            throw e;
        }
        String url = Report.liveUrl(live, log);
        if (url != null) {
            log.info("App " + live.name() + " is live at " + url);
        } else if (live.spec() != null && !live.spec().hasHttpComponents()) {
            log.info("App " + live.name() + " has no HTTP component (workers or jobs only), so it has no URL");
        }
        report.finished(live, outcome, st.previous(), null);
        record.set(DeploymentState.SUCCESS, url, "deployment " + outcome.deployment().id() + " is live");
        ctx.result("success");
    }

    private void failed(Started st, DeploymentWatcher.Outcome outcome, GitHubRecord record) {
        App after = appNowOr(st.app());
        String id = st.deployment().id();
        if (outcome.timeout() != null) {
            report.finished(after, outcome, st.previous(), "timeout");
            record.set(DeploymentState.ERROR, null, "timed out");
            throw new ActionException(ExitCode.FAILED, "Deployment " + id + " of app " + after.name()
                    + " did not finish within the step's timeout (" + deadline.description() + ") (last phase "
                    + outcome.phase() + "). It keeps running on App Platform; raise the timeout input if deploys of "
                    + "this app take longer." + (outcome.timeout().getCause() == null ? ""
                    : " " + outcome.timeout().getCause().getMessage()), "timeout", null, outcome.timeout());
        }
        report.finished(after, outcome, st.previous(), "failure");
        record.set(DeploymentState.FAILURE, null, outcome.failureReason());
        throw new ActionException(ExitCode.FAILED, "Deployment " + id + " of app " + after.name() + " ended in "
                + outcome.phase() + ": " + outcome.failureReason(), "failure", null, null);
    }

    /** The app as it is now, for the report; when the step's time or App Platform gives no answer, {@code before}. */
    private App appNowOr(App before) {
        try {
            return platform.getApp(before.id());
        } catch (ProviderException | Deadline.DeadlineException e) {
            log.warning("Could not read app " + before.name() + " again for the report: " + e.getMessage());
            return before;
        }
    }

    /** App Platform refusing the spec (400/422, "error validating app spec ...") is a problem with the input. */
    private RuntimeException rejected(RuntimeException e) {
        if (e instanceof ProviderException pe && (pe.status() == 400 || pe.status() == 422)) {
            return InputException.invalid(s.appInput(), "gives a spec App Platform rejected: " + pe.providerMessage()
                    + (pe.requestId() == null ? "" : " [request id " + pe.requestId() + "]"));
        }
        return e;
    }

    // ---- dry run --------------------------------------------------------------------------------------------------

    private void dryRun(SpecResolver.Target t) {
        AppsApi.ProposeResponse proposal;
        try {
            proposal = platform.api().propose(new AppsApi.ProposeRequest(t.spec(),
                    t.existing() == null ? null : t.existing().id()));
        } catch (RuntimeException e) {
            throw rejected(e);
        }
        List<SpecDiff.Change> changes = t.existing() == null ? List.of()
                : SpecDiff.between(t.existing().spec().withoutSecrets().json(), t.spec().withoutSecrets().json());
        if (t.existing() == null) {
            log.info("Dry run: the spec is valid; app " + t.spec().name() + " does not exist and would be created"
                    + (Boolean.FALSE.equals(proposal.appNameAvailable()) ? " (but the name is taken: "
                    + proposal.appNameSuggestion() + " is free)" : ""));
        } else {
            log.info("Dry run: the spec is valid; " + changes.size() + " change(s) against the live spec of "
                    + t.existing().name() + ":");
            for (SpecDiff.Change c : changes) log.info("  " + c.describe());
        }
        report.dryRun(t, proposal, changes);
        ctx.result("dry-run");
    }

    // ---- delete preview -------------------------------------------------------------------------------------------

    private void deletePreview() {
        int pr = ctx.github().pullRequestNumber().getAsInt();
        String name = s.appName().isEmpty() ? PreviewNames.of(ctx.github().repository(), pr) : s.appName();
        ctx.setOutput("app-name", name);
        Optional<App> app = platform.findByName(name);
        if (app.isEmpty()) {
            report.deleted(name, null);
            if (s.missingPreviewFails()) {
                throw ActionException.failed("No preview app named " + name + " for pull request #" + pr
                        + " (ignore_not_found is not true, as digitalocean/app_action/delete requires)", "not-found");
            }
            log.info("No preview app named " + name + " for pull request #" + pr + ": nothing to delete");
            ctx.result("not-found");
            return;
        }
        ctx.setOutput("app-id", app.get().id());
        try {
            platform.api().deleteApp(app.get().id());
        } catch (ProviderException e) {
            if (!e.isNotFound()) throw e;
        }
        log.info("Deleted preview app " + name + " (" + app.get().id() + ") of pull request #" + pr);
        // its GitHub records go inactive, so the closed pull request no longer links to a deleted app
        GitHubReporters.forStep(ctx, GitHubReporters.Settings.of(ctx.github(), s.githubToken(), s.githubDeployment()),
                deadline).deactivate(s.environment().isEmpty() ? "preview/" + name : s.environment(), "preview app deleted");
        report.deleted(name, app.get().id());
        ctx.result("deleted");
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static String json(Object o) {
        try {
            return HttpApi.JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
