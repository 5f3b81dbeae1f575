package dev.gantry.common.vercel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.http.ErrorBodies;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.RateLimits;
import dev.gantry.common.http.RetryExecutor;
import feign.Response;

import java.io.IOException;
import java.io.InputStream;
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
 * {@code missing_files} answer and "check, then retry"; alias assignment with 409 handled; promote and rollback as
 * asynchronous jobs; paginated listing; uploads and the events stream. Every call goes through the API's one
 * {@link RetryExecutor}.
 */
public final class VercelClient {
    public static final String PROVIDER = "Vercel";
    /** A meta key carrying a per-run random key, so a create whose answer was lost can be found again. */
    public static final String REQUEST_KEY_META = "gantryRequestKey";

    private final HttpApi http;
    private final VercelApi api;
    private final String teamId;
    private final RetryExecutor executor;

    public VercelClient(HttpApi http, String teamId) {
        this.http = http;
        this.api = http.client(VercelApi.class);
        this.teamId = teamId == null || teamId.isBlank() ? null : teamId;
        this.executor = http.executor();
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
     * {@code POST /v13/deployments}. A rate limit was not processed, so the transport resends it after
     * {@code Retry-After}. When the answer is lost (connection failure, 5xx), a deployment carrying
     * {@code body.meta[gantryRequestKey]} is looked for before trying again, so that a deployment is never created
     * twice; without a key it is not resent.
     */
    public CreateResult createDeployment(CreateDeployment body, CreateQuery query) {
        String key = body.meta() == null ? null : body.meta().get(REQUEST_KEY_META);
        RetryExecutor.Attempt<CreateResult> call = () -> {
            Raw r = raw(api.createDeployment(teamId, flag(query.force()), flag(query.prebuilt()),
                    flag(query.withCache()), body));
            if (r.status == 200 || r.status == 201) return new Created(r.read(Deployment.class));
            ErrorBodies err = ErrorBodies.parse(r.text());
            if ("missing_files".equals(err.code()) || r.status == 400 && r.json().has("missing")) {
                return new MissingFiles(r.missing());
            }
            throw r.failure("POST /v13/deployments");
        };
        if (key == null) return executor.call("POST /v13/deployments", false, call);
        return executor.create("POST /v13/deployments", call, () -> findByRequestKey(body.project(), key)
                .map(d -> (CreateResult) new Created(deployment(d.id()))));
    }

    /** The create call's query flags: {@code forceNew=1}, {@code prebuilt=1}, {@code withCache=1}. */
    public record CreateQuery(boolean force, boolean prebuilt, boolean withCache) {
    }

    private static String flag(boolean on) {
        return on ? "1" : null;
    }

    /** The project's newest deployments carrying {@code key} (no time filter: our clock is not Vercel's). */
    private Optional<Deployment> findByRequestKey(String projectId, String key) {
        DeploymentList page = api.listDeployments(projectId, null, null, 20, null, null, teamId);
        if (page.deployments() == null) return Optional.empty();
        return page.deployments().stream()
                .filter(d -> d.meta() != null && key.equals(d.meta().get(REQUEST_KEY_META))).findFirst();
    }

    /** What an alias assignment did. */
    public record AliasResult(String alias, boolean alreadyAssigned, String previousDeploymentId) {
    }

    /**
     * {@code POST /v2/deployments/{id}/aliases} (safe to repeat: the transport retries it). A 409 is fine when the
     * alias already points at this deployment (checked with the alias list); otherwise it fails with Vercel's
     * message.
     */
    public AliasResult assignAlias(String deploymentId, String alias) {
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
        throw r.failure("POST /v2/deployments/{id}/aliases");
    }

    /** A promote or rollback request, and whether Vercel queued it behind a rolling release (202). */
    public record JobRequest(String type, String projectId, String deploymentId, boolean queued) {
    }

    /**
     * {@code POST /v10/projects/{pid}/promote/{dpl}}: starts an asynchronous promote job. After a lost answer or a
     * 5xx, the project's last job is compared with {@code prior} (the one seen before the request) before sending
     * it again.
     */
    public JobRequest requestPromote(String projectId, String deploymentId, Project.AliasRequest prior) {
        return requestJob("promote", projectId, deploymentId, prior, "POST /v10/projects/{projectId}/promote/{deploymentId}",
                () -> raw(api.requestPromote(projectId, deploymentId, teamId)));
    }

    /** {@code POST /v1/projects/{pid}/rollback/{dpl}}: starts an asynchronous rollback job (see {@link #requestPromote}). */
    public JobRequest requestRollback(String projectId, String deploymentId, String description, Project.AliasRequest prior) {
        return requestJob("rollback", projectId, deploymentId, prior, "POST /v1/projects/{projectId}/rollback/{deploymentId}",
                () -> raw(api.requestRollback(projectId, deploymentId,
                        description == null || description.isBlank() ? null : description, teamId, Map.of())));
    }

    private JobRequest requestJob(String type, String projectId, String deploymentId, Project.AliasRequest prior,
                                  String operation, Supplier<Raw> send) {
        return executor.create(operation, () -> {
            Raw r = send.get();
            if (r.status != 201 && r.status != 202 && r.status != 200) throw r.failure(operation);
            return new JobRequest(type, projectId, deploymentId, r.status == 202);
        }, () -> {
            Project.AliasRequest now = api.getProject(projectId, teamId, true).lastAliasRequest();
            return isNewJob(now, type, deploymentId, prior)
                    ? Optional.of(new JobRequest(type, projectId, deploymentId, false)) : Optional.empty();
        });
    }

    /** Whether {@code r} is a job for {@code type} to {@code to} that is not {@code prior}. */
    public static boolean isNewJob(Project.AliasRequest r, String type, String to, Project.AliasRequest prior) {
        if (r == null || !type.equals(r.type()) || !to.equals(r.toDeploymentId())) return false;
        return prior == null || !java.util.Objects.equals(prior.requestedAt(), r.requestedAt())
                || !java.util.Objects.equals(prior.toDeploymentId(), r.toDeploymentId())
                || !java.util.Objects.equals(prior.type(), r.type());
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
        return new Uploader(http, teamId, concurrency);
    }

    public EventStream events(String deploymentId) {
        return new EventStream(http, teamId, deploymentId);
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

        ProviderException failure(String operation) {
            ErrorBodies err = ErrorBodies.parse(text());
            Instant retryAt = RateLimits.retryAt(status, headers, executor.time().now()).orElse(null);
            return new ProviderException(PROVIDER, status, err.code(), err.message(), requestId(), operation, null,
                    retryAt, status == 429, false);
        }
    }
}
