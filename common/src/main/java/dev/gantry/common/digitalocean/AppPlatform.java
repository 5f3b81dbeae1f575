package dev.gantry.common.digitalocean;

import dev.gantry.common.action.Log;
import dev.gantry.common.digitalocean.AppsApi.AppsPage;
import dev.gantry.common.digitalocean.AppsApi.CreateAppRequest;
import dev.gantry.common.digitalocean.AppsApi.CreateDeploymentRequest;
import dev.gantry.common.digitalocean.AppsApi.DeploymentsPage;
import dev.gantry.common.digitalocean.AppsApi.RollbackRequest;
import dev.gantry.common.digitalocean.AppsApi.UpdateAppRequest;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.RetryExecutor;
import dev.gantry.common.http.Time;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * App Platform operations on top of {@link AppsApi} that need more than one call: finding an app by name across
 * pages, and the calls that create something (an app, a deployment, a rollback), which are never repeated
 * blindly. When such a call fails without a clear answer (a dropped connection, a 5xx) the {@link RetryExecutor}
 * looks at what exists first (the app list, the active and in-flight deployments and the deployment list) and sends
 * it again only when it did not happen; that is how a retry never makes a second app or a second deployment.
 */
public final class AppPlatform {
    private static final int MAX_PAGES = 1000;
    /** How many of the newest deployments are compared before and after a creating call. */
    private static final int RECENT = 20;

    private final AppsApi api;
    private final DeploymentLogs logs;
    private final RetryExecutor executor;
    private final Log log;

    public AppPlatform(AppsApi api, DeploymentLogs logs, RetryExecutor executor, Log log) {
        this.api = Objects.requireNonNull(api);
        this.logs = logs;
        this.executor = Objects.requireNonNull(executor);
        this.log = log;
    }

    /** A client for {@code baseUrl} (already checked with {@code BaseUrl.check}), bounded by the step's deadline. */
    public static AppPlatform connect(URI baseUrl, String token, Log log, Deadline deadline) {
        HttpApi http = HttpApi.builder("DigitalOcean").baseUrl(baseUrl).token(token).log(log)
                .requestIdHeader("x-request-id").deadline(deadline).build();
        AppsApi api = http.client(AppsApi.class);
        return new AppPlatform(api, new DeploymentLogs(api, http), http.executor(), log);
    }

    /** The plain API (every call retried per the executor's rules where that is safe). */
    public AppsApi api() {
        return api;
    }

    public DeploymentLogs logs() {
        return logs;
    }

    public Log log() {
        return log;
    }

    public Deadline deadline() {
        return executor.deadline();
    }

    public Time time() {
        return executor.time();
    }

    /** What an App Platform id looks like (UUIDs); anything else in an id field is refused, never passed on. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /**
     * {@code id} when it is one: App Platform's ids are UUIDs. An id field holding anything else (line breaks,
     * markup, shell syntax) is a broken or hostile answer; passing it on to outputs, where workflows paste it into
     * scripts, is not safe, so the step stops (exit 3).
     */
    public static String requireId(String what, String id) {
        if (id != null && ID.matcher(id).matches()) return id;
        throw new dev.gantry.common.action.ActionException(dev.gantry.common.action.ExitCode.PROVIDER_ERROR,
                "DigitalOcean answered with a " + what + " id that is not an id (" + (id == null ? "none" : "'" + id + "'")
                        + "); it is not used. Nothing else was changed by this step; see the app on App Platform.");
    }

    // ---- reads ------------------------------------------------------------------------------------------------

    /** The app whose spec is named {@code name}, looked up across every page of the account's apps. */
    public Optional<App> findByName(String name) {
        int page = 1;
        while (page <= MAX_PAGES) {
            AppsPage p = api.listApps(page, AppsApi.MAX_PER_PAGE);
            for (App a : p.appsOrEmpty()) {
                if (name.equals(a.name())) return Optional.of(a);
            }
            if (p.links() == null || !p.links().hasNext() || p.appsOrEmpty().isEmpty()) return Optional.empty();
            page++;
        }
        throw new IllegalStateException("more than " + MAX_PAGES + " pages of apps");
    }

    public App getApp(String id) {
        return api.getApp(id).app();
    }

    public Deployment getDeployment(String appId, String deploymentId) {
        return api.getDeployment(appId, deploymentId).deployment();
    }

    /** Up to {@code limit} deployments, newest first. */
    public List<Deployment> listDeployments(String appId, int limit) {
        List<Deployment> out = new ArrayList<>();
        int perPage = Math.max(1, Math.min(AppsApi.MAX_PER_PAGE, limit));
        for (int page = 1; out.size() < limit && page <= MAX_PAGES; page++) {
            DeploymentsPage p = api.listDeployments(appId, page, perPage);
            for (Deployment d : p.deploymentsOrEmpty()) {
                if (out.size() < limit) out.add(d);
            }
            if (p.links() == null || !p.links().hasNext() || p.deploymentsOrEmpty().isEmpty()) break;
        }
        return out;
    }

    // ---- creating calls ---------------------------------------------------------------------------------------

    /** What a create or update did: the app as answered and the deployment it started (null when none). */
    public record Change(App app, Deployment deployment, boolean recovered) {
    }

    /**
     * Creates an app. When the answer is lost or is a transient error, looks the name up before trying again: an
     * app that appeared in the meantime is ours (names are unique per account).
     */
    public Change createApp(AppSpec spec, String projectId) {
        CreateAppRequest req = new CreateAppRequest(spec, projectId == null || projectId.isBlank() ? null : projectId);
        return executor.create("create app " + spec.name(), () -> {
            App a = api.createApp(req).app();
            return new Change(a, firstDeployment(a), false);
        }, () -> findByName(spec.name()).map(found -> {
            App fresh = getApp(found.id());
            return new Change(fresh, firstDeployment(fresh), true);
        }));
    }

    /** The deployment a new app started: pending or in progress, else (it is new) the only one in its list. */
    private Deployment firstDeployment(App app) {
        Deployment d = app.currentDeployment();
        if (d != null) return d;
        List<Deployment> ds = listDeployments(app.id(), 1);
        return ds.isEmpty() ? null : ds.get(0);
    }

    /**
     * Updates an app's spec ({@code update_all_source_versions} pulls new commits and images for every component).
     * A PUT starts a deployment, so it is not resent blindly: after a lost answer or a 5xx, a deployment that was
     * not there before (in flight, already active, or in the deployment list) or a newer update time means the
     * update went through.
     */
    public Change updateApp(App before, AppSpec spec, boolean updateAllSourceVersions) {
        UpdateAppRequest req = new UpdateAppRequest(spec, updateAllSourceVersions);
        Set<String> known = knownDeployments(before.id(), before);
        return executor.create("update app " + before.name(), () -> {
            App a = api.updateApp(before.id(), req).app();
            Deployment d = a.pendingDeployment() != null && a.pendingDeployment().id() != null
                    && !known.contains(a.pendingDeployment().id()) ? a.pendingDeployment() : null;
            return new Change(a, d, false);
        }, () -> {
            App now = getApp(before.id());
            Optional<Deployment> d = newDeployment(before.id(), now, known);
            boolean updated = now.updatedAt() != null && !now.updatedAt().equals(before.updatedAt());
            if (d.isPresent() || updated) return Optional.of(new Change(now, d.orElse(null), true));
            return Optional.empty();
        });
    }

    /** Starts a deployment of the app's current spec; never two under retries. */
    public Deployment createDeployment(String appId, boolean forceBuild) {
        return createChecked(appId, "create a deployment",
                () -> api.createDeployment(appId, new CreateDeploymentRequest(forceBuild)).deployment());
    }

    /** Rolls back to {@code deploymentId} (a new deployment, cause MANUAL_ROLLBACK); never two under retries. */
    public Deployment rollback(String appId, String deploymentId, boolean skipPin) {
        return createChecked(appId, "roll back to " + deploymentId,
                () -> api.rollback(appId, new RollbackRequest(deploymentId, skipPin)).deployment());
    }

    /** Reverts a pinned rollback (a new deployment from the spec before it); never two under retries. */
    public Deployment revertRollback(String appId) {
        return createChecked(appId, "revert the rollback", () -> api.revertRollback(appId).deployment());
    }

    public AppsApi.RollbackValidation validateRollback(String appId, String deploymentId, boolean skipPin) {
        return api.validateRollback(appId, new RollbackRequest(deploymentId, skipPin));
    }

    public void commitRollback(String appId) {
        api.commitRollback(appId);
    }

    private Deployment createChecked(String appId, String what, RetryExecutor.Attempt<Deployment> call) {
        Set<String> known = knownDeployments(appId, getApp(appId));
        return executor.create(what, call, () -> newDeployment(appId, getApp(appId), known));
    }

    /** The deployments that exist before a creating call: the app's own fields and the newest of the list. */
    private Set<String> knownDeployments(String appId, App app) {
        Set<String> ids = new HashSet<>();
        for (Deployment d : new Deployment[]{app.activeDeployment(), app.inProgressDeployment(),
                app.pendingDeployment(), app.pinnedDeployment()}) {
            if (d != null && d.id() != null) ids.add(d.id());
        }
        for (Deployment d : listDeployments(appId, RECENT)) ids.add(d.id());
        return ids;
    }

    /**
     * A deployment that was not there before: in flight, already active (a quick deployment may have finished
     * before we look), or in the deployment list.
     */
    private Optional<Deployment> newDeployment(String appId, App now, Set<String> known) {
        for (Deployment d : new Deployment[]{now.pendingDeployment(), now.inProgressDeployment(),
                now.activeDeployment()}) {
            if (d != null && d.id() != null && !known.contains(d.id())) return Optional.of(d);
        }
        for (Deployment d : listDeployments(appId, RECENT)) {
            if (!known.contains(d.id())) return Optional.of(d);
        }
        return Optional.empty();
    }
}
