package dev.gantry.common.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.github.GitHubApi.CommentBody;
import dev.gantry.common.github.GitHubApi.Deployment;
import dev.gantry.common.github.GitHubApi.DeploymentStatus;
import dev.gantry.common.github.GitHubApi.Issue;
import dev.gantry.common.github.GitHubApi.IssueComment;
import dev.gantry.common.github.GitHubApi.NewDeployment;
import dev.gantry.common.github.GitHubApi.NewDeploymentStatus;
import dev.gantry.common.github.GitHubApi.NewIssue;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * {@link GitHubReporter} over GitHub's REST API. Every failure becomes a warning and an empty result, never an
 * exception. Retries are the shared {@code RetryExecutor}'s: a rate limit is waited out while GitHub's
 * {@code Retry-After} or reset fits the step's deadline and the retry budget, and a create whose answer was lost is
 * looked for before it is sent again. A 403 that is not a rate limit (a read-only token) gives exactly one warning
 * per missing permission, and the later calls that need it are skipped.
 *
 * <p>What counts as the action's own: comments and issues written by the token's own account (found once per run
 * with {@code GET /user}, or GraphQL's {@code viewer} for installation tokens) that carry the action's marker; for
 * incidents also the incident label, matched by GitHub's {@code creator} and {@code labels} filters; deployment
 * records whose payload says {@code "tool": "gantry"}.
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
    /** The payload's {@code tool}: the deployment records that are ours. */
    static final String TOOL = "gantry";
    /** The account of the workflow's own {@code GITHUB_TOKEN}. */
    static final String ACTIONS_BOT = "github-actions[bot]";
    /** Newest records of an environment looked through for a provider's deployment id (100 a page). */
    static final int MAX_DEPLOYMENT_PAGES = 3;
    /** Earlier records looked at when a success retires the ones it replaces. */
    static final int MAX_RETIRE_CHECKS = 20;
    /** A bound no real pull request reaches (100,000 comments), so a broken server cannot keep us paging. */
    static final int MAX_PAGES = 1_000;
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    private final HttpApi http;
    private final GitHubApi api;
    private final Supplier<GitHubGraphQl> graphqlClient;
    private final String owner;
    private final String repo;
    private final GitHubReporters.Settings settings;
    private final Log log;
    private final Set<Permission> denied = Collections.synchronizedSet(EnumSet.noneOf(Permission.class));
    private final Map<Long, Tracked> tracked = new LinkedHashMap<>();
    /** What the step summary must say, each once (by key). */
    private final Map<String, Markdown> notes = new LinkedHashMap<>();
    private String identity;
    private String lastProblem;

    RestGitHubReporter(HttpApi http, GitHubApi api, Supplier<GitHubGraphQl> graphqlClient, String owner, String repo,
                       GitHubReporters.Settings settings, Log log) {
        this.http = http;
        this.api = api;
        this.graphqlClient = graphqlClient;
        this.owner = owner;
        this.repo = repo;
        this.settings = settings;
        this.log = log;
    }

    /** A record this run created or gave a status: what GitHub has, and what it was last asked to show. */
    private static final class Tracked {
        final DeploymentRecord record;
        DeploymentState written;
        DeploymentState wanted;
        String wantedUrl;
        String wantedDescription;
        String problem;
        /** After a written success: whether the records it replaces were set inactive. */
        boolean retired;

        Tracked(DeploymentRecord record) {
            this.record = record;
        }

        void want(DeploymentState state, String url, String description) {
            wanted = state;
            wantedUrl = url;
            wantedDescription = description;
        }

        boolean settled() {
            return written != null && written.terminal() && written == wanted && problem == null;
        }
    }

    /** The result of a look-up that may find nothing ({@code value} null). */
    private record Lookup<T>(T value) {
    }

    // ---------------------------------------------------------------- deployments

    @Override
    public synchronized Optional<DeploymentRecord> createDeployment(DeploymentRequest request) {
        String env = request.environment();
        String ref = request.ref() != null && !request.ref().isBlank() ? request.ref() : settings.deploymentRef();
        if (ref == null || ref.isBlank()) {
            log.warning("GitHub: no deployment record for " + env + ": no commit to record (GITHUB_SHA is empty).");
            return Optional.empty();
        }
        String nonce = UUID.randomUUID().toString();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("tool", TOOL);
        if (request.provider() != null) payload.put("provider", request.provider());
        if (request.providerDeploymentId() != null) payload.put("provider_deployment_id", request.providerDeploymentId());
        payload.put("gantry_request", nonce);
        boolean transientEnv = request.transientEnvironment();
        boolean production = request.productionEnvironment() && !transientEnv
                && env.equals(settings.productionEnvironment());
        NewDeployment body = new NewDeployment(ref, TASK, false, List.of(), payload, env,
                ReportText.statusDescription(request.description()), transientEnv, production);
        String what = "create a deployment record for " + env;
        String shaFilter = SHA.matcher(ref).matches() ? ref : null;
        Optional<Deployment> created = call(Permission.DEPLOYMENTS, what, () -> http.executor().create(what,
                () -> api.createDeployment(owner, repo, body),
                () -> first(api.listDeployments(owner, repo, shaFilter, env, GitHubApi.MAX_PER_PAGE, 1),
                        d -> nonce.equals(payloadField(d.payload(), "gantry_request")))));
        if (created.isEmpty()) return Optional.empty();
        Deployment d = created.get();
        if (d.id() == 0) { // 202: GitHub merged the default branch instead (only with auto_merge, which we never ask for)
            log.warning("GitHub: no deployment record for " + env + ": GitHub answered without one.");
            return Optional.empty();
        }
        DeploymentRecord record = new DeploymentRecord(d.id(), env, d.url(), shaFilter != null ? ref : d.sha());
        tracked.put(d.id(), new Tracked(record));
        log.info("GitHub: deployment record " + d.id() + " for environment " + env + " at " + ref
                + (production ? " (production)" : transientEnv ? " (transient)" : ""));
        return Optional.of(record);
    }

    @Override
    public synchronized void setStatus(DeploymentRecord deployment, DeploymentState state, String environmentUrl,
                                       String description) {
        if (deployment == null || state == null) return;
        Tracked t = tracked.computeIfAbsent(deployment.id(), k -> new Tracked(deployment));
        t.want(state, environmentUrl, description);
        if (write(t) && state == DeploymentState.SUCCESS) t.retired = retireReplaced(deployment);
    }

    /** Writes the status {@code t} wants; remembers why when it cannot. */
    private boolean write(Tracked t) {
        DeploymentRecord d = t.record;
        DeploymentState state = t.wanted;
        String url = httpUrl(t.wantedUrl);
        NewDeploymentStatus body = new NewDeploymentStatus(state.wire(), blankToNull(settings.runUrl()), url,
                ReportText.statusDescription(t.wantedDescription),
                state == DeploymentState.SUCCESS ? Boolean.TRUE : null);
        Optional<DeploymentStatus> s = call(Permission.DEPLOYMENTS, "set deployment " + d.id() + " to " + state.wire(),
                () -> api.createDeploymentStatus(owner, repo, d.id(), body));
        if (s.isEmpty()) {
            t.problem = lastProblem == null ? "GitHub did not answer" : lastProblem;
            return false;
        }
        t.written = state;
        t.problem = null;
        log.info("GitHub: deployment " + d.id() + " is " + state.wire() + (url == null ? "" : " (" + url + ")"));
        return true;
    }

    /**
     * After a success: the earlier records of the environment that still say {@code success} are set
     * {@code inactive}, newest first, up to the first one that is {@code inactive} already (a success retires
     * everything before it, so what is older was retired then). GitHub's {@code auto_inactive} may have done it
     * already; its documented scope leaves production records out, so it is not relied on.
     */
    private boolean retireReplaced(DeploymentRecord current) {
        return call(Permission.DEPLOYMENTS, "retire the records deployment " + current.id() + " replaces", () -> {
            int checked = 0;
            for (Deployment other : api.listDeployments(owner, repo, null, current.environment(),
                    GitHubApi.MAX_PER_PAGE, 1)) {
                if (other.id() == current.id() || !ours(other)) continue;
                if (++checked > MAX_RETIRE_CHECKS) break;
                String last = lastState(other.id());
                if ("inactive".equals(last)) break;
                if ("success".equals(last)) inactive(other.id(), "replaced by deployment " + current.id());
            }
            return Boolean.TRUE;
        }).isPresent();
    }

    @Override
    public synchronized int deactivate(String environment, String description) {
        return call(Permission.DEPLOYMENTS, "set the deployment records of " + environment + " inactive", () -> {
            int n = 0;
            for (Deployment d : api.listDeployments(owner, repo, null, environment, GitHubApi.MAX_PER_PAGE, 1)) {
                if (!ours(d) || "inactive".equals(lastState(d.id()))) continue;
                inactive(d.id(), description);
                n++;
            }
            log.info("GitHub: " + n + " deployment record(s) of " + environment + " set inactive");
            return n;
        }).orElse(0);
    }

    private void inactive(long id, String description) {
        api.createDeploymentStatus(owner, repo, id, new NewDeploymentStatus(DeploymentState.INACTIVE.wire(),
                blankToNull(settings.runUrl()), null,
                ReportText.statusDescription(description), null));
        Tracked t = tracked.get(id);
        if (t != null) {
            t.want(DeploymentState.INACTIVE, null, description);
            t.written = DeploymentState.INACTIVE;
            t.problem = null;
        }
        log.info("GitHub: deployment " + id + " is inactive");
    }

    /** The state of a record's newest status, or null when it has none. */
    private String lastState(long id) {
        List<DeploymentStatus> newest = api.listDeploymentStatuses(owner, repo, id, 1, 1);
        return newest == null || newest.isEmpty() ? null : newest.get(0).state();
    }

    private static boolean ours(Deployment d) {
        return TOOL.equals(payloadField(d.payload(), "tool"));
    }

    @Override
    public synchronized Optional<DeploymentRecord> findDeployment(String environment, String providerDeploymentId) {
        if (providerDeploymentId == null) return Optional.empty();
        return call(Permission.DEPLOYMENTS, "look up the deployment record of " + providerDeploymentId, () -> {
            for (int page = 1; page <= MAX_DEPLOYMENT_PAGES; page++) {
                List<Deployment> items = api.listDeployments(owner, repo, null, environment, GitHubApi.MAX_PER_PAGE, page);
                if (items == null) return null;
                for (Deployment d : items) {
                    if (ours(d) && providerDeploymentId.equals(payloadField(d.payload(), "provider_deployment_id"))) {
                        return new DeploymentRecord(d.id(), environment, d.url(), d.sha());
                    }
                }
                if (items.size() < GitHubApi.MAX_PER_PAGE) return null;
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- sticky PR comment

    @Override
    public synchronized Optional<String> stickyComment(String markerKey, Markdown markdown) {
        Integer pr = settings.pullRequest();
        if (pr == null) return Optional.empty();
        String marker = ReportText.marker(markerKey);
        String body = log.mask(ReportText.body(marker, markdown == null ? "" : markdown.toString(), settings.runUrl()));
        Optional<Lookup<IssueComment>> found = call(Permission.PULL_REQUESTS,
                "look for this action's comment on pull request #" + pr, () -> ownComment(pr, marker));
        if (found.isEmpty()) return Optional.empty();
        IssueComment mine = found.get().value();
        if (mine != null && body.equals(mine.body())) {
            log.info("GitHub: the comment on PR #" + pr + " is up to date: " + mine.htmlUrl());
            return httpUrlOptional(mine.htmlUrl());
        }
        if (mine != null) {
            return call(Permission.PULL_REQUESTS, "update the comment on pull request #" + pr,
                    () -> api.updateIssueComment(owner, repo, mine.id(), new CommentBody(body)))
                    .flatMap(c -> {
                        log.info("GitHub: updated the comment on PR #" + pr + ": " + c.htmlUrl());
                        return httpUrlOptional(c.htmlUrl());
                    });
        }
        String what = "create the comment on pull request #" + pr;
        return call(Permission.PULL_REQUESTS, what, () -> http.executor().create(what,
                () -> api.createIssueComment(owner, repo, pr, new CommentBody(body)),
                () -> Optional.ofNullable(ownComment(pr, marker).value())))
                .flatMap(c -> {
                    log.info("GitHub: commented on PR #" + pr + ": " + c.htmlUrl());
                    return httpUrlOptional(c.htmlUrl());
                });
    }

    /**
     * The oldest comment on {@code number} that carries {@code marker} and was written by the token's account,
     * through every page (oldest first). Comments by anyone else that carry it are counted and noted, never used.
     */
    private Lookup<IssueComment> ownComment(int number, String marker) {
        String me = identity();
        int foreign = 0;
        for (int page = 1; page <= MAX_PAGES; page++) {
            List<IssueComment> items = api.listIssueComments(owner, repo, number, GitHubApi.MAX_PER_PAGE, page);
            if (items == null) break;
            for (IssueComment c : items) {
                if (!ReportText.carries(c.body(), marker)) continue;
                if (me.equalsIgnoreCase(c.author())) {
                    noteForeign("comment:" + marker, foreign, "comment(s) on pull request #" + number, marker, me);
                    return new Lookup<>(c);
                }
                foreign++;
            }
            if (items.size() < GitHubApi.MAX_PER_PAGE) break;
        }
        noteForeign("comment:" + marker, foreign, "comment(s) on pull request #" + number, marker, me);
        return new Lookup<>(null);
    }

    // ---------------------------------------------------------------- incident issue

    @Override
    public synchronized Optional<String> incident(Incident incident) {
        String marker = ReportText.marker(incident.markerKey());
        Optional<Lookup<Issue>> found = call(Permission.ISSUES, "look for an open incident issue",
                () -> ownIncident(incident.label(), marker));
        if (found.isEmpty()) return Optional.empty();
        Issue open = found.get().value();
        if (open != null) return commentOn(open, incident);
        noteForeignIncidents(marker);
        String body = log.mask(ReportText.body(marker, incident.body() == null ? "" : incident.body().toString(),
                settings.runUrl()));
        Set<String> labels = new LinkedHashSet<>();
        labels.add(incident.label());
        labels.addAll(incident.moreLabels());
        NewIssue issue = new NewIssue(log.mask(ReportText.title(incident.title())), body, List.copyOf(labels));
        return call(Permission.ISSUES, "open an incident issue", () -> http.executor().create("open an incident issue",
                () -> api.createIssue(owner, repo, issue),
                () -> Optional.ofNullable(ownIncident(incident.label(), marker).value())))
                .flatMap(i -> {
                    log.info("GitHub: opened incident issue #" + i.number() + ": " + i.htmlUrl());
                    return httpUrlOptional(i.htmlUrl());
                });
    }

    /**
     * The newest open issue created by the token's account with {@code label} whose body starts with
     * {@code marker}. GitHub's {@code creator} and {@code labels} filters leave only those issues, so every page of
     * them is read: no number of other open issues or pull requests can hide it.
     */
    private Lookup<Issue> ownIncident(String label, String marker) {
        String me = identity();
        for (int page = 1; page <= MAX_PAGES; page++) {
            List<Issue> items = api.listOpenIssuesBy(owner, repo, me, label, GitHubApi.MAX_PER_PAGE, page);
            if (items == null) break;
            for (Issue i : items) {
                if (!i.isPullRequest() && me.equalsIgnoreCase(i.author()) && i.hasLabel(label)
                        && ReportText.carries(i.body(), marker)) {
                    return new Lookup<>(i);
                }
            }
            if (items.size() < GitHubApi.MAX_PER_PAGE) break;
        }
        return new Lookup<>(null);
    }

    /** Adds the report to the open incident, with a marker of its own so a lost answer can be looked for. */
    private Optional<String> commentOn(Issue open, Incident incident) {
        int n = open.number();
        String me = identity;
        String marker = ReportText.marker(incident.markerKey() + ":update:" + UUID.randomUUID());
        String body = log.mask(ReportText.body(marker, incident.body() == null ? "" : incident.body().toString(),
                settings.runUrl()));
        String what = "comment on incident issue #" + n;
        return call(Permission.ISSUES, what, () -> http.executor().create(what,
                () -> api.createIssueComment(owner, repo, n, new CommentBody(body)),
                () -> {
                    // GitHub's own clock: the issue's last update comes before the comment we may have added
                    for (int page = 1; page <= MAX_PAGES; page++) {
                        List<IssueComment> items = api.listIssueCommentsSince(owner, repo, n, open.updatedAt(),
                                GitHubApi.MAX_PER_PAGE, page);
                        if (items == null) break;
                        for (IssueComment c : items) {
                            if (ReportText.carries(c.body(), marker) && me.equalsIgnoreCase(c.author())) {
                                return Optional.of(c);
                            }
                        }
                        if (items.size() < GitHubApi.MAX_PER_PAGE) break;
                    }
                    return Optional.empty();
                }))
                .flatMap(c -> {
                    log.info("GitHub: incident issue #" + n + " is still open; added a comment: " + c.htmlUrl());
                    return httpUrlOptional(open.htmlUrl());
                });
    }

    /**
     * Before a new incident is opened: open issues that carry the marker but are someone else's (the newest page
     * of open issues, looked at for the summary's sake only; they are never used).
     */
    private void noteForeignIncidents(String marker) {
        String me = identity;
        if (me == null) return;
        try {
            int foreign = 0;
            List<Issue> newest = api.listOpenIssues(owner, repo, GitHubApi.MAX_PER_PAGE, 1);
            for (Issue i : newest == null ? List.<Issue>of() : newest) {
                if (!i.isPullRequest() && ReportText.carries(i.body(), marker) && !me.equalsIgnoreCase(i.author())) {
                    foreign++;
                }
            }
            noteForeign("issue:" + marker, foreign, "open issue(s)", marker, me);
        } catch (RuntimeException e) {
            log.debug("GitHub: could not look for other open issues with the marker: " + e.getMessage());
        }
    }

    private synchronized void noteForeign(String key, int count, String what, String marker, String me) {
        if (count == 0 || notes.containsKey(key)) return;
        log.info("GitHub: ignored " + count + " " + what + " that carry this action's marker " + marker
                + " but were not written by " + me + ", the token's account");
        notes.put(key, Markdown.format("Ignored %s %s that carry this action's marker %s but were written by "
                        + "someone other than %s, the token's account: only the action's own are updated or commented on.",
                String.valueOf(count), what, Markdown.code(marker), Markdown.code(me)));
    }

    // ---------------------------------------------------------------- the token's account

    /**
     * The login the token acts as, found once: {@code GET /user} for a personal access token or a user's token;
     * GraphQL's {@code viewer} for an installation token ({@code ghs_}: the workflow's {@code GITHUB_TOKEN} is
     * {@code github-actions[bot]}, a GitHub App's is {@code <app-slug>[bot]}), whose {@code GET /user} is refused;
     * and when neither answers, {@code github-actions[bot]}, the account of the workflow's own token.
     */
    synchronized String identity() {
        if (identity != null) return identity;
        String token = settings.token();
        if (!token.startsWith("ghs_")) {
            try {
                GitHubApi.User u = api.authenticatedUser();
                if (u != null && u.login() != null && !u.login().isBlank()) return remember(u.login(), "GET /user");
            } catch (ProviderException e) {
                if (e.rateLimited() || !(e.status() == 403 || e.status() == 404)) throw e;
            }
        }
        try {
            String login = graphqlClient.get().query(new GitHubGraphQl.Query(GitHubGraphQl.VIEWER, Map.of()))
                    .viewerLogin();
            if (login != null) return remember(login, "GraphQL viewer");
        } catch (ProviderException e) {
            if (e.status() == 401) throw e;
            log.debug("GitHub: GraphQL viewer failed: " + e.getMessage());
        }
        log.info("GitHub: could not ask GitHub which account the token acts as; taking it for " + ACTIONS_BOT
                + ", the account of the workflow's GITHUB_TOKEN");
        identity = ACTIONS_BOT;
        return identity;
    }

    private String remember(String login, String how) {
        identity = login.strip();
        log.info("GitHub: the token acts as " + identity + " (" + how + "); only comments and issues of that account "
                + "count as this action's own");
        return identity;
    }

    // ---------------------------------------------------------------- end of the step

    @Override
    public synchronized List<Markdown> finish(boolean failed) {
        for (Tracked t : tracked.values()) {
            if (t.settled()) continue;
            if (t.wanted != null && t.wanted.terminal()) {
                if (!write(t)) leftOver(t, "its last status (" + t.wanted.wire() + ") could not be written: " + t.problem);
            } else if (failed) {
                t.want(DeploymentState.ERROR, null, "the step failed before this deployment had a result");
                if (!write(t)) leftOver(t, "the step failed and its error status could not be written: " + t.problem);
            } else {
                leftOver(t, "the step ended before the deployment did (it did not wait for it), so nothing updates it");
            }
        }
        // a success written just now (or one whose retiring a rate limit stopped) retires what it replaces, as
        // setStatus does; copied first: retiring updates the other tracked records
        for (Tracked t : List.copyOf(tracked.values())) {
            if (t.written != DeploymentState.SUCCESS || t.wanted != DeploymentState.SUCCESS || t.retired) continue;
            t.retired = retireReplaced(t.record);
            if (!t.retired) {
                notes.put("retire:" + t.record.id(), Markdown.format("Earlier deployment records of %s may still say "
                        + "success on GitHub: setting the ones deployment %s replaces inactive failed: %s.",
                        t.record.environment(), String.valueOf(t.record.id()),
                        lastProblem == null ? "GitHub did not answer" : lastProblem));
            }
        }
        return List.copyOf(notes.values());
    }

    private void leftOver(Tracked t, String why) {
        String state = t.written == null ? "without a status" : t.written.wire();
        notes.put("record:" + t.record.id(), Markdown.format("Deployment record %s (environment %s) stays %s on "
                + "GitHub: %s.", String.valueOf(t.record.id()), t.record.environment(), state, why));
    }

    // ---------------------------------------------------------------- plumbing

    /**
     * Runs {@code call}; a failure becomes a warning and empty, and {@link #lastProblem} says why. A 403 that is
     * not a rate limit means the token lacks {@code permission}: one warning naming it, and every later call that
     * needs it is skipped. A rate limit the retry executor could not wait out is a warning and nothing more.
     */
    private <T> Optional<T> call(Permission permission, String what, Supplier<T> call) {
        lastProblem = null;
        if (denied.contains(permission)) {
            lastProblem = "the token may not " + permission.what + " (add `" + permission.scope + "`)";
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(call.get());
        } catch (ProviderException e) {
            if (e.rateLimited()) {
                lastProblem = "GitHub's rate limit did not allow it within the step's time (" + e.getMessage() + ")";
                log.warning("GitHub: could not " + what + ": " + lastProblem + ". The action goes on without it.");
            } else if (e.status() == 403) {
                denied.add(permission);
                lastProblem = "the token may not " + permission.what + " (add `" + permission.scope + "`)";
                log.warning("GitHub: the token may not " + permission.what + " (HTTP 403: "
                        + (e.providerMessage() == null ? "forbidden" : e.providerMessage().strip())
                        + "). Add `" + permission.scope + "` to the job's `permissions:` (a pull request from a fork "
                        + "only gets a read-only token); the action goes on without it.");
            } else {
                lastProblem = e.getMessage();
                log.warning("GitHub: could not " + what + ": " + e.getMessage() + ". The action goes on without it.");
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            lastProblem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            log.warning("GitHub: could not " + what + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")") + ". The action goes on without it.");
            return Optional.empty();
        }
    }

    private static <T> Optional<T> first(List<T> items, Predicate<T> match) {
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

    /** {@code url} when it is an absolute http(s) URL with nothing in it that could break a line, else null. */
    static String httpUrl(String url) {
        if (url == null || url.isBlank() || !url.strip().equals(url) || url.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return null;
        }
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("https") || scheme.equals("http")) && u.getHost() != null ? url : null;
        } catch (Exception e) {
            return null;
        }
    }

    private Optional<String> httpUrlOptional(String url) {
        String u = httpUrl(url);
        if (u == null && url != null) log.warning("GitHub answered with a URL that is not one: it is not used.");
        return Optional.ofNullable(u);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
