package dev.gantry.actiontests.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.actiontests.harness.OpenApiContract;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.common.testing.LoopbackServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A stateful DigitalOcean App Platform on loopback, faithful to the research notes (§2, §4) and DigitalOcean's
 * OpenAPI description: apps (create, get, list with {@code page}/{@code per_page}/{@code links.pages}, update,
 * delete, propose), deployments that move through {@code PENDING_BUILD → BUILDING → PENDING_DEPLOY → DEPLOYING →
 * ACTIVE} on an {@link AppPlatformClock} (each API request moves it by {@link #tick}), step progress, superseding,
 * cancel, logs behind presigned-style URLs it serves itself (refusing requests that carry a token), and the
 * rollback endpoints (validate, rollback, commit, revert). Error bodies are {@code {id, message, request_id}};
 * every answer carries {@code ratelimit-*} headers and {@code x-request-id}.
 *
 * <p>Faults: {@link #rateLimitStorm}, {@link #rateLimit} (one kind of call), {@link #serverErrors},
 * {@link #failRequest} (the n-th request of a run, before or after its work), {@link #afterProcessing} (the work is
 * done, then the answer is an error or a dropped connection), {@link #failNextBuild}/{@link #failNextDeploy},
 * {@link #supersedeNextAfter}, {@link #phaseDurations} (slow builds), {@link #updatesStartNoDeployment}.
 *
 * <p>The adversary: {@link #hostile} puts a payload (workflow commands, Markdown, HTML) into every free-text field
 * the API description allows (causes, failed steps' reasons, live URLs, log lines, rollback conditions, error
 * messages; with {@link #hostileIds}, deployment ids too); {@link #stalePhaseTimestamps} reports every phase as changed at creation, as
 * stand-ins do; {@link #logArchives} serves many big log archives; {@link #logUrls} hands out log URLs of its
 * choosing (other hosts, plain http, redirects).
 *
 * <p>For benchmarks: {@link #realTime} (the clock runs with the wall clock), {@link #answerDelay} (every answer
 * waits, as over a real network), {@link #phaseJitter}, and {@link #ends()} (when each deployment ended and when an
 * answer first showed it).
 */
public final class AppPlatformSimulator extends LoopbackServer {
    /** The App Platform OpenAPI description under ../shared/specs/. */
    public static final String SPEC = "digitalocean/apps.openapi.json";

    public static final String TOKEN = "dop_v1_simulatortoken0123456789abcdef0123456789abcdef0123456789abcd";
    private static final String ID = "[0-9a-f-]{36}";
    /** A deployment id as a path segment: a UUID, or (from {@link #hostile}) a UUID with a payload after it. */
    private static final String DEP = "[^/]+";
    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,30}[a-z0-9]$");
    private static final Pattern ENV_KEY = Pattern.compile("^[_A-Za-z][_A-Za-z0-9]*$");
    private static final List<String> KINDS = List.of("services", "static_sites", "workers", "jobs", "functions");
    private static final Set<String> HTTP_KINDS = Set.of("services", "static_sites", "functions");
    private static final Set<String> SOURCES = Set.of("git", "github", "gitlab", "bitbucket", "image");

    private final AppPlatformClock clock = new AppPlatformClock(Instant.parse("2026-11-23T12:00:00Z"));
    private volatile Duration tick = Duration.ofSeconds(15);
    private final Map<String, SimApp> apps = new LinkedHashMap<>();
    private final Map<String, String> logArchives = new LinkedHashMap<>();
    private final List<AfterFault> afterFaults = new CopyOnWriteArrayList<>();
    private final AtomicInteger appsCreated = new AtomicInteger();
    private final AtomicInteger deploymentsCreated = new AtomicInteger();
    private final AtomicInteger logDownloads = new AtomicInteger();
    private final AtomicInteger logDownloadsWithToken = new AtomicInteger();
    private int rateRemaining = 5000;

    private Duration pendingBuild = Duration.ofSeconds(10);
    private Duration building = Duration.ofSeconds(60);
    private Duration pendingDeploy = Duration.ofSeconds(10);
    private Duration deploying = Duration.ofSeconds(40);
    private Failure nextFailure;
    private Duration nextSupersede;
    private boolean updatesStartNoDeployment;
    private int rollbackRevisionLimit = 10;
    /** The commit the next deployments of source components are built from (a push moves it). */
    private String sourceCommit = "9a4df0b6a1e3c2d4f5b6a7c8d9e0f1a2b3c4d5e6";
    private volatile String hostile;
    private volatile boolean hostileIds;
    private boolean stalePhaseTimestamps;
    private int archiveCount = 1;
    private byte[] bigArchive;
    private volatile java.util.function.Function<String, List<String>> logUrls;
    private volatile Duration answerDelay = Duration.ZERO;
    private double jitter;
    private final java.util.Random random = new java.util.Random(20261123);
    private final Map<String, End> ends = new LinkedHashMap<>();
    private String acceptedToken = TOKEN;
    private volatile java.util.function.Function<String, String> ingressFor;
    private volatile java.util.function.BiConsumer<String, JsonNode> onLive;

    public AppPlatformSimulator() {
        api("GET", "/v2/apps", (r, m) -> listApps(r));
        api("POST", "/v2/apps", (r, m) -> createApp(r));
        api("POST", "/v2/apps/propose", (r, m) -> propose(r));
        api("GET", "/v2/apps/(" + ID + ")", (r, m) -> getApp(m.group(1)));
        api("PUT", "/v2/apps/(" + ID + ")", (r, m) -> updateApp(m.group(1), r));
        api("DELETE", "/v2/apps/(" + ID + ")", (r, m) -> deleteApp(m.group(1)));
        api("GET", "/v2/apps/(" + ID + ")/deployments", (r, m) -> listDeployments(m.group(1), r));
        api("POST", "/v2/apps/(" + ID + ")/deployments", (r, m) -> createDeployment(m.group(1), r));
        api("GET", "/v2/apps/(" + ID + ")/deployments/(" + DEP + ")", (r, m) -> getDeployment(m.group(1), segment(m.group(2))));
        api("POST", "/v2/apps/(" + ID + ")/deployments/(" + DEP + ")/cancel", (r, m) -> cancel(m.group(1), segment(m.group(2))));
        api("GET", "/v2/apps/(" + ID + ")/deployments/(" + DEP + ")/components/([a-z0-9-]+)/logs",
                (r, m) -> logs(m.group(1), segment(m.group(2)), m.group(3), r));
        api("GET", "/v2/apps/(" + ID + ")/deployments/(" + DEP + ")/logs", (r, m) -> logs(m.group(1), segment(m.group(2)), null, r));
        api("POST", "/v2/apps/(" + ID + ")/rollback/validate", (r, m) -> validateRollback(m.group(1), r));
        api("POST", "/v2/apps/(" + ID + ")/rollback", (r, m) -> rollback(m.group(1), r));
        api("POST", "/v2/apps/(" + ID + ")/rollback/commit", (r, m) -> commitRollback(m.group(1)));
        api("POST", "/v2/apps/(" + ID + ")/rollback/revert", (r, m) -> revertRollback(m.group(1)));
        route("GET", "/presigned/logs/([0-9a-z-]+)\\.log", (r, m) -> {
            pause(answerDelay);
            return presigned(m.group(1), r);
        });
    }

    // ---- controls ---------------------------------------------------------------------------------------------

    public AppPlatformClock clock() {
        return clock;
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

    /** How far the simulated clock moves on every API request (default 15 s). */
    public AppPlatformSimulator tick(Duration d) {
        this.tick = d;
        return this;
    }

    /**
     * Real-time mode (benchmarks): the clock is the wall clock and requests no longer move it. Call it first,
     * before anything is seeded.
     */
    public AppPlatformSimulator realTime() {
        this.tick = Duration.ZERO;
        clock.followWallClock();
        return this;
    }

    /** Every API answer waits {@code d} (real time) before it is sent, as over a real network. */
    public AppPlatformSimulator answerDelay(Duration d) {
        this.answerDelay = d;
        return this;
    }

    /** Each phase of each new deployment lasts its length times a random factor within ±{@code fraction}. */
    public synchronized AppPlatformSimulator phaseJitter(double fraction) {
        this.jitter = fraction;
        return this;
    }

    /**
     * The adversary: from now on, {@code payload} rides in every free-text field the API description allows:
     * causes, failed steps' reasons, live URLs, log lines, rollback conditions and error messages.
     */
    public AppPlatformSimulator hostile(String payload) {
        this.hostile = payload;
        return this;
    }

    /**
     * The adversary, also in ids: new deployments' ids are a UUID followed by {@code payload} (a free string in the
     * API description). Payloads must not hold {@code /}, since ids are path segments.
     */
    public AppPlatformSimulator hostileIds(String payload) {
        if (payload.contains("/")) throw new IllegalArgumentException("ids are path segments: no / in the payload");
        hostile(payload);
        this.hostileIds = true;
        return this;
    }

    /** Every phase is reported as changed at the deployment's creation ({@code phase_last_updated_at}), as stand-ins do. */
    public synchronized AppPlatformSimulator stalePhaseTimestamps() {
        this.stalePhaseTimestamps = true;
        return this;
    }

    /** Logs calls answer {@code count} archive URLs, each serving {@code bytes} bytes of log lines. */
    public synchronized AppPlatformSimulator logArchives(int count, int bytes) {
        this.archiveCount = count;
        StringBuilder line = new StringBuilder();
        while (line.length() < 200) line.append("web 2026-11-23T12:00:00Z [deploy] ").append("x".repeat(100)).append('\n');
        byte[] unit = line.toString().getBytes(StandardCharsets.UTF_8);
        byte[] big = new byte[bytes];
        for (int i = 0; i < bytes; i++) big[i] = unit[i % unit.length];
        this.bigArchive = big;
        return this;
    }

    /** Logs calls answer the URLs {@code urls} gives for the presigned URL the simulator would have served. */
    public AppPlatformSimulator logUrls(java.util.function.Function<String, List<String>> urls) {
        this.logUrls = urls;
        return this;
    }

    /** When a deployment ended (its terminal phase began) and when an API answer first showed that phase. */
    public record End(String deploymentId, String phase, Instant endedAt, Instant firstShownAt) {
    }

    /** Every deployment whose end an answer has shown, in order. */
    public synchronized List<End> ends() {
        return List.copyOf(ends.values());
    }

    /** Phase lengths of deployments created from now on (default 10 s, 60 s, 10 s, 40 s). */
    public synchronized AppPlatformSimulator phaseDurations(Duration pendingBuild, Duration building,
                                                            Duration pendingDeploy, Duration deploying) {
        this.pendingBuild = pendingBuild;
        this.building = building;
        this.pendingDeploy = pendingDeploy;
        this.deploying = deploying;
        return this;
    }

    /**
     * The repository's head moves to {@code sha}: deployments made from now on build their source components from
     * it ({@code source_commit_hash}); a rollback deployment keeps its target's commit.
     */
    public synchronized AppPlatformSimulator sourceCommit(String sha) {
        this.sourceCommit = sha;
        return this;
    }

    /** The next deployment fails while building {@code component}, with these build log lines. */
    public synchronized AppPlatformSimulator failNextBuild(String component, String message, List<String> logLines) {
        this.nextFailure = new Failure("build", component, "BuildJobFailed", message, logLines);
        return this;
    }

    /** The next deployment fails while deploying {@code component} (its container exits). */
    public synchronized AppPlatformSimulator failNextDeploy(String component, String message, List<String> logLines) {
        this.nextFailure = new Failure("deploy", component, "DeployContainerExitNonZero", message, logLines);
        return this;
    }

    /** {@code after} into the next deployment, a push (DEPLOY_ON_PUSH) starts another one and supersedes it. */
    public synchronized AppPlatformSimulator supersedeNextAfter(Duration after) {
        this.nextSupersede = after;
        return this;
    }

    /** Updates change the spec without starting a deployment (the client must create one). */
    public synchronized AppPlatformSimulator updatesStartNoDeployment(boolean v) {
        this.updatesStartNoDeployment = v;
        return this;
    }

    public synchronized AppPlatformSimulator rollbackRevisionLimit(int n) {
        this.rollbackRevisionLimit = n;
        return this;
    }

    /** The next {@code n} API requests are answered 429 with {@code retry-after} and {@code ratelimit-*} headers. */
    public void rateLimitStorm(int n, int retryAfterSeconds) {
        Reply r = error(429, "too_many_requests", "API rate limit exceeded.")
                .withHeader("retry-after", String.valueOf(retryAfterSeconds))
                .withHeader("ratelimit-limit", "5000").withHeader("ratelimit-remaining", "0")
                .withHeader("ratelimit-reset", String.valueOf(clock.instant().getEpochSecond() + retryAfterSeconds));
        inject(Fault.status(r2 -> r2.path().startsWith("/v2/"), n, r));
    }

    /** The next {@code n} requests matching are answered 429 with {@code retry-after} and {@code ratelimit-*} headers. */
    public void rateLimit(String method, String pathRegex, int n, int retryAfterSeconds) {
        Reply r = error(429, "too_many_requests", "API rate limit exceeded.")
                .withHeader("retry-after", String.valueOf(retryAfterSeconds))
                .withHeader("ratelimit-limit", "5000").withHeader("ratelimit-remaining", "0")
                .withHeader("ratelimit-reset", String.valueOf(clock.instant().getEpochSecond() + retryAfterSeconds));
        inject(Fault.status(matching(method, pathRegex), n, r));
    }

    /**
     * The {@code nth} request from now (1: the next; API calls and log downloads alike) is answered {@code status}:
     * before its work is done, or (with {@code processed}, for API calls) after it, so the client cannot know
     * whether it happened.
     */
    public void failRequest(int nth, int status, boolean processed) {
        int index = requests().size() + nth - 1;
        Predicate<RecordedRequest> isNth = r -> {
            List<RecordedRequest> all = requests();
            return all.size() > index && all.get(index) == r;
        };
        Reply reply = error(status, status == 500 ? "server_error" : "service_unavailable", "Server Error");
        if (processed) afterFaults.add(new AfterFault(r -> r.path().startsWith("/v2/") && isNth.test(r), new AtomicInteger(1), status));
        inject(Fault.status(r -> (!processed || !r.path().startsWith("/v2/")) && isNth.test(r), 1, reply));
    }

    /** The next {@code n} requests matching are answered {@code status} without being processed. */
    public void serverErrors(String method, String pathRegex, int n, int status) {
        inject(Fault.status(matching(method, pathRegex), n, error(status, status == 500 ? "server_error"
                : "service_unavailable", "Server Error")));
    }

    /** The next {@code n} requests matching get no answer at all: the connection closes before any work. */
    public void dropConnections(String method, String pathRegex, int n) {
        inject(Fault.drop(matching(method, pathRegex), n));
    }

    /**
     * The next {@code n} requests matching are processed, then answered {@code status} instead (0: the connection
     * is dropped): the client cannot know that the work was done.
     */
    public void afterProcessing(String method, String pathRegex, int n, int status) {
        afterFaults.add(new AfterFault(matching(method, pathRegex), new AtomicInteger(n), status));
    }

    public int appsCreated() {
        return appsCreated.get();
    }

    /** Deployments created by requests (create, update, create deployment, rollback, revert). */
    public int deploymentsCreated() {
        return deploymentsCreated.get();
    }

    public int logDownloads() {
        return logDownloads.get();
    }

    public int logDownloadsWithToken() {
        return logDownloadsWithToken.get();
    }

    public synchronized int appCount() {
        return apps.size();
    }

    /** Seeds an app (not counted as created by a request) with an active deployment. */
    public synchronized String seedApp(String specJson) {
        ObjectNode spec = (ObjectNode) parse(specJson.getBytes(StandardCharsets.UTF_8));
        String problem = validate(spec);
        if (problem != null) throw new IllegalArgumentException(problem);
        SimApp app = new SimApp(uuid(), encrypt(spec), clock.instant());
        apps.put(app.id, app);
        SimDeployment d = newDeployment(app, "initial", "MANUAL", null, false);
        deploymentsCreated.decrementAndGet();
        d.created = clock.instant().minus(Duration.ofHours(1));
        d.rebuildLeaves();
        advance();
        return app.id;
    }

    /** The stored app as the API would show it. */
    public synchronized JsonNode app(String id) {
        advance();
        SimApp a = apps.get(id);
        return a == null ? null : appJson(a, null);
    }

    public synchronized JsonNode appByName(String name) {
        for (SimApp a : apps.values()) {
            if (name.equals(a.spec.path("name").asText())) return appJson(a, null);
        }
        return null;
    }

    public synchronized List<JsonNode> deploymentsOf(String appId) {
        advance();
        List<JsonNode> out = new ArrayList<>();
        SimApp a = apps.get(appId);
        if (a != null) {
            for (int i = a.deployments.size() - 1; i >= 0; i--) out.add(deploymentJson(a.deployments.get(i)));
        }
        return out;
    }

    /**
     * Serves {@code ingress.apply(appName)} as the live URL of apps that get one from now on, instead of
     * {@code https://<name>-<suffix>.ondigitalocean.app} (the sandbox points it at its sample app on loopback).
     */
    public AppPlatformSimulator ingress(java.util.function.Function<String, String> ingress) {
        this.ingressFor = ingress;
        return this;
    }

    /** Called (app name, deployment spec) whenever a deployment goes live, as App Platform routes traffic to it. */
    public AppPlatformSimulator onLive(java.util.function.BiConsumer<String, JsonNode> listener) {
        this.onLive = listener;
        return this;
    }

    // ---- apps -------------------------------------------------------------------------------------------------

    private Reply listApps(RecordedRequest r) {
        int[] paging = paging(r);
        if (paging == null) return error(400, "bad_request", "invalid pagination parameters");
        List<JsonNode> all = new ArrayList<>();
        for (SimApp a : apps.values()) all.add(appJson(a, null));
        return page("apps", all, paging[0], paging[1], "/v2/apps");
    }

    private Reply createApp(RecordedRequest r) {
        JsonNode body = parse(r.body());
        if (body == null || !body.path("spec").isObject()) return error(400, "bad_request", "error parsing request body");
        ObjectNode spec = (ObjectNode) body.get("spec");
        String problem = validate(spec);
        if (problem != null) return error(400, "bad_request", problem);
        if (findByName(spec.path("name").asText()) != null) return error(409, "conflict", "App name already exists");
        SimApp app = new SimApp(uuid(), encrypt(spec), clock.instant());
        app.projectId = body.path("project_id").asText(null);
        apps.put(app.id, app);
        appsCreated.incrementAndGet();
        SimDeployment d = newDeployment(app, "app created", "MANUAL", null, true);
        return Reply.json(200, Map.of("app", appJson(app, d)));
    }

    private Reply getApp(String id) {
        SimApp a = apps.get(id);
        if (a == null) return notFound("app");
        return Reply.json(200, Map.of("app", appJson(a, null)));
    }

    private Reply updateApp(String id, RecordedRequest r) {
        SimApp a = apps.get(id);
        if (a == null) return notFound("app");
        JsonNode body = parse(r.body());
        if (body == null || !body.path("spec").isObject()) return error(400, "bad_request", "error parsing request body");
        ObjectNode spec = (ObjectNode) body.get("spec");
        String problem = validate(spec);
        if (problem != null) return error(400, "bad_request", problem);
        SimApp other = findByName(spec.path("name").asText());
        if (other != null && other != a) return error(409, "conflict", "App name already exists");
        if (a.pinned != null) return pinnedError();
        ObjectNode stored = encrypt(spec);
        boolean changed = !comparable(stored).equals(comparable(a.spec));
        a.spec = stored;
        a.updatedAt = clock.instant();
        SimDeployment d = null;
        if (!updatesStartNoDeployment && (changed || body.path("update_all_source_versions").asBoolean(false))) {
            d = newDeployment(a, changed ? "app spec updated" : "manual", "MANUAL", null, true);
        }
        return Reply.json(200, Map.of("app", appJson(a, d)));
    }

    private Reply deleteApp(String id) {
        SimApp a = apps.remove(id);
        if (a == null) return notFound("app");
        return Reply.json(200, Map.of("id", id));
    }

    private Reply propose(RecordedRequest r) {
        JsonNode body = parse(r.body());
        if (body == null || !body.path("spec").isObject()) return error(400, "bad_request", "error parsing request body");
        ObjectNode spec = (ObjectNode) body.get("spec");
        String problem = validate(spec);
        if (problem != null) return error(400, "bad_request", problem);
        String appId = body.path("app_id").asText("");
        if (!appId.isEmpty() && !apps.containsKey(appId)) return notFound("app");
        SimApp same = findByName(spec.path("name").asText());
        boolean available = same == null || same.id.equals(appId);
        ObjectNode out = JSON.createObjectNode();
        out.put("app_name_available", available);
        if (!available) out.put("app_name_suggestion", spec.path("name").asText() + "-2");
        int cost = 0;
        boolean onlyStatic = true;
        for (String kind : KINDS) {
            for (JsonNode c : spec.path(kind)) {
                cost += kind.equals("static_sites") ? 0 : 5 * Math.max(1, c.path("instance_count").asInt(1));
                onlyStatic &= kind.equals("static_sites");
            }
        }
        out.put("app_cost", cost);
        out.put("app_is_static", onlyStatic);
        out.set("spec", spec);
        return Reply.json(200, out);
    }

    // ---- deployments ------------------------------------------------------------------------------------------

    private Reply listDeployments(String appId, RecordedRequest r) {
        SimApp a = apps.get(appId);
        if (a == null) return notFound("app");
        int[] paging = paging(r);
        if (paging == null) return error(400, "bad_request", "invalid pagination parameters");
        List<JsonNode> all = new ArrayList<>();
        for (int i = a.deployments.size() - 1; i >= 0; i--) all.add(deploymentJson(a.deployments.get(i)));
        return page("deployments", all, paging[0], paging[1], "/v2/apps/" + appId + "/deployments");
    }

    private Reply createDeployment(String appId, RecordedRequest r) {
        SimApp a = apps.get(appId);
        if (a == null) return notFound("app");
        JsonNode body = parse(r.body());
        if (body == null || !body.isObject()) return error(400, "bad_request", "error parsing request body");
        if (a.pinned != null) return pinnedError();
        SimDeployment d = newDeployment(a, "manual", "MANUAL", null, true);
        d.forceBuild = body.path("force_build").asBoolean(false);
        return Reply.json(200, Map.of("deployment", deploymentJson(d)));
    }

    private Reply getDeployment(String appId, String depId) {
        SimDeployment d = deployment(appId, depId);
        if (d == null) return notFound("deployment");
        View v = d.view(clock.instant());
        if (v.phase.isTerminal() && !ends.containsKey(d.id)) {
            ends.put(d.id, new End(d.id, v.phase.name(), v.phaseSince, clock.instant()));
        }
        return Reply.json(200, Map.of("deployment", deploymentJson(d)));
    }

    private Reply cancel(String appId, String depId) {
        SimDeployment d = deployment(appId, depId);
        if (d == null) return notFound("deployment");
        if (d.view(clock.instant()).phase.isTerminal()) {
            return error(400, "bad_request", "deployment " + depId + " is not in progress");
        }
        d.force("CANCELED", clock.instant());
        return Reply.json(200, Map.of("deployment", deploymentJson(d)));
    }

    private Reply logs(String appId, String depId, String component, RecordedRequest r) {
        SimDeployment d = deployment(appId, depId);
        if (d == null) return notFound("deployment");
        String type = r.param("type");
        if (type == null || type.isEmpty()) return error(400, "bad_request", "type is required");
        if (!Set.of("BUILD", "DEPLOY").contains(type)) {
            return error(400, "bad_request", "no " + type + " logs for this deployment");
        }
        if (component != null && d.component(component) == null) return notFound("component");
        String stage = type.equals("BUILD") ? "build" : "deploy";
        StringBuilder text = new StringBuilder();
        Instant now = clock.instant();
        for (String c : d.componentNames()) {
            if (component == null || component.equals(c)) text.append(d.logText(stage, c, now));
        }
        if (text.isEmpty()) {
            return error(400, "bad_request", "the " + stage + " stage did not run for "
                    + (component == null ? "this deployment" : "component " + component));
        }
        if (hostile != null) text.append(d.componentNames().get(0)).append(' ').append(now).append(' ').append(hostile).append('\n');
        List<String> urls = new ArrayList<>();
        if (bigArchive != null) {
            for (int i = 0; i < archiveCount; i++) urls.add(presignedUrl("big-" + i));
        } else {
            String key = uuid();
            logArchives.put(key, text.toString());
            urls.add(presignedUrl(key));
        }
        var custom = logUrls;
        if (custom != null) {
            List<String> replaced = new ArrayList<>();
            for (String u : urls) replaced.addAll(custom.apply(u));
            urls = replaced;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("live_url", "");
        ArrayNode historic = out.putArray("historic_urls");
        urls.forEach(historic::add);
        return Reply.json(200, out);
    }

    private String presignedUrl(String key) {
        return baseUrl() + "/presigned/logs/" + key + ".log?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900"
                + "&X-Amz-Signature=" + signature(key);
    }

    private synchronized Reply presigned(String key, RecordedRequest r) {
        logDownloads.incrementAndGet();
        if (r.header("authorization") != null) {
            logDownloadsWithToken.incrementAndGet();
            return new Reply(400, Map.of("Content-Type", "application/xml"), ("<Error><Code>InvalidArgument</Code>"
                    + "<Message>Only one auth mechanism allowed</Message></Error>").getBytes(StandardCharsets.UTF_8));
        }
        if (key.startsWith("big-") && bigArchive != null && signature(key).equals(r.param("X-Amz-Signature"))) {
            return new Reply(200, Map.of("Content-Type", "text/plain; charset=utf-8"), bigArchive);
        }
        String text = logArchives.get(key);
        if (text == null || !signature(key).equals(r.param("X-Amz-Signature"))) {
            return new Reply(403, Map.of("Content-Type", "application/xml"),
                    "<Error><Code>AccessDenied</Code></Error>".getBytes(StandardCharsets.UTF_8));
        }
        return Reply.text(200, text);
    }

    // ---- rollback ---------------------------------------------------------------------------------------------

    private Reply validateRollback(String appId, RecordedRequest r) {
        SimApp a = apps.get(appId);
        if (a == null) return notFound("app");
        JsonNode body = parse(r.body());
        if (body == null || !body.isObject()) return error(400, "bad_request", "error parsing request body");
        SimDeployment target = a.byId(body.path("deployment_id").asText(""));
        if (target == null) return notFound("deployment");
        ObjectNode out = JSON.createObjectNode();
        ObjectNode err = rollbackError(a, target);
        out.put("valid", err == null);
        if (err != null) {
            out.set("error", err);
        } else {
            ArrayNode warnings = rollbackWarnings(target);
            if (!warnings.isEmpty()) out.set("warnings", warnings);
        }
        return Reply.json(200, out);
    }

    private Reply rollback(String appId, RecordedRequest r) {
        SimApp a = apps.get(appId);
        if (a == null) return notFound("app");
        JsonNode body = parse(r.body());
        if (body == null || !body.isObject()) return error(400, "bad_request", "error parsing request body");
        SimDeployment target = a.byId(body.path("deployment_id").asText(""));
        if (target == null) return notFound("deployment");
        ObjectNode err = rollbackError(a, target);
        if (err != null) return error(400, "bad_request", err.path("message").asText());
        ObjectNode previousSpec = a.spec;
        a.spec = target.spec.deepCopy();
        a.updatedAt = clock.instant();
        SimDeployment d = newDeployment(a, "rollback to " + target.id, "MANUAL_ROLLBACK", "ROLLBACK_APP", true);
        d.clonedFrom = target.id;
        d.commit = target.commit;
        d.build = false;
        d.rebuildLeaves();
        if (!body.path("skip_pin").asBoolean(false)) {
            a.pinned = d;
            a.preRollbackSpec = previousSpec;
        }
        return Reply.json(200, Map.of("deployment", deploymentJson(d)));
    }

    private Reply commitRollback(String appId) {
        SimApp a = apps.get(appId);
        if (a == null) return notFound("app");
        if (a.pinned == null) return error(400, "bad_request", "the app has no rollback in progress to commit");
        a.pinned = null;
        a.preRollbackSpec = null;
        return Reply.empty(200);
    }

    private Reply revertRollback(String appId) {
        SimApp a = apps.get(appId);
        if (a == null) return notFound("app");
        if (a.pinned == null) return error(400, "bad_request", "the app has no rollback in progress to revert");
        a.spec = a.preRollbackSpec;
        a.pinned = null;
        a.preRollbackSpec = null;
        a.updatedAt = clock.instant();
        SimDeployment d = newDeployment(a, "revert rollback", "MANUAL", "REVERT_APP_ROLLBACK", true);
        return Reply.json(200, Map.of("deployment", deploymentJson(d)));
    }

    private ObjectNode rollbackError(SimApp a, SimDeployment target) {
        String phase = target.view(clock.instant()).phase.name();
        if (a.pinned != null) {
            return condition("app_pinned", "the app is pinned to rollback deployment " + a.pinned.id
                    + "; commit or revert it first", null);
        }
        if (phase.equals("ERROR") || phase.equals("CANCELED")) {
            return condition("incompatible_result", "deployment result \"" + (phase.equals("ERROR") ? "failed"
                    : "canceled") + "\" is unsuitable for rollback", null);
        }
        if (!phase.equals("SUPERSEDED")) {
            return condition("incompatible_phase", "deployment phase \"" + phase + "\" is unsuitable for rollback", null);
        }
        int age = a.deployments.size() - 1 - a.deployments.indexOf(target);
        if (age > rollbackRevisionLimit) {
            return condition("exceeded_revision_limit", "the deployment is past the maximum historical revision "
                    + "limit of " + rollbackRevisionLimit + " for the \"basic\" app tier", null);
        }
        return null;
    }

    private ArrayNode rollbackWarnings(SimDeployment target) {
        ArrayNode out = JSON.createArrayNode();
        List<String> tagged = new ArrayList<>();
        List<String> sites = new ArrayList<>();
        for (String kind : KINDS) {
            for (JsonNode c : target.spec.path(kind)) {
                if (c.path("image").isObject() && !c.path("image").hasNonNull("digest")) tagged.add(c.path("name").asText());
                if (kind.equals("static_sites")) sites.add(c.path("name").asText());
            }
        }
        if (!tagged.isEmpty()) {
            out.add(condition("image_source_missing_digest", "image components without a digest may not roll back "
                    + "to the same image", tagged));
        }
        if (!sites.isEmpty()) {
            out.add(condition("static_site_requires_rebuild", "static sites are rebuilt on rollback", sites));
        }
        return out;
    }

    private ObjectNode condition(String code, String message, List<String> components) {
        ObjectNode c = JSON.createObjectNode();
        c.put("code", code);
        c.put("message", hostile == null ? message : message + hostile);
        if (components != null) {
            ArrayNode a = c.putArray("components");
            components.forEach(a::add);
        }
        return c;
    }

    private Reply pinnedError() {
        return error(400, "bad_request", "the app is pinned to a rollback deployment; commit or revert the rollback "
                + "before deploying");
    }

    // ---- state ------------------------------------------------------------------------------------------------

    private record Failure(String stage, String component, String code, String message, List<String> logLines) {
    }

    private record AfterFault(Predicate<RecordedRequest> when, AtomicInteger times, int status) {
    }

    private final class SimApp {
        final String id;
        ObjectNode spec;
        final Instant createdAt;
        Instant updatedAt;
        String projectId;
        final List<SimDeployment> deployments = new ArrayList<>();
        SimDeployment active;
        SimDeployment pinned;
        ObjectNode preRollbackSpec;
        String defaultIngress;
        final String suffix = uuid().substring(0, 5);

        SimApp(String id, ObjectNode spec, Instant at) {
            this.id = id;
            this.spec = spec;
            this.createdAt = at;
            this.updatedAt = at;
        }

        SimDeployment byId(String id) {
            for (SimDeployment d : deployments) if (d.id.equals(id)) return d;
            return null;
        }

        boolean http() {
            for (String k : HTTP_KINDS) if (spec.path(k).size() > 0) return true;
            return false;
        }
    }

    /** A leaf step: stage (build/deploy), component (or null), name, when it starts and ends. */
    private static final class Leaf {
        final String stage;
        final String component;
        final String name;
        final String messageBase;
        Instant start;
        Instant end;

        Leaf(String stage, String component, String name, String messageBase) {
            this.stage = stage;
            this.component = component;
            this.name = name;
            this.messageBase = messageBase;
        }
    }

    private record View(Phase phase, Instant phaseSince, Map<Leaf, String> status, Instant at) {
    }

    enum Phase {
        PENDING_BUILD, BUILDING, PENDING_DEPLOY, DEPLOYING, ACTIVE, SUPERSEDED, ERROR, CANCELED;

        boolean isTerminal() {
            return ordinal() >= ACTIVE.ordinal();
        }
    }

    private final class SimDeployment {
        final String id = hostileIds ? uuid() + hostile : uuid();
        final SimApp app;
        ObjectNode spec;
        Instant created;
        final String cause;
        final String causeType;
        final String userAction;
        String clonedFrom;
        String commit = sourceCommit;
        boolean build;
        boolean forceBuild;
        Failure failure;
        Duration supersedeAt;
        String forcedPhase;
        Instant forcedAt;
        boolean activated;
        final Duration pb = jittered(pendingBuild);
        final Duration b = jittered(building);
        final Duration pd = jittered(pendingDeploy);
        final Duration dp = jittered(deploying);
        final List<Leaf> leaves = new ArrayList<>();

        SimDeployment(SimApp app, String cause, String causeType, String userAction) {
            this.app = app;
            this.spec = app.spec.deepCopy();
            this.created = clock.instant();
            this.cause = cause;
            this.causeType = causeType;
            this.userAction = userAction;
            this.build = !builtComponents().isEmpty();
        }

        List<String> componentNames() {
            List<String> out = new ArrayList<>();
            for (String kind : KINDS) for (JsonNode c : spec.path(kind)) out.add(c.path("name").asText());
            return out;
        }

        JsonNode component(String name) {
            for (String kind : KINDS) for (JsonNode c : spec.path(kind)) if (name.equals(c.path("name").asText())) return c;
            return null;
        }

        String kindOf(String name) {
            for (String kind : KINDS) for (JsonNode c : spec.path(kind)) if (name.equals(c.path("name").asText())) return kind;
            return "services";
        }

        List<String> builtComponents() {
            List<String> out = new ArrayList<>();
            for (String kind : KINDS) {
                for (JsonNode c : spec.path(kind)) if (!c.path("image").isObject()) out.add(c.path("name").asText());
            }
            return out;
        }

        void rebuildLeaves() {
            leaves.clear();
            Instant t = created;
            if (build) {
                List<String> built = builtComponents();
                t = t.plus(pb);
                List<Leaf> bl = new ArrayList<>();
                bl.add(new Leaf("build", null, "initialize", null));
                for (String c : built) bl.add(new Leaf("build", c, c, "Building " + singular(kindOf(c))));
                Duration each = b.dividedBy(bl.size());
                for (Leaf l : bl) {
                    l.start = t;
                    t = t.plus(each);
                    l.end = t;
                }
                leaves.addAll(bl);
            }
            t = t.plus(pd);
            List<Leaf> dl = new ArrayList<>();
            dl.add(new Leaf("deploy", null, "initialize", null));
            for (String c : componentNames()) {
                dl.add(new Leaf("deploy", c, "deploy", "Deploying " + singular(kindOf(c))));
                dl.add(new Leaf("deploy", c, "wait", "Waiting for " + singular(kindOf(c))));
            }
            dl.add(new Leaf("deploy", null, "finalize", null));
            Duration each = dp.dividedBy(dl.size());
            for (Leaf l : dl) {
                l.start = t;
                t = t.plus(each);
                l.end = t;
            }
            leaves.addAll(dl);
        }

        Leaf failingLeaf() {
            if (failure == null) return null;
            for (Leaf l : leaves) {
                if (l.stage.equals(failure.stage) && failure.component.equals(l.component)
                        && (l.stage.equals("build") || l.name.equals("deploy"))) {
                    return l;
                }
            }
            return null;
        }

        Instant activeAt() {
            return leaves.get(leaves.size() - 1).end;
        }

        void force(String phase, Instant at) {
            if (forcedPhase == null) {
                forcedPhase = phase;
                forcedAt = at;
            }
        }

        View view(Instant now) {
            Instant t = forcedAt != null && forcedAt.isBefore(now) ? forcedAt : now;
            Map<Leaf, String> status = new LinkedHashMap<>();
            Leaf failing = failingLeaf();
            boolean failed = failing != null && !t.isBefore(failing.end);
            for (Leaf l : leaves) {
                String s;
                if (failed && l == failing) s = "ERROR";
                else if (failed && !l.start.isBefore(failing.end)) s = "PENDING";
                else if (!t.isBefore(l.end)) s = "SUCCESS";
                else if (!t.isBefore(l.start)) s = "RUNNING";
                else s = "PENDING";
                status.put(l, s);
            }
            Phase phase;
            Instant since;
            if (failed) {
                phase = Phase.ERROR;
                since = failing.end;
            } else if (!t.isBefore(activeAt())) {
                phase = Phase.ACTIVE;
                since = activeAt();
            } else {
                Leaf first = leaves.get(0);
                Leaf firstDeploy = leaves.stream().filter(l -> l.stage.equals("deploy")).findFirst().orElseThrow();
                if (build && t.isBefore(first.start)) {
                    phase = Phase.PENDING_BUILD;
                    since = created;
                } else if (build && t.isBefore(lastBuildEnd())) {
                    phase = Phase.BUILDING;
                    since = first.start;
                } else if (t.isBefore(firstDeploy.start)) {
                    phase = Phase.PENDING_DEPLOY;
                    since = build ? lastBuildEnd() : created;
                } else {
                    phase = Phase.DEPLOYING;
                    since = firstDeploy.start;
                }
            }
            if (forcedPhase != null && !now.isBefore(forcedAt) && !(phase == Phase.ERROR)) {
                phase = Phase.valueOf(forcedPhase);
                since = forcedAt;
            }
            return new View(phase, since, status, t);
        }

        Instant lastBuildEnd() {
            Instant end = created;
            for (Leaf l : leaves) if (l.stage.equals("build")) end = l.end;
            return end;
        }

        String logText(String stage, String component, Instant now) {
            View v = view(now);
            StringBuilder out = new StringBuilder();
            for (Leaf l : leaves) {
                if (!l.stage.equals(stage) || !component.equals(l.component)) continue;
                String s = v.status.get(l);
                if (s.equals("PENDING")) continue;
                String ts = l.start.toString();
                if (stage.equals("build")) {
                    out.append(component).append(' ').append(ts).append(" [build] Fetching source for ").append(component).append('\n');
                    out.append(component).append(' ').append(ts).append(" [build] Step 1/4 : FROM node:22-alpine\n");
                } else if (l.name.equals("deploy")) {
                    out.append(component).append(' ').append(ts).append(" [deploy] Starting container\n");
                }
                if (s.equals("ERROR") && failure != null) {
                    for (String line : failure.logLines) {
                        out.append(component).append(' ').append(l.end).append(' ').append(line).append('\n');
                    }
                } else if (s.equals("SUCCESS") && (stage.equals("build") || l.name.equals("wait"))) {
                    out.append(component).append(' ').append(l.end).append(stage.equals("build")
                            ? " [build] Build complete\n" : " [deploy] Health checks passing\n");
                }
            }
            return out.toString();
        }
    }

    private Duration jittered(Duration d) {
        if (jitter == 0) return d;
        double f = 1 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.round(d.toMillis() * f));
    }

    private static String singular(String kind) {
        return switch (kind) {
            case "static_sites" -> "static site";
            case "workers" -> "worker";
            case "jobs" -> "job";
            case "functions" -> "functions";
            default -> "service";
        };
    }

    private SimDeployment newDeployment(SimApp app, String cause, String causeType, String userAction,
                                        boolean takeFaults) {
        Instant now = clock.instant();
        for (SimDeployment other : app.deployments) {
            if (!other.view(now).phase.isTerminal()) other.force("SUPERSEDED", now);
        }
        SimDeployment d = new SimDeployment(app, cause, causeType, userAction);
        if (takeFaults) {
            d.failure = nextFailure;
            nextFailure = null;
            d.supersedeAt = nextSupersede;
            nextSupersede = null;
        }
        d.rebuildLeaves();
        app.deployments.add(d);
        deploymentsCreated.incrementAndGet();
        return d;
    }

    /** Applies what happened up to now: deployments going live (superseding the old active one), pushes. */
    private void advance() {
        Instant now = clock.instant();
        for (SimApp a : List.copyOf(apps.values())) {
            for (SimDeployment d : List.copyOf(a.deployments)) {
                if (d.supersedeAt != null && !d.view(now).phase.isTerminal()
                        && !now.isBefore(d.created.plus(d.supersedeAt))) {
                    d.supersedeAt = null;
                    newDeployment(a, "commit 9a4df0b pushed to github/acme/shop", "DEPLOY_ON_PUSH", null, false);
                    deploymentsCreated.decrementAndGet(); // a push, not one of the client's requests
                }
            }
            List<SimDeployment> live = new ArrayList<>();
            for (SimDeployment d : a.deployments) {
                if (!d.activated && d.view(now).phase == Phase.ACTIVE) live.add(d);
            }
            live.sort((x, y) -> x.activeAt().compareTo(y.activeAt()));
            for (SimDeployment d : live) {
                d.activated = true;
                if (a.active != null && a.active != d) a.active.force("SUPERSEDED", d.activeAt());
                a.active = d;
                if (a.http() && a.defaultIngress == null) {
                    var custom = ingressFor;
                    a.defaultIngress = custom != null ? custom.apply(a.spec.path("name").asText())
                            : "https://" + a.spec.path("name").asText() + "-" + a.suffix + ".ondigitalocean.app"
                            + (hostile == null ? "" : "/?" + hostile);
                }
                var listener = onLive;
                if (listener != null) listener.accept(a.spec.path("name").asText(), d.spec.deepCopy());
            }
        }
    }

    private SimDeployment deployment(String appId, String depId) {
        SimApp a = apps.get(appId);
        return a == null ? null : a.byId(depId);
    }

    private SimApp findByName(String name) {
        for (SimApp a : apps.values()) if (name.equals(a.spec.path("name").asText())) return a;
        return null;
    }

    // ---- JSON -------------------------------------------------------------------------------------------------

    private ObjectNode appJson(SimApp a, SimDeployment pending) {
        Instant now = clock.instant();
        ObjectNode o = JSON.createObjectNode();
        o.put("id", a.id);
        o.put("owner_uuid", "a4e16f25-cdd1-4483-b246-d77f283c9209");
        o.set("spec", a.spec.deepCopy());
        if (a.defaultIngress != null) {
            o.put("default_ingress", a.defaultIngress);
            if (a.active != null) {
                o.put("live_url", a.defaultIngress);
                o.put("live_url_base", a.defaultIngress);
                String rest = a.defaultIngress.substring(a.defaultIngress.indexOf("://") + 3);
                o.put("live_domain", rest.replaceAll("[/?].*", ""));
            }
        }
        if (a.active != null) o.set("active_deployment", deploymentJson(a.active));
        SimDeployment inProgress = null;
        for (SimDeployment d : a.deployments) if (!d.view(now).phase.isTerminal()) inProgress = d;
        if (inProgress != null) o.set("in_progress_deployment", deploymentJson(inProgress));
        if (pending != null) o.set("pending_deployment", deploymentJson(pending));
        if (a.pinned != null) o.set("pinned_deployment", deploymentJson(a.pinned));
        o.put("created_at", a.createdAt.toString());
        o.put("updated_at", a.updatedAt.toString());
        if (!a.deployments.isEmpty()) {
            o.put("last_deployment_created_at", a.deployments.get(a.deployments.size() - 1).created.toString());
        }
        ObjectNode region = o.putObject("region");
        region.put("slug", "nyc");
        region.put("label", "New York");
        region.put("flag", "usa");
        region.put("continent", "North America");
        region.putArray("data_centers").add("nyc1").add("nyc3");
        o.put("tier_slug", "basic");
        if (a.projectId != null) o.put("project_id", a.projectId);
        return o;
    }

    private ObjectNode deploymentJson(SimDeployment d) {
        View v = d.view(clock.instant());
        ObjectNode o = JSON.createObjectNode();
        o.put("id", d.id);
        o.set("spec", d.spec.deepCopy());
        for (String kind : KINDS) {
            if (d.spec.path(kind).isEmpty()) continue;
            ArrayNode arr = o.putArray(kind);
            for (JsonNode c : d.spec.path(kind)) {
                ObjectNode ref = arr.addObject();
                ref.put("name", c.path("name").asText());
                if (!c.path("image").isObject()) ref.put("source_commit_hash", d.commit);
            }
        }
        o.put("phase_last_updated_at", (stalePhaseTimestamps ? d.created : v.phaseSince).toString());
        o.put("created_at", d.created.toString());
        o.put("updated_at", (v.at.isAfter(d.created) ? v.at : d.created).toString());
        o.put("cause", hostile == null ? d.cause : d.cause + hostile);
        ObjectNode cause = o.putObject("cause_details");
        cause.put("type", d.causeType);
        if (d.userAction != null) cause.putObject("digitalocean_user_action").put("name", d.userAction);
        if (d.clonedFrom != null) o.put("cloned_from", d.clonedFrom);
        o.put("phase", v.phase.name());
        o.set("progress", progressJson(d, v));
        o.put("tier_slug", "basic");
        return o;
    }

    private ObjectNode progressJson(SimDeployment d, View v) {
        int pending = 0, running = 0, success = 0, errors = 0;
        for (String s : v.status.values()) {
            switch (s) {
                case "PENDING" -> pending++;
                case "RUNNING" -> running++;
                case "SUCCESS" -> success++;
                default -> errors++;
            }
        }
        ObjectNode p = JSON.createObjectNode();
        if (pending > 0) p.put("pending_steps", pending);
        if (running > 0) p.put("running_steps", running);
        if (success > 0) p.put("success_steps", success);
        if (errors > 0) p.put("error_steps", errors);
        p.put("total_steps", v.status.size());
        ArrayNode steps = p.putArray("steps");
        ArrayNode summary = p.putArray("summary_steps");
        for (String stage : List.of("build", "deploy")) {
            List<Leaf> ls = d.leaves.stream().filter(l -> l.stage.equals(stage)).toList();
            if (ls.isEmpty()) continue;
            ObjectNode root = JSON.createObjectNode();
            root.put("name", stage);
            ArrayNode children = root.putArray("steps");
            ObjectNode components = null;
            Map<String, ObjectNode> perComponent = new LinkedHashMap<>();
            for (Leaf l : ls) {
                ObjectNode leaf = stepJson(l.name, v.status.get(l), l, d);
                if (l.component == null) {
                    children.add(leaf);
                    continue;
                }
                if (components == null) {
                    components = children.addObject();
                    components.put("name", "components");
                    components.putArray("steps");
                }
                if (stage.equals("build")) {
                    leaf.put("component_name", l.component);
                    leaf.put("message_base", l.messageBase);
                    ((ArrayNode) components.get("steps")).add(leaf);
                } else {
                    ObjectNode comp = perComponent.computeIfAbsent(l.component, c -> {
                        ObjectNode n = JSON.createObjectNode();
                        n.put("name", c);
                        n.put("component_name", c);
                        n.putArray("steps");
                        return n;
                    });
                    if (((ArrayNode) comp.get("steps")).isEmpty()) ((ArrayNode) components.get("steps")).add(comp);
                    leaf.put("message_base", l.messageBase);
                    ((ArrayNode) comp.get("steps")).add(leaf);
                }
            }
            rollUp(root);
            steps.add(root);
            ObjectNode flat = JSON.createObjectNode();
            flat.put("name", stage);
            flat.put("status", root.path("status").asText());
            summary.add(flat);
        }
        return p;
    }

    private ObjectNode stepJson(String name, String status, Leaf l, SimDeployment d) {
        ObjectNode s = JSON.createObjectNode();
        s.put("name", name);
        s.put("status", status);
        if (!status.equals("PENDING")) s.put("started_at", l.start.toString());
        if (status.equals("SUCCESS") || status.equals("ERROR")) s.put("ended_at", l.end.toString());
        if (status.equals("ERROR") && d.failure != null) {
            ObjectNode reason = s.putObject("reason");
            reason.put("code", d.failure.code());
            reason.put("message", hostile == null ? d.failure.message() : d.failure.message() + hostile);
        }
        return s;
    }

    /**
     * A parent's status from its children (any error → ERROR, all success → SUCCESS, none started → PENDING) and
     * its times: started with its first child, ended with its last (as App Platform reports the root and
     * {@code components} steps).
     */
    private static String rollUp(ObjectNode step) {
        if (!step.path("steps").isArray() || step.path("steps").isEmpty()) return step.path("status").asText();
        boolean anyError = false, allSuccess = true, allPending = true;
        Instant first = null, last = null;
        for (JsonNode c : step.get("steps")) {
            String s = rollUp((ObjectNode) c);
            anyError |= s.equals("ERROR");
            allSuccess &= s.equals("SUCCESS");
            allPending &= s.equals("PENDING");
            if (c.hasNonNull("started_at")) {
                Instant t = Instant.parse(c.get("started_at").asText());
                if (first == null || t.isBefore(first)) first = t;
            }
            if (c.hasNonNull("ended_at")) {
                Instant t = Instant.parse(c.get("ended_at").asText());
                if (last == null || t.isAfter(last)) last = t;
            }
        }
        String s = anyError ? "ERROR" : allSuccess ? "SUCCESS" : allPending ? "PENDING" : "RUNNING";
        step.put("status", s);
        if (first != null) step.put("started_at", first.toString());
        if (last != null && (s.equals("SUCCESS") || s.equals("ERROR"))) step.put("ended_at", last.toString());
        return s;
    }

    private Reply page(String field, List<JsonNode> all, int page, int perPage, String path) {
        int from = Math.min(all.size(), (page - 1) * perPage);
        int to = Math.min(all.size(), from + perPage);
        int last = Math.max(1, (all.size() + perPage - 1) / perPage);
        ObjectNode o = JSON.createObjectNode();
        if (to > from) {
            ArrayNode arr = o.putArray(field);
            all.subList(from, to).forEach(arr::add);
        }
        ObjectNode pages = o.putObject("links").putObject("pages");
        String base = "https://api.digitalocean.com" + path + "?per_page=" + perPage + "&page=";
        if (page > 1) {
            pages.put("first", base + 1);
            pages.put("prev", base + (page - 1));
        }
        if (page < last) {
            pages.put("next", base + (page + 1));
            pages.put("last", base + last);
        }
        o.putObject("meta").put("total", all.size());
        return Reply.json(200, o);
    }

    private static int[] paging(RecordedRequest r) {
        try {
            int page = r.param("page") == null ? 1 : Integer.parseInt(r.param("page"));
            int perPage = r.param("per_page") == null ? 20 : Integer.parseInt(r.param("per_page"));
            if (page < 1 || perPage < 1 || perPage > 200) return null;
            return new int[]{page, perPage};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- spec validation and secrets --------------------------------------------------------------------------

    /** The API's spec validation, with its message shape; null when valid. */
    static String validate(ObjectNode spec) {
        String name = spec.path("name").asText("");
        if (!NAME.matcher(name).matches()) {
            return "error validating app spec field \"name\": must match " + NAME.pattern() + " (got \"" + name + "\")";
        }
        Set<String> seen = new java.util.HashSet<>();
        int count = 0;
        for (String kind : KINDS) {
            for (JsonNode c : spec.path(kind)) {
                count++;
                String cn = c.path("name").asText("");
                if (!NAME.matcher(cn).matches()) {
                    return "error validating app spec field \"" + kind + ".name\": must match " + NAME.pattern();
                }
                if (!seen.add(cn)) return "error validating app spec field \"" + kind + ".name\": duplicate name " + cn;
                int sources = 0;
                for (String s : SOURCES) if (c.path(s).isObject()) sources++;
                if (sources != 1) {
                    return "error validating app spec field \"" + kind + "." + cn + "\": exactly one source is required";
                }
                JsonNode image = c.path("image");
                if (image.isObject()) {
                    if (image.path("repository").asText("").isEmpty()) {
                        return "error validating app spec field \"" + kind + ".image.repository\": required";
                    }
                    if (image.hasNonNull("tag") && image.hasNonNull("digest")) {
                        return "error validating app spec field \"" + kind + ".image\": tag and digest are mutually exclusive";
                    }
                }
                String envProblem = validateEnvs(c.path("envs"), kind + ".envs");
                if (envProblem != null) return envProblem;
            }
        }
        if (count == 0) return "error validating app spec: an app must have at least one component";
        return validateEnvs(spec.path("envs"), "envs");
    }

    private static String validateEnvs(JsonNode envs, String field) {
        for (JsonNode e : envs) {
            if (!ENV_KEY.matcher(e.path("key").asText("")).matches()) {
                return "error validating app spec field \"" + field + ".key\": must match " + ENV_KEY.pattern();
            }
        }
        return null;
    }

    /** SECRET values are stored encrypted ({@code EV[1:nonce:ciphertext]}); an encrypted value sent back is kept. */
    private ObjectNode encrypt(ObjectNode spec) {
        ObjectNode s = spec.deepCopy();
        encryptEnvs(s.path("envs"));
        for (String kind : KINDS) for (JsonNode c : s.path(kind)) encryptEnvs(c.path("envs"));
        return s;
    }

    private static void encryptEnvs(JsonNode envs) {
        for (JsonNode e : envs) {
            if ("SECRET".equals(e.path("type").asText()) && e.hasNonNull("value")
                    && !e.path("value").asText().startsWith("EV[")) {
                String v = e.path("value").asText();
                ((ObjectNode) e).put("value", "EV[1:" + uuid().substring(0, 12) + ":" + Base64.getEncoder()
                        .encodeToString(sha256(v)).substring(0, 24) + "]");
            }
        }
    }

    /** The spec without secret values, for "did it change" checks. */
    private static JsonNode comparable(ObjectNode spec) {
        ObjectNode s = spec.deepCopy();
        List<JsonNode> lists = new ArrayList<>();
        lists.add(s.path("envs"));
        for (String kind : KINDS) for (JsonNode c : s.path(kind)) lists.add(c.path("envs"));
        for (JsonNode envs : lists) {
            for (JsonNode e : envs) if ("SECRET".equals(e.path("type").asText())) ((ObjectNode) e).remove("value");
        }
        return s;
    }

    // ---- plumbing ---------------------------------------------------------------------------------------------

    private void api(String method, String path, Handler h) {
        route(method, path, (r, m) -> {
            Reply reply;
            AfterFault after = null;
            synchronized (this) {
                String auth = r.header("authorization");
                if (auth == null || !auth.equals("Bearer " + acceptedToken)) {
                    reply = error(401, "unauthorized", "Unable to authenticate you");
                } else {
                    clock.advance(tick);
                    advance();
                    reply = h.handle(r, m);
                    advance();
                    for (AfterFault f : afterFaults) {
                        if (f.times.get() > 0 && f.when.test(r)) {
                            f.times.decrementAndGet();
                            after = f;
                            break;
                        }
                    }
                }
                reply = withHeaders(reply);
            }
            pause(answerDelay);
            if (after != null) {
                if (after.status == 0) throw new IllegalStateException("simulated dropped connection");
                return withHeaders(hostileError(error(after.status, after.status == 500 ? "server_error"
                        : "service_unavailable", "Server Error")));
            }
            return hostileError(reply);
        });
    }

    /** An error answer whose message carries the {@link #hostile} payload, when there is one. */
    private Reply hostileError(Reply r) {
        String payload = hostile;
        if (payload == null || r.status() < 400 || r.body().length == 0) return r;
        JsonNode body = parse(r.body());
        if (body == null || !body.isObject() || !body.has("message")) return r;
        ((ObjectNode) body).put("message", body.path("message").asText() + payload);
        Reply out = Reply.json(r.status(), body);
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Content-Type")) out = out.withHeader(h.getKey(), h.getValue());
        }
        return out;
    }

    private static void pause(Duration d) {
        if (d.isZero()) return;
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A path segment as sent (percent-encoded), decoded. */
    private static String segment(String raw) {
        return java.net.URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private synchronized Reply withHeaders(Reply r) {
        rateRemaining = Math.max(0, rateRemaining - 1);
        Reply out = r.withHeader("ratelimit-limit", "5000")
                .withHeader("ratelimit-remaining", String.valueOf(rateRemaining))
                .withHeader("ratelimit-reset", String.valueOf(clock.instant().getEpochSecond() + 60));
        if (!r.headers().containsKey("x-request-id")) out = out.withHeader("x-request-id", requestIdOf(r));
        return out;
    }

    private static String requestIdOf(Reply r) {
        JsonNode body = r.body().length == 0 ? null : parse(r.body());
        return body != null && body.hasNonNull("request_id") ? body.get("request_id").asText() : uuid();
    }

    static Reply error(int status, String id, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        o.put("message", message);
        o.put("request_id", uuid());
        return Reply.json(status, o);
    }

    private static Reply notFound(String what) {
        return error(404, "not_found", "The resource you were accessing could not be found.");
    }

    @Override
    protected Reply notFound(RecordedRequest req) {
        return error(404, "not_found", "The resource you were accessing could not be found.");
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body == null || body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    private static String uuid() {
        return UUID.randomUUID().toString();
    }

    private static String signature(String key) {
        return HexFormat.of().formatHex(sha256("sim-signing-key:" + key));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }


    /** What this simulator exchanged on the App Platform API proper ({@code /v2/...}; not its own routes). */
    public List<LoopbackServer.Exchange> apiExchanges() {
        return exchanges().stream().filter(e -> e.request().path().startsWith("/v2/")).toList();
    }

    /**
     * {@link #apiExchanges()} checked against {@code ../shared/specs/digitalocean/apps.openapi.json}. When the spec
     * is absent (a fresh clone without {@code ../shared}) the check is skipped and says so on stderr, and none are
     * returned: an {@code @AfterEach} calls this, and the test's own assertions have passed by then.
     */
    /** For an {@code @AfterEach}: no {@link #contractProblems()} (an assertion), and the server closed either way. */
    public void checkContractAndClose() {
        try {
            org.assertj.core.api.Assertions.assertThat(contractProblems()).as("requests and answers vs apps.openapi.json").isEmpty();
        } finally {
            close();
        }
    }

    public List<String> contractProblems() {
        java.nio.file.Path spec = Project.sharedFile("specs/" + SPEC);
        if (!Files.exists(spec)) {
            System.err.println("[contract] skipped: " + spec + " not found (../shared is absent), so "
                    + apiExchanges().size() + " App Platform exchange(s) were not checked against the API description");
            return List.of();
        }
        return OpenApiContract.require(SPEC).checkExchanges(apiExchanges());
    }
}
