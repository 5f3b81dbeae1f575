package dev.gantry.common.vercel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.Log;
import dev.gantry.common.http.ErrorBodies;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.RateLimits;
import dev.gantry.common.http.RetryPolicy;
import feign.Response;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The Vercel operations our actions use, on top of {@link VercelApi}: the create call with its
 * {@code missing_files} answer, rate limits and "check, then retry"; alias assignment with 409 handled;
 * promote and rollback as asynchronous jobs; paginated listing; uploads and the events stream.
 */
public final class VercelClient {
    public static final String PROVIDER = "Vercel";
    /** A meta key carrying a per-run random key, so a create whose answer was lost can be found again. */
    public static final String REQUEST_KEY_META = "gantryRequestKey";

    private final HttpApi http;
    private final VercelApi api;
    private final String teamId;
    private final RetryPolicy policy;
    private final Log log;

    public VercelClient(HttpApi http, String teamId) {
        this.http = http;
        this.api = http.client(VercelApi.class);
        this.teamId = teamId == null || teamId.isBlank() ? null : teamId;
        this.policy = http.retryPolicy();
        this.log = http.log();
    }

    public VercelApi api() {
        return api;
    }

    public String teamId() {
        return teamId;
    }

    public HttpApi http() {
        return http;
    }

    public Project project(String idOrName) {
        return api.getProject(idOrName, teamId, null);
    }

    public Deployment deployment(String idOrUrl) {
        return api.getDeployment(idOrUrl, teamId);
    }

    public Deployment cancel(String deploymentId) {
        return api.cancelDeployment(deploymentId, teamId);
    }

    /** The answer to a create: the deployment, or the digests Vercel does not have yet. */
    public sealed interface CreateResult permits Created, MissingFiles {
    }

    public record Created(Deployment deployment) implements CreateResult {
    }

    public record MissingFiles(List<String> missing) implements CreateResult {
    }

    /**
     * {@code POST /v13/deployments}. A 429 was not processed, so it is retried after {@code Retry-After}. When the
     * answer is lost (connection failure, 5xx), a deployment carrying {@code body.meta[gantryRequestKey]} is looked
     * for before trying again, so that a deployment is never created twice.
     */
    public CreateResult createDeployment(CreateDeployment body, boolean force, boolean prebuilt) {
        String key = body.meta() == null ? null : body.meta().get(REQUEST_KEY_META);
        Instant start = policy.clock().instant();
        for (int attempt = 1; ; attempt++) {
            Raw r;
            try {
                r = raw(api.createDeployment(teamId, force ? "1" : null, prebuilt ? "1" : null, body));
            } catch (ProviderException e) {
                // the request may have reached Vercel: check before resending
                Optional<Deployment> existing = key == null ? Optional.empty() : findByRequestKey(body.project(), key);
                if (existing.isPresent()) {
                    info("the create call failed (" + e.getMessage() + ") but deployment " + existing.get().id()
                            + " exists: using it");
                    return new Created(deployment(existing.get().id()));
                }
                if (attempt >= 3 || key == null) throw e;
                sleep(policy.backoff(attempt));
                continue;
            }
            if (r.status == 200 || r.status == 201) return new Created(r.read(Deployment.class));
            ErrorBodies err = ErrorBodies.parse(r.text());
            if ("missing_files".equals(err.code()) || r.status == 400 && r.json().has("missing")) {
                return new MissingFiles(r.missing());
            }
            if (r.status == 429 || r.status >= 500) {
                Optional<Deployment> existing = r.status >= 500 && key != null
                        ? findByRequestKey(body.project(), key) : Optional.empty();
                if (existing.isPresent()) return new Created(deployment(existing.get().id()));
                Duration delay = r.retryDelay(attempt);
                if (attempt < policy.maxAttempts() && !policy.clock().instant().plus(delay).isAfter(start.plus(policy.deadline()))) {
                    info("Vercel: HTTP " + r.status + (err.code() == null ? "" : " " + err.code())
                            + " on POST /v13/deployments; retrying in " + human(delay));
                    sleep(delay);
                    continue;
                }
            }
            throw r.failure("POST /v13/deployments");
        }
    }

    /** The project's newest deployments carrying {@code key} (no time filter: our clock is not Vercel's). */
    private Optional<Deployment> findByRequestKey(String projectId, String key) {
        try {
            DeploymentList page = api.listDeployments(projectId, null, null, 20, null, null, teamId);
            if (page.deployments() == null) return Optional.empty();
            return page.deployments().stream()
                    .filter(d -> d.meta() != null && key.equals(d.meta().get(REQUEST_KEY_META))).findFirst();
        } catch (ProviderException e) {
            return Optional.empty();
        }
    }

    /** What an alias assignment did. */
    public record AliasResult(String alias, boolean alreadyAssigned, String previousDeploymentId) {
    }

    /**
     * {@code POST /v2/deployments/{id}/aliases}. A 409 is fine when the alias already points at this deployment
     * (checked with the alias list); otherwise it fails with Vercel's message.
     */
    public AliasResult assignAlias(String deploymentId, String alias) {
        Instant start = policy.clock().instant();
        for (int attempt = 1; ; attempt++) {
            Raw r = raw(api.assignAlias(deploymentId, teamId, new VercelApi.AliasBody(alias)));
            if (r.status == 200 || r.status == 201) {
                JsonNode n = r.json();
                return new AliasResult(alias, false, n.path("oldDeploymentId").isTextual() ? n.get("oldDeploymentId").asText() : null);
            }
            if (r.status == 409) {
                AliasList list = api.listAliases(deploymentId, teamId);
                boolean here = list.aliases() != null && list.aliases().stream().anyMatch(a -> alias.equalsIgnoreCase(a.alias()));
                if (here) return new AliasResult(alias, true, null);
            }
            if ((r.status == 429 || r.status >= 500) && attempt < policy.maxAttempts()) {
                Duration delay = r.retryDelay(attempt);
                if (!policy.clock().instant().plus(delay).isAfter(start.plus(policy.deadline()))) {
                    sleep(delay);
                    continue;
                }
            }
            throw r.failure("POST /v2/deployments/{id}/aliases");
        }
    }

    /**
     * A promote or rollback request: whether Vercel queued it behind a rolling release (202), and the
     * {@code requestedAt} of the project's previous job, so that the wait recognises the new one without comparing
     * our clock with Vercel's.
     */
    public record JobRequest(String type, String projectId, String deploymentId, boolean queued, Long previousRequestedAt) {
    }

    private Long lastJobRequestedAt(String projectId) {
        Project.AliasRequest last = api.getProject(projectId, teamId, true).lastAliasRequest();
        return last == null ? null : last.requestedAt();
    }

    /** {@code POST /v10/projects/{pid}/promote/{dpl}}: starts an asynchronous promote job. */
    public JobRequest requestPromote(String projectId, String deploymentId) {
        Long at = lastJobRequestedAt(projectId);
        Raw r = retryNotProcessed(() -> raw(api.requestPromote(projectId, deploymentId, teamId)));
        if (r.status != 201 && r.status != 202 && r.status != 200) throw r.failure("POST /v10/projects/{projectId}/promote/{deploymentId}");
        return new JobRequest("promote", projectId, deploymentId, r.status == 202, at);
    }

    /** {@code POST /v1/projects/{pid}/rollback/{dpl}}: starts an asynchronous rollback job. */
    public JobRequest requestRollback(String projectId, String deploymentId, String description) {
        Long at = lastJobRequestedAt(projectId);
        Raw r = retryNotProcessed(() -> raw(api.requestRollback(projectId, deploymentId,
                description == null || description.isBlank() ? null : description, teamId, Map.of())));
        if (r.status != 201 && r.status != 202 && r.status != 200) throw r.failure("POST /v1/projects/{projectId}/rollback/{deploymentId}");
        return new JobRequest("rollback", projectId, deploymentId, r.status == 202, at);
    }

    /** Re-sends only after a 429 (not processed), honouring {@code Retry-After}. */
    private Raw retryNotProcessed(Supplier<Raw> call) {
        Instant start = policy.clock().instant();
        for (int attempt = 1; ; attempt++) {
            Raw r = call.get();
            if (r.status != 429 || attempt >= policy.maxAttempts()) return r;
            Duration delay = r.retryDelay(attempt);
            if (policy.clock().instant().plus(delay).isAfter(start.plus(policy.deadline()))) return r;
            sleep(delay);
        }
    }

    /**
     * Polls {@code GET /v9/projects/{pid}?rollbackInfo=true} (every 250 ms at first, as the CLI) until the job for
     * {@code job.deploymentId} has finished; returns its last state. A {@code failed} job is returned, not
     * thrown: the caller decides. Times out with exit 1.
     */
    public Project.AliasRequest waitForJob(JobRequest job, Duration timeout) {
        Instant deadline = policy.clock().instant().plus(timeout);
        Duration interval = Duration.ofMillis(250);
        String last = null;
        while (true) {
            Project p = api.getProject(job.projectId(), teamId, true);
            Project.AliasRequest req = p.lastAliasRequest();
            boolean ours = req != null && job.deploymentId().equals(req.toDeploymentId())
                    && (job.previousRequestedAt() == null || !job.previousRequestedAt().equals(req.requestedAt()));
            String state = ours ? req.jobStatus() : (job.queued() ? "queued" : "not started");
            if (!state.equals(last)) {
                info(job.type() + " to " + job.deploymentId() + ": " + state);
                last = state;
            }
            if (ours && req.finished()) return req;
            Instant now = policy.clock().instant();
            if (!now.isBefore(deadline)) {
                throw new ActionException(ExitCode.FAILED, "Timed out after " + human(timeout) + " waiting for the "
                        + job.type() + " of " + job.deploymentId() + "; last job state: " + state, "timeout", null, null);
            }
            Duration left = Duration.between(now, deadline);
            sleep(interval.compareTo(left) < 0 ? interval : left);
            interval = Duration.ofMillis(Math.min(2000, interval.toMillis() * 3 / 2));
        }
    }

    /**
     * Deployments of a project, newest first, walking every page with {@code until = pagination.next}, until
     * {@code stop} holds for one (inclusive) or {@code max} were read.
     */
    public List<Deployment> listDeployments(String projectId, String target, String state, int max,
                                            Predicate<Deployment> stop) {
        List<Deployment> out = new ArrayList<>();
        Long until = null;
        while (out.size() < max) {
            DeploymentList page = api.listDeployments(projectId, target, state, Math.min(100, max - out.size()), until, null, teamId);
            if (page.deployments() != null) {
                for (Deployment d : page.deployments()) {
                    out.add(d);
                    if (stop != null && stop.test(d)) return out;
                    if (out.size() >= max) return out;
                }
            }
            if (page.pagination() == null || page.pagination().next() == null
                    || page.deployments() == null || page.deployments().isEmpty()) {
                return out;
            }
            until = page.pagination().next();
        }
        return out;
    }

    public Uploader uploader(int concurrency) {
        return new Uploader(http.httpClient(), http.baseUrl(), http.token(), teamId, http.userAgent(), policy,
                concurrency, http.requestTimeout(), log);
    }

    public EventStream events(String deploymentId) {
        return new EventStream(http.httpClient(), http.baseUrl(), http.token(), teamId, http.userAgent(), deploymentId);
    }

    private void info(String s) {
        if (log != null) log.info(s);
    }

    private void sleep(Duration d) {
        try {
            policy.sleeper().sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + "ms" : ms < 120_000 ? String.format("%.1fs", ms / 1000.0) : (ms / 60_000) + "m" + ((ms / 1000) % 60) + "s";
    }

    private Raw raw(Response r) {
        try (r) {
            byte[] b;
            if (r.body() == null) {
                b = new byte[0];
            } else {
                try (InputStream in = r.body().asInputStream()) {
                    b = in.readNBytes(8 * 1024 * 1024);
                }
            }
            return new Raw(r.status(), r.headers(), b);
        } catch (IOException e) {
            throw new ProviderException(PROVIDER, r.status(), null, "could not read the answer: " + e.getMessage(),
                    null, null, e);
        }
    }

    /** A raw answer: status, headers, body. */
    private final class Raw {
        final int status;
        final Map<String, Collection<String>> headers;
        final byte[] body;
        private JsonNode json;

        private Raw(int status, Map<String, Collection<String>> headers, byte[] body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        JsonNode json() {
            if (json == null) {
                try {
                    json = body.length == 0 ? HttpApi.JSON.createObjectNode() : HttpApi.JSON.readTree(body);
                } catch (IOException e) {
                    json = HttpApi.JSON.createObjectNode();
                }
            }
            return json;
        }

        <T> T read(Class<T> type) {
            try {
                return HttpApi.JSON.readValue(body, type);
            } catch (IOException e) {
                throw new ProviderException(PROVIDER, status, null, "unreadable answer: " + e.getMessage(), requestId(), null, e);
            }
        }

        /** {@code error.missing} (or a top-level {@code missing}, seen from some proxies). */
        List<String> missing() {
            JsonNode m = json().path("error").path("missing");
            if (!m.isArray()) m = json().path("missing");
            List<String> out = new ArrayList<>();
            for (JsonNode s : m) out.add(s.asText());
            return out;
        }

        String requestId() {
            for (Map.Entry<String, Collection<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase("x-vercel-id") && !e.getValue().isEmpty()) {
                    return e.getValue().iterator().next();
                }
            }
            return null;
        }

        Duration retryDelay(int attempt) {
            Instant now = policy.clock().instant();
            Duration backoff = policy.backoff(attempt);
            Optional<Instant> at = RateLimits.retryAt(status, headers, now);
            if (at.isPresent()) {
                Duration server = Duration.between(now, at.get());
                if (server.compareTo(backoff) > 0) return server.compareTo(Duration.ofMinutes(2)) > 0 ? Duration.ofMinutes(2) : server;
            }
            return backoff;
        }

        ProviderException failure(String operation) {
            ErrorBodies err = ErrorBodies.parse(text());
            return new ProviderException(PROVIDER, status, err.code(), err.message(), requestId(), operation, null);
        }
    }
}
