package dev.gantry.actiontests.vercel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.gantry.common.testing.LoopbackServer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful Vercel API on loopback (research §3.4 and §4), faithful enough that the real Vercel CLI deploys
 * against it. State: content-addressed blobs (SHA-1 and size verified, {@code x-now-digest} or
 * {@code x-vercel-digest}), projects, deployments that move QUEUED → BUILDING → READY (aliases assigned) on a
 * {@link ScaledClock}, the NDJSON events stream, aliases, paginated listing, promote and rollback as asynchronous
 * jobs, cancel. Projects carry a Root Directory; while an instant rollback holds a project
 * ({@code lastRollbackTarget}), its new production deployments end READY with {@code readySubstate: STAGED}, keep
 * only their own aliases and leave production where it is, until one is promoted. Both path families answer: the documented ones and the CLI's ({@code /v3/now/...},
 * {@code /now/deployments/.../aliases}, {@code /v9/.../rollback}). Faults on request: 429 with
 * {@code Retry-After}, 5xx on uploads, {@code missing_files} again, {@code ERROR}, {@code BLOCKED}, slow builds,
 * alias 409, a queued (202) promote, a failed job.
 */
public class VercelSimulator extends LoopbackServer {
    public static final String TOKEN = "vercel_sim_token_5f3a9c1e7b2d4a6f";
    public static final String TEAM_ID = "team_sim";
    public static final String TEAM_SLUG = "sim-team";
    public static final String PROJECT_ID = "prj_sim";
    public static final String PROJECT_NAME = "sim-project";
    private static final Pattern EVENTS = Pattern.compile("/v[23]/(?:now/)?deployments/([^/]+)/events");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ScaledClock clock;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, Proj> projects = new LinkedHashMap<>();
    private final Map<String, Dep> deployments = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>(); // alias -> deployment id

    // knobs
    private volatile Duration answerDelay = Duration.ZERO;
    private volatile String inspectorSuffix = "";
    private volatile String stateOverride;
    private final AtomicInteger aliasErrors = new AtomicInteger();
    private volatile String[] aliasError = {"alias_failed", "The alias could not be assigned"};
    private volatile Duration queueTime = Duration.ofSeconds(1);
    private volatile Duration buildTime = Duration.ofSeconds(3);
    private volatile Duration aliasDelay = Duration.ofMillis(500);
    private volatile Duration jobTime = Duration.ofSeconds(1);
    // faults, consumed by the next deployments / requests
    private final List<String[]> nextBuildErrors = new ArrayList<>();
    private final AtomicInteger nextBlocked = new AtomicInteger();
    private final AtomicInteger missingAgain = new AtomicInteger();
    private final Map<String, Boolean> aliasConflicts = new ConcurrentHashMap<>(); // alias -> assign first
    private final AtomicInteger promoteQueued = new AtomicInteger();
    private final AtomicInteger lostCreateAnswers = new AtomicInteger();
    private final AtomicInteger jobFailures = new AtomicInteger();
    private volatile List<String> extraBuildLines = List.of();
    // stats
    private final AtomicInteger uploads = new AtomicInteger();
    private final AtomicLong uploadedBytes = new AtomicLong();
    private final AtomicInteger creates = new AtomicInteger();

    public VercelSimulator() {
        this(new ScaledClock(20));
    }

    public VercelSimulator(ScaledClock clock) {
        this.clock = clock;
        addProject(PROJECT_ID, PROJECT_NAME);
        routes();
    }

    /**
     * The time an action under test runs on: a virtual clock of its own (its deadlines count only its own pauses),
     * and pauses that take no real time but move the simulator's clock too, so deployments progress while the
     * action waits.
     */
    public dev.gantry.common.http.Time time() {
        dev.gantry.common.testing.FakeTime own = new dev.gantry.common.testing.FakeTime();
        return new dev.gantry.common.http.Time(own, d -> {
            own.sleep(d);
            clock.advance(d);
        });
    }

    public ScaledClock clock() {
        return clock;
    }

    // ------------------------------------------------------------------ knobs and faults

    public VercelSimulator buildTime(Duration queued, Duration building) {
        this.queueTime = queued;
        this.buildTime = building;
        return this;
    }

    public VercelSimulator jobTime(Duration d) {
        this.jobTime = d;
        return this;
    }

    /** The next deployment's build fails with {@code errorCode} and {@code errorMessage}. */
    public synchronized void failNextBuild(String errorCode, String errorMessage) {
        nextBuildErrors.add(new String[]{errorCode, errorMessage});
    }

    /** The next deployment is {@code BLOCKED} (a plan limit, say) and never builds. */
    public void blockNext() {
        nextBlocked.incrementAndGet();
    }

    /** The next {@code n} creates that would succeed evict their blobs and answer {@code missing_files} again. */
    public void missingFilesAgain(int n) {
        missingAgain.addAndGet(n);
    }

    /** Assigning {@code alias} answers 409; with {@code assignFirst} the alias is assigned before (a lost answer). */
    public void aliasConflict(String alias, boolean assignFirst) {
        aliasConflicts.put(alias, assignFirst);
    }

    /** The next {@code n} successful creates are processed, but the connection drops before the answer. */
    public void loseNextCreateAnswers(int n) {
        lostCreateAnswers.addAndGet(n);
    }

    /** The next promote answers 202 (queued behind a rolling release) and starts a little later. */
    public void queueNextPromote() {
        promoteQueued.incrementAndGet();
    }

    /** The next promote or rollback job ends {@code failed}. */
    public void failNextJob() {
        jobFailures.incrementAndGet();
    }

    /** Lines every build prints (tests use them to check that logs are printed as untrusted text). */
    public void buildLines(List<String> lines) {
        extraBuildLines = List.copyOf(lines);
    }

    /** The next {@code times} requests matching answer 429 with {@code Retry-After} and a {@code rate_limited} body. */
    public void rateLimit(String method, String pathRegex, int times, int retryAfterSeconds) {
        long reset = clock.millis() / 1000 + retryAfterSeconds;
        Map<String, Object> body = Map.of("error", Map.of("code", "rate_limited",
                "message", "Rate limit exceeded", "limit", Map.of("remaining", 0, "reset", reset,
                        "resetMs", reset * 1000, "total", 100)));
        inject(Fault.status(matching(method, pathRegex), times, Reply.json(429, body)
                .withHeader("Retry-After", Integer.toString(retryAfterSeconds))
                .withHeader("x-vercel-id", "iad1::ratelimited")));
    }

    /** The next {@code times} uploads answer {@code status} (e.g. 500, 503). */
    public void failUploads(int times, int status) {
        inject(Fault.status(matching("POST", "/v2/(now/)?files"), times, Reply.json(status,
                Map.of("error", Map.of("code", "internal_server_error", "message", "An unexpected internal error occurred")))));
    }

    /**
     * Every answer waits {@code d} before it is sent (the round trip of a real network; 40 ms is about a runner's to
     * Vercel). The wait is taken on the request's own virtual thread, outside every lock, so answers overlap as they
     * would across a network: the simulator never serialises what the client sends in parallel.
     */
    public VercelSimulator answerDelay(Duration d) {
        this.answerDelay = d;
        return this;
    }

    /** Hostile provider text: appended to every {@code inspectorUrl} (workflow commands, Markdown, HTML). */
    public void inspectorUrlSuffix(String text) {
        inspectorSuffix = text;
    }

    /** Hostile provider text: every deployment reports this {@code readyState} (never a state the client knows). */
    public void readyStateOverride(String state) {
        stateOverride = state;
    }

    /** The next deployment's aliases fail: {@code aliasError {code, message}} once it is READY. */
    public void failNextAlias(String code, String message) {
        aliasError = new String[]{code, message};
        aliasErrors.incrementAndGet();
    }

    /** Sets a project's Root Directory and whether its build may read files outside it. */
    public synchronized void rootDirectory(String projectId, String rootDirectory, boolean sourceFilesOutside) {
        Proj p = projects.get(projectId);
        p.rootDirectory = rootDirectory;
        p.sourceFilesOutsideRootDirectory = sourceFilesOutside;
    }

    /** The create body that made a deployment, as it arrived. */
    public synchronized JsonNode createBody(String deploymentId) {
        return dep(deploymentId).body;
    }

    /** Whether an instant rollback holds the project (its production deploys are staged). */
    public synchronized boolean rollbackInEffect(String projectId) {
        return projects.get(projectId).lastRollbackTarget != null;
    }

    // ------------------------------------------------------------------ state, for tests

    public synchronized void addProject(String id, String name) {
        projects.put(id, new Proj(id, name));
    }

    public boolean hasBlob(String sha) {
        return blobs.containsKey(sha);
    }

    public int blobCount() {
        return blobs.size();
    }

    public int uploads() {
        return uploads.get();
    }

    public long uploadedBytes() {
        return uploadedBytes.get();
    }

    public int creates() {
        return creates.get();
    }

    /** The deployment's files by path: {@code sha}, {@code size} and {@code mode}, as the build would see them. */
    public synchronized Map<String, DeployedFile> files(String deploymentId) {
        return Map.copyOf(dep(deploymentId).files);
    }

    public synchronized String state(String deploymentId) {
        Dep d = dep(deploymentId);
        settle(d);
        return d.state(clock.millis());
    }

    public synchronized ObjectNode deploymentJson(String deploymentId) {
        Dep d = dep(deploymentId);
        settle(d);
        return json(d);
    }

    public synchronized List<String> deploymentIds() {
        return List.copyOf(deployments.keySet());
    }

    public synchronized String productionOf(String projectId) {
        return projects.get(projectId).production;
    }

    public synchronized String aliasTarget(String alias) {
        return aliases.get(alias);
    }

    public synchronized boolean canceled(String deploymentId) {
        return dep(deploymentId).canceledAt != null;
    }

    /** A READY production deployment made directly, for rollback and listing tests; returns its id. */
    public synchronized String seedProductionDeployment(String projectId, long createdAtMs) {
        return seedDeployment(projectId, "production", createdAtMs);
    }

    /** Sets {@code meta.key} of a deployment (what Vercel's Git integration records, e.g. {@code githubCommitSha}). */
    public synchronized void meta(String deploymentId, String key, String value) {
        dep(deploymentId).meta.put(key, value);
    }

    /** A READY deployment made directly ({@code target} null for a preview); returns its id. */
    public synchronized String seedDeployment(String projectId, String target, long createdAtMs) {
        Proj p = projects.get(projectId);
        Dep d = new Dep(newId(), p, target, createdAtMs);
        d.queuedUntil = createdAtMs;
        d.buildingUntil = createdAtMs;
        d.aliasAt = createdAtMs;
        deployments.put(d.id, d);
        settle(d);
        return d.id;
    }

    private Dep dep(String id) {
        Dep d = deployments.get(id);
        if (d == null) throw new IllegalArgumentException("no deployment " + id);
        return d;
    }

    /** A file of a deployment. */
    public record DeployedFile(String sha, long size, int mode) {
    }

    // ------------------------------------------------------------------ model

    private final class Proj {
        final String id;
        final String name;
        String production; // deployment id
        String rootDirectory;
        boolean sourceFilesOutsideRootDirectory = true;
        ObjectNode lastRollbackTarget; // set by a rollback, cleared by a promote
        ObjectNode lastAliasRequest;
        long jobPendingUntil;
        long jobDoneAt;
        boolean jobFails;

        Proj(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    private final class Dep {
        final String id;
        final Proj project;
        final String target; // null = preview
        final long createdAt;
        long queuedUntil;
        long buildingUntil;
        long aliasAt;
        String url;
        String errorCode;
        String errorMessage;
        boolean blocked;
        Long canceledAt;
        boolean settled;
        boolean wasProduction;
        boolean staged; // a production deploy made while a rollback holds the project
        String[] aliasFailure;
        JsonNode body;
        String customEnvironment;
        final List<String> alias = new ArrayList<>();
        final Map<String, String> meta = new LinkedHashMap<>();
        final Map<String, DeployedFile> files = new LinkedHashMap<>();
        final List<String> buildLines = new ArrayList<>();
        final List<String> env = new ArrayList<>();

        Dep(String id, Proj project, String target, long createdAt) {
            this.id = id;
            this.project = project;
            this.target = target;
            this.createdAt = createdAt;
            this.url = project.name + "-" + id.substring(4, 13).toLowerCase(Locale.ROOT) + "-" + TEAM_SLUG + ".vercel.app";
        }

        String state(long now) {
            if (stateOverride != null) return stateOverride;
            if (canceledAt != null && now >= canceledAt) return "CANCELED";
            if (blocked) return "BLOCKED";
            if (now < queuedUntil) return "QUEUED";
            if (now < buildingUntil) return "BUILDING";
            return errorCode != null ? "ERROR" : "READY";
        }

        boolean aliasAssigned(long now) {
            return "READY".equals(state(now)) && now >= aliasAt && aliasFailure == null;
        }

        boolean terminal(long now) {
            String s = state(now);
            return s.equals("ERROR") || s.equals("CANCELED") || s.equals("BLOCKED") || aliasAssigned(now)
                    || aliasFailure != null && "READY".equals(s) && now >= aliasAt;
        }

        String inspectorUrl() {
            return "https://vercel.com/" + TEAM_SLUG + "/" + project.name + "/" + id.substring(4) + inspectorSuffix;
        }
    }

    /** Applies what time has done: automatic aliases and the production target once a deployment is live. */
    private void settle(Dep d) {
        long now = clock.millis();
        if (!d.settled && d.aliasAssigned(now)) {
            d.settled = true;
            List<String> auto = new ArrayList<>();
            if ("production".equals(d.target) && !d.staged) {
                auto.add(d.project.name + ".vercel.app");
                auto.add(d.project.name + "-" + TEAM_SLUG + ".vercel.app");
                d.project.production = d.id;
                d.wasProduction = true;
            } else {
                String branch = d.meta.getOrDefault("githubCommitRef", "main").toLowerCase(Locale.ROOT)
                        .replaceAll("[^a-z0-9]+", "-");
                auto.add(d.project.name + "-git-" + branch + "-" + TEAM_SLUG + ".vercel.app");
            }
            for (String a : auto) assign(a, d);
        }
    }

    private void assign(String alias, Dep d) {
        String old = aliases.put(alias, d.id);
        if (old != null && !old.equals(d.id)) deployments.get(old).alias.remove(alias);
        if (!d.alias.contains(alias)) d.alias.add(alias);
    }

    private void settleJob(Proj p) {
        if (p.lastAliasRequest == null) return;
        long now = clock.millis();
        String status = p.lastAliasRequest.path("jobStatus").asText();
        if (status.equals("succeeded") || status.equals("failed")) return;
        if (now >= p.jobDoneAt) {
            if (p.jobFails) {
                p.lastAliasRequest.put("jobStatus", "failed");
            } else {
                Dep to = deployments.get(p.lastAliasRequest.path("toDeploymentId").asText());
                if (p.lastAliasRequest.path("type").asText().equals("rollback")) {
                    p.lastRollbackTarget = p.lastAliasRequest.deepCopy().put("jobStatus", "succeeded");
                } else {
                    p.lastRollbackTarget = null; // a promote ends the rollback: production deploys are served again
                }
                to.staged = false;
                p.production = to.id;
                to.wasProduction = true;
                assign(p.name + ".vercel.app", to);
                assign(p.name + "-" + TEAM_SLUG + ".vercel.app", to);
                p.lastAliasRequest.put("jobStatus", "succeeded");
            }
        } else if (now >= p.jobPendingUntil) {
            p.lastAliasRequest.put("jobStatus", "in-progress");
        }
    }

    // ------------------------------------------------------------------ routes

    private interface Api {
        Reply handle(RecordedRequest r, Matcher m) throws Exception;
    }

    private void on(String method, String path, Api api) {
        route(method, path, (r, m) -> {
            Reply reply;
            Reply denied = authorize(r);
            if (denied != null) {
                reply = denied;
            } else {
                try {
                    synchronized (this) {
                        reply = api.handle(r, m);
                    }
                } catch (Exception e) {
                    reply = error(500, "internal_server_error", "simulator: " + e);
                }
            }
            return delayed(withId(reply));
        });
    }

    /** An upload touches only the blob store (concurrent), so uploads are answered in parallel, as Vercel does. */
    private void onUpload(String path) {
        route("POST", path, (r, m) -> {
            Reply denied = authorize(r);
            return delayed(withId(denied != null ? denied : upload(r, m)));
        });
    }

    private Reply delayed(Reply reply) {
        Duration d = answerDelay;
        if (!d.isZero()) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return reply;
    }

    private void routes() {
        on("GET", "/v2/user", (r, m) -> Reply.json(200, Map.of("user", Map.of("id", "usr_sim", "username", "sim-user",
                "email", "sim@example.com", "name", "Sim User", "defaultTeamId", TEAM_ID))));
        on("GET", "/(?:v\\d+/)?teams/([^/]+)", (r, m) -> teamMatches(m.group(1))
                ? Reply.json(200, team()) : error(404, "not_found", "Team not found"));
        on("GET", "/v\\d+/teams", (r, m) -> Reply.json(200, Map.of("teams", List.of(team()),
                "pagination", Map.of("count", 1, "next", (Object) "", "prev", (Object) ""))));
        on("GET", "/v\\d+/projects/([^/]+)", (r, m) -> getProject(r, m.group(1)));
        onUpload("/v2/(?:now/)?files");
        on("POST", "/v13/deployments", this::create);
        on("GET", "/v\\d+/(?:now/)?deployments/([^/]+)", (r, m) -> getDeployment(m.group(1)));
        on("GET", EVENTS.pattern(), (r, m) -> eventsArray(r, m.group(1)));
        on("GET", "/v[67]/deployments", this::list);
        on("POST", "/(?:v2/|v2/now/|now/)deployments/([^/]+)/aliases", (r, m) -> alias(r, m.group(1)));
        on("GET", "/(?:v2/|now/)deployments/([^/]+)/aliases", (r, m) -> listAliases(m.group(1)));
        on("PATCH", "/v12/deployments/([^/]+)/cancel", (r, m) -> cancel(m.group(1)));
        on("POST", "/v10/projects/([^/]+)/promote/([^/]+)", (r, m) -> job(r, "promote", m.group(1), m.group(2)));
        on("POST", "/v(?:1|9)/projects/([^/]+)/rollback/([^/]+)", (r, m) -> job(r, "rollback", m.group(1), m.group(2)));
        on("GET", "/v\\d+/projects/([^/]+)/(?:rollback|promote)/aliases", (r, m) -> jobAliases(m.group(1), r));
        on("GET", "/v\\d+/deployments/([^/]+)/builds", (r, m) -> Reply.json(200, Map.of("builds", List.of())));
        route("GET", "/_sim/stats", (r, m) -> Reply.json(200, Map.of("requests", requests().size(),
                "uploads", uploads.get(), "uploadedBytes", uploadedBytes.get(), "creates", creates.get(),
                "blobs", blobs.size())));
    }

    private Reply authorize(RecordedRequest r) {
        String auth = r.header("authorization");
        if (auth == null || !auth.equals("Bearer " + TOKEN)) {
            return Reply.json(403, Map.of("error", Map.of("code", "forbidden", "message",
                    "Not authorized", "invalidToken", true)));
        }
        String team = r.param("teamId");
        if (team != null && !teamMatches(team)) {
            return error(403, "forbidden", "You don't have permission to access the team " + team);
        }
        return null;
    }

    private static boolean teamMatches(String idOrSlug) {
        return TEAM_ID.equals(idOrSlug) || TEAM_SLUG.equals(idOrSlug);
    }

    private static Map<String, Object> team() {
        return Map.of("id", TEAM_ID, "slug", TEAM_SLUG, "name", "Sim Team");
    }

    private static Reply withId(Reply r) {
        return r.headers().containsKey("x-vercel-id") ? r : r.withHeader("x-vercel-id", "iad1::" + Long.toHexString(RANDOM.nextLong()));
    }

    static Reply error(int status, String code, String message) {
        return Reply.json(status, Map.of("error", Map.of("code", code, "message", message)));
    }

    @Override
    protected Reply notFound(RecordedRequest req) {
        return withId(error(404, "not_found", "The requested path " + req.path() + " was not found"));
    }

    private Proj project(String idOrName) {
        Proj p = projects.get(idOrName);
        if (p != null) return p;
        return projects.values().stream().filter(x -> x.name.equals(idOrName)).findFirst().orElse(null);
    }

    private Dep findDeployment(String idOrUrl) {
        String key = idOrUrl.replaceFirst("^https?://", "");
        Dep d = deployments.get(key);
        if (d != null) return d;
        for (Dep x : deployments.values()) if (x.url.equals(key)) return x;
        String target = aliases.get(key);
        return target == null ? null : deployments.get(target);
    }

    private Reply getProject(RecordedRequest r, String idOrName) {
        Proj p = project(idOrName);
        if (p == null) return error(404, "not_found", "Project not found");
        settleJob(p);
        deployments.values().forEach(this::settle);
        ObjectNode n = JSON.createObjectNode();
        n.put("id", p.id).put("name", p.name).put("accountId", TEAM_ID).put("directoryListing", false)
                .put("nodeVersion", "22.x").putNull("framework")
                .put("sourceFilesOutsideRootDirectory", p.sourceFilesOutsideRootDirectory).put("createdAt", 1_700_000_000_000L);
        if (p.rootDirectory == null) n.putNull("rootDirectory");
        else n.put("rootDirectory", p.rootDirectory);
        if (p.lastRollbackTarget == null) n.putNull("lastRollbackTarget");
        else n.set("lastRollbackTarget", p.lastRollbackTarget.deepCopy());
        n.putObject("resourceConfig").putArray("functionDefaultRegions").add("iad1");
        n.putObject("defaultResourceConfig").putArray("functionDefaultRegions").add("iad1");
        n.putArray("latestDeployments");
        ObjectNode targets = n.putObject("targets");
        if (p.production != null) {
            Dep d = deployments.get(p.production);
            ObjectNode t = targets.putObject("production");
            t.put("id", d.id).put("url", d.url).put("createdAt", d.createdAt).put("readyState", d.state(clock.millis()))
                    .put("target", "production").put("aliasAssigned", d.aliasAt).put("createdIn", "sfo1")
                    .put("deploymentHostname", d.url).put("name", p.name).put("plan", "pro").put("private", true)
                    .put("type", "LAMBDAS").put("userId", "usr_sim");
            t.putObject("creator").put("uid", "usr_sim").put("username", "sim-user").put("email", "sim@example.com");
            ArrayNode a = t.putArray("alias");
            d.alias.forEach(a::add);
        }
        if (p.lastAliasRequest != null) n.set("lastAliasRequest", p.lastAliasRequest.deepCopy());
        else n.putNull("lastAliasRequest");
        return Reply.json(200, n);
    }

    private Reply upload(RecordedRequest r, Matcher m) {
        String digest = r.header("x-vercel-digest") != null ? r.header("x-vercel-digest") : r.header("x-now-digest");
        if (digest == null || digest.isBlank()) return error(400, "missing_digest", "File digest missing");
        String size = r.header("x-now-size") != null ? r.header("x-now-size") : r.header("content-length");
        if (size != null && Long.parseLong(size.trim()) != r.body().length) {
            return error(400, "invalid_file_size", "File size mismatch: header says " + size + ", body has " + r.body().length);
        }
        String actual = sha1(r.body());
        if (!actual.equalsIgnoreCase(digest.trim())) {
            return error(400, "sha_mismatch", "SHA1 sum of the file (" + actual
                    + ") doesn't match the provided SHA1 sum (" + digest + ")");
        }
        blobs.put(actual, r.body());
        uploads.incrementAndGet();
        uploadedBytes.addAndGet(r.body().length);
        return Reply.json(200, Map.of());
    }

    private Reply create(RecordedRequest r, Matcher m) {
        creates.incrementAndGet();
        JsonNode b = r.json();
        if (!b.path("name").isTextual() || b.path("name").asText().isBlank()) {
            return error(400, "bad_request", "Invalid request: missing required property `name`.");
        }
        String projectRef = b.path("project").asText(b.path("name").asText());
        Proj p = project(projectRef);
        if (p == null) return error(404, "not_found", "Project not found");
        Map<String, DeployedFile> files = new LinkedHashMap<>();
        Map<String, byte[]> inline = new LinkedHashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        for (JsonNode f : b.path("files")) {
            String name = f.path("file").asText();
            if (name.isEmpty() || name.startsWith("/") || name.contains("..")) {
                return error(400, "bad_request", "Invalid file name: " + name);
            }
            if (f.has("data")) {
                byte[] data = "base64".equals(f.path("encoding").asText()) ? Base64.getDecoder().decode(f.path("data").asText())
                        : f.path("data").asText().getBytes(StandardCharsets.UTF_8);
                inline.put(name, data);
                files.put(name, new DeployedFile(sha1(data), data.length, f.path("mode").asInt(0100644)));
            } else if (!f.has("sha") && (f.path("mode").asInt() & 0170000) == 0040000) {
                // a directory entry: the CLI lists directories with nothing in them (empty, or all ignored)
                files.put(name, new DeployedFile(null, 0, f.path("mode").asInt()));
            } else {
                String sha = f.path("sha").asText("").toLowerCase(Locale.ROOT);
                if (!sha.matches("[0-9a-f]{40}")) return error(400, "bad_request", "Invalid sha for " + name);
                if (!blobs.containsKey(sha)) missing.add(sha);
                files.put(name, new DeployedFile(sha, f.path("size").asLong(-1), f.path("mode").asInt(0100644)));
            }
        }
        if (missing.isEmpty() && missingAgain.get() > 0 && !files.isEmpty()) {
            missingAgain.decrementAndGet();
            // evict what this deployment needs: the next create must upload it again
            for (DeployedFile f : files.values()) {
                if (f.sha() != null && blobs.remove(f.sha()) != null) missing.add(f.sha());
            }
        }
        if (!missing.isEmpty()) {
            return Reply.json(400, Map.of("error", Map.of("code", "missing_files", "message", "Missing files",
                    "missing", List.copyOf(missing))));
        }
        for (Map.Entry<String, DeployedFile> e : files.entrySet()) {
            DeployedFile f = e.getValue();
            if (!inline.containsKey(e.getKey()) && f.sha() != null && f.size() >= 0 && blobs.get(f.sha()).length != f.size()) {
                return error(400, "bad_request", "size of " + e.getKey() + " does not match its uploaded content");
            }
        }
        Map<String, DeployedFile> content = files;
        if (!files.isEmpty() && files.keySet().stream().allMatch(n -> n.startsWith(".vercel/source.tgz.part"))) {
            try {
                content = untar(files);
            } catch (IOException e) {
                return error(400, "invalid_archive", "The archive could not be read: " + e.getMessage());
            }
        }
        String target = b.path("target").asText(null);
        if (target != null && !target.equals("production") && !target.equals("staging")) {
            return error(400, "bad_request", "Invalid target " + target);
        }
        long now = clock.millis();
        Dep d = new Dep(newId(), p, target, now);
        d.customEnvironment = b.path("customEnvironmentSlugOrId").asText(null);
        d.body = b;
        d.staged = "production".equals(target) && p.lastRollbackTarget != null;
        if (aliasErrors.getAndUpdate(x -> Math.max(0, x - 1)) > 0) d.aliasFailure = aliasError;
        d.queuedUntil = now + queueTime.toMillis();
        d.buildingUntil = d.queuedUntil + buildTime.toMillis();
        d.aliasAt = d.buildingUntil + aliasDelay.toMillis();
        b.path("meta").fields().forEachRemaining(e -> d.meta.put(e.getKey(), e.getValue().asText()));
        b.path("env").fieldNames().forEachRemaining(d.env::add);
        d.files.putAll(content);
        synchronized (nextBuildErrors) {
            if (!nextBuildErrors.isEmpty()) {
                String[] err = nextBuildErrors.remove(0);
                d.errorCode = err[0];
                d.errorMessage = err[1];
            }
        }
        if (nextBlocked.get() > 0) {
            nextBlocked.decrementAndGet();
            d.blocked = true;
        }
        d.buildLines.add("Running build in Washington, D.C., USA (East) – iad1");
        d.buildLines.add("Retrieving list of deployment files...");
        d.buildLines.add("Downloading " + content.size() + " deployment files...");
        d.buildLines.add("Running \"vercel build\"");
        d.buildLines.addAll(extraBuildLines);
        deployments.put(d.id, d);
        return Reply.json(200, json(d));
    }

    private Map<String, DeployedFile> untar(Map<String, DeployedFile> parts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>(parts.keySet());
        names.sort((a, c) -> Integer.compare(partNo(a), partNo(c)));
        for (String n : names) all.write(blobs.get(parts.get(n).sha()));
        Map<String, DeployedFile> out = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new ByteArrayInputStream(all.toByteArray())))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    out.put(e.getName().replaceAll("/$", ""), new DeployedFile(null, 0, 040000 | e.getMode()));
                    continue;
                }
                if (e.isSymbolicLink()) {
                    byte[] link = e.getLinkName().getBytes(StandardCharsets.UTF_8);
                    out.put(e.getName(), new DeployedFile(sha1(link), link.length, 0120777));
                } else {
                    byte[] data = tar.readAllBytes();
                    out.put(e.getName(), new DeployedFile(sha1(data), data.length, 0100000 | e.getMode()));
                }
            }
        }
        return out;
    }

    private static int partNo(String name) {
        return Integer.parseInt(name.substring(name.lastIndexOf("part") + 4));
    }

    private Reply getDeployment(String idOrUrl) {
        Dep d = findDeployment(idOrUrl);
        if (d == null) return error(404, "not_found", "Deployment not found");
        settle(d);
        return Reply.json(200, json(d));
    }

    private ObjectNode json(Dep d) {
        long now = clock.millis();
        String state = d.state(now);
        ObjectNode n = JSON.createObjectNode();
        n.put("id", d.id).put("url", d.url).put("name", d.project.name).put("projectId", d.project.id)
                .put("ownerId", TEAM_ID).put("readyState", state).put("status", state)
                .put("type", "LAMBDAS").put("version", 2).put("createdAt", d.createdAt).put("createdIn", "sfo1")
                .put("bootedAt", d.createdAt).put("buildingAt", d.queuedUntil).put("buildSkipped", false)
                .put("public", false).put("plan", "pro").put("inspectorUrl", d.inspectorUrl())
                .put("isInConcurrentBuildsQueue", "QUEUED".equals(state)).put("isInSystemBuildsQueue", false)
                .put("aliasAssigned", d.aliasAssigned(now)).put("source", "cli");
        if (d.target == null) n.putNull("target");
        else n.put("target", d.target);
        if (d.customEnvironment != null) n.putObject("customEnvironment").put("slug", d.customEnvironment);
        if ("READY".equals(state)) {
            n.put("ready", d.buildingUntil);
            n.put("readySubstate", "production".equals(d.target) && !d.staged
                    ? (d.id.equals(d.project.production) || d.wasProduction || !d.settled ? "PROMOTED" : "STAGED") : "STAGED");
        }
        if (d.aliasAssigned(now)) n.put("aliasAssignedAt", d.aliasAt);
        if ("ERROR".equals(state)) {
            n.put("errorCode", d.errorCode);
            n.put("errorMessage", d.errorMessage);
        }
        if (d.blocked) {
            n.put("errorCode", "DEPLOYMENT_BLOCKED");
            n.put("errorMessage", "The deployment was blocked: the team has reached the limit of its plan.");
        }
        if (d.aliasFailure != null && "READY".equals(state) && now >= d.aliasAt) {
            n.putObject("aliasError").put("code", d.aliasFailure[0]).put("message", d.aliasFailure[1]);
        } else {
            n.putNull("aliasError");
        }
        n.put("isRollbackCandidate", d.wasProduction);
        ArrayNode alias = n.putArray("alias");
        d.alias.forEach(alias::add);
        n.putArray("env");
        n.putObject("build").putArray("env");
        n.putObject("projectSettings");
        n.putNull("routes");
        n.putArray("regions").add("iad1");
        ObjectNode meta = n.putObject("meta");
        d.meta.forEach(meta::put);
        n.putObject("creator").put("uid", "usr_sim").put("username", "sim-user");
        n.putObject("team").put("id", TEAM_ID).put("name", "Sim Team").put("slug", TEAM_SLUG);
        return n;
    }

    private Reply list(RecordedRequest r, Matcher m) {
        deployments.values().forEach(this::settle);
        String projectId = r.param("projectId");
        String target = r.param("target");
        String states = r.param("state");
        String until = r.param("until");
        String since = r.param("since");
        boolean candidates = "true".equals(r.param("rollbackCandidate"));
        int limit = r.param("limit") == null ? 20 : Math.max(1, Math.min(100, Integer.parseInt(r.param("limit"))));
        long now = clock.millis();
        List<Dep> all = new ArrayList<>(deployments.values());
        all.sort((a, c) -> Long.compare(c.createdAt, a.createdAt));
        List<Dep> matching = all.stream()
                .filter(d -> projectId == null || d.project.id.equals(projectId) || d.project.name.equals(projectId))
                .filter(d -> target == null || target.equals(d.target))
                .filter(d -> states == null || List.of(states.split(",")).contains(d.state(now)))
                .filter(d -> until == null || d.createdAt < Long.parseLong(until))
                .filter(d -> since == null || d.createdAt > Long.parseLong(since))
                .filter(d -> !candidates || d.wasProduction)
                .toList();
        List<Dep> page = matching.subList(0, Math.min(limit, matching.size()));
        ArrayNode items = JSON.createArrayNode();
        for (Dep d : page) {
            ObjectNode n = items.addObject();
            n.put("uid", d.id).put("name", d.project.name).put("url", d.url).put("projectId", d.project.id)
                    .put("created", d.createdAt).put("createdAt", d.createdAt).put("buildingAt", d.queuedUntil)
                    .put("state", d.state(now)).put("readyState", d.state(now)).put("type", "LAMBDAS")
                    .put("inspectorUrl", d.inspectorUrl()).put("isRollbackCandidate", d.wasProduction)
                    .put("aliasAssigned", d.aliasAssigned(now)).putNull("aliasError").put("source", "cli");
            if (d.target == null) n.putNull("target");
            else n.put("target", d.target);
            if ("READY".equals(d.state(now))) n.put("ready", d.buildingUntil);
            n.putObject("creator").put("uid", "usr_sim").put("username", "sim-user");
            ObjectNode meta = n.putObject("meta");
            d.meta.forEach(meta::put);
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("deployments", items);
        ObjectNode pg = body.putObject("pagination");
        pg.put("count", page.size());
        if (matching.size() > page.size()) pg.put("next", page.get(page.size() - 1).createdAt);
        else pg.putNull("next");
        if (page.isEmpty()) pg.putNull("prev");
        else pg.put("prev", page.get(0).createdAt);
        return Reply.json(200, body);
    }

    private Reply alias(RecordedRequest r, String idOrUrl) {
        Dep d = findDeployment(idOrUrl);
        if (d == null) return error(404, "deployment_not_found", "Deployment not found");
        settle(d);
        String alias = r.json().path("alias").asText("").toLowerCase(Locale.ROOT);
        if (alias.isEmpty() || !alias.matches("[a-z0-9.-]+")) return error(400, "invalid_alias", "Invalid alias " + alias);
        if (!"READY".equals(d.state(clock.millis()))) {
            return error(400, "deployment_not_ready", "The deployment is not ready");
        }
        Boolean assignFirst = aliasConflicts.remove(alias);
        if (assignFirst != null) {
            if (assignFirst) assign(alias, d);
            return Reply.json(409, Map.of("error", Map.of("code", "alias_in_use",
                    "message", "The alias " + alias + " is already in use", "uid", "als_conflict", "alias", alias)));
        }
        String old = aliases.get(alias);
        assign(alias, d);
        ObjectNode n = JSON.createObjectNode();
        n.put("uid", "als_" + Long.toHexString(RANDOM.nextLong())).put("alias", alias).put("created",
                java.time.Instant.ofEpochMilli(clock.millis()).toString());
        if (old != null && !old.equals(d.id)) n.put("oldDeploymentId", old);
        else n.putNull("oldDeploymentId");
        return Reply.json(200, n);
    }

    private Reply listAliases(String idOrUrl) {
        Dep d = findDeployment(idOrUrl);
        if (d == null) return error(404, "not_found", "Deployment not found");
        settle(d);
        List<Map<String, Object>> out = new ArrayList<>();
        for (String a : d.alias) out.add(Map.of("uid", "als_" + Integer.toHexString(a.hashCode()), "alias", a, "created", d.aliasAt));
        return Reply.json(200, Map.of("aliases", out));
    }

    private Reply cancel(String id) {
        Dep d = findDeployment(id);
        if (d == null) return error(404, "not_found", "Deployment not found");
        if (!d.terminal(clock.millis())) d.canceledAt = clock.millis();
        return Reply.json(200, json(d));
    }

    private Reply job(RecordedRequest r, String type, String projectId, String deploymentId) {
        Proj p = project(projectId);
        if (p == null) return error(404, "not_found", "Project not found");
        Dep d = findDeployment(deploymentId);
        if (d == null || d.project != p) return error(404, "not_found", "Deployment not found");
        settle(d);
        settleJob(p);
        long now = clock.millis();
        if (!"READY".equals(d.state(now))) return error(400, "deployment_not_ready", "The deployment is not ready");
        if (p.lastAliasRequest != null && Set.of("pending", "in-progress").contains(p.lastAliasRequest.path("jobStatus").asText())) {
            return error(409, "conflict", "Another " + p.lastAliasRequest.path("type").asText() + " is in progress");
        }
        if (type.equals("rollback") && !d.wasProduction) {
            return error(400, "bad_request", "The deployment is not a rollback candidate: it never served production");
        }
        if (type.equals("promote") && !"production".equals(d.target)) {
            return error(400, "bad_request", "Only production deployments can be promoted");
        }
        boolean queued = type.equals("promote") && promoteQueued.getAndUpdate(x -> Math.max(0, x - 1)) > 0;
        ObjectNode req = JSON.createObjectNode();
        req.put("type", type).put("jobStatus", "pending").put("requestedAt", now)
                .put("toDeploymentId", d.id).put("fromDeploymentId", p.production == null ? "" : p.production);
        p.lastAliasRequest = req;
        p.jobPendingUntil = now + jobTime.toMillis() / 4 + (queued ? jobTime.toMillis() : 0);
        p.jobDoneAt = now + jobTime.toMillis() + (queued ? jobTime.toMillis() : 0);
        p.jobFails = jobFailures.getAndUpdate(x -> Math.max(0, x - 1)) > 0;
        return Reply.empty(queued ? 202 : 201);
    }

    private Reply jobAliases(String projectId, RecordedRequest r) {
        Proj p = project(projectId);
        if (p == null) return error(404, "not_found", "Project not found");
        settleJob(p);
        List<Map<String, Object>> out = new ArrayList<>();
        if (p.lastAliasRequest != null && "failed".equals(p.lastAliasRequest.path("jobStatus").asText())) {
            out.add(Map.of("alias", Map.of("alias", p.name + ".vercel.app", "deploymentId",
                    p.lastAliasRequest.path("toDeploymentId").asText()), "id", "als_failed", "status", "failed"));
        }
        return Reply.json(200, Map.of("aliases", out, "pagination", Map.of("count", out.size())));
    }

    // ------------------------------------------------------------------ events

    private List<ObjectNode> events(Dep d, long upTo, boolean includeAlias) {
        List<ObjectNode> out = new ArrayList<>();
        int serial = 0;
        long t = d.createdAt;
        out.add(event(d, "deployment-state", t, serial++, null, "QUEUED"));
        if (d.blocked) {
            out.add(event(d, "deployment-state", t, serial++, null, "BLOCKED"));
            return filter(out, upTo);
        }
        long span = Math.max(1, d.buildingUntil - d.queuedUntil);
        out.add(event(d, "deployment-state", d.queuedUntil, serial++, null, "BUILDING"));
        for (int i = 0; i < d.buildLines.size(); i++) {
            long at = d.queuedUntil + span * (i + 1) / (d.buildLines.size() + 2);
            out.add(event(d, i == 3 ? "command" : "stdout", at, serial++, d.buildLines.get(i), null));
        }
        long end = d.buildingUntil;
        if (d.canceledAt != null && d.canceledAt < end) {
            out.add(event(d, "deployment-state", d.canceledAt, serial++, null, "CANCELED"));
            return filter(out, upTo);
        }
        if (d.errorCode != null) {
            ObjectNode e = event(d, "stderr", end - 1, serial++, "Error: " + d.errorMessage, null);
            e.put("level", "error");
            out.add(e);
            out.add(event(d, "exit", end - 1, serial++, "Command \"npm run build\" exited with 1", null));
            out.add(event(d, "deployment-state", end, serial++, null, "ERROR"));
            return filter(out, upTo);
        }
        out.add(event(d, "stdout", end - 1, serial++, "Build Completed in /vercel/output [" + span / 1000 + "s]", null));
        out.add(event(d, "stdout", end, serial++, "Deploying outputs...", null));
        out.add(event(d, "deployment-state", end, serial++, null, "READY"));
        if (includeAlias) {
            ObjectNode a = JSON.createObjectNode();
            a.put("type", "alias-assigned").put("deploymentId", d.id).put("created", d.aliasAt).put("date", d.aliasAt);
            ArrayNode al = a.putArray("alias");
            d.alias.forEach(al::add);
            a.putNull("aliasError").putNull("aliasWarning");
            out.add(a);
        }
        return filter(out, upTo);
    }

    private static List<ObjectNode> filter(List<ObjectNode> events, long upTo) {
        return events.stream().filter(e -> e.path("created").asLong() <= upTo).toList();
    }

    private static ObjectNode event(Dep d, String type, long at, int serial, String text, String readyState) {
        ObjectNode e = JSON.createObjectNode();
        e.put("type", type).put("created", at).put("date", at).put("deploymentId", d.id)
                .put("id", "evt_" + d.id.substring(4, 12) + "_" + serial).put("serial", String.format("%020d", at * 1000 + serial));
        if (text != null) e.put("text", text);
        ObjectNode info = e.putObject("info");
        info.put("type", "build").put("name", "bld_" + d.id.substring(4, 14)).put("entrypoint", ".");
        if (readyState != null) {
            info.put("readyState", readyState);
            e.put("text", "Deployment " + readyState);
        }
        return e;
    }

    private Reply eventsArray(RecordedRequest r, String idOrUrl) {
        Dep d = findDeployment(idOrUrl);
        if (d == null) return error(404, "not_found", "Deployment not found");
        settle(d);
        ArrayNode a = JSON.createArrayNode();
        events(d, clock.millis(), false).forEach(a::add);
        return Reply.json(200, a);
    }

    /** {@code follow=1}: NDJSON written as simulated time passes, closed once the deployment is done. */
    @Override
    protected boolean stream(RecordedRequest r, HttpExchange ex) throws IOException {
        if (r.method().equals("POST") && r.path().equals("/v13/deployments") && lostCreateAnswers.get() > 0
                && authorize(r) == null) {
            synchronized (this) {
                Reply reply = create(r, null);
                if (reply.status() == 200) {
                    lostCreateAnswers.decrementAndGet();
                    return true; // processed; the exchange closes without an answer, as a dropped connection
                }
                send(ex, withId(reply));
                return true;
            }
        }
        Matcher m = EVENTS.matcher(r.path());
        if (!r.method().equals("GET") || !m.matches() || !"1".equals(r.param("follow"))) return false;
        Reply denied = authorize(r);
        Dep d;
        synchronized (this) {
            d = denied == null ? findDeployment(m.group(1)) : null;
        }
        if (denied != null || d == null) {
            Reply reply = denied != null ? denied : error(404, "not_found", "Deployment not found");
            byte[] body = reply.body();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(reply.status(), body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
            return true;
        }
        long since = r.param("since") == null ? Long.MIN_VALUE : Long.parseLong(r.param("since"));
        delayed(null);
        ex.getResponseHeaders().add("Content-Type", "application/stream+json");
        ex.getResponseHeaders().add("x-vercel-id", "iad1::stream");
        ex.sendResponseHeaders(200, 0);
        int sent = 0;
        long realDeadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        try (OutputStream out = ex.getResponseBody()) {
            while (System.nanoTime() < realDeadline) {
                List<ObjectNode> evs;
                boolean done;
                synchronized (this) {
                    settle(d);
                    long now = clock.millis();
                    evs = events(d, now, true).stream().filter(e -> e.path("created").asLong() >= since).toList();
                    done = d.terminal(now);
                }
                for (int i = sent; i < evs.size(); i++) {
                    out.write(JSON.writeValueAsBytes(evs.get(i)));
                    out.write('\n');
                }
                if (evs.size() > sent) out.flush();
                sent = Math.max(sent, evs.size());
                if (done) break;
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } catch (IOException closedByClient) {
            // the client stopped following
        }
        return true;
    }

    // ------------------------------------------------------------------ helpers

    private static void send(HttpExchange ex, Reply reply) throws IOException {
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        ex.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        if (reply.body().length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    private String newId() {
        String abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder("dpl_");
        for (int i = 0; i < 28; i++) b.append(abc.charAt(RANDOM.nextInt(abc.length())));
        return b.toString();
    }

    static String sha1(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs the simulator on its own (for the benchmark and by hand):
     * {@code VercelSimulator [url-file] [speed] [build-seconds] [answer-delay-ms]}; prints its URL and runs until
     * killed.
     */
    public static void main(String[] args) throws Exception {
        double speed = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        VercelSimulator sim = new VercelSimulator(new ScaledClock(speed));
        if (args.length > 2) sim.buildTime(Duration.ofMillis(200), Duration.ofMillis((long) (Double.parseDouble(args[2]) * 1000)));
        if (args.length > 3) sim.answerDelay(Duration.ofMillis(Long.parseLong(args[3])));
        String url = sim.baseUrl().toString();
        if (args.length > 0) java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), url);
        System.out.println("VERCEL_SIM_URL=" + url);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close));
        Thread.currentThread().join();
    }
}
