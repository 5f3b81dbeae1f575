package dev.gantry.actiontests.smoketest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.OpenApiContract;
import dev.gantry.actiontests.harness.Project;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code comment-on-pr: true}, through the GitHub simulator: one sticky comment per PR, updated in place. */
class SmokeTestPrCommentTest {
    private static final String SHA = "9c1f00d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0";

    private final DemoApp app = new DemoApp();
    private final GitHubSimulator github = new GitHubSimulator().pullRequest(7, SHA, "feature/x");

    @AfterEach
    void stop() {
        app.close();
        github.close();
    }

    private ActionRun run() {
        return ActionRun.of("smoke-test").with("url", app.baseUrl().toString())
                .with("checks", "- name: ping\n  request: { path: /api/ping }\n")
                .with("secrets", "PASSWORD=" + DemoApp.PASSWORD)
                .with("comment-on-pr", "true")
                .pullRequest(7, SHA, "feature/x")
                .githubApi(github.apiUrl());
    }

    @Test
    void theReportIsOneStickyCommentUpdatedInPlace() {
        ActionResult first = run().run();
        assertThat(first.exitCode()).as(first.toString()).isZero();
        List<JsonNode> comments = github.comments(7);
        assertThat(comments).hasSize(1);
        String body = comments.get(0).path("body").asText();
        assertThat(body).startsWith("<!-- gantry:").contains("smoke-test pass").contains("| ping | `GET /api/ping` | 200 |")
                .doesNotContain(DemoApp.PASSWORD).doesNotContain(GitHubSimulator.DEFAULT_TOKEN);
        assertThat(first.log()).contains("PR comment: ");

        app.inject(dev.gantry.common.testing.LoopbackServer.Fault.status(
                dev.gantry.common.testing.LoopbackServer.matching("GET", "/api/ping"), 1,
                dev.gantry.common.testing.LoopbackServer.Reply.json(500, java.util.Map.of("error", "boom"))));
        ActionResult second = run().with("wait-timeout", "0").run();
        assertThat(second.exitCode()).isEqualTo(1);
        List<JsonNode> after = github.comments(7);
        assertThat(after).as("updated in place, not a second comment").hasSize(1);
        assertThat(after.get(0).path("body").asText()).contains("smoke-test fail").contains("Why checks failed");
        assertThat(first.leaks(GitHubSimulator.DEFAULT_TOKEN)).isFalse();
        assertThat(second.leaks(GitHubSimulator.DEFAULT_TOKEN)).isFalse();
        // our requests to GitHub match its published OpenAPI description (skipped without ../shared)
        java.nio.file.Path spec = Project.sharedFile("specs/github/github.openapi.json");
        Assumptions.assumeTrue(java.nio.file.Files.exists(spec), "contract spec not found: " + spec);
        OpenApiContract contract = OpenApiContract.require("github/github.openapi.json");
        assertThat(dev.gantry.actiontests.github.GitHubContract.requestProblems(contract, github.requests())).isEmpty();
    }

    @Test
    void aReadOnlyTokenDegradesToAWarningAndTheVerdictStands() {
        github.readOnlyToken("ghs_forkReadOnly000000000000000000000");
        ActionResult r = run().githubToken("ghs_forkReadOnly000000000000000000000").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("pass");
        assertThat(github.comments(7)).isEmpty();
        assertThat(r.warnings()).isNotEmpty();
    }
}
