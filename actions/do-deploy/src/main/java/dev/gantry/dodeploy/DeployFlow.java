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
import dev.gantry.common.digitalocean.DeploymentWatcher.LogPolicy;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.github.GitHubReporter.DeploymentRecord;
import dev.gantry.common.github.GitHubReporter.DeploymentState;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.Time;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deploy: resolve the spec (file, or an existing app's), apply image pins, env vars and preview changes, then
 * create or update the app, take the deployment that call started, wait for it with a deadline, and report.
 * Also the {@code dry-run} (propose and diff) and {@code delete-preview} operations.
 */
final class DeployFlow {
    /** Everything the inputs said, checked. */
    record Settings(String token, URI apiUrl, String operation, String appSpec, String appName, String appId,
                    String projectId, Map<String, AppSpec.ImageRef> images, Map<String, String> envs, boolean waitForIt,
                    Duration timeout, boolean forceBuild, LogPolicy buildLogs, LogPolicy deployLogs, boolean preview,
                    boolean dryRun, String githubToken, boolean githubDeployment, String environment) {
    }

    private final ActionContext ctx;
    private final Settings s;
    private final Log log;
    private final Time time;
    private final Deadline deadline;
    private final AppPlatform platform;
    private final Report report;

    DeployFlow(ActionContext ctx, Settings s) {
        this.ctx = ctx;
        this.s = s;
        this.log = ctx.log();
        this.time = ctx.time();
        this.deadline = ctx.deadline("timeout", s.timeout());
        this.platform = AppPlatform.connect(s.apiUrl(), s.token(), log, deadline);
        this.report = new Report(ctx);
    }

    void run() {
        if (s.operation().equals("delete-preview")) {
            deletePreview();
            return;
        }
        Target target = resolve();
        if (s.dryRun()) {
            dryRun(target);
            return;
        }
        deploy(target);
    }

    // ---- the spec -------------------------------------------------------------------------------------------------

    /** The spec to deploy and the app it goes to (null: a new app). */
    record Target(AppSpec spec, App existing) {
    }

    private Target resolve() {
        AppSpec spec;
        App existing = null;
        if (!s.appId().isEmpty()) {
            try {
                existing = platform.getApp(s.appId());
            } catch (ProviderException e) {
                if (e.isNotFound()) throw InputException.invalid("app-id", "names no app this token can see: " + s.appId());
                throw e;
            }
            spec = existing.spec();
            log.info("Deploying the current spec of app " + existing.name() + " (" + existing.id() + ")");
        } else if (!s.appName().isEmpty()) {
            existing = platform.findByName(s.appName()).orElseThrow(() -> InputException.invalid("app-name",
                    "names no app this token can see: '" + s.appName() + "' (to create it, give an app-spec file "
                            + "and leave app-name empty)"));
            spec = existing.spec();
            log.info("Deploying the current spec of app " + existing.name() + " (" + existing.id() + ")");
        } else {
            String file = s.appSpec().isEmpty() ? ".do/app.yaml" : s.appSpec();
            Path path = ctx.github().workspace().resolve(file).normalize();
            SpecTemplate.Loaded loaded = SpecTemplate.load(path, "app-spec", ctx::env);
            spec = loaded.spec();
            log.info("Read the app spec from " + file + (loaded.filled().isEmpty() ? ""
                    : "; filled ${" + String.join("}, ${", loaded.filled()) + "} from the environment"));
            if (!loaded.leftAlone().isEmpty()) {
                log.debug("Placeholders left for App Platform to resolve (or unset in this step's env): ${"
                        + String.join("}, ${", loaded.leftAlone()) + "}");
            }
        }
        if (spec == null) throw InputException.invalid("app-spec", "gave no spec");
        spec = ImagePins.apply("images", spec, s.images());
        for (Map.Entry<String, AppSpec.ImageRef> e : s.images().entrySet()) {
            log.info("Pinned " + e.getKey() + " to " + e.getValue().describe());
        }
        if (!s.envs().isEmpty()) {
            spec = spec.withSecretEnvs(s.envs());
            log.info("Merged " + s.envs().size() + " env var(s) into the spec as encrypted run-time secrets: "
                    + String.join(", ", s.envs().keySet()));
        }
        if (s.preview()) {
            String name = PreviewNames.of(ctx.github().repository(), ctx.github().pullRequestNumber().getAsInt());
            spec = spec.forPreview(name, ctx.github().repository(), ctx.github().headBranch());
            log.info("Preview app for pull request #" + ctx.github().pullRequestNumber().getAsInt() + ": " + name
                    + " (branch " + ctx.github().headBranch() + ", no domains or alerts)");
            existing = null;
        }
        String name = spec.name();
        if (name == null || !AppSpec.NAME.matcher(name).matches()) {
            throw InputException.invalid(s.appName().isEmpty() ? "app-spec" : "app-name", "gives the app name '" + name
                    + "', but App Platform names must match " + AppSpec.NAME.pattern()
                    + " (2-32 lower-case letters, digits and hyphens, starting with a letter)");
        }
        if (existing == null) existing = platform.findByName(name).orElse(null);
        return new Target(spec, existing);
    }

    // ---- deploy ---------------------------------------------------------------------------------------------------

    private void deploy(Target t) {
        AppSpec spec = t.spec();
        App existing = t.existing();
        String previous = existing == null ? null : existing.activeDeploymentId();
        GitHubReporter github = GitHubReporters.forStep(ctx, GitHubReporters.Settings.of(ctx.github(), s.githubToken(),
                s.githubDeployment()), deadline);
        String environment = !s.environment().isEmpty() ? s.environment()
                : s.preview() ? "preview/" + spec.name() : spec.name();
        TeamNotice.target(ctx.notice(), environment, spec.name(), s.images());

        if (existing != null && existing.pinnedDeployment() != null && existing.pinnedDeployment().id() != null) {
            throw ActionException.failed("App " + existing.name() + " is pinned to rollback deployment "
                    + existing.pinnedDeployment().id() + ", and App Platform refuses new deployments until the rollback "
                    + "is committed or reverted (rollback/commit or rollback/revert).", "pinned");
        }
        Instant started = time.now();
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
        Deployment deployment = change.deployment() != null ? change.deployment() : startDeployment(app);
        log.info("Deployment " + deployment.id() + " started for app " + app.name() + " (" + app.id() + ")"
                + (previous == null ? "" : "; the active deployment before it was " + previous));
        report.started(app, deployment, previous);
        // the record names App Platform's deployment, so rollback can find it again (GitHubReporter.findDeployment)
        Optional<DeploymentRecord> record = github.createDeployment(new GitHubReporter.DeploymentRequest(environment,
                null, "App Platform deploy of " + app.name(), s.preview(), !s.preview(), "digitalocean",
                deployment.id()));
        record.ifPresent(r -> github.setStatus(r, DeploymentState.IN_PROGRESS, null, "deployment " + deployment.id()));

        if (!s.waitForIt()) {
            report.phase(deployment.phaseOrUnknown().name());
            report.notWaited(app, deployment, previous);
            ctx.result("started");
            return;
        }
        DeploymentWatcher watcher = DeploymentWatcher.builder(platform, log).timeout(s.timeout())
                .buildLogs(s.buildLogs()).deployLogs(s.deployLogs()).build();
        DeploymentWatcher.Outcome outcome = watcher.watch(app.id(), deployment.id());
        report.phase(outcome.phase().name());
        if (outcome.succeeded()) {
            Duration left = s.timeout().minus(Duration.between(started, time.now()));
            App live;
            try {
                live = watcher.awaitLiveUrl(app.id(), left.isNegative() ? Duration.ofSeconds(1) : left);
            } catch (ActionException e) {
                report.finished(platform.getApp(app.id()), outcome, previous, "timeout");
                record.ifPresent(r -> github.setStatus(r, DeploymentState.ERROR, null, "no live URL in time"));
                throw e;
            }
            if (live.hasLiveUrl()) {
                log.info("App " + live.name() + " is live at " + live.liveUrl());
            } else {
                log.info("App " + live.name() + " has no HTTP component (workers or jobs only), so it has no URL");
            }
            report.finished(live, outcome, previous, null);
            record.ifPresent(r -> github.setStatus(r, DeploymentState.SUCCESS, live.hasLiveUrl() ? live.liveUrl() : null,
                    "deployment " + outcome.deployment().id() + " is live"));
            ctx.result("success");
            return;
        }
        App after = platform.getApp(app.id());
        if (outcome.timeout() != null) {
            report.finished(after, outcome, previous, "timeout");
            record.ifPresent(r -> github.setStatus(r, DeploymentState.ERROR, null, "timed out"));
            throw new ActionException(ExitCode.FAILED, "Deployment " + deployment.id() + " of app " + app.name()
                    + " did not finish within the step's timeout (" + deadline.description() + ")"
                    + " (last phase " + outcome.phase() + "). It keeps running on App Platform; raise the timeout input if "
                    + "deploys of this app take longer.", "timeout", null, outcome.timeout());
        }
        report.finished(after, outcome, previous, "failure");
        record.ifPresent(r -> github.setStatus(r, DeploymentState.FAILURE, null, outcome.failureReason()));
        throw new ActionException(ExitCode.FAILED, "Deployment " + deployment.id() + " of app " + app.name()
                + " ended in " + outcome.phase() + ": " + outcome.failureReason(), "failure", null, null);
    }

    /** App Platform refusing the spec (400/422, "error validating app spec ...") is a problem with the input. */
    private RuntimeException rejected(RuntimeException e) {
        if (e instanceof ProviderException pe && (pe.status() == 400 || pe.status() == 422)) {
            String input = !s.appName().isEmpty() ? "app-name" : !s.appId().isEmpty() ? "app-id" : "app-spec";
            return InputException.invalid(input, "gives a spec App Platform rejected: " + pe.providerMessage()
                    + (pe.requestId() == null ? "" : " [request id " + pe.requestId() + "]"));
        }
        return e;
    }

    private Deployment startDeployment(App app) {
        log.info("The update started no deployment; starting one" + (s.forceBuild() ? " with a forced rebuild" : ""));
        return platform.createDeployment(app.id(), s.forceBuild());
    }

    // ---- dry run --------------------------------------------------------------------------------------------------

    private void dryRun(Target t) {
        AppsApi.ProposeResponse proposal;
        try {
            proposal = platform.api().propose(new AppsApi.ProposeRequest(t.spec(),
                    t.existing() == null ? null : t.existing().id()));
        } catch (RuntimeException e) {
            throw rejected(e);
        }
        List<SpecDiff.Change> changes = t.existing() == null ? List.of()
                : SpecDiff.between(t.existing().spec().withoutSecrets().json(), t.spec().withoutSecrets().json());
        ctx.setOutput("app-name", t.spec().name());
        if (t.existing() != null) {
            ctx.setOutput("app-id", t.existing().id());
            ctx.setOutput("previous-deployment-id", nullToEmpty(t.existing().activeDeploymentId()));
        }
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
            log.info("No preview app named " + name + " for pull request #" + pr + ": nothing to delete");
            report.deleted(name, null);
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
