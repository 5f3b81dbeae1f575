package dev.gantry.actiontests.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.common.testing.LoopbackServer;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful GitHub REST API on loopback, for exactly what the gateway uses: the repository, pull requests,
 * deployments and their statuses (list, create), issue comments (list with Link-header pagination and
 * {@code since}, create, update), issues (create, list with the {@code creator} and {@code labels} filters,
 * comment), {@code GET /user} and GraphQL's {@code viewer}. It behaves as GitHub documents: tokens are checked
 * (401 "Bad credentials") and each acts as an account: the workflow's installation token is
 * {@code github-actions[bot]} (its {@code GET /user} is refused), a GitHub App's token is {@code <slug>[bot]}, a
 * personal access token is its user, and a reader (anyone who can see the repository) may open issues and comment
 * but not set labels, edit others' comments or write deployments. Write calls need the token's permission (403
 * "Resource not accessible by integration" with {@code x-accepted-github-permissions}), every answer carries the
 * {@code x-ratelimit-*} headers and an exhausted limit answers 403 (or 429) "API rate limit exceeded", errors have
 * GitHub's shape ({@code message}, {@code documentation_url}, 422 with {@code errors}), {@code auto_inactive}
 * retires earlier deployments in either of the two scopes GitHub's documentation gives it ({@link AutoInactive}),
 * and {@link #enterprise()} serves the API under {@code /api/v3} (GraphQL at {@code /api/graphql}) as GitHub
 * Enterprise Server does. It also plays the adversary: other accounts' issues and comments that carry an action's
 * marker, thousands of open issues and comments made cheaply ({@link #bulkIssues}, {@link #bulkComments}),
 * answers whose text fields carry workflow commands and HTML ({@link #hostileText}), and injected faults.
 * Every request is recorded ({@link #requests()}, {@link #exchanges()}).
 */
public final class GitHubSimulator extends LoopbackServer {
    /** The token {@code ActionRun} gives {@code ${{ github.token }}}; it has every write permission here. */
    public static final String DEFAULT_TOKEN = "ghs_simulatedGitHubToken0000000000000";
    static final String DOCS = "https://docs.github.com/rest";
    static final int MAX_BODY = 65_536;
    private static final Set<String> STATES = Set.of("error", "failure", "inactive", "in_progress", "queued", "pending", "success");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}");

    /** Write permissions a token may hold ({@code permissions:} of a workflow job). */
    public enum Scope {
        DEPLOYMENTS("deployments=write"), PULL_REQUESTS("pull_requests=write"), ISSUES("issues=write");

        final String header;

        Scope(String header) {
            this.header = header;
        }
    }

    public record Repo(long id, String owner, String name, String defaultBranch, boolean isPrivate) {
        public String fullName() {
            return owner + "/" + name;
        }
    }

    static final class IssueState {
        long id;
        int number;
        boolean pullRequest;
        String title;
        String body;
        String state = "open";
        List<String> labels = new ArrayList<>();
        String author;
        String authorAssociation = "NONE";
        int comments;
        Instant createdAt;
        Instant updatedAt;
        String headSha;
        String headRef;
        String baseSha;
    }

    static final class CommentState {
        long id;
        int issue;
        boolean onPullRequest;
        String body;
        String author;
        String authorAssociation;
        Instant createdAt;
        Instant updatedAt;
    }

    static final class DeploymentState {
        long id;
        String sha;
        String ref;
        String task;
        JsonNode payload;
        String environment;
        String originalEnvironment;
        String description;
        boolean transientEnvironment;
        boolean productionEnvironment;
        String creator;
        Instant createdAt;
        Instant updatedAt;
        final List<StatusState> statuses = new ArrayList<>();
    }

    static final class StatusState {
        long id;
        String state;
        String description;
        String environment;
        String logUrl;
        String environmentUrl;
        String creator;
        Instant createdAt;
    }

    /** How an account reaches the repository. */
    enum Kind {
        /** An installation token (the workflow's GITHUB_TOKEN, a GitHub App's): {@code GET /user} is refused. */
        INSTALLATION,
        /** A user's token with write access (a personal access token). */
        USER,
        /** Anyone who can read the repository: opens issues and comments, sets no labels. */
        READER
    }

    private record Identity(String login, long id, String type, Set<Scope> scopes, Kind kind) {
    }

    /**
     * The scope of {@code auto_inactive} on a {@code success} status, as GitHub's documentation states it in two
     * places. The REST reference: earlier {@code success} deployments of the same environment that are neither
     * transient nor production. The deployments guide: every earlier deployment of the environment that is not
     * transient, production included. {@link #OFF}: nothing is retired (a client that sends {@code false}, or a
     * GitHub that does not do it).
     */
    public enum AutoInactive { NON_PRODUCTION, ALL_NON_TRANSIENT, OFF }

    private final String prefix;
    private final Repo repo;
    private final GitHubJson json;
    private final Clock clock;
    private final Map<String, Identity> tokens = new LinkedHashMap<>();
    private final Map<String, String> branches = new LinkedHashMap<>();
    private final Map<Integer, IssueState> issues = new LinkedHashMap<>();
    private final List<CommentState> comments = new ArrayList<>();
    private final List<DeploymentState> deployments = new ArrayList<>();
    private final Map<String, Identity> users = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(1_000_000);
    private final AtomicLong requestIds = new AtomicLong(0x10000);
    private int nextNumber = 1;
    private int rateLimit = 5000;
    private int rateRemaining = 5000;
    private Instant rateReset;
    private int rateLimitStatus = 403;
    private final List<String> failingContexts = new ArrayList<>();
    private boolean mergeOnAutoMerge;
    private AutoInactive autoInactive = AutoInactive.NON_PRODUCTION;
    private String hostile;

    public GitHubSimulator() {
        this("");
    }

    private GitHubSimulator(String prefix) {
        this.prefix = prefix;
        this.clock = Clock.systemUTC();
        this.repo = new Repo(713_530_117L, "acme", "shop", "main", true);
        // GHES serves the web UI on its own host; github.com otherwise
        this.json = new GitHubJson(super.baseUrl() + prefix, prefix.isEmpty() ? "https://github.com" : super.baseUrl().toString());
        this.rateReset = clock.instant().plus(Duration.ofHours(1));
        branches.put("main", "4f2c9a1e5b7d3c8f0a6e2d4b1c9f7e5a3d1b8c6e");
        users.put("github-actions[bot]", new Identity("github-actions[bot]", 41_898_282L, "Bot", Set.of(), Kind.INSTALLATION));
        users.put("octocat", new Identity("octocat", 583_231L, "User", Set.of(), Kind.USER));
        token(DEFAULT_TOKEN, Scope.values());
        routes();
    }

    /** A GitHub Enterprise Server: the REST API under {@code /api/v3}. */
    public static GitHubSimulator enterprise() {
        return new GitHubSimulator("/api/v3");
    }

    /** The REST root to give the gateway ({@code GITHUB_API_URL}). */
    public URI apiUrl() {
        return URI.create(baseUrl() + prefix);
    }

    /** The web root ({@code GITHUB_SERVER_URL}): {@code https://github.com}, or the GHES host itself. */
    public String serverUrl() {
        return prefix.isEmpty() ? "https://github.com" : baseUrl().toString();
    }

    /** {@code /api/v3} on GHES, else empty. */
    public String pathPrefix() {
        return prefix;
    }

    public Repo repository() {
        return repo;
    }

    // ------------------------------------------------------------------ configuration

    /**
     * Accepts {@code token} as the workflow's installation token ({@code github-actions[bot]}) with the given write
     * permissions (none: a read-only token).
     */
    public synchronized GitHubSimulator token(String token, Scope... scopes) {
        tokens.put(token, new Identity("github-actions[bot]", 41_898_282L, "Bot", scopes(scopes), Kind.INSTALLATION));
        return this;
    }

    /** Accepts {@code token} as a GitHub App's installation token: the account {@code <slug>[bot]}. */
    public synchronized GitHubSimulator appToken(String token, String slug, Scope... scopes) {
        Identity id = new Identity(slug + "[bot]", 150_000_000L + Math.abs(slug.hashCode() % 1_000_000), "Bot",
                scopes(scopes), Kind.INSTALLATION);
        tokens.put(token, id);
        users.put(id.login(), id);
        return this;
    }

    /** Accepts {@code token} as a personal access token of {@code login}, a collaborator with these permissions. */
    public synchronized GitHubSimulator userToken(String token, String login, Scope... scopes) {
        Identity id = new Identity(login, 9_000_000L + Math.abs(login.hashCode() % 1_000_000), "User", scopes(scopes),
                Kind.USER);
        tokens.put(token, id);
        users.put(login, id);
        return this;
    }

    /**
     * Accepts {@code token} as {@code login}, someone who can only read the repository: like anyone on a public
     * repository, they open issues and comment (labels they send are dropped), and edit only their own comments.
     */
    public synchronized GitHubSimulator readerToken(String token, String login) {
        Identity id = new Identity(login, 7_000_000L + Math.abs(login.hashCode() % 1_000_000), "User",
                EnumSet.noneOf(Scope.class), Kind.READER);
        tokens.put(token, id);
        users.put(login, id);
        return this;
    }

    private static Set<Scope> scopes(Scope... scopes) {
        return scopes.length == 0 ? EnumSet.noneOf(Scope.class) : EnumSet.of(scopes[0], scopes);
    }

    /** The scope {@code auto_inactive} has (default: {@link AutoInactive#NON_PRODUCTION}, the REST reference). */
    public synchronized GitHubSimulator autoInactive(AutoInactive scope) {
        this.autoInactive = scope;
        return this;
    }

    /**
     * A hostile GitHub: from now on the text fields of its answers ({@code environment}, {@code description},
     * a status's {@code state}, titles, the GraphQL viewer's login) end with {@code text}.
     */
    public synchronized GitHubSimulator hostileText(String text) {
        this.hostile = text;
        return this;
    }

    /** {@code count} open issues by {@code author}, made cheaply (the first page is rendered only when asked for). */
    public synchronized GitHubSimulator bulkIssues(int count, String author) {
        for (int i = 0; i < count; i++) newIssue(nextNumber, "Bug report " + nextNumber, "Steps to reproduce ...", author, "NONE");
        return this;
    }

    /** {@code count} comments by {@code author} on issue or pull request {@code number}. */
    public synchronized GitHubSimulator bulkComments(int number, int count, String author) {
        IssueState i = issues.get(number);
        for (int n = 0; n < count; n++) addComment(i, author, "CONTRIBUTOR", "Comment " + n + " on #" + number);
        return this;
    }

    /** A read-only token, as a pull request from a fork gets. */
    public GitHubSimulator readOnlyToken(String token) {
        return token(token);
    }

    /** The primary rate limit: {@code remaining} calls left until {@code resetIn}; then 403 (or {@code status}). */
    public synchronized GitHubSimulator rateLimit(int remaining, Duration resetIn, int status) {
        this.rateRemaining = remaining;
        this.rateReset = clock.instant().plus(resetIn);
        this.rateLimitStatus = status;
        return this;
    }

    /**
     * GitHub's secondary rate limit for the next {@code times} requests matching {@code when}: 403 "You have
     * exceeded a secondary rate limit" with {@code retry-after}.
     */
    public GitHubSimulator secondaryRateLimit(java.util.function.Predicate<RecordedRequest> when, int times, Duration retryAfter) {
        inject(Fault.status(when, times, Reply.json(403, GitHubJson.error("You have exceeded a secondary rate limit. "
                        + "Please wait a few minutes before you try again.",
                        "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits", 403))
                .withHeader("retry-after", String.valueOf(retryAfter.toSeconds()))));
        return this;
    }

    /** Commit status contexts that fail, so a deployment that does not skip them (required_contexts) gets 409. */
    public synchronized GitHubSimulator failingStatusChecks(String... contexts) {
        failingContexts.addAll(List.of(contexts));
        return this;
    }

    /** Whether a deployment with {@code auto_merge} (GitHub's default: true) merges the default branch (202). */
    public synchronized GitHubSimulator defaultBranchAhead(boolean ahead) {
        this.mergeOnAutoMerge = ahead;
        return this;
    }

    /** An open pull request; its head branch becomes a known ref. */
    public synchronized GitHubSimulator pullRequest(int number, String headSha, String headRef) {
        if (issues.containsKey(number)) throw new IllegalArgumentException("#" + number + " exists already");
        IssueState pr = newIssue(number, "Change " + headRef, "Changes from " + headRef + ".", "octocat", "CONTRIBUTOR");
        pr.pullRequest = true;
        pr.headSha = headSha;
        pr.headRef = headRef;
        pr.baseSha = branches.get(repo.defaultBranch());
        branches.put(headRef, headSha);
        return this;
    }

    /** An open issue written by {@code author}, labelled by a maintainer; returns its number. */
    public synchronized int openIssue(String title, String body, String author, String... labels) {
        IssueState i = newIssue(nextNumber, title, body, author, "MEMBER");
        i.labels.addAll(List.of(labels));
        return i.number;
    }

    /** Closes issue {@code number}. */
    public synchronized void closeIssue(int number) {
        IssueState i = issues.get(number);
        if (i != null) i.state = "closed";
    }

    /** A comment by {@code author} on issue or pull request {@code number}. */
    public synchronized long comment(int number, String author, String body) {
        return addComment(issues.get(number), author, "CONTRIBUTOR", body).id;
    }

    // ------------------------------------------------------------------ state, for assertions

    /** Every deployment, newest first, as the API shows it. */
    public synchronized List<JsonNode> deployments() {
        List<JsonNode> out = new ArrayList<>();
        for (DeploymentState d : newestFirst(deployments)) out.add(json.deployment(repo, d, user(d.creator)));
        return out;
    }

    /** The states of deployment {@code id}'s statuses, oldest first (e.g. {@code [in_progress, success]}). */
    public synchronized List<String> statusStates(long id) {
        return deployment(id).statuses.stream().map(s -> s.state).toList();
    }

    /** The statuses of deployment {@code id}, oldest first, as the API shows them. */
    public synchronized List<JsonNode> statuses(long id) {
        DeploymentState d = deployment(id);
        return d.statuses.stream().map(s -> (JsonNode) json.deploymentStatus(repo, d, s, user(s.creator))).toList();
    }

    /** The comments on issue or pull request {@code number}, oldest first. */
    public synchronized List<JsonNode> comments(int number) {
        List<JsonNode> out = new ArrayList<>();
        for (CommentState c : comments) if (c.issue == number) out.add(json.issueComment(repo, c, user(c.author)));
        return out;
    }

    /** Every comment on any issue or pull request, oldest first. */
    public synchronized List<JsonNode> allComments() {
        List<JsonNode> out = new ArrayList<>();
        for (CommentState c : comments) out.add(json.issueComment(repo, c, user(c.author)));
        return out;
    }

    /** Every issue (not pull requests), oldest first. */
    public synchronized List<JsonNode> issues() {
        List<JsonNode> out = new ArrayList<>();
        for (IssueState i : issues.values()) if (!i.pullRequest) out.add(json.issue(repo, i, user(i.author)));
        return out;
    }

    private DeploymentState deployment(long id) {
        return deployments.stream().filter(d -> d.id == id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no deployment " + id));
    }

    // ------------------------------------------------------------------ routes

    private void routes() {
        route("GET", Pattern.quote(prefix) + "/user", (req, m) -> withHeaders(req, () -> {
            Object who = authenticate(req, true);
            if (who instanceof Reply r) return r;
            Identity id = (Identity) who;
            if (id.kind() == Kind.INSTALLATION) {
                return Reply.json(403, GitHubJson.error("Resource not accessible by integration",
                        DOCS + "/users/users#get-the-authenticated-user", 403));
            }
            return Reply.json(200, user(id.login()));
        }));
        // GraphQL beside the REST root: /graphql on github.com, /api/graphql on GHES
        String graphql = prefix.isEmpty() ? "/graphql" : prefix.substring(0, prefix.lastIndexOf('/')) + "/graphql";
        route("POST", Pattern.quote(graphql), (req, m) -> withHeaders(req, () -> graphql(req)));
        String repoPath = Pattern.quote(prefix) + "/repos/([^/]+)/([^/]+)";
        route("GET", repoPath, guarded(null, this::getRepository));
        route("GET", repoPath + "/pulls/(\\d+)", guarded(null, this::getPull));
        route("GET", repoPath + "/deployments", guarded(null, this::listDeployments));
        route("POST", repoPath + "/deployments", guarded(Scope.DEPLOYMENTS, this::createDeployment));
        route("GET", repoPath + "/deployments/(\\d+)/statuses", guarded(null, this::listStatuses));
        route("POST", repoPath + "/deployments/(\\d+)/statuses", guarded(Scope.DEPLOYMENTS, this::createStatus));
        route("GET", repoPath + "/issues", guarded(null, this::listIssues));
        // readers may open issues too: checked in the handler
        route("POST", repoPath + "/issues", guarded(null, this::createIssue));
        route("GET", repoPath + "/issues/(\\d+)/comments", guarded(null, this::listComments));
        // PR conversation comments need pull_requests or issues write: checked in the handler
        route("POST", repoPath + "/issues/(\\d+)/comments", guarded(null, this::createComment));
        route("PATCH", repoPath + "/issues/comments/(\\d+)", guarded(null, this::updateComment));
    }

    private record Call(Identity who, JsonNode body, RecordedRequest req) {
    }

    private Handler guarded(Scope scope, BiFunction<Call, Matcher, Reply> handler) {
        return (req, m) -> withHeaders(req, () -> answer(scope, handler, req, m));
    }

    /** GitHub's headers on every answer (request id, media type, rate limit), and the hostile text when asked. */
    private synchronized Reply withHeaders(RecordedRequest req, java.util.function.Supplier<Reply> answer) {
        String rid = String.format("C0DE:%X:%X:%X", 0xBEEF, requestIds.incrementAndGet(), port());
        Reply r = hostile == null ? answer.get() : hostile(answer.get());
        r = r.withHeader("x-github-request-id", rid).withHeader("x-github-media-type", "github.v3; format=json");
        String version = req.header("x-github-api-version");
        if (version != null) r = r.withHeader("x-github-api-version-selected", version);
        if (r.status() != 401) {
            r = r.withHeader("x-ratelimit-limit", String.valueOf(rateLimit))
                    .withHeader("x-ratelimit-remaining", String.valueOf(Math.max(0, rateRemaining)))
                    .withHeader("x-ratelimit-used", String.valueOf(rateLimit - Math.max(0, rateRemaining)))
                    .withHeader("x-ratelimit-reset", String.valueOf(rateReset.getEpochSecond()))
                    .withHeader("x-ratelimit-resource", "core");
        }
        return r;
    }

    private Reply answer(Scope scope, BiFunction<Call, Matcher, Reply> handler, RecordedRequest req, Matcher m) {
        Object authenticated = authenticate(req, true);
        if (authenticated instanceof Reply r) return r;
        Identity who = (Identity) authenticated;
        if (!m.group(1).equalsIgnoreCase(repo.owner()) || !m.group(2).equalsIgnoreCase(repo.name())) {
            return notFoundError();
        }
        if (scope != null && !who.scopes().contains(scope)) {
            return forbidden(scope.header, who);
        }
        JsonNode body = null;
        if (req.body().length > 0) {
            try {
                body = JSON.readTree(req.body());
            } catch (IOException e) {
                return Reply.json(400, GitHubJson.error("Problems parsing JSON", DOCS, 400));
            }
        }
        return handler.apply(new Call(who, body, req), m);
    }

    /** The token's account, or the answer GitHub gives without one; {@code counted}: it uses the REST limit. */
    private Object authenticate(RecordedRequest req, boolean counted) {
        String auth = req.header("authorization");
        if (auth == null) {
            return Reply.json(401, GitHubJson.error("Requires authentication", DOCS, 401));
        }
        String token = auth.startsWith("Bearer ") ? auth.substring(7).trim()
                : auth.startsWith("token ") ? auth.substring(6).trim() : "";
        Identity who = tokens.get(token);
        if (who == null) {
            return Reply.json(401, GitHubJson.error("Bad credentials", DOCS, 401));
        }
        String version = req.header("x-github-api-version");
        if (version != null && !version.equals("2022-11-28") && !version.equals("2026-03-10")) {
            return Reply.json(400, GitHubJson.error("API version " + version + " is not supported.",
                    DOCS + "/about-the-rest-api/api-versions", 400));
        }
        if (!clock.instant().isBefore(rateReset)) {
            rateRemaining = rateLimit;
            rateReset = clock.instant().plus(Duration.ofHours(1));
        }
        if (!counted) return who;
        if (rateRemaining <= 0) {
            return Reply.json(rateLimitStatus, GitHubJson.error("API rate limit exceeded for installation ID 52713104. "
                    + "If you reach out to GitHub Support for help, please include the request ID.",
                    "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api", rateLimitStatus));
        }
        rateRemaining--;
        return who;
    }

    /** GraphQL: only {@code viewer { login }} is known here; anything else is a GraphQL error (HTTP 200). */
    private Reply graphql(RecordedRequest req) {
        Object authenticated = authenticate(req, false);
        if (authenticated instanceof Reply r) return r;
        Identity who = (Identity) authenticated;
        JsonNode b;
        try {
            b = JSON.readTree(req.body());
        } catch (IOException e) {
            return Reply.json(400, GitHubJson.error("Problems parsing JSON", DOCS, 400));
        }
        String query = b == null ? "" : b.path("query").asText("").replaceAll("\\s+", " ").strip();
        ObjectNode out = GitHubJson.F.objectNode();
        if (query.matches("(query( \\w+)? ?)?\\{ ?viewer ?\\{ ?login ?} ?}")) {
            out.putObject("data").putObject("viewer").put("login", who.login());
        } else {
            out.putArray("errors").addObject().put("message", "Field not supported by this simulator: " + query);
        }
        return Reply.json(200, out);
    }

    private static Reply forbidden(String permissions) {
        return Reply.json(403, GitHubJson.error("Resource not accessible by integration", DOCS, 403))
                .withHeader("x-accepted-github-permissions", permissions);
    }

    private static Reply forbidden(String permissions, Identity who) {
        if (who.kind() == Kind.INSTALLATION) return forbidden(permissions);
        return Reply.json(403, GitHubJson.error("Resource not accessible by personal access token", DOCS, 403))
                .withHeader("x-accepted-github-permissions", permissions);
    }

    /** The answer with the hostile text appended to its text fields. */
    private Reply hostile(Reply r) {
        if (r.body().length == 0 || !String.valueOf(r.headers().get("Content-Type")).contains("json")) return r;
        try {
            JsonNode n = JSON.readTree(r.body());
            poison(n);
            return new Reply(r.status(), r.headers(), JSON.writeValueAsBytes(n));
        } catch (IOException e) {
            return r;
        }
    }

    private void poison(JsonNode n) {
        if (n instanceof ObjectNode o) {
            for (String f : List.of("environment", "original_environment", "description", "title", "state")) {
                if (o.path(f).isTextual()) o.put(f, o.path(f).asText() + hostile);
            }
            if (o.path("viewer").path("login").isTextual()) {
                ((ObjectNode) o.get("viewer")).put("login", o.path("viewer").path("login").asText() + hostile);
            }
            o.elements().forEachRemaining(this::poison);
        } else if (n instanceof ArrayNode a) {
            a.elements().forEachRemaining(this::poison);
        }
    }

    private static Reply notFoundError() {
        return Reply.json(404, GitHubJson.error("Not Found", DOCS, 404));
    }

    @Override
    protected Reply notFound(RecordedRequest req) {
        return notFoundError();
    }

    // ------------------------------------------------------------------ repository and pulls

    private Reply getRepository(Call call, Matcher m) {
        return Reply.json(200, json.repository(repo, user(repo.owner()), Instant.parse("2024-03-01T09:00:00Z")));
    }

    private Reply getPull(Call call, Matcher m) {
        IssueState pr = issues.get(Integer.parseInt(m.group(3)));
        if (pr == null || !pr.pullRequest) return notFoundError();
        ObjectNode r = json.repository(repo, user(repo.owner()), Instant.parse("2024-03-01T09:00:00Z"));
        return Reply.json(200, json.pullRequest(repo, r, pr, user(pr.author)));
    }

    // ------------------------------------------------------------------ deployments

    private Reply listDeployments(Call call, Matcher m) {
        RecordedRequest req = call.req();
        List<DeploymentState> match = new ArrayList<>();
        for (DeploymentState d : newestFirst(deployments)) {
            if (req.param("sha") != null && !req.param("sha").equals(d.sha)) continue;
            if (req.param("ref") != null && !req.param("ref").equals(d.ref)) continue;
            if (req.param("task") != null && !req.param("task").equals(d.task)) continue;
            if (req.param("environment") != null && !req.param("environment").equals(d.environment)) continue;
            match.add(d);
        }
        return page(req, match, d -> json.deployment(repo, d, user(d.creator)));
    }

    private Reply createDeployment(Call call, Matcher m) {
        String docs = DOCS + "/deployments/deployments#create-a-deployment";
        JsonNode b = call.body();
        if (b == null || !b.isObject()) return Reply.json(400, GitHubJson.error("Problems parsing JSON", docs, 400));
        if (!b.path("ref").isTextual() || b.path("ref").asText().isBlank()) {
            return Reply.json(422, GitHubJson.error("Invalid request.\n\n\"ref\" wasn't supplied.", docs, 422));
        }
        String ref = b.path("ref").asText();
        String sha = SHA.matcher(ref).matches() ? ref : branches.get(ref);
        if (sha == null) return Reply.json(422, GitHubJson.error("No ref found for: " + ref, docs, 422));
        JsonNode payload = b.has("payload") ? b.get("payload") : GitHubJson.F.objectNode();
        if (!payload.isObject() && !payload.isTextual()) {
            return Reply.json(422, GitHubJson.validationFailed(docs, "Deployment", "payload", "invalid", null));
        }
        for (String f : List.of("auto_merge", "transient_environment", "production_environment")) {
            if (b.has(f) && !b.get(f).isBoolean()) {
                return Reply.json(422, GitHubJson.validationFailed(docs, "Deployment", f, "invalid", null));
            }
        }
        boolean autoMerge = b.path("auto_merge").asBoolean(true);
        if (autoMerge && mergeOnAutoMerge && !SHA.matcher(ref).matches() && !ref.equals(repo.defaultBranch())) {
            ObjectNode merged = GitHubJson.F.objectNode();
            merged.put("message", "Auto-merged " + repo.defaultBranch() + " into " + ref + " on deployment.");
            return Reply.json(202, merged);
        }
        if (!b.has("required_contexts") && !failingContexts.isEmpty()) {
            ObjectNode conflict = GitHubJson.error("Conflict: Commit status checks failed for " + ref + ".", docs, 409);
            return Reply.json(409, conflict);
        }
        DeploymentState d = new DeploymentState();
        d.id = ids.incrementAndGet();
        d.sha = sha;
        d.ref = ref;
        d.task = b.path("task").asText("deploy");
        d.payload = payload.deepCopy();
        d.environment = b.path("environment").asText("production");
        d.originalEnvironment = d.environment;
        d.description = b.path("description").isTextual() ? b.path("description").asText() : null;
        d.transientEnvironment = b.path("transient_environment").asBoolean(false);
        d.productionEnvironment = b.has("production_environment") ? b.get("production_environment").asBoolean()
                : d.environment.equals("production");
        d.creator = call.who().login();
        d.createdAt = clock.instant();
        d.updatedAt = d.createdAt;
        deployments.add(d);
        return Reply.json(201, json.deployment(repo, d, user(d.creator)))
                .withHeader("Location", apiUrl() + "/repos/" + repo.fullName() + "/deployments/" + d.id);
    }

    private Reply listStatuses(Call call, Matcher m) {
        DeploymentState d = deploymentOrNull(Long.parseLong(m.group(3)));
        if (d == null) return notFoundError();
        List<StatusState> s = new ArrayList<>(d.statuses);
        Collections.reverse(s);
        return page(call.req(), s, st -> json.deploymentStatus(repo, d, st, user(st.creator)));
    }

    private Reply createStatus(Call call, Matcher m) {
        String docs = DOCS + "/deployments/statuses#create-a-deployment-status";
        DeploymentState d = deploymentOrNull(Long.parseLong(m.group(3)));
        if (d == null) return notFoundError();
        JsonNode b = call.body();
        if (b == null || !b.isObject()) return Reply.json(400, GitHubJson.error("Problems parsing JSON", docs, 400));
        String state = b.path("state").asText("");
        if (!STATES.contains(state)) {
            return Reply.json(422, GitHubJson.validationFailed(docs, "DeploymentStatus", "state",
                    b.has("state") ? "invalid" : "missing_field", null));
        }
        String description = b.path("description").asText("");
        if (description.length() > 140) {
            return Reply.json(422, GitHubJson.validationFailed(docs, "DeploymentStatus", "description", "custom",
                    "description is too long (maximum is 140 characters)"));
        }
        StatusState s = new StatusState();
        s.id = ids.incrementAndGet();
        s.state = state;
        s.description = description;
        if (b.path("environment").isTextual() && !b.path("environment").asText().isBlank()) {
            d.environment = b.path("environment").asText();
        }
        s.environment = d.environment;
        s.logUrl = b.path("log_url").isTextual() ? b.path("log_url").asText() : b.path("target_url").asText("");
        s.environmentUrl = b.path("environment_url").asText("");
        s.creator = call.who().login();
        s.createdAt = clock.instant();
        // auto_inactive (default true): a success retires earlier deployments of the same environment, in the
        // scope this simulator was given (the REST reference leaves production out, the guide does not)
        if (state.equals("success") && b.path("auto_inactive").asBoolean(true) && autoInactive != AutoInactive.OFF) {
            for (DeploymentState other : deployments) {
                if (other == d || other.id > d.id || !other.environment.equals(d.environment)
                        || other.transientEnvironment || other.statuses.isEmpty()) continue;
                if (other.productionEnvironment && autoInactive == AutoInactive.NON_PRODUCTION) continue;
                if (!other.statuses.get(other.statuses.size() - 1).state.equals("success")) continue;
                StatusState inactive = new StatusState();
                inactive.id = ids.incrementAndGet();
                inactive.state = "inactive";
                inactive.description = "";
                inactive.environment = other.environment;
                inactive.logUrl = s.logUrl;
                inactive.environmentUrl = "";
                inactive.creator = call.who().login();
                inactive.createdAt = s.createdAt;
                other.statuses.add(inactive);
                other.updatedAt = s.createdAt;
            }
        }
        d.statuses.add(s);
        d.updatedAt = s.createdAt;
        return Reply.json(201, json.deploymentStatus(repo, d, s, user(s.creator)))
                .withHeader("Location", apiUrl() + "/repos/" + repo.fullName() + "/deployments/" + d.id + "/statuses/" + s.id);
    }

    private DeploymentState deploymentOrNull(long id) {
        return deployments.stream().filter(d -> d.id == id).findFirst().orElse(null);
    }

    // ------------------------------------------------------------------ issues and comments

    private Reply listIssues(Call call, Matcher m) {
        RecordedRequest req = call.req();
        String state = req.param("state") == null ? "open" : req.param("state");
        List<String> labels = req.param("labels") == null || req.param("labels").isBlank() ? List.of()
                : List.of(req.param("labels").toLowerCase(java.util.Locale.ROOT).split(","));
        String creator = req.param("creator");
        String sort = req.param("sort") == null ? "created" : req.param("sort");
        boolean asc = "asc".equals(req.param("direction"));
        List<IssueState> match = new ArrayList<>();
        for (IssueState i : issues.values()) {
            if (!state.equals("all") && !state.equals(i.state)) continue;
            if (!i.labels.stream().map(l -> l.toLowerCase(java.util.Locale.ROOT)).toList().containsAll(labels)) continue;
            if (creator != null && !creator.equalsIgnoreCase(i.author)) continue;
            match.add(i);
        }
        Comparator<IssueState> order = switch (sort) {
            case "updated" -> Comparator.comparing((IssueState i) -> i.updatedAt);
            case "comments" -> Comparator.comparingInt((IssueState i) -> i.comments);
            default -> Comparator.comparing((IssueState i) -> i.createdAt);
        };
        order = order.thenComparingInt(i -> i.number);
        match.sort(asc ? order : order.reversed());
        return page(req, match, i -> json.issue(repo, i, user(i.author)));
    }

    private Reply createIssue(Call call, Matcher m) {
        String docs = DOCS + "/issues/issues#create-an-issue";
        Identity who = call.who();
        if (who.kind() != Kind.READER && !who.scopes().contains(Scope.ISSUES)) return forbidden(Scope.ISSUES.header, who);
        JsonNode b = call.body();
        if (b == null || !b.isObject()) return Reply.json(400, GitHubJson.error("Problems parsing JSON", docs, 400));
        JsonNode title = b.path("title");
        if (!(title.isTextual() || title.isIntegralNumber()) || title.asText().isBlank()) {
            return Reply.json(422, GitHubJson.validationFailed(docs, "Issue", "title", "missing_field", null));
        }
        if (title.asText().length() > 256) {
            return Reply.json(422, GitHubJson.validationFailed(docs, "Issue", "title", "custom",
                    "title is too long (maximum is 256 characters)"));
        }
        String body = b.path("body").isTextual() ? b.path("body").asText() : null;
        if (body != null && body.length() > MAX_BODY) {
            return Reply.json(422, GitHubJson.validationFailed(docs, "Issue", "body", "custom",
                    "body is too long (maximum is " + MAX_BODY + " characters)"));
        }
        IssueState i = newIssue(nextNumber, title.asText(), body, call.who().login(), "NONE");
        // labels need triage access: what a reader sends is dropped silently, as GitHub does
        for (JsonNode l : who.kind() == Kind.READER ? GitHubJson.F.arrayNode() : b.path("labels")) {
            String name = l.isTextual() ? l.asText() : l.path("name").asText("");
            if (!name.isBlank() && !i.labels.contains(name)) i.labels.add(name);
        }
        return Reply.json(201, json.issue(repo, i, user(i.author)))
                .withHeader("Location", apiUrl() + "/repos/" + repo.fullName() + "/issues/" + i.number);
    }

    private Reply listComments(Call call, Matcher m) {
        IssueState i = issues.get(Integer.parseInt(m.group(3)));
        if (i == null) return notFoundError();
        RecordedRequest req = call.req();
        Instant since;
        try {
            since = req.param("since") == null ? null : Instant.parse(req.param("since"));
        } catch (java.time.format.DateTimeParseException e) {
            return Reply.json(422, GitHubJson.validationFailed(DOCS + "/issues/comments#list-issue-comments",
                    "IssueComment", "since", "invalid", "since must be an ISO 8601 timestamp"));
        }
        List<CommentState> match = new ArrayList<>();
        for (CommentState c : comments) {
            if (c.issue == i.number && (since == null || !c.updatedAt.isBefore(since))) match.add(c);
        }
        return page(req, match, c -> json.issueComment(repo, c, user(c.author)));
    }

    private Reply createComment(Call call, Matcher m) {
        String docs = DOCS + "/issues/comments#create-an-issue-comment";
        IssueState i = issues.get(Integer.parseInt(m.group(3)));
        if (i == null) return notFoundError();
        Reply denied = commentPermission(call, i);
        if (denied != null) return denied;
        Reply invalid = checkCommentBody(call.body(), docs);
        if (invalid != null) return invalid;
        CommentState c = addComment(i, call.who().login(), "NONE", call.body().get("body").asText());
        return Reply.json(201, json.issueComment(repo, c, user(c.author)))
                .withHeader("Location", apiUrl() + "/repos/" + repo.fullName() + "/issues/comments/" + c.id);
    }

    private Reply updateComment(Call call, Matcher m) {
        String docs = DOCS + "/issues/comments#update-an-issue-comment";
        long id = Long.parseLong(m.group(3));
        CommentState c = comments.stream().filter(x -> x.id == id).findFirst().orElse(null);
        if (c == null) return notFoundError();
        Reply denied = commentPermission(call, issues.get(c.issue));
        if (denied == null && call.who().kind() == Kind.READER && !call.who().login().equalsIgnoreCase(c.author)) {
            denied = forbidden(Scope.ISSUES.header, call.who()); // only your own comments without write access
        }
        if (denied != null) return denied;
        Reply invalid = checkCommentBody(call.body(), docs);
        if (invalid != null) return invalid;
        c.body = call.body().get("body").asText();
        c.updatedAt = clock.instant();
        return Reply.json(200, json.issueComment(repo, c, user(c.author)));
    }

    /** Comments on a pull request need pull_requests or issues write; on an issue, issues write. */
    private static Reply commentPermission(Call call, IssueState target) {
        if (call.who().kind() == Kind.READER) return null; // anyone who can read may comment
        Set<Scope> s = call.who().scopes();
        if (target.pullRequest) {
            return s.contains(Scope.PULL_REQUESTS) || s.contains(Scope.ISSUES) ? null
                    : forbidden("issues=write; pull_requests=write", call.who());
        }
        return s.contains(Scope.ISSUES) ? null : forbidden(Scope.ISSUES.header, call.who());
    }

    private static Reply checkCommentBody(JsonNode b, String docs) {
        if (b == null || !b.isObject()) return Reply.json(400, GitHubJson.error("Problems parsing JSON", docs, 400));
        if (!b.path("body").isTextual() || b.path("body").asText().isBlank()) {
            return Reply.json(422, GitHubJson.validationFailed(docs, "IssueComment", "body", "missing_field", null));
        }
        if (b.path("body").asText().length() > MAX_BODY) {
            return Reply.json(422, GitHubJson.validationFailed(docs, "IssueComment", "body", "custom",
                    "body is too long (maximum is " + MAX_BODY + " characters)"));
        }
        return null;
    }

    private IssueState newIssue(int number, String title, String body, String author, String association) {
        IssueState i = new IssueState();
        i.id = ids.incrementAndGet();
        i.number = number;
        i.title = title;
        i.body = body;
        i.author = author;
        i.authorAssociation = association;
        i.createdAt = clock.instant();
        i.updatedAt = i.createdAt;
        issues.put(number, i);
        nextNumber = Math.max(nextNumber, number + 1);
        return i;
    }

    private CommentState addComment(IssueState i, String author, String association, String body) {
        if (i == null) throw new IllegalArgumentException("no such issue or pull request");
        CommentState c = new CommentState();
        c.id = ids.incrementAndGet();
        c.issue = i.number;
        c.onPullRequest = i.pullRequest;
        c.body = body;
        c.author = author;
        c.authorAssociation = association;
        c.createdAt = clock.instant();
        c.updatedAt = c.createdAt;
        comments.add(c);
        i.comments++;
        i.updatedAt = c.createdAt;
        return c;
    }

    // ------------------------------------------------------------------ helpers

    private ObjectNode user(String login) {
        Identity u = users.getOrDefault(login, new Identity(login, Math.abs((long) login.hashCode()) + 1, "User", Set.of(),
                Kind.USER));
        return json.user(u.login(), u.id(), u.type());
    }

    private static <T> List<T> newestFirst(List<T> items) {
        List<T> l = new ArrayList<>(items);
        Collections.reverse(l);
        return l;
    }

    /**
     * One page of {@code items} ({@code per_page} default 30, at most 100; {@code page} from 1) with GitHub's
     * {@code Link} header: {@code next} and {@code last} while there are more, {@code prev} and {@code first}
     * after the first page.
     */
    private <T> Reply page(RecordedRequest req, List<T> items, java.util.function.Function<T, JsonNode> render) {
        int perPage = clamp(req.param("per_page"), 30, 1, 100);
        int page = clamp(req.param("page"), 1, 1, Integer.MAX_VALUE);
        int last = Math.max(1, (items.size() + perPage - 1) / perPage);
        ArrayNode out = GitHubJson.F.arrayNode();
        int from = (int) Math.min((long) (page - 1) * perPage, items.size());
        for (T t : items.subList(from, Math.min(items.size(), from + perPage))) out.add(render.apply(t));
        Reply r = Reply.json(200, out);
        List<String> links = new ArrayList<>();
        if (page < last) {
            links.add(link(req, perPage, page + 1, "next"));
            links.add(link(req, perPage, last, "last"));
        }
        if (page > 1) {
            links.add(link(req, perPage, Math.min(page - 1, last), "prev"));
            links.add(link(req, perPage, 1, "first"));
        }
        return links.isEmpty() ? r : r.withHeader("Link", String.join(", ", links));
    }

    private String link(RecordedRequest req, int perPage, int page, String rel) {
        StringBuilder q = new StringBuilder();
        if (req.query() != null) {
            for (String kv : req.query().split("&")) {
                if (kv.isEmpty() || kv.startsWith("page=") || kv.startsWith("per_page=")) continue;
                q.append(kv).append('&');
            }
        }
        q.append("per_page=").append(perPage).append("&page=").append(page);
        return "<" + baseUrl() + req.path() + "?" + q + ">; rel=\"" + rel + "\"";
    }

    private static int clamp(String v, int dflt, int min, int max) {
        if (v == null || v.isBlank()) return dflt;
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v.trim())));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

}
