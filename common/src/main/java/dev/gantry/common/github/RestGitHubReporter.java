package dev.gantry.common.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.action.Log;
import dev.gantry.common.github.GitHubApi.CommentBody;
import dev.gantry.common.github.GitHubApi.Deployment;
import dev.gantry.common.github.GitHubApi.Issue;
import dev.gantry.common.github.GitHubApi.IssueComment;
import dev.gantry.common.github.GitHubApi.NewDeployment;
import dev.gantry.common.github.GitHubApi.NewDeploymentStatus;
import dev.gantry.common.github.GitHubApi.NewIssue;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@link GitHubReporter} over GitHub's REST API. Every failure becomes a warning and an empty result, never an
 * exception: a 403 without permission gives exactly one warning per missing permission (later calls that need
 * it are skipped), a rate limit fails at once with a clear message instead of waiting for the reset, anything
 * else is quoted with GitHub's message and request id.
 */
final class RestGitHubReporter implements GitHubReporter {
    /** The token permissions the three kinds of report need (job-level {@code permissions:}). */
    enum Permission {
        DEPLOYMENTS("deployments: write", "create deployment records"),
        PULL_REQUESTS("pull-requests: write", "comment on the pull request"),
        ISSUES("issues: write", "open or comment on incident issues");

        final String scope;
        final String what;

        Permission(String scope, String what) {
            this.scope = scope;
            this.what = what;
        }
    }

    static final String TASK = "deploy";
    /** Upper bounds on pages read when looking for our comment (100 per page) or an open incident. */
    static final int MAX_COMMENT_PAGES = 30;
    static final int MAX_ISSUE_PAGES = 10;
    static final int MAX_DEPLOYMENT_PAGES = 3;

    private final GitHubApi api;
    private final String owner;
    private final String repo;
    private final GitHubReporters.Settings settings;
    private final Log log;
    private final Set<Permission> denied = java.util.Collections.synchronizedSet(EnumSet.noneOf(Permission.class));

    RestGitHubReporter(GitHubApi api, String owner, String repo, GitHubReporters.Settings settings, Log log) {
        this.api = api;
        this.owner = owner;
        this.repo = repo;
        this.settings = settings;
        this.log = log;
    }

    // ---------------------------------------------------------------- deployments

    @Override
    public Optional<DeploymentRecord> createDeployment(DeploymentRequest request) {
        String ref = request.ref() != null && !request.ref().isBlank() ? request.ref() : settings.deploymentRef();
        if (ref == null || ref.isBlank()) {
            log.warning("GitHub: no deployment record for " + request.environment()
                    + ": no commit to record (GITHUB_SHA is empty).");
            return Optional.empty();
        }
        String nonce = UUID.randomUUID().toString();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("tool", "gantry");
        if (request.provider() != null) payload.put("provider", request.provider());
        if (request.providerDeploymentId() != null) payload.put("provider_deployment_id", request.providerDeploymentId());
        payload.put("gantry_request", nonce);
        NewDeployment body = new NewDeployment(ref, TASK, false, List.of(), payload, request.environment(),
                request.description() == null ? null : ReportText.clip(request.description(), ReportText.MAX_STATUS_DESCRIPTION),
                request.transientEnvironment(), request.productionEnvironment());
        Optional<Deployment> created = call(Permission.DEPLOYMENTS, "create a deployment record for " + request.environment(),
                () -> createChecked(
                        () -> api.createDeployment(owner, repo, body),
                        () -> firstPage(api.listDeployments(owner, repo, ref, request.environment(), GitHubApi.MAX_PER_PAGE, 1),
                                d -> nonce.equals(payloadField(d.payload(), "gantry_request")))));
        if (created.isEmpty()) return Optional.empty();
        Deployment d = created.get();
        if (d.id() == 0) { // 202: GitHub merged the default branch instead (only with auto_merge, which we never ask for)
            log.warning("GitHub: no deployment record for " + request.environment() + ": GitHub answered without one.");
            return Optional.empty();
        }
        log.info("GitHub: deployment record " + d.id() + " for environment " + d.environment() + " at " + ref);
        return Optional.of(new DeploymentRecord(d.id(), d.environment(), d.url()));
    }

    @Override
    public void setStatus(DeploymentRecord deployment, DeploymentState state, String environmentUrl, String description) {
        if (deployment == null || state == null) return;
        NewDeploymentStatus body = new NewDeploymentStatus(state.wire(), blankToNull(settings.runUrl()),
                blankToNull(environmentUrl), ReportText.clip(blankToNull(description), ReportText.MAX_STATUS_DESCRIPTION),
                state == DeploymentState.SUCCESS ? Boolean.TRUE : null);
        call(Permission.DEPLOYMENTS, "set deployment " + deployment.id() + " to " + state.wire(),
                () -> api.createDeploymentStatus(owner, repo, deployment.id(), body))
                .ifPresent(s -> log.info("GitHub: deployment " + deployment.id() + " is " + s.state()
                        + (s.environmentUrl() == null || s.environmentUrl().isBlank() ? "" : " (" + s.environmentUrl() + ")")));
    }

    @Override
    public Optional<DeploymentRecord> findDeployment(String environment, String providerDeploymentId) {
        if (providerDeploymentId == null) return Optional.empty();
        return call(Permission.DEPLOYMENTS, "look up the deployment record of " + providerDeploymentId,
                () -> findInPages(page -> api.listDeployments(owner, repo, null, environment, GitHubApi.MAX_PER_PAGE, page),
                        d -> providerDeploymentId.equals(payloadField(d.payload(), "provider_deployment_id")),
                        MAX_DEPLOYMENT_PAGES).orElse(null))
                .map(d -> new DeploymentRecord(d.id(), d.environment(), d.url()));
    }

    // ---------------------------------------------------------------- sticky PR comment

    @Override
    public Optional<String> stickyComment(String markerKey, String markdownBody) {
        Integer pr = settings.pullRequest();
        if (pr == null) return Optional.empty();
        String marker = ReportText.marker(markerKey);
        String body = ReportText.body(marker, markdownBody, settings.runUrl());
        return call(Permission.PULL_REQUESTS, "update the comment on pull request #" + pr, () -> {
            Optional<IssueComment> mine = findInPages(
                    page -> api.listIssueComments(owner, repo, pr, GitHubApi.MAX_PER_PAGE, page),
                    c -> ReportText.carries(c.body(), marker), MAX_COMMENT_PAGES);
            if (mine.isPresent()) {
                IssueComment c = mine.get();
                if (body.equals(c.body())) {
                    log.info("GitHub: the comment on PR #" + pr + " is up to date: " + c.htmlUrl());
                    return c.htmlUrl();
                }
                IssueComment u = api.updateIssueComment(owner, repo, c.id(), new CommentBody(body));
                log.info("GitHub: updated the comment on PR #" + pr + ": " + u.htmlUrl());
                return u.htmlUrl();
            }
            IssueComment created = createChecked(
                    () -> api.createIssueComment(owner, repo, pr, new CommentBody(body)),
                    () -> findInPages(page -> api.listIssueComments(owner, repo, pr, GitHubApi.MAX_PER_PAGE, page),
                            c -> ReportText.carries(c.body(), marker), MAX_COMMENT_PAGES));
            log.info("GitHub: commented on PR #" + pr + ": " + created.htmlUrl());
            return created.htmlUrl();
        });
    }

    // ---------------------------------------------------------------- incident issue

    @Override
    public Optional<String> incident(String markerKey, String title, String markdownBody, List<String> labels) {
        String marker = ReportText.marker(markerKey);
        return call(Permission.ISSUES, "open an incident issue", () -> {
            Optional<Issue> open = findInPages(page -> api.listOpenIssues(owner, repo, GitHubApi.MAX_PER_PAGE, page),
                    i -> !i.isPullRequest() && ReportText.carries(i.body(), marker), MAX_ISSUE_PAGES);
            if (open.isPresent()) {
                Issue i = open.get();
                String comment = ReportText.body("", markdownBody, settings.runUrl());
                api.createIssueComment(owner, repo, i.number(), new CommentBody(comment));
                log.info("GitHub: incident issue #" + i.number() + " is still open; added a comment: " + i.htmlUrl());
                return i.htmlUrl();
            }
            String body = ReportText.body(marker, markdownBody, settings.runUrl());
            NewIssue issue = new NewIssue(ReportText.clip(title, ReportText.MAX_TITLE), body,
                    labels == null ? List.of() : List.copyOf(labels));
            Issue created = createChecked(() -> api.createIssue(owner, repo, issue),
                    () -> firstPage(api.listOpenIssues(owner, repo, GitHubApi.MAX_PER_PAGE, 1),
                            i -> !i.isPullRequest() && ReportText.carries(i.body(), marker)));
            log.info("GitHub: opened incident issue #" + created.number() + ": " + created.htmlUrl());
            return created.htmlUrl();
        });
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Runs {@code call}; a failure becomes a warning and empty. Without {@code permission} (a 403 that is not a
     * rate limit) it warns once, naming the permission, and skips every later call that needs it.
     */
    private <T> Optional<T> call(Permission permission, String what, Supplier<T> call) {
        if (denied.contains(permission)) return Optional.empty();
        try {
            return Optional.ofNullable(call.get());
        } catch (ProviderException e) {
            if (isRateLimit(e)) {
                log.warning("GitHub: could not " + what + ": the API rate limit is exhausted (" + e.getMessage()
                        + "). Not waiting for it to reset; the action goes on without it.");
            } else if (e.status() == 403) {
                denied.add(permission);
                log.warning("GitHub: the token may not " + permission.what + " (HTTP 403: "
                        + (e.providerMessage() == null ? "forbidden" : e.providerMessage().strip())
                        + "). Add `" + permission.scope + "` to the job's `permissions:` (a pull request from a fork "
                        + "only gets a read-only token); the action goes on without it.");
            } else {
                log.warning("GitHub: could not " + what + ": " + e.getMessage() + ". The action goes on without it.");
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            log.warning("GitHub: could not " + what + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")") + ". The action goes on without it.");
            return Optional.empty();
        }
    }

    /** GitHub signals its primary and secondary rate limits with 403 or 429 and a message naming the limit. */
    static boolean isRateLimit(ProviderException e) {
        if (e.status() == 429) return true;
        String m = e.providerMessage() == null ? "" : e.providerMessage().toLowerCase(Locale.ROOT);
        return e.status() == 403 && m.contains("rate limit");
    }

    /**
     * A create that is never resent blindly: when it fails without a clear answer (no response, or a 5xx that
     * may have come after the write), look for what it would have created, and create again only when absent.
     */
    private <T> T createChecked(Supplier<T> create, Supplier<Optional<T>> find) {
        try {
            return create.get();
        } catch (ProviderException e) {
            if (!(e.status() == 0 || e.status() >= 500)) throw e;
            Optional<T> there = find.get();
            if (there.isPresent()) {
                log.info("GitHub: " + e.getMessage() + "; the object was created anyway, using it.");
                return there.get();
            }
            log.info("GitHub: " + e.getMessage() + "; nothing was created, trying once more.");
            return create.get();
        }
    }

    private static <T> Optional<T> findInPages(IntFunction<List<T>> page, Predicate<T> match, int maxPages) {
        for (int p = 1; p <= maxPages; p++) {
            List<T> items = page.apply(p);
            if (items == null) return Optional.empty();
            for (T t : items) {
                if (match.test(t)) return Optional.of(t);
            }
            if (items.size() < GitHubApi.MAX_PER_PAGE) return Optional.empty();
        }
        return Optional.empty();
    }

    private static <T> Optional<T> firstPage(List<T> items, Predicate<T> match) {
        return items == null ? Optional.empty() : new ArrayList<>(items).stream().filter(match).findFirst();
    }

    /** A field of a deployment payload, which GitHub returns as an object (or a string holding JSON). */
    static String payloadField(JsonNode payload, String field) {
        if (payload == null || payload.isNull() || payload.isMissingNode()) return null;
        JsonNode p = payload;
        if (p.isTextual()) {
            try {
                p = HttpApi.JSON.readTree(p.asText());
            } catch (Exception e) {
                return null;
            }
        }
        JsonNode v = p == null ? null : p.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
