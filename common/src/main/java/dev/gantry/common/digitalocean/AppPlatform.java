package dev.gantry.common.digitalocean;

import dev.gantry.common.action.Log;
import dev.gantry.common.digitalocean.AppsApi.AppsPage;
import dev.gantry.common.digitalocean.AppsApi.CreateAppRequest;
import dev.gantry.common.digitalocean.AppsApi.CreateDeploymentRequest;
import dev.gantry.common.digitalocean.AppsApi.DeploymentsPage;
import dev.gantry.common.digitalocean.AppsApi.RollbackRequest;
import dev.gantry.common.digitalocean.AppsApi.UpdateAppRequest;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.RetryPolicy;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * App Platform operations on top of {@link AppsApi} that need more than one call: finding an app by name across
 * pages, and the calls that create something (an app, a deployment, a rollback), which are never repeated
 * blindly. When such a call fails without a clear answer (a dropped connection, 429, 5xx) we look at what exists
 * first and only send it again when it did not happen; that is how a retry never makes a second app or a
 * second deployment.
 */
public final class AppPlatform {
    /** Attempts for a creating call, each preceded (after the first) by a check of what exists. */
    static final int CREATE_ATTEMPTS = 4;
    private static final int MAX_PAGES = 1000;

    private final AppsApi api;
    private final AppsApi once;
    private final DeploymentLogs logs;
    private final RetryPolicy policy;
    private final Log log;

    public AppPlatform(AppsApi api, AppsApi once, DeploymentLogs logs, RetryPolicy policy, Log log) {
        this.api = Objects.requireNonNull(api);
        this.once = Objects.requireNonNull(once);
        this.logs = logs;
        this.policy = policy;
        this.log = log;
    }

    /**
     * Clients for {@code baseUrl} (already checked with {@code BaseUrl.check}): one with the retry policy for
     * reads and safe writes, one without automatic retries for the calls that start a deployment.
     */
    public static AppPlatform connect(URI baseUrl, String token, Log log, RetryPolicy policy) {
        HttpApi http = HttpApi.builder("DigitalOcean").baseUrl(baseUrl).token(token).log(log)
                .requestIdHeader("x-request-id").retryPolicy(policy).build();
        // the same connections (one TLS handshake with the API), another retry policy
        HttpApi single = http.withRetryPolicy(policy.withMaxAttempts(1));
        // presigned log URLs: another host, redirects followed; built only if a log is ever fetched
        Supplier<HttpClient> raw = new Supplier<>() {
            private HttpClient client;

            @Override
            public synchronized HttpClient get() {
                if (client == null) {
                    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                            .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1).build();
                }
                return client;
            }
        };
        AppsApi api = http.client(AppsApi.class);
        return new AppPlatform(api, single.client(AppsApi.class), new DeploymentLogs(api, raw), policy, log);
    }

    /** The plain API (every call retried per the policy where that is safe). */
    public AppsApi api() {
        return api;
    }

    public DeploymentLogs logs() {
        return logs;
    }

    public Log log() {
        return log;
    }

    public RetryPolicy policy() {
        return policy;
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
        return withCheck("create app " + spec.name(), () -> {
            App a = once.createApp(req).app();
            return new Change(a, firstDeployment(a), false);
        }, e -> findByName(spec.name()).map(found -> {
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
     * A PUT starts a deployment, so it is not resent automatically; after a lost answer the app is read back, and
     * a newer update time or a new deployment in flight means the update went through.
     */
    public Change updateApp(App before, AppSpec spec, boolean updateAllSourceVersions) {
        UpdateAppRequest req = new UpdateAppRequest(spec, updateAllSourceVersions);
        Set<String> known = deploymentIds(before);
        return withCheck("update app " + before.name(), () -> {
            App a = once.updateApp(before.id(), req).app();
            Deployment d = a.pendingDeployment() != null && a.pendingDeployment().id() != null
                    && !known.contains(a.pendingDeployment().id()) ? a.pendingDeployment() : null;
            return new Change(a, d, false);
        }, e -> {
            App now = getApp(before.id());
            Deployment d = now.currentDeployment();
            boolean newDeployment = d != null && !known.contains(d.id());
            boolean updated = now.updatedAt() != null && !now.updatedAt().equals(before.updatedAt());
            if (newDeployment || updated) return Optional.of(new Change(now, newDeployment ? d : null, true));
            return Optional.empty();
        });
    }

    /** Starts a deployment of the app's current spec; never two under retries. */
    public Deployment createDeployment(String appId, boolean forceBuild) {
        return createChecked(appId, "create a deployment",
                () -> once.createDeployment(appId, new CreateDeploymentRequest(forceBuild)).deployment());
    }

    /** Rolls back to {@code deploymentId} (a new deployment, cause MANUAL_ROLLBACK); never two under retries. */
    public Deployment rollback(String appId, String deploymentId, boolean skipPin) {
        return createChecked(appId, "roll back to " + deploymentId,
                () -> once.rollback(appId, new RollbackRequest(deploymentId, skipPin)).deployment());
    }

    /** Reverts a pinned rollback (a new deployment from the spec before it); never two under retries. */
    public Deployment revertRollback(String appId) {
        return createChecked(appId, "revert the rollback", () -> once.revertRollback(appId).deployment());
    }

    public AppsApi.RollbackValidation validateRollback(String appId, String deploymentId, boolean skipPin) {
        return api.validateRollback(appId, new RollbackRequest(deploymentId, skipPin));
    }

    public void commitRollback(String appId) {
        api.commitRollback(appId);
    }

    private Deployment createChecked(String appId, String what, Supplier<Deployment> call) {
        Set<String> known = new HashSet<>();
        for (Deployment d : listDeployments(appId, 20)) known.add(d.id());
        return withCheck(what, call, e -> {
            for (Deployment d : listDeployments(appId, 20)) {
                if (!known.contains(d.id())) return Optional.of(d);
            }
            return Optional.empty();
        });
    }

    private static Set<String> deploymentIds(App app) {
        Set<String> ids = new HashSet<>();
        for (Deployment d : new Deployment[]{app.activeDeployment(), app.inProgressDeployment(),
                app.pendingDeployment(), app.pinnedDeployment()}) {
            if (d != null && d.id() != null) ids.add(d.id());
        }
        return ids;
    }

    @FunctionalInterface
    private interface Check<T> {
        Optional<T> whatHappened(ProviderException failure);
    }

    /**
     * Runs {@code call}; after a transient failure asks {@code check} whether it happened anyway, and only if not
     * calls again (with backoff, within {@link #CREATE_ATTEMPTS}).
     */
    private <T> T withCheck(String what, Supplier<T> call, Check<T> check) {
        for (int attempt = 1; ; attempt++) {
            ProviderException failure;
            try {
                return call.get();
            } catch (ProviderException e) {
                failure = e;
            }
            if (!isTransient(failure)) throw failure;
            Optional<T> happened = check.whatHappened(failure);
            if (happened.isPresent()) {
                if (log != null) {
                    log.info("DigitalOcean: " + describe(failure) + " on " + what
                            + ", but the change went through; continuing with it");
                }
                return happened.get();
            }
            if (attempt >= CREATE_ATTEMPTS) throw failure;
            Duration delay = policy.backoff(attempt);
            if (failure.status() == 429) delay = delay.plusSeconds(1);
            if (log != null) {
                log.info("DigitalOcean: " + describe(failure) + " on " + what + "; it did not happen, trying again in "
                        + delay.toMillis() + "ms (attempt " + (attempt + 1) + " of " + CREATE_ATTEMPTS + ")");
            }
            try {
                policy.sleeper().sleep(delay);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw failure;
            }
        }
    }

    private static String describe(ProviderException e) {
        return e.status() == 0 ? "no answer" : "HTTP " + e.status();
    }

    /** No answer, rate limited, or a server-side error: the call may or may not have happened. */
    public static boolean isTransient(ProviderException e) {
        int s = e.status();
        return s == 0 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504;
    }
}
