package dev.gantry.actiontests.vercel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** vercel-deploy's PR comment and GitHub deployment records, through the GitHub simulator. */
class VercelDeployGitHubTest {
    static final String HEAD1 = "0b16c0ffee00000000000000000000000000a001";
    static final String HEAD2 = "0b16c0ffee00000000000000000000000000a002";
    private final VercelSimulator vercel = new VercelSimulator(new ScaledClock(20));
    private final GitHubSimulator github = new GitHubSimulator().pullRequest(7, HEAD1, "feature/cart");

    @AfterEach
    void stop() {
        vercel.close();
        github.close();
    }

    private ActionRun deploy(String head) {
        ActionRun run = ActionRun.of("vercel-deploy")
                .with("vercel-token", VercelSimulator.TOKEN)
                .with("vercel-org-id", VercelSimulator.TEAM_ID)
                .with("vercel-project-id", VercelSimulator.PROJECT_ID)
                .with("api-url", vercel.baseUrl().toString())
                .with("github-deployment", "true")
                .with("timeout", "60s")
                .pullRequest(7, head, "feature/cart")
                .githubApi(github.apiUrl());
        Fixtures.site(run.workspace());
        return run;
    }

    @Test
    void oneStickyCommentIsUpdatedOnEachPushAndEachDeployIsRecorded() throws Exception {
        ActionResult first = deploy(HEAD1).run();
        assertThat(first.exitCode()).as(first.toString()).isZero();
        List<JsonNode> comments = github.comments(7);
        assertThat(comments).hasSize(1);
        String body1 = comments.get(0).path("body").asText();
        assertThat(body1).contains("✅ Ready").contains(first.output("preview-url")).contains("`0b16c0f`")
                .contains(first.output("deployment-id"));

        ActionRun second = deploy(HEAD2);
        Files.writeString(second.workspace().resolve("style.css"), "body { color: red }\n");
        ActionResult r2 = second.run();
        assertThat(r2.exitCode()).as(r2.toString()).isZero();
        comments = github.comments(7);
        assertThat(comments).as("updated, not duplicated").hasSize(1);
        assertThat(comments.get(0).path("body").asText()).contains(r2.output("preview-url"))
                .doesNotContain(first.output("preview-url"));

        List<JsonNode> records = github.deployments();
        assertThat(records).hasSize(2);
        JsonNode newest = records.get(0);
        assertThat(newest.path("environment").asText()).isEqualTo("preview");
        assertThat(newest.path("sha").asText()).isEqualTo(HEAD2);
        assertThat(newest.path("transient_environment").asBoolean()).isTrue();
        assertThat(newest.toString()).contains(r2.output("deployment-id"));
        assertThat(github.statusStates(newest.path("id").asLong())).containsExactly("in_progress", "success");
        assertThat(github.statuses(newest.path("id").asLong()).get(1).path("environment_url").asText())
                .isEqualTo(r2.output("preview-url"));
        assertThat(r2.leaks(GitHubSimulator.DEFAULT_TOKEN)).isFalse();
        assertThat(r2.leaks(VercelSimulator.TOKEN)).isFalse();
    }

    /** Issue 20: only previews are transient, and production is production under whatever name its record has. */
    @Test
    void aCustomEnvironmentIsNotTransientAndProductionKeepsItsFlagUnderAnotherName() {
        ActionResult staging = deploy(HEAD1).with("target", "staging").run();
        assertThat(staging.exitCode()).as(staging.toString()).isZero();
        ActionResult prod = deploy(HEAD1).with("prod", "true").with("github-deployment-environment", "web-prod").run();
        assertThat(prod.exitCode()).as(prod.toString()).isZero();

        List<JsonNode> records = github.deployments();
        assertThat(records).hasSize(2);
        JsonNode prodRecord = records.get(0);
        JsonNode stagingRecord = records.get(1);
        assertThat(stagingRecord.path("environment").asText()).isEqualTo("staging");
        assertThat(stagingRecord.path("transient_environment").asBoolean()).isFalse();
        assertThat(stagingRecord.path("production_environment").asBoolean()).isFalse();
        assertThat(prodRecord.path("environment").asText()).isEqualTo("web-prod");
        assertThat(prodRecord.path("transient_environment").asBoolean()).isFalse();
        assertThat(prodRecord.path("production_environment").asBoolean()).isTrue();
    }

    @Test
    void aFailedDeployMarksTheCommentAndTheRecordFailed() {
        vercel.failNextBuild("BUILD_FAILED", "Command \"npm run build\" exited with 1");
        ActionResult r = deploy(HEAD1).run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(github.comments(7)).singleElement()
                .satisfies(c -> assertThat(c.path("body").asText()).contains("❌ Failed"));
        long id = github.deployments().get(0).path("id").asLong();
        assertThat(github.statusStates(id)).containsExactly("in_progress", "failure");
    }

    @Test
    void aCommentTemplateIsFilledIn() {
        ActionResult r = deploy(HEAD1).with("github-comment", "Preview of {{deploymentName}} at {{deploymentUrl}} ({{deploymentCommit}})").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(github.comments(7)).singleElement().satisfies(c -> assertThat(c.path("body").asText())
                .contains("Preview of sim-project at " + r.output("preview-url") + " (" + HEAD1 + ")"));
    }

    @Test
    void aReadOnlyTokenOnlyWarnsAndTheDeploySucceeds() {
        github.readOnlyToken("ghs_readonly_fork_token_000000000000000");
        ActionResult r = deploy(HEAD1).githubToken("ghs_readonly_fork_token_000000000000000").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(github.comments(7)).isEmpty();
        assertThat(r.warnings()).isNotEmpty();
        assertThat(r.leaks("ghs_readonly_fork_token_000000000000000")).isFalse();
    }
}
