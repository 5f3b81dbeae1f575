package dev.gantry.actiontests.vercel;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** vercel-deploy run as the runner runs it, against the stateful Vercel simulator. */
class VercelDeployE2ETest {
    private VercelSimulator sim;

    @BeforeEach
    void start() {
        sim = new VercelSimulator(new ScaledClock(20));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private ActionRun deploy() {
        return ActionRun.of("vercel-deploy")
                .with("vercel-token", VercelSimulator.TOKEN)
                .with("vercel-org-id", VercelSimulator.TEAM_ID)
                .with("vercel-project-id", VercelSimulator.PROJECT_ID)
                .with("api-url", sim.baseUrl().toString())
                .with("github-comment", "false")
                .with("timeout", "60s");
    }

    private static void assertContract(VercelSimulator sim) {
        assertThat(VercelContract.problems(sim.exchanges())).as("contract problems").isEmpty();
    }

    @Test
    void previewDeployUploadsEachDistinctFileOnceAndWaitsForTheAlias() {
        ActionRun run = deploy();
        Fixtures.site(run.workspace());
        Fixtures.write(run.workspace(), Map.of(".env", "DATABASE_URL=postgres://secret", "api/.env.production", "X=1",
                ".env.local", "LOCAL=1"));
        ActionResult r = run.run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        String id = r.output("deployment-id");
        assertThat(id).startsWith("dpl_");
        assertThat(r.output("ready-state")).isEqualTo("READY");
        assertThat(r.output("deployment-url")).startsWith("https://sim-project-").endsWith(".vercel.app");
        assertThat(r.output("preview-url")).isEqualTo(r.output("deployment-url"));
        assertThat(r.output("inspect-url")).startsWith("https://vercel.com/sim-team/sim-project/");
        assertThat(r.output("result")).isEqualTo("success");
        assertThat(r.output("previous-production-deployment-id")).isNull();
        // the files Vercel got: the CLI's ignore rules, .vercelignore, and no .env files
        // drafts/ is ignored by a folder rule, which the CLI applies to what is in it: it sends the folder, empty
        assertThat(sim.files(id).keySet()).containsExactlyInAnyOrder("index.html", "about.html", "app.js",
                "assets/app-copy.js", "style.css", ".vercelignore", "drafts");
        assertThat(sim.files(id).get("drafts").mode() & 0170000).isEqualTo(040000);
        assertThat(sim.files(id).get("app.js").mode()).isEqualTo(0100644);
        // 6 files, 5 distinct contents: created once (missing_files), 5 uploads, created again
        assertThat(sim.uploads()).isEqualTo(5);
        assertThat(sim.creates()).isEqualTo(2);
        assertThat(sim.requests("POST", "/v2/files")).allSatisfy(q -> {
            assertThat(q.header("x-now-digest")).matches("[0-9a-f]{40}");
            assertThat(q.header("x-now-size")).isEqualTo(Integer.toString(q.body().length));
        });
        // the .env warning names the files; .env.local is on the CLI's own ignore list
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w.data()).contains(".env").contains("api/.env.production"));
        // meta and gitMetadata from the GitHub context, always project id and teamId
        LoopbackServer.RecordedRequest create = sim.requests("POST", "/v13/deployments").get(1);
        assertThat(create.param("teamId")).isEqualTo(VercelSimulator.TEAM_ID);
        assertThat(create.param("skipAutoDetectionConfirmation")).isEqualTo("1");
        assertThat(create.json().path("project").asText()).isEqualTo(VercelSimulator.PROJECT_ID);
        assertThat(create.json().path("name").asText()).isEqualTo(VercelSimulator.PROJECT_NAME);
        assertThat(create.json().has("target")).isFalse();
        assertThat(create.json().path("meta").path("githubCommitSha").asText()).isEqualTo("4f2c9a1e5b7d3c8f0a6e2d4b1c9f7e5a3d1b8c6e");
        assertThat(create.json().path("gitMetadata").path("remoteUrl").asText()).isEqualTo("https://github.com/acme/shop");
        // the report: verdict first, then the table
        assertThat(r.summary().lines().findFirst().orElse("")).startsWith("✅").contains("preview").contains("ready");
        assertThat(r.summary()).contains("| Files | 7 (").contains("5 distinct, 1 duplicates").contains("| Uploaded | 5 files");
        assertThat(r.leaks(VercelSimulator.TOKEN)).isFalse();
        assertThat(r.log()).contains("::group::Build log");
        assertContract(sim);
    }

    @Test
    void productionDeployReportsThePreviousProductionDeployment() {
        String previous = sim.seedProductionDeployment(VercelSimulator.PROJECT_ID, sim.clock().millis() - 3_600_000);
        ActionRun run = deploy().with("prod", "true");
        Fixtures.site(run.workspace());
        ActionResult r = run.run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("previous-production-deployment-id")).isEqualTo(previous);
        assertThat(sim.requests("POST", "/v13/deployments").get(0).json().path("target").asText()).isEqualTo("production");
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(r.output("deployment-id"));
        assertThat(sim.aliasTarget("sim-project.vercel.app")).isEqualTo(r.output("deployment-id"));
        assertContract(sim);
    }

    @Test
    void aSecondDeployUploadsOnlyWhatChanged() throws IOException {
        ActionRun first = deploy();
        Fixtures.site(first.workspace());
        assertThat(first.run().exitCode()).isZero();
        int before = sim.uploads();

        ActionRun second = deploy();
        Fixtures.site(second.workspace());
        Files.writeString(second.workspace().resolve("style.css"), "body { margin: 1px }\n");
        ActionResult r = second.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.uploads() - before).isEqualTo(1);
        assertThat(r.summary()).contains("| Uploaded | 1 files");
    }

    @Test
    void missingFilesTwiceIsUploadedAgainWithinThreeRounds() {
        sim.missingFilesAgain(1);
        ActionRun run = deploy();
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.creates()).isEqualTo(3);
        assertThat(sim.uploads()).isEqualTo(10);
    }

    @Test
    void missingFilesForeverFailsAfterThreeRounds() {
        sim.missingFilesAgain(5);
        ActionRun run = deploy();
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(sim.creates()).isEqualTo(3);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("missing file(s) after 3"));
        assertThat(sim.deploymentIds()).isEmpty();
    }

    @Test
    void prebuiltDeploysOnlyTheBuildOutput() {
        ActionRun run = deploy().with("prebuilt", "true");
        Fixtures.write(run.workspace(), Map.of(
                ".vercel/output/config.json", "{\"version\":3}",
                ".vercel/output/builds.json", "{\"target\":\"preview\"}",
                ".vercel/output/static/index.html", "<h1>built</h1>",
                ".vercel/output/functions/api.func/.vc-config.json", "{\"runtime\":\"nodejs22.x\"}",
                ".vercel/output/functions/api.func/index.js", "export default () => new Response('ok')",
                ".vercel/project.json", "{\"projectId\":\"prj_sim\",\"orgId\":\"team_sim\"}",
                "src/page.js", "source, not sent"));
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.files(r.output("deployment-id")).keySet()).containsExactlyInAnyOrder(
                ".vercel/output/config.json", ".vercel/output/builds.json", ".vercel/output/static/index.html",
                ".vercel/output/functions/api.func/.vc-config.json", ".vercel/output/functions/api.func/index.js");
        assertThat(sim.requests("POST", "/v13/deployments").get(0).param("prebuilt")).isEqualTo("1");
    }

    @Test
    void prebuiltWithoutOutputOrForAnotherTargetIsABadInput() {
        ActionRun none = deploy().with("prebuilt", "true");
        Fixtures.site(none.workspace());
        ActionResult r = none.run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("prebuilt").contains("vercel build"));

        ActionRun wrong = deploy().with("prebuilt", "true").with("prod", "true");
        Fixtures.write(wrong.workspace(), Map.of(".vercel/output/builds.json", "{\"target\":\"preview\"}",
                ".vercel/output/static/index.html", "x"));
        ActionResult w = wrong.run();
        assertThat(w.exitCode()).isEqualTo(2);
        assertThat(w.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("built for preview"));
        assertThat(sim.creates()).isZero();
    }

    @Test
    void aPrebuiltOutputReachedThroughASymlinkOutOfTheDeployFolderIsRefused() throws IOException {
        // .vercel (a folder on the way, not the last component) points outside the deploy root
        Path outside = Files.createTempDirectory("gantry-outside-output");
        Fixtures.write(outside, Map.of("output/config.json", "{\"version\":3}", "output/static/id_rsa", "ssh key material"));
        ActionRun run = deploy().with("prebuilt", "true");
        Files.createDirectories(run.workspace());
        Files.createSymbolicLink(run.workspace().resolve(".vercel"), outside);
        ActionResult r = run.run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("prebuilt")
                .contains(".vercel/output").contains("outside the deploy directory"));
        assertThat(sim.requests("POST", "/v2/files")).isEmpty();
        assertThat(sim.creates()).isZero();

        // and a working-directory that leaves the workspace is refused before anything is read
        ActionResult away = deploy().with("working-directory", "../..").run();
        assertThat(away.exitCode()).isEqualTo(2);
        assertThat(away.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("working-directory"));
    }

    @Test
    void tgzArchiveUploadsOneTarballThatHoldsTheTree() throws IOException {
        ActionRun run = deploy().with("archive", "tgz");
        Fixtures.site(run.workspace());
        Path script = run.workspace().resolve("build.sh");
        Files.writeString(script, "#!/bin/sh\necho hi\n");
        script.toFile().setExecutable(true);
        Files.createSymbolicLink(run.workspace().resolve("home.html"), Path.of("index.html"));
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.uploads()).isEqualTo(1);
        LoopbackServer.RecordedRequest create = sim.requests("POST", "/v13/deployments").get(1);
        assertThat(create.json().path("files")).singleElement().satisfies(f -> {
            assertThat(f.path("file").asText()).isEqualTo(".vercel/source.tgz.part1");
            assertThat(f.path("mode").asInt()).isEqualTo(0666);
        });
        Map<String, VercelSimulator.DeployedFile> files = sim.files(r.output("deployment-id"));
        assertThat(files.keySet()).containsExactlyInAnyOrder("index.html", "about.html", "app.js",
                "assets/app-copy.js", "style.css", ".vercelignore", "build.sh", "home.html", "drafts");
        assertThat(files.get("build.sh").mode() & 0111).isNotZero();
        assertThat(files.get("home.html").mode()).isEqualTo(0120777);
        assertThat(files.get("app.js").sha()).isEqualTo(VercelSimulator.sha1("console.log('shop');\n".getBytes()));
        try (var left = Files.list(run.runDir().resolve("runner_temp"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("the archive is removed").noneMatch(n -> n.startsWith("vercel-archive-"));
        }
    }

    @Test
    void smallStaticSitesGoInline() {
        ActionRun run = deploy();
        Fixtures.write(run.workspace(), Map.of("index.html", "<h1>hi</h1>", "README.md", "# readme"));
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.requests("POST", "/v2/files")).isEmpty();
        assertThat(sim.creates()).isEqualTo(1);
        assertThat(sim.requests("POST", "/v13/deployments").get(0).json().path("files").get(0).has("data")).isTrue();
        assertContract(sim);
    }

    @Test
    void aliasesAreAssignedAndOneAlreadyPointingHereIsFine() {
        sim.aliasConflict("feature-x.shop.example", true);
        ActionRun run = deploy().pullRequest(7, "0b16c0ffee0000000000000000000000000000aa", "feature/X")
                .with("alias-domains", "pr-{{PR_NUMBER}}.shop.example\n{{BRANCH}}.shop.example");
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String id = r.output("deployment-id");
        assertThat(r.output("preview-url")).isEqualTo("https://pr-7.shop.example");
        assertThat(sim.aliasTarget("pr-7.shop.example")).isEqualTo(id);
        assertThat(sim.aliasTarget("feature-x.shop.example")).isEqualTo(id);
        assertThat(r.log()).contains("alias feature-x.shop.example already points at " + id);
        assertContract(sim);
    }

    @Test
    void anAliasHeldElsewhereFailsWithVercelsMessage() {
        sim.aliasConflict("taken.example", false);
        ActionRun run = deploy().with("alias-domains", "taken.example");
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data())
                .contains("409").contains("alias_in_use").contains("already in use"));
        assertThat(r.output("deployment-id")).isNotBlank();
    }

    @Test
    void envFilesCanBeIncludedOnPurpose() {
        ActionRun run = deploy().with("include-env-files", "true");
        Fixtures.site(run.workspace());
        Fixtures.write(run.workspace(), Map.of(".env", "A=1"));
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.files(r.output("deployment-id"))).containsKey(".env");
        assertThat(r.warnings()).noneSatisfy(w -> assertThat(w.data()).contains(".env"));
    }

    @Test
    void aSymlinkOutOfTheWorkingDirectoryIsRefusedBeforeAnythingIsSent() throws IOException {
        ActionRun run = deploy();
        Fixtures.site(run.workspace());
        Path outside = Files.createTempFile("gantry-outside", ".txt");
        Files.writeString(outside, "ssh key material");
        Files.createSymbolicLink(run.workspace().resolve("assets/key.txt"), outside);
        ActionResult r = run.run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data())
                .contains("working-directory").contains("assets/key.txt").contains("outside"));
        assertThat(sim.requests("POST", "/v13/deployments")).isEmpty();
        assertThat(sim.requests("POST", "/v2/files")).isEmpty();
    }

    @Test
    void rateLimitsAndServerErrorsAreSurvived() {
        sim.rateLimit("POST", "/v13/deployments", 1, 1);
        sim.failUploads(2, 503);
        sim.failUploads(1, 500);
        ActionRun run = deploy();
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.uploads()).isEqualTo(5);
        assertThat(sim.requests("POST", "/v2/files")).hasSize(8);
        assertThat(r.log()).contains("HTTP 429").contains("retrying");
        assertThat(r.summary()).contains("3 retries");
        assertThat(sim.deploymentIds()).hasSize(1);
        assertContract(sim);
    }

    @Test
    void aCreateWhoseAnswerIsLostIsFoundAgainNotRepeated() {
        sim.loseNextCreateAnswers(1);
        ActionRun run = deploy();
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.deploymentIds()).as("one deployment, not two").hasSize(1);
        assertThat(r.output("deployment-id")).isEqualTo(sim.deploymentIds().get(0));
        assertThat(r.log()).contains("POST /v13/deployments went through despite no answer");
        assertThat(sim.requests("GET", "/v6/deployments")).isNotEmpty();
    }

    @Test
    void envBuildEnvForceAndACustomEnvironmentReachTheApiMasked() {
        ActionRun run = deploy().with("env", "API_KEY=runtime-secret-1234\nMODE=x=y")
                .with("build-env", "NPM_TOKEN=build-secret-5678").with("force", "true").with("target", "staging");
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        LoopbackServer.RecordedRequest create = sim.requests("POST", "/v13/deployments").get(1);
        assertThat(create.param("forceNew")).isEqualTo("1");
        assertThat(create.json().path("env").path("API_KEY").asText()).isEqualTo("runtime-secret-1234");
        assertThat(create.json().path("env").path("MODE").asText()).isEqualTo("x=y");
        assertThat(create.json().path("build").path("env").path("NPM_TOKEN").asText()).isEqualTo("build-secret-5678");
        assertThat(create.json().path("customEnvironmentSlugOrId").asText()).isEqualTo("staging");
        assertThat(create.json().has("target")).isFalse();
        assertThat(r.leaks("runtime-secret-1234")).isFalse();
        assertThat(r.leaks("build-secret-5678")).isFalse();
        assertThat(r.summary()).contains("staging");
    }

    @Test
    void withoutTheEventsStreamItFallsBackToPolling() {
        sim.inject(LoopbackServer.Fault.status(LoopbackServer.matching("GET", "/v3/deployments/.*/events"), 10,
                LoopbackServer.Reply.json(500, Map.of("error", Map.of("code", "internal_server_error", "message", "events down")))));
        ActionRun run = deploy();
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("ready-state")).isEqualTo("READY");
        assertThat(sim.requests("GET", "/v13/deployments/dpl_.*").size()).isGreaterThanOrEqualTo(2);
        assertThat(sim.requests("GET", "/v3/deployments/.*/events")).hasSizeBetween(1, 3);
    }

    @Test
    void anUploadRejectedWithA4xxFailsAtOnce() {
        sim.inject(LoopbackServer.Fault.status(LoopbackServer.matching("POST", "/v2/files"), 1,
                LoopbackServer.Reply.json(413, Map.of("error", Map.of("code", "file_too_large", "message", "File too large")))));
        ActionRun run = deploy();
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("413").contains("file_too_large"));
        assertThat(sim.deploymentIds()).isEmpty();
    }

    @Test
    void aFailedBuildFailsFastWithVercelsMessageAndTheLog() {
        sim.failNextBuild("BUILD_FAILED", "Command \"npm run build\" exited with 1");
        sim.buildLines(List.of("::set-output name=preview-url::https://evil.example", "npm ERR! missing script: build"));
        ActionRun run = deploy();
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("failure");
        assertThat(r.output("ready-state")).isEqualTo("ERROR");
        assertThat(r.output("preview-url")).isNull();
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data())
                .contains("BUILD_FAILED").contains("exited with 1").contains("Inspect: https://vercel.com/"));
        // the provider's log is printed, inside stop-commands, so its lines cannot act as workflow commands
        assertThat(r.log()).contains("npm ERR! missing script: build");
        assertThat(r.commands().commands()).noneSatisfy(c -> assertThat(c.name()).isEqualTo("set-output"));
        assertThat(r.summary().lines().findFirst().orElse("")).startsWith("❌");
        assertThat(r.summary()).contains("<details><summary>Build log");
    }

    @Test
    void aBlockedDeploymentFailsFastInsteadOfPollingForever() {
        sim.blockNext();
        ActionRun run = deploy().with("timeout", "10m");
        Fixtures.site(run.workspace());
        java.time.Instant before = sim.clock().instant();
        ActionResult r = run.run();
        assertThat(Duration.between(before, sim.clock().instant())).as("simulated time: no wait for the 10m timeout")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("ready-state")).isEqualTo("BLOCKED");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("BLOCKED").contains("plan"));
    }

    @Test
    void theTimeoutHoldsAndTheUnfinishedDeploymentIsCanceled() {
        sim.buildTime(Duration.ofSeconds(1), Duration.ofHours(2));
        ActionRun run = deploy().with("timeout", "2s");
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("timeout");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("Timed out").contains("BUILDING")
                .contains("(timeout: 2s)"));
        String id = sim.deploymentIds().get(0);
        assertThat(sim.canceled(id)).isTrue();
        assertThat(r.summary()).contains("canceled after the timeout");
    }

    @Test
    void badInputsNameTheInput() {
        ActionResult noProject = ActionRun.of("vercel-deploy").with("vercel-token", VercelSimulator.TOKEN)
                .with("api-url", sim.baseUrl().toString()).run();
        assertThat(noProject.exitCode()).isEqualTo(2);
        assertThat(noProject.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("vercel-project-id"));

        ActionResult both = deploy().with("prod", "true").with("target", "staging").run();
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("target"));

        ActionResult clear = deploy().with("api-url", "http://api.example.com").run();
        assertThat(clear.exitCode()).isEqualTo(2);
        assertThat(clear.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("api-url"));

        ActionResult unknown = deploy().with("vercel-project-id", "prj_nope").run();
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("vercel-project-id"));
        assertThat(unknown.leaks(VercelSimulator.TOKEN)).isFalse();
    }

    @Test
    void debugLoggingNeverShowsTheToken() {
        ActionRun run = deploy().debug().with("env", "DB_PASSWORD=hunter2-but-longer");
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.log()).contains("::debug::");
        assertThat(r.leaks(VercelSimulator.TOKEN)).isFalse();
        assertThat(r.leaks("hunter2-but-longer")).isFalse();
    }

    @Test
    void aWrongTokenIsReportedWithoutPrintingIt() {
        ActionRun run = deploy().with("vercel-token", "wrong-token-123456");
        Fixtures.site(run.workspace());
        ActionResult r = run.run();
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("403").contains("forbidden"));
        assertThat(r.leaks("wrong-token-123456")).isFalse();
    }
}
