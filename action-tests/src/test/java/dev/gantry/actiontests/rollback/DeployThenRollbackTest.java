package dev.gantry.actiontests.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.digitalocean.AppPlatformSimulator;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.vercel.ScaledClock;
import dev.gantry.actiontests.vercel.VercelSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backend pipeline of research/pipelines.md, across actions: do-deploy twice (each leaving a GitHub deployment
 * record), rollback to do-deploy's {@code previous-deployment-id}, a deploy refused while the app is pinned, then
 * the rollback committed and deploys going through again.
 */
class DeployThenRollbackTest {
    AppPlatformSimulator sim;
    GitHubSimulator gh;

    @BeforeEach
    void start() {
        sim = new AppPlatformSimulator();
        gh = new GitHubSimulator();
    }

    @AfterEach
    void stop() {
        sim.close();
        gh.close();
    }

    ActionResult deploy() throws IOException {
        ActionRun run = ActionRun.of("do-deploy").with("token", AppPlatformSimulator.TOKEN)
                .with("api-url", sim.baseUrl().toString()).gitHub(gh).time(sim.time());
        Path spec = run.workspace().resolve(".do/app.yaml");
        Files.createDirectories(spec.getParent());
        Files.writeString(spec, DigitalOceanRollbackTest.SPEC);
        return run.run();
    }

    ActionRun rollback() {
        return ActionRun.of("rollback").with("provider", "digitalocean").with("token", AppPlatformSimulator.TOKEN)
                .with("app-name", "shop-api").with("api-url", sim.baseUrl().toString()).gitHub(gh)
                .time(sim.time());
    }

    long recordOf(String deploymentId) {
        for (JsonNode d : gh.deployments()) {
            if (deploymentId.equals(d.path("payload").path("provider_deployment_id").asText())) return d.path("id").asLong();
        }
        throw new AssertionError("no GitHub deployment record for " + deploymentId + " in " + gh.deployments());
    }

    @Test
    void deployDeployRollbackRefusedDeployCommitDeploy() throws IOException {
        ActionResult first = deploy();
        assertThat(first.exitCode()).as(first.toString()).isZero();
        ActionResult second = deploy();
        assertThat(second.exitCode()).as(second.toString()).isZero();
        String good = second.output("previous-deployment-id");
        String bad = second.output("deployment-id");
        assertThat(good).isEqualTo(first.output("deployment-id"));

        ActionResult back = rollback().with("target", good).with("reason", "smoke test failed").run();
        assertThat(back.exitCode()).as(back.toString()).isZero();
        assertThat(back.output("rolled-back-from")).isEqualTo(bad);
        assertThat(back.output("rolled-back-to")).isEqualTo(good);
        // do-deploy's own records: the bad one inactive, the good one success again
        assertThat(gh.statusStates(recordOf(bad))).last().isEqualTo("inactive");
        assertThat(gh.statusStates(recordOf(good))).last().isEqualTo("success");
        assertThat(gh.issues()).hasSize(1);

        ActionResult refused = deploy();
        assertThat(refused.exitCode()).as("pinned: " + refused).isEqualTo(1);
        assertThat(refused.output("result")).isEqualTo("pinned");

        ActionResult commit = rollback().with("commit", "true").run();
        assertThat(commit.exitCode()).as(commit.toString()).isZero();
        assertThat(commit.output("result")).isEqualTo("committed");

        ActionResult again = deploy();
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.output("previous-deployment-id")).isEqualTo(back.output("deployment-id"));
    }

    @Test
    void vercelProductionDeployTwiceThenRollBackToThePreviousProductionDeployment() throws IOException {
        try (VercelSimulator vercel = new VercelSimulator(new ScaledClock(20))) {
            ActionResult first = vercelDeploy(vercel, "<h1>v1</h1>");
            assertThat(first.exitCode()).as(first.toString()).isZero();
            ActionResult second = vercelDeploy(vercel, "<h1>v2</h1>");
            assertThat(second.exitCode()).as(second.toString()).isZero();
            String good = second.output("previous-production-deployment-id");
            String bad = second.output("deployment-id");
            assertThat(good).isEqualTo(first.output("deployment-id"));

            ActionResult back = ActionRun.of("rollback").with("provider", "vercel")
                    .with("vercel-token", VercelSimulator.TOKEN).with("vercel-org-id", VercelSimulator.TEAM_ID)
                    .with("vercel-project-id", VercelSimulator.PROJECT_ID).with("api-url", vercel.baseUrl().toString())
                    .with("target", good).with("reason", "smoke test failed").gitHub(gh)
                    .time(vercel.time()).run();

            assertThat(back.exitCode()).as(back.toString()).isZero();
            assertThat(vercel.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(good);
            assertThat(gh.statusStates(recordOf(bad))).last().isEqualTo("inactive");
            assertThat(gh.statusStates(recordOf(good))).last().isEqualTo("success");
        }
    }

    ActionResult vercelDeploy(VercelSimulator vercel, String html) throws IOException {
        ActionRun run = ActionRun.of("vercel-deploy").with("vercel-token", VercelSimulator.TOKEN)
                .with("vercel-org-id", VercelSimulator.TEAM_ID).with("vercel-project-id", VercelSimulator.PROJECT_ID)
                .with("api-url", vercel.baseUrl().toString()).with("prod", "true").with("github-comment", "false")
                .with("github-deployment", "true").with("timeout", "60s").gitHub(gh);
        Files.writeString(run.workspace().resolve("index.html"), html);
        return run.run();
    }
}
