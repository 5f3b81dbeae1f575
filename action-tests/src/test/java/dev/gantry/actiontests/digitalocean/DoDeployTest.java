package dev.gantry.actiontests.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.OpenApiContract;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.common.http.Time;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * do-deploy end to end: the action runs as the runner runs it, against the App Platform simulator. After every
 * test, each request the action sent and each answer the simulator gave are checked against DigitalOcean's OpenAPI
 * description.
 */
class DoDeployTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String WEB_SPEC = """
            name: shop-web
            region: nyc
            envs:
              - key: PUBLIC_URL
                value: ${APP_URL}
              - key: GREETING
                value: ${GREETING}
              - key: PRICE
                value: "costs $5 ${NOT_SET_ANYWHERE}"
            domains:
              - domain: shop.example.com
                type: PRIMARY
            services:
              - name: web
                github:
                  repo: acme/shop
                  branch: main
                  deploy_on_push: true
                http_port: 8080
                envs:
                  - key: DATABASE_URL
                    value: ${db.DATABASE_URL}
            """;
    static final String IMAGE_SPEC = SampleSpecs.IMAGE;
    static final String DIGEST = "sha256:" + "ab12".repeat(16);

    AppPlatformSimulator sim;

    @BeforeEach
    void start() {
        sim = new AppPlatformSimulator();
    }

    @AfterEach
    void contractAndStop() {
        sim.checkContractAndClose();
    }

    ActionRun run() {
        return ActionRun.of("do-deploy")
                .with("token", AppPlatformSimulator.TOKEN)
                .with("api-url", sim.baseUrl().toString())
                .with("github-deployment", "false")
                .time(sim.time());
    }

    static ActionRun withSpec(ActionRun r, String spec) {
        try {
            Path f = r.workspace().resolve(".do/app.yaml");
            Files.createDirectories(f.getParent());
            Files.writeString(f, spec);
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode body(LoopbackServer.RecordedRequest r) {
        return r.json();
    }

    @Test
    void createsTheAppAndWaitsUntilItIsLive() throws Exception {
        ActionResult r = withSpec(run(), WEB_SPEC).env("GREETING", "hello world").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("success");
        assertThat(sim.appsCreated()).isEqualTo(1);
        assertThat(sim.deploymentsCreated()).isEqualTo(1);
        JsonNode app = sim.appByName("shop-web");
        assertThat(r.output("app-id")).isEqualTo(app.path("id").asText());
        assertThat(r.output("deployment-id")).isEqualTo(app.path("active_deployment").path("id").asText());
        assertThat(r.output("previous-deployment-id")).isEmpty();
        assertThat(r.output("phase")).isEqualTo("ACTIVE");
        assertThat(r.output("live-url")).matches("https://shop-web-[0-9a-f]{5}\\.ondigitalocean\\.app");
        assertThat(JSON.readTree(r.output("app")).path("live_url").asText()).isEqualTo(r.output("live-url"));
        assertThat(r.log()).contains("does not exist yet: creating it").contains("BUILDING").contains("DEPLOYING")
                .contains("ACTIVE 6/6").contains("is live at " + r.output("live-url"));
        assertThat(r.summary()).startsWith("### ✅ Deployed shop-web").contains("Phase timeline").contains("| Phase | ACTIVE |");

        JsonNode sent = body(sim.requests("POST", "/v2/apps").get(0)).path("spec");
        assertThat(sent.path("envs").get(0).path("value").asText()).isEqualTo("${APP_URL}");
        assertThat(sent.path("envs").get(1).path("value").asText()).isEqualTo("hello world");
        assertThat(sent.path("envs").get(2).path("value").asText()).isEqualTo("costs $5 ${NOT_SET_ANYWHERE}");
        assertThat(sent.path("services").get(0).path("envs").get(0).path("value").asText()).isEqualTo("${db.DATABASE_URL}");
    }

    @Test
    void updatesAnExistingAppPullingNewSourcesAndReportsTheRollbackTarget() {
        String appId = sim.seedApp("{\"name\": \"shop-web\", \"services\": [{\"name\": \"web\", \"github\": {\"repo\": "
                + "\"acme/shop\", \"branch\": \"main\"}}]}");
        String before = sim.app(appId).path("active_deployment").path("id").asText();

        ActionResult r = withSpec(run(), WEB_SPEC).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.appsCreated()).isZero();
        assertThat(sim.deploymentsCreated()).isEqualTo(1);
        LoopbackServer.RecordedRequest put = sim.requests("PUT", "/v2/apps/" + appId).get(0);
        assertThat(body(put).path("update_all_source_versions").asBoolean()).isTrue();
        assertThat(r.output("previous-deployment-id")).isEqualTo(before);
        assertThat(r.output("deployment-id")).isNotEqualTo(before)
                .isEqualTo(sim.app(appId).path("active_deployment").path("id").asText());
        assertThat(sim.deploymentsOf(appId)).extracting(d -> d.path("phase").asText())
                .containsExactly("ACTIVE", "SUPERSEDED");
    }

    @Test
    void pinsImagesByDigestOrTag() {
        String appId = sim.seedApp(IMAGE_SPEC);

        ActionResult r = run().with("app-name", "shop-api").with("images", "api=acme/api@" + DIGEST).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode image = body(sim.requests("PUT", "/v2/apps/" + appId).get(0)).path("spec").path("services").get(0).path("image");
        assertThat(image.path("digest").asText()).isEqualTo(DIGEST);
        assertThat(image.has("tag")).isFalse();
        assertThat(sim.app(appId).path("spec").path("services").get(0).path("image").path("digest").asText()).isEqualTo(DIGEST);
        assertThat(r.log()).contains("Pinned api to acme/api@" + DIGEST);

        ActionResult tag = run().with("app-id", appId).with("images", "api=:v2").run();
        assertThat(tag.exitCode()).as(tag.toString()).isZero();
        JsonNode image2 = sim.app(appId).path("spec").path("services").get(0).path("image");
        assertThat(image2.path("tag").asText()).isEqualTo("v2");
        assertThat(image2.path("repository").asText()).isEqualTo("acme/api");
        assertThat(image2.has("digest")).isFalse();
    }

    @Test
    void mergesEnvsAsSecretsThatNeverReachTheLogOrSummary() {
        String secret = "pg-pass-7f3c9e1a2b";
        ActionResult r = withSpec(run(), WEB_SPEC).with("envs", "DATABASE_PASSWORD=" + secret + "\nGREETING=hi")
                .with("print-deploy-logs", "always").debug().run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode envs = body(sim.requests("POST", "/v2/apps").get(0)).path("spec").path("envs");
        JsonNode pass = null;
        for (JsonNode e : envs) if (e.path("key").asText().equals("DATABASE_PASSWORD")) pass = e;
        assertThat(pass).isNotNull();
        assertThat(pass.path("value").asText()).isEqualTo(secret);
        assertThat(pass.path("type").asText()).isEqualTo("SECRET");
        assertThat(pass.path("scope").asText()).isEqualTo("RUN_TIME");
        assertThat(envs.findValuesAsText("key")).containsOnlyOnce("GREETING");
        assertThat(r.commands().masks()).contains(secret);
        assertThat(r.leaks(secret)).isFalse();
        assertThat(r.leaks(AppPlatformSimulator.TOKEN)).isFalse();
        assertThat(r.output("app")).doesNotContain("EV[");
        assertThat(sim.app(r.output("app-id")).toString()).doesNotContain(secret);
        assertThat(r.log()).as("print-deploy-logs: always").contains("::group::deploy logs").contains("[deploy] Starting container");
    }

    @Test
    void withoutWaitingTheStepEndsOnceTheDeploymentStarted() {
        ActionResult r = withSpec(run(), WEB_SPEC).with("wait", "false").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("started");
        assertThat(r.output("deployment-id")).isNotEmpty();
        assertThat(r.output("phase")).isIn("PENDING_BUILD", "BUILDING");
        assertThat(sim.requests("GET", "/v2/apps/.*/deployments/.*")).isEmpty();
        assertThat(r.summary()).startsWith("### 🚀 Deployment of shop-web started (not waited for)");
    }

    @Test
    void aFailedBuildFailsWithTheStepItsReasonAndTheComponentsLogs() {
        sim.failNextBuild("web", "npm ERR! missing script: build", List.of(
                "[build] > shop@1.0.0 build", "[build] npm ERR! missing script: build", "::error::injected by the build"));

        ActionResult r = withSpec(run(), WEB_SPEC).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("failure");
        assertThat(r.output("phase")).isEqualTo("ERROR");
        assertThat(r.errors()).extracting(c -> c.data())
                .anyMatch(m -> m.contains("ended in ERROR") && m.contains("build › components › web")
                        && m.contains("npm ERR! missing script: build"))
                .noneMatch(m -> m.contains("injected"));
        assertThat(r.log()).contains("::group::build logs: web").contains("web 2026-").contains("missing script: build");
        assertThat(r.summary()).startsWith("### ❌ Deployment of shop-web failed in phase ERROR")
                .contains("**Why:**").contains("build logs of web (last 40 lines)").contains("npm ERR! missing script");
        assertThat(sim.logDownloads()).isGreaterThanOrEqualTo(1);
        assertThat(sim.logDownloadsWithToken()).as("presigned URLs are fetched without the token").isZero();
        assertThat(r.output("deployment-id")).isNotEmpty();
        // app_action's build_logs output, for a later `if: failure()` step: the failed component's log, as text
        assertThat(r.output("build_logs")).contains("web ").contains("npm ERR! missing script: build")
                .contains("injected by the build");
    }

    @Test
    void aDeployThatOutlivesTheTimeoutFailsWithAClearMessage() {
        sim.phaseDurations(Duration.ofSeconds(10), Duration.ofDays(1), Duration.ofSeconds(10), Duration.ofSeconds(40));
        Time time = sim.time();
        Instant t0 = time.now();

        ActionResult r = withSpec(run(), WEB_SPEC).with("timeout", "400ms").time(time).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("timeout");
        assertThat(r.output("phase")).isEqualTo("BUILDING");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data())
                .contains("did not finish within the step's timeout (timeout: 400ms)").contains("last phase BUILDING")
                .contains("raise the timeout input"));
        assertThat(r.summary()).startsWith("### ⏱️ Deployment of shop-web timed out in phase BUILDING");
        assertThat(Duration.between(t0, time.now())).as("the action's own (virtual) time").isLessThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void survivesA429StormAndDroppedConnectionsWhilePolling() {
        sim.rateLimitStorm(4, 2);
        sim.dropConnections("GET", "/v2/apps/.*/deployments/.*", 2);

        ActionResult r = withSpec(run(), WEB_SPEC).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.log()).contains("HTTP 429").contains("retrying in");
        assertThat(sim.appsCreated()).isEqualTo(1);
        assertThat(sim.deploymentsCreated()).isEqualTo(1);
    }

    @Test
    void thePhaseTimelineShowsHowLongEachPhaseLastedEvenWhenThePlatformsPhaseTimesAreStale() {
        sim.stalePhaseTimestamps(); // every phase_last_updated_at is the deployment's creation
        sim.tick(Duration.ofSeconds(2));

        ActionResult r = withSpec(run(), WEB_SPEC).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> rows = r.summary().lines().filter(l -> l.matches("\\| [A-Z_]+ \\| .*")).toList();
        assertThat(rows).extracting(l -> l.split("\\|")[1].trim())
                .containsSubsequence("BUILDING", "DEPLOYING", "ACTIVE");
        for (String row : rows) {
            String[] cells = row.split("\\|");
            if (cells[1].trim().equals("ACTIVE")) continue;
            assertThat(cells[2].trim()).as(row).isNotEmpty().doesNotMatch("0(ms|s)");
        }
    }

    @Test
    void findsTheAppOnALaterPage() {
        for (int i = 0; i < 205; i++) {
            sim.seedApp("{\"name\": \"filler-" + i + "\", \"workers\": [{\"name\": \"mailer\", \"image\": "
                    + "{\"registry_type\": \"DOCR\", \"repository\": \"acme/w\", \"tag\": \"v1\"}}]}");
        }
        String appId = sim.seedApp("{\"name\": \"shop-web\", \"services\": [{\"name\": \"web\", \"github\": "
                + "{\"repo\": \"acme/shop\", \"branch\": \"main\"}}]}");

        ActionResult r = withSpec(run(), WEB_SPEC).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.appsCreated()).isZero();
        assertThat(r.output("app-id")).isEqualTo(appId);
        assertThat(sim.requests("GET", "/v2/apps")).extracting(q -> q.param("page")).contains("1", "2");
        assertThat(sim.requests("GET", "/v2/apps")).allSatisfy(q -> assertThat(q.param("per_page")).isEqualTo("200"));
    }

    @Test
    void aWorkerOnlyAppSucceedsWithoutAUrl() {
        ActionResult r = withSpec(run(), """
                name: shop-jobs
                workers:
                  - name: mailer
                    image: {registry_type: DOCR, repository: acme/mailer, digest: "%s"}
                """.formatted(DIGEST)).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("live-url")).isEmpty();
        assertThat(r.output("phase")).isEqualTo("ACTIVE");
        assertThat(r.log()).contains("has no HTTP component").doesNotContain("BUILDING");
        assertThat(r.summary()).contains("none (no HTTP component)");
    }

    @Test
    void previewAppsAreCreatedPerPullRequestAndDeletedOnClose() {
        String sha = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
        ActionResult r = withSpec(run(), WEB_SPEC).with("preview", "true").pullRequest(7, sha, "feature/cart").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        String name = r.output("app-name");
        assertThat(name).hasSizeLessThanOrEqualTo(32).matches("acme-shop-7-merge-[0-9a-f]{8}");
        JsonNode spec = sim.appByName(name).path("spec");
        assertThat(spec.has("domains")).isFalse();
        assertThat(spec.path("services").get(0).path("github").path("branch").asText()).isEqualTo("feature/cart");
        assertThat(spec.path("services").get(0).path("github").path("deploy_on_push").asBoolean()).isFalse();

        ActionRun again = run().with("preview", "true").pullRequest(7, sha, "feature/cart");
        withSpec(again, WEB_SPEC);
        ActionResult second = again.run();
        assertThat(second.output("app-name")).isEqualTo(name);
        assertThat(sim.appsCreated()).as("the same PR reuses its preview app").isEqualTo(1);

        ActionResult del = run().with("operation", "delete-preview").pullRequest(7, sha, "feature/cart").run();
        assertThat(del.exitCode()).as(del.toString()).isZero();
        assertThat(del.output("result")).isEqualTo("deleted");
        assertThat(sim.appByName(name)).isNull();

        ActionResult gone = run().with("operation", "delete-preview").pullRequest(7, sha, "feature/cart").run();
        assertThat(gone.exitCode()).isZero();
        assertThat(gone.output("result")).isEqualTo("not-found");
    }

    @Test
    void dryRunValidatesAndListsTheChangesWithoutDeploying() {
        String appId = sim.seedApp(IMAGE_SPEC);
        int before = sim.deploymentsCreated();

        ActionResult r = run().with("app-name", "shop-api").with("images", "api=:v9").with("envs", "TOKEN=abcdef123456")
                .with("dry-run", "true").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("dry-run");
        assertThat(r.output("app-id")).isEqualTo(appId);
        assertThat(sim.requests("POST", "/v2/apps/propose")).hasSize(1);
        assertThat(sim.requests("PUT", ".*")).isEmpty();
        assertThat(sim.deploymentsCreated()).isEqualTo(before);
        assertThat(r.summary()).startsWith("### 🔎 Dry run: 2 change(s) to shop-api")
                .contains("~ services[api].image.tag: v1 → v9").contains("+ envs = ");
        assertThat(r.leaks("abcdef123456")).isFalse();
    }

    @Test
    void aDroppedAnswerToCreateNeverMakesASecondApp() {
        sim.afterProcessing("POST", "/v2/apps", 1, 0);

        ActionResult r = withSpec(run(), WEB_SPEC).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.appsCreated()).isEqualTo(1);
        assertThat(sim.deploymentsCreated()).isEqualTo(1);
        assertThat(sim.requests("POST", "/v2/apps")).hasSize(1);
        assertThat(r.log()).contains("went through despite no answer");
    }

    @Test
    void a503BeforeCreateIsRetriedOnceItIsClearNothingHappened() {
        sim.serverErrors("POST", "/v2/apps", 2, 503);

        ActionResult r = withSpec(run(), WEB_SPEC).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.requests("POST", "/v2/apps")).hasSize(3);
        assertThat(sim.appsCreated()).isEqualTo(1);
        assertThat(r.log()).contains("checking whether it happened, then retrying");
    }

    @Test
    void lostAnswersToUpdateAndCreateDeploymentNeverMakeASecondDeployment() {
        String appId = sim.seedApp(IMAGE_SPEC);
        sim.afterProcessing("PUT", "/v2/apps/.*", 1, 504);

        ActionResult r = run().with("app-id", appId).with("images", "api=:v2").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.deploymentsCreated()).isEqualTo(1);
        assertThat(sim.requests("PUT", "/v2/apps/" + appId)).hasSize(1);

        sim.updatesStartNoDeployment(true);
        sim.afterProcessing("POST", "/v2/apps/.*/deployments", 1, 0);
        ActionResult r2 = run().with("app-id", appId).with("force-build", "true").run();

        assertThat(r2.exitCode()).as(r2.toString()).isZero();
        assertThat(r2.log()).contains("The update started no deployment; starting one with a forced rebuild");
        assertThat(sim.deploymentsCreated()).isEqualTo(2);
        assertThat(sim.requests("POST", "/v2/apps/" + appId + "/deployments")).hasSize(1);
        assertThat(body(sim.requests("POST", "/v2/apps/" + appId + "/deployments").get(0)).path("force_build").asBoolean()).isTrue();
    }

    @Test
    void aDeploymentSupersededByAConcurrentPushFails() {
        sim.supersedeNextAfter(Duration.ofSeconds(40));

        ActionResult r = withSpec(run(), WEB_SPEC).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("phase")).isEqualTo("SUPERSEDED");
        assertThat(r.errors()).singleElement().satisfies(e ->
                assertThat(e.data()).contains("a newer deployment replaced it"));
    }

    @Test
    void badInputsAreExitTwoNamingTheInput() {
        ActionResult missing = run().run();
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.errors().get(0).data()).contains("Input 'app-spec'").contains("does not exist");

        ActionResult unknown = withSpec(run(), IMAGE_SPEC).with("images", "worker=acme/x:v1").run();
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.errors().get(0).data()).contains("Input 'images'").contains("no component named 'worker'");

        ActionResult badTag = withSpec(run(), IMAGE_SPEC).with("images", "api=acme/api").run();
        assertThat(badTag.exitCode()).isEqualTo(2);
        assertThat(badTag.errors().get(0).data()).contains("needs a tag or a digest");

        ActionResult previewOnPush = withSpec(run(), WEB_SPEC).with("preview", "true").run();
        assertThat(previewOnPush.exitCode()).isEqualTo(2);
        assertThat(previewOnPush.errors().get(0).data()).contains("Input 'preview'").contains("pull_request");

        ActionResult outside = run().with("app-spec", "../app.yaml").run();
        assertThat(outside.exitCode()).isEqualTo(2);
        assertThat(outside.errors().get(0).data()).contains("Input 'app-spec' must be a path inside the workspace");

        ActionRun linked = run();
        try {
            Path elsewhere = Files.createTempFile("spec-outside-the-workspace", ".yaml");
            Files.writeString(elsewhere, IMAGE_SPEC);
            Files.createDirectories(linked.workspace().resolve(".do"));
            Files.createSymbolicLink(linked.workspace().resolve(".do/app.yaml"), elsewhere);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ActionResult link = linked.run();
        assertThat(link.exitCode()).isEqualTo(2);
        assertThat(link.errors().get(0).data()).contains("Input 'app-spec' must stay inside the workspace")
                .contains("symbolic link");

        ActionResult insecure = run().with("api-url", "http://api.example.com").run();
        assertThat(insecure.exitCode()).isEqualTo(2);
        assertThat(insecure.errors().get(0).data()).contains("api-url");

        assertThat(sim.appsCreated()).isZero();
    }

    @Test
    void anAppPinnedToARollbackIsNotDeployed() {
        String appId = sim.seedApp(IMAGE_SPEC);
        ActionResult first = run().with("app-id", appId).with("images", "api=:v2").run();
        assertThat(first.exitCode()).as(first.toString()).isZero();
        dev.gantry.common.digitalocean.AppPlatform platform = dev.gantry.common.digitalocean.AppPlatform.connect(
                sim.baseUrl(), AppPlatformSimulator.TOKEN, null,
                dev.gantry.common.http.Deadline.none(dev.gantry.common.http.Time.SYSTEM));
        platform.rollback(appId, first.output("previous-deployment-id"), false);
        int before = sim.deploymentsCreated();

        ActionResult r = run().with("app-id", appId).with("images", "api=:v3").run();

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("pinned");
        // the error shows the exact step that unpins the app, and where the example does it
        String pinned = sim.app(appId).path("pinned_deployment").path("id").asText();
        assertThat(r.errors().get(0).data()).contains("is pinned to rollback deployment " + pinned)
                .contains("- uses: gantry-actions/gantry/actions/rollback@v1\n  with:\n    provider: digitalocean\n")
                .contains("    app-id: " + appId + "\n").contains("commit: true").contains("revert: true")
                .contains("example-rollback.yml");
        assertThat(r.summary()).startsWith("### 📌 shop-api is pinned to rollback deployment")
                .contains("```yaml\n- uses: gantry-actions/gantry/actions/rollback@v1").contains("app-id: " + appId);
        assertThat(r.output("app-id")).isNull();
        assertThat(sim.deploymentsCreated()).isEqualTo(before);

        // run inside the runner, the step names the same repository and ref as the action that stopped
        ActionResult pinnedRef = run().with("app-id", appId).with("images", "api=:v3")
                .env("GITHUB_ACTION_REPOSITORY", "acme-forks/gantry").env("GITHUB_ACTION_REF", "v1.4.2").run();
        assertThat(pinnedRef.errors().get(0).data()).contains("- uses: acme-forks/gantry/actions/rollback@v1.4.2");
    }

    @Test
    void anInvalidSpecIsReportedWithTheApiMessage() {
        ActionResult r = withSpec(run(), "name: shop-web\nservices: []\n").run();

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors().get(0).data()).contains("Input 'app-spec'").contains("at least one component")
                .contains("[request id ");
    }

    /** Our requests to GitHub (the GitHub simulator's answers are its own tests' business). */
    static void assertGitHubContract(GitHubSimulator gh) {
        assertThat(gh.requests()).isNotEmpty();
        Path spec = Project.sharedFile("specs/github/github.openapi.json");
        if (!Files.exists(spec)) {
            System.err.println("[contract] skipped: " + spec + " not found (../shared is absent), so " + gh.requests().size()
                    + " request(s) to GitHub were not checked against the API description");
            return;
        }
        OpenApiContract c = OpenApiContract.require("github/github.openapi.json");
        for (LoopbackServer.RecordedRequest q : gh.requests()) assertThat(c.checkRequest(q)).isEmpty();
    }

    @Test
    void recordsAGitHubDeploymentNamingTheAppPlatformDeployment() {
        try (GitHubSimulator gh = new GitHubSimulator()) {
            ActionResult r = withSpec(run(), WEB_SPEC).with("github-deployment", "true").with("environment", "production")
                    .githubApi(gh.apiUrl()).run();

            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode record = gh.deployments().get(0);
            assertThat(record.path("environment").asText()).isEqualTo("production");
            assertThat(record.path("sha").asText()).isEqualTo("4f2c9a1e5b7d3c8f0a6e2d4b1c9f7e5a3d1b8c6e");
            assertThat(record.path("payload").path("provider_deployment_id").asText()).isEqualTo(r.output("deployment-id"));
            long id = record.path("id").asLong();
            assertThat(gh.statusStates(id)).containsExactly("in_progress", "success");
            assertThat(gh.statuses(id).get(1).path("environment_url").asText()).isEqualTo(r.output("live-url"));
            assertThat(r.leaks("ghs_simulatedGitHubToken0000000000000")).isFalse();
            assertGitHubContract(gh);
        }
    }

    @Test
    void aFailedDeployMarksTheGitHubDeploymentFailed() {
        try (GitHubSimulator gh = new GitHubSimulator()) {
            sim.failNextDeploy("web", "health check failed", List.of("[deploy] GET /health 503"));
            ActionResult r = withSpec(run(), WEB_SPEC).with("github-deployment", "true").githubApi(gh.apiUrl()).run();

            assertThat(r.exitCode()).isEqualTo(1);
            JsonNode record = gh.deployments().get(0);
            assertThat(record.path("environment").asText()).isEqualTo("shop-web");
            assertThat(gh.statusStates(record.path("id").asLong())).containsExactly("in_progress", "failure");
            assertThat(r.log()).contains("::group::deploy logs: web").contains("GET /health 503");
            assertGitHubContract(gh);
        }
    }

    @Test
    void aReadOnlyGitHubTokenOnlyWarnsAndTheDeployGoesOn() {
        try (GitHubSimulator gh = new GitHubSimulator()) {
            gh.readOnlyToken("ghs_readonly000000000000000000000000000");
            ActionResult r = withSpec(run(), WEB_SPEC).with("github-deployment", "true")
                    .githubToken("ghs_readonly000000000000000000000000000").githubApi(gh.apiUrl()).run();

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(gh.deployments()).isEmpty();
            assertThat(r.warnings()).isNotEmpty();
        }
    }
}
