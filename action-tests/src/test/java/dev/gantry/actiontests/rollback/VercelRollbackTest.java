package dev.gantry.actiontests.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.OpenApiContract;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.actiontests.vercel.ScaledClock;
import dev.gantry.actiontests.vercel.VercelSimulator;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * rollback on Vercel, end to end: the action runs as the runner runs it against the Vercel simulator (production
 * history seeded, rollback and promote as asynchronous jobs on its clock), the GitHub simulator and a small app to
 * verify.
 */
class VercelRollbackTest {
    static final String PRODUCTION_ALIAS = VercelSimulator.PROJECT_NAME + ".vercel.app";

    VercelSimulator sim;
    GitHubSimulator gh;
    Support.App app;

    @BeforeEach
    void start() {
        sim = new VercelSimulator(new ScaledClock(20));
        gh = new GitHubSimulator();
        app = new Support.App();
    }

    /**
     * Known gaps between Vercel's published OpenAPI description and the real API (research §2.10): the rollback
     * endpoint is not in it, {@code rollbackInfo} is not declared, and injected 429/5xx are documented elsewhere.
     */
    static final List<Pattern> DOCUMENTED_GAPS = List.of(
            Pattern.compile("GET /v9/projects/[^:]+: query parameter 'rollbackInfo' is not declared"),
            Pattern.compile("POST /v1/projects/[^/]+/rollback/[^:]+: no such operation.*"),
            Pattern.compile("POST /v1/projects/[^/]+/rollback/[^ ]+ → \\d+: no such operation.*"),
            Pattern.compile(".* → (429|5\\d\\d): status not declared.*"),
            Pattern.compile("GET /v13/deployments/[^ ]+ → 200: \\$: must be valid to one and only one schema, but 2 are valid with indexes '0, 1'"));

    /**
     * What the action sent and got, against Vercel's description. Without {@code ../shared} (a fresh clone) the
     * check is skipped, and the test is reported as skipped with the missing path as its reason.
     */
    @AfterEach
    void contractAndStop() {
        try {
            checkContract();
        } finally {
            sim.close();
            gh.close();
            app.close();
        }
    }

    private void checkContract() {
        OpenApiContract contract = OpenApiContract.require("vercel/vercel.openapi.json");
        // the test's own setup calls are not the client's
        List<LoopbackServer.Exchange> ours = sim.exchanges().stream()
                .filter(e -> !e.request().path().equals("/v13/deployments")).toList();
        List<String> problems = contract.checkExchanges(ours).stream()
                .filter(p -> DOCUMENTED_GAPS.stream().noneMatch(g -> g.matcher(p).matches())).toList();
        assertThat(problems).as("requests and answers vs vercel.openapi.json").isEmpty();
    }

    ActionRun rollback() {
        return ActionRun.of("rollback")
                .with("provider", "vercel")
                .with("vercel-token", VercelSimulator.TOKEN)
                .with("vercel-org-id", VercelSimulator.TEAM_ID)
                .with("vercel-project-id", VercelSimulator.PROJECT_ID)
                .with("api-url", sim.baseUrl().toString())
                .with("reason", "checkout returns 500")
                .with("timeout", "30s")
                .gitHub(gh)
                .time(sim.time());
    }

    /** Production deployments made {@code minutesAgo} each, oldest first; the last one seeded serves production. */
    String[] seed(int... minutesAgo) {
        long now = sim.clock().millis();
        String[] ids = new String[minutesAgo.length];
        for (int i = 0; i < minutesAgo.length; i++) {
            ids[i] = sim.seedProductionDeployment(VercelSimulator.PROJECT_ID, now - minutesAgo[i] * 60_000L);
        }
        return ids;
    }

    /** A production deployment whose build fails, made through the API. */
    String failedDeployment() {
        sim.failNextBuild("BUILD_FAILED", "Command \"npm run build\" exited with 1");
        String id = Support.call("POST", URI.create(sim.baseUrl() + "/v13/deployments?teamId=" + VercelSimulator.TEAM_ID),
                VercelSimulator.TOKEN, "{\"name\": \"" + VercelSimulator.PROJECT_NAME + "\", \"project\": \""
                        + VercelSimulator.PROJECT_ID + "\", \"target\": \"production\", \"files\": [{\"file\": "
                        + "\"index.html\", \"data\": \"<h1>hi</h1>\"}]}").path("id").asText();
        sim.clock().advance(Duration.ofMinutes(2));
        assertThat(sim.state(id)).isEqualTo("ERROR");
        return id;
    }

    @Test
    void rollsBackToThePreviousProductionDeploymentAndVerifiesIt() {
        String[] p = seed(180, 120, 60);
        long badRecord = Support.recordDeployment(gh, "production", "vercel", p[2]);
        long goodRecord = Support.recordDeployment(gh, "production", "vercel", p[1]);
        ActionResult r = rollback().with("verify-url", app.baseUrl().toString()).with("verify-checks", Support.CHECKS).with("verify-secrets", "API_KEY=" + Support.API_KEY).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("success");
        assertThat(r.output("rolled-back-from")).isEqualTo(p[2]);
        assertThat(r.output("rolled-back-to")).isEqualTo(p[1]);
        assertThat(r.output("verification")).isEqualTo("pass");
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(p[1]);
        assertThat(sim.aliasTarget(PRODUCTION_ALIAS)).isEqualTo(p[1]);
        // the documented path, with the reason as the description
        LoopbackServer.RecordedRequest req = sim.requests("POST", "/v1/projects/.*/rollback/.*").get(0);
        assertThat(req.path()).isEqualTo("/v1/projects/" + VercelSimulator.PROJECT_ID + "/rollback/" + p[1]);
        assertThat(req.param("description")).isEqualTo("checkout returns 500");
        assertThat(req.param("teamId")).isEqualTo(VercelSimulator.TEAM_ID);
        // the job was polled through rollbackInfo until it succeeded
        assertThat(sim.requests("GET", "/v9/projects/.*")).anySatisfy(q -> assertThat(q.param("rollbackInfo")).isEqualTo("true"));
        assertThat(app.requests("GET", "/api/version")).hasSize(1);
        // GitHub: the bad record inactive, the restored one success; an incident with the facts
        assertThat(gh.statusStates(badRecord)).endsWith("inactive");
        assertThat(gh.statusStates(goodRecord)).endsWith("success");
        assertThat(gh.issues()).singleElement().satisfies(i -> {
            assertThat(i.path("title").asText()).isEqualTo("Incident: production rolled back on Vercel");
            assertThat(i.path("body").asText()).contains(p[2]).contains(p[1]).contains("checkout returns 500")
                    .contains("passed: 2 of 2").contains("/actions/runs/1234567890").contains("Duration");
        });
        assertThat(r.output("incident-url")).isEqualTo(gh.issues().get(0).path("html_url").asText());
        assertThat(r.summary()).startsWith("**✅ Rolled back production: `" + p[2] + "` → `" + p[1] + "`; verification passed.**")
                .contains("target found automatically").contains("Verification checks");
        assertThat(r.leaks(VercelSimulator.TOKEN)).isFalse();
        // the check's secret reached the app, and nothing a person reads
        assertThat(app.requests("GET", "/api/version").get(0).header("authorization")).isEqualTo("Bearer " + Support.API_KEY);
        assertThat(r.leaks(Support.API_KEY)).isFalse();
        assertThat(gh.issues().get(0).path("body").asText()).doesNotContain(Support.API_KEY);
    }

    static final String GOOD_COMMIT = "1111111111111111111111111111111111111111";
    static final String BAD_COMMIT = "2222222222222222222222222222222222222222";

    @Test
    void theRestoredDeploymentGetsARecordAtTheCommitItWasBuiltFromWithTheProductionUrl() {
        String[] p = seed(180, 120, 60);
        sim.meta(p[1], "githubCommitSha", GOOD_COMMIT);
        sim.meta(p[2], "githubCommitSha", BAD_COMMIT);
        long badRecord = Support.recordDeployment(gh, "production", "vercel", p[2]);
        // an on-failure job runs at the bad commit; the restored deployment has no record of its own
        ActionResult r = rollback().env("GITHUB_SHA", BAD_COMMIT).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode record = gh.deployments().get(0);
        assertThat(record.path("id").asLong()).isNotEqualTo(badRecord);
        assertThat(record.path("sha").asText()).as("the restored build's commit, not the workflow's").isEqualTo(GOOD_COMMIT);
        assertThat(record.path("environment").asText()).isEqualTo("production");
        assertThat(record.path("production_environment").asBoolean()).isTrue();
        assertThat(record.path("payload").path("provider_deployment_id").asText()).isEqualTo(p[1]);
        long restored = record.path("id").asLong();
        assertThat(gh.statusStates(restored)).containsExactly("success");
        assertThat(gh.statuses(restored).get(0).path("environment_url").asText()).startsWith("https://sim-project")
                .endsWith(".vercel.app");
        assertThat(gh.statusStates(badRecord)).containsExactly("success", "inactive");
        assertThat(gh.statuses(badRecord).get(1).path("description").asText())
                .isEqualTo("rolled back to " + p[1] + ": checkout returns 500");
    }

    @Test
    void anOutsidersIssueWithTheIncidentMarkerIsIgnoredAndTheSummarySaysSoOnce() {
        seed(120, 60);
        gh.readerToken("ghp_mallory0000000000000000000000000000", "mallory");
        int bait = gh.openIssue("Production is down", "<!-- gantry:rollback:production -->\nSee https://evil.example",
                "mallory", "incident");
        ActionResult r = rollback().run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(gh.issues()).hasSize(2);
        assertThat(gh.comments(bait)).isEmpty();
        assertThat(r.output("incident-url")).isEqualTo(gh.issues().get(1).path("html_url").asText())
                .doesNotEndWith("/issues/" + bait);
        assertThat(r.summary().split("Ignored 1 open issue\\(s\\) that carry this action's marker", -1)).hasSize(2);
    }

    @Test
    void hostileTextInGithubsAnswersStaysInertInTheLogTheSummaryAndTheOutputs() {
        seed(120, 60);
        gh.hostileText("\n::error::pwned-by-github\n<img src=x onerror=alert(1)>");
        Support.recordDeployment(gh, "production", "vercel", sim.productionOf(VercelSimulator.PROJECT_ID));
        ActionResult r = rollback().run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.commands().carrying("pwned-by-github")).isEmpty();
        assertThat(r.errors()).isEmpty();
        assertThat(r.summary().replaceAll("`[^`\n]*`", "")).doesNotContain("<img");
        assertThat(r.outputs().values()).noneMatch(v -> v.contains("pwned-by-github"));
    }

    @Test
    void theMonorepoLinkVercelDeployReadsNamesTheProjectForRollbackToo() throws java.io.IOException {
        String[] p = seed(120, 60);
        ActionRun run = ActionRun.of("rollback").with("provider", "vercel").with("vercel-token", VercelSimulator.TOKEN)
                .with("api-url", sim.baseUrl().toString()).with("incident", "false").with("timeout", "30s")
                .with("working-directory", "apps/crm-dashboard").gitHub(gh).time(sim.time());
        // `vercel link --repo` at the repository root: one file for every app of the monorepo
        Path ws = run.workspace();
        Files.createDirectories(ws.resolve(".vercel"));
        Files.createDirectories(ws.resolve("apps/crm-dashboard"));
        Files.writeString(ws.resolve(".vercel/repo.json"), "{\"remoteName\": \"origin\", \"projects\": ["
                + "{\"id\": \"prj_other\", \"name\": \"marketing-site\", \"directory\": \"apps/marketing-site\", \"orgId\": \"team_sim\"},"
                + "{\"id\": \"" + VercelSimulator.PROJECT_ID + "\", \"name\": \"crm-dashboard\", \"directory\": \"apps/crm-dashboard\", "
                + "\"orgId\": \"" + VercelSimulator.TEAM_ID + "\"}]}");
        ActionResult r = run.run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("rolled-back-to")).isEqualTo(p[0]);
        assertThat(sim.requests("POST", "/v1/projects/.*/rollback/.*")).singleElement().satisfies(q -> {
            assertThat(q.path()).startsWith("/v1/projects/" + VercelSimulator.PROJECT_ID + "/");
            assertThat(q.param("teamId")).isEqualTo(VercelSimulator.TEAM_ID);
        });

        // the app's own .vercel/project.json (vercel link in apps/crm-dashboard) is read first, as by the CLI
        ActionRun own = ActionRun.of("rollback").with("provider", "vercel").with("vercel-token", VercelSimulator.TOKEN)
                .with("api-url", sim.baseUrl().toString()).with("incident", "false").with("dry-run", "true").with("target", p[1])
                .with("working-directory", "apps/crm-dashboard").gitHub(gh).time(sim.time());
        Files.createDirectories(own.workspace().resolve("apps/crm-dashboard/.vercel"));
        Files.writeString(own.workspace().resolve("apps/crm-dashboard/.vercel/project.json"),
                "{\"projectId\": \"" + VercelSimulator.PROJECT_ID + "\", \"orgId\": \"" + VercelSimulator.TEAM_ID + "\"}");
        ActionResult dry = own.run();
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.output("result")).isEqualTo("dry-run");

        ActionResult outside = ActionRun.of("rollback").with("provider", "vercel").with("vercel-token", VercelSimulator.TOKEN)
                .with("api-url", sim.baseUrl().toString()).with("working-directory", "../elsewhere").run();
        assertThat(outside.exitCode()).isEqualTo(2);
        assertThat(outside.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("working-directory"));
    }

    @Test
    void pagesThroughNewerDeploymentsToFindAnOlderCandidate() {
        // production was rolled back to an old deployment before: 120 newer ones are not candidates for this one
        long now = sim.clock().millis();
        String oldest = sim.seedProductionDeployment(VercelSimulator.PROJECT_ID, now - 300 * 60_000L);
        for (int i = 0; i < 120; i++) sim.seedProductionDeployment(VercelSimulator.PROJECT_ID, now - (240 - i) * 60_000L);
        String current = sim.seedProductionDeployment(VercelSimulator.PROJECT_ID, now - 270 * 60_000L);
        ActionResult r = rollback().with("incident", "false").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("rolled-back-from")).isEqualTo(current);
        assertThat(r.output("rolled-back-to")).isEqualTo(oldest);
        List<LoopbackServer.RecordedRequest> lists = sim.requests("GET", "/v6/deployments");
        assertThat(lists).hasSizeGreaterThanOrEqualTo(2);
        assertThat(lists.get(0).param("until")).isNull();
        assertThat(lists.get(1).param("until")).isNotNull();
        assertThat(lists).allSatisfy(q -> {
            assertThat(q.param("target")).isEqualTo("production");
            assertThat(q.param("state")).isEqualTo("READY");
        });
    }

    @Test
    void anExplicitTargetIsRestored() {
        String[] p = seed(180, 120, 60);
        // as a workflow_dispatch with environment, target and reason inputs passes them on
        ActionResult r = rollback().event("workflow_dispatch", "{\"inputs\": {\"environment\": \"production\", "
                        + "\"target\": \"" + p[0] + "\", \"reason\": \"bad release\"}}")
                .with("environment", "production").with("target", p[0]).with("reason", "bad release").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("rolled-back-to")).isEqualTo(p[0]);
        assertThat(r.summary()).contains("| Triggered by | octocat (workflow_dispatch, workflow release) |")
                .contains("| Reason | bad release |");
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(p[0]);
        assertThat(sim.requests("GET", "/v6/deployments")).as("no search for an explicit target").isEmpty();
        assertThat(r.summary()).contains("target given");
    }

    @Test
    void aDryRunFindsTheTargetAndChangesNothing() {
        String[] p = seed(120, 60);
        ActionResult r = rollback().with("dry-run", "true").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("dry-run");
        assertThat(r.output("rolled-back-to")).isEqualTo(p[0]);
        assertThat(sim.requests("POST", ".*")).isEmpty();
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(p[1]);
        assertThat(r.summary()).startsWith("**🔎 Dry run: would roll back production from `" + p[1] + "` to `" + p[0] + "`");
        assertThat(gh.issues()).isEmpty();
    }

    @Test
    void aTargetInErrorIsRefusedWithAClearMessageAndNothingChanges() {
        String[] p = seed(120, 60);
        String failed = failedDeployment();
        ActionResult r = rollback().with("target", failed).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("Input 'target'")
                .contains(failed + " is ERROR").contains("BUILD_FAILED").contains("Nothing was changed"));
        assertThat(sim.requests("POST", "/v1/projects/.*")).isEmpty();
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(p[1]);
        assertThat(gh.issues()).isEmpty();
    }

    @Test
    void aFailedRollbackJobFailsTheActionAndOpensAnIncident() {
        String[] p = seed(120, 60);
        sim.failNextJob();
        ActionResult r = rollback().run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("failure");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data())
                .contains("rollback job to " + p[0] + " failed").contains("production still points at " + p[1]));
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(p[1]);
        assertThat(r.leaks(VercelSimulator.TOKEN)).isFalse();
        assertThat(r.leaks(GitHubSimulator.DEFAULT_TOKEN)).isFalse();
        assertThat(gh.issues()).singleElement().satisfies(i -> {
            assertThat(i.path("title").asText()).isEqualTo("Incident: rollback of production failed");
            assertThat(i.path("body").asText()).contains("failed").contains(p[0]);
        });
    }

    /** Issue 22's fault, as AppPlatformFaultsTest for DigitalOcean: a 500 on each kind of read is retried. */
    @Test
    void aServerErrorOnEachKindOfReadIsRetriedAndTheRollbackSucceeds() {
        String[] p = seed(120, 60);
        ActionResult clean = rollback().run();
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        java.util.Set<String> reads = new java.util.LinkedHashSet<>();
        for (LoopbackServer.RecordedRequest q : sim.requests()) {
            if (q.method().equals("GET")) reads.add(q.path().replaceAll("dpl_[A-Za-z0-9]+", "dpl_[A-Za-z0-9]+"));
        }
        assertThat(reads).as("the project and the deployments").hasSizeGreaterThanOrEqualTo(2);
        for (String read : reads) {
            checkContract();
            sim.close();
            sim = new VercelSimulator(new ScaledClock(20));
            p = seed(120, 60);
            sim.inject(LoopbackServer.Fault.status(LoopbackServer.matching("GET", read), 1, LoopbackServer.Reply.json(500,
                    java.util.Map.of("error", java.util.Map.of("code", "internal_server_error",
                            "message", "An unexpected internal error occurred")))));
            ActionResult r = rollback().with("incident", "false").run();

            assertThat(r.exitCode()).as(read + "\n" + r).isZero();
            assertThat(r.output("result")).as(read).isEqualTo("success");
            assertThat(sim.exchanges()).as(read + ": the fault was served").anyMatch(e -> e.reply().status() == 500);
            assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).as(read).isEqualTo(p[0]);
            assertThat(sim.requests("POST", "/v1/projects/.*/rollback/.*")).as(read + ": one rollback").hasSize(1);
        }
    }

    /** A Retry-After (60 s) on the rollback call longer than the step's timeout (5 s): ends now, result=timeout. */
    @Test
    void aRetryAfterOf60sOnTheRollbackAgainstATimeoutOf5sEndsTheStepAtOnce() {
        String[] p = seed(120, 60);
        sim.rateLimit("POST", "/v1/projects/.*/rollback/.*", 1, 60);
        sim.clock().speed(0);
        dev.gantry.common.http.Time time = sim.time();
        java.time.Instant t0 = time.now();
        ActionResult r = rollback().time(time).with("timeout", "5s").with("incident", "false").run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("timeout");
        assertThat(Duration.between(t0, time.now())).as("no pause: 60 s cannot fit in 5 s").isLessThan(Duration.ofSeconds(1));
        assertThat(sim.requests("POST", "/v1/projects/.*/rollback/.*")).as("not sent again").hasSize(1);
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).as("nothing changed").isEqualTo(p[1]);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("timeout: 5s")
                .contains("Vercel asked to wait 1m").contains("HTTP 429"));
        assertThat(r.summary().lines().findFirst().orElse("")).as("the verdict first\n" + r.summary())
                .containsIgnoringCase("timed out");
        assertThat(r.summary()).contains("Vercel asked to wait 1m");
    }

    @Test
    void aRollbackJobThatOutlivesTheTimeoutFailsAndSaysSo() {
        seed(120, 60);
        sim.jobTime(Duration.ofHours(2));
        ActionResult r = rollback().with("timeout", "500ms").with("incident", "on-failure").run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("timeout");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("timed out")
                .contains("timeout of 500ms").contains("pending"));
        assertThat(gh.issues()).hasSize(1);
    }

    @Test
    void withOnlyOneProductionDeploymentThereIsNoCandidate() {
        seed(60);
        ActionResult r = rollback().run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("no-candidate");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data())
                .contains("No earlier production deployment of project sim-project can be rolled back to"));
        assertThat(sim.requests("POST", ".*")).isEmpty();
    }

    @Test
    void undoPromotesTheReplacedDeploymentAgainAndAddsToTheOpenIncident() {
        String[] p = seed(120, 60);
        ActionResult first = rollback().run();
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(p[0]);

        ActionResult r = rollback().with("undo", "true").with("reason", "the 500s came from a dependency").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("rolled-back-from")).isEqualTo(p[0]);
        assertThat(r.output("rolled-back-to")).isEqualTo(p[1]);
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(p[1]);
        assertThat(sim.requests("POST", "/v10/projects/.*/promote/.*")).singleElement()
                .satisfies(q -> assertThat(q.path()).endsWith("/promote/" + p[1]));
        // the incident of this environment got a comment, not a second issue
        assertThat(gh.issues()).hasSize(1);
        assertThat(gh.comments(gh.issues().get(0).path("number").asInt())).singleElement()
                .satisfies(c -> assertThat(c.path("body").asText()).contains("Undid the rollback")
                        .contains("the 500s came from a dependency"));
    }

    @Test
    void aFailedVerificationFailsTheActionAndSaysSoInTheIncident() {
        String[] p = seed(120, 60);
        app.health = 503;
        ActionResult r = rollback().with("verify-url", app.baseUrl().toString()).with("verify-checks", Support.CHECKS).with("verify-secrets", "API_KEY=" + Support.API_KEY)
                .with("verify-timeout", "1s").run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("failure");
        assertThat(r.output("verification")).isEqualTo("fail");
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).as("the rollback itself happened").isEqualTo(p[0]);
        assertThat(r.errors()).anySatisfy(e -> assertThat(e.data()).contains("is done, but its verification failed")
                .contains("did not become healthy"));
        assertThat(app.requests("GET", "/health")).as("the wait retried").hasSizeGreaterThan(1);
        assertThat(gh.issues()).singleElement().satisfies(i -> assertThat(i.path("body").asText())
                .contains("but the verification failed").contains("did not become healthy within 1s"));
    }

    @Test
    void providerInputsAreCheckedBeforeAnyCall() {
        ActionResult r = rollback().with("revert", "true").run();

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("Input 'revert'")
                .contains("undo: true"));
        assertThat(sim.requests()).isEmpty();
    }
}
