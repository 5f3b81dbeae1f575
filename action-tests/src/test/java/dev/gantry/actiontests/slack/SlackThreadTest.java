package dev.gantry.actiontests.slack;

import dev.gantry.actiontests.digitalocean.AppPlatformSimulator;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.gantry.actiontests.slack.SlackAssertions.noSecretIn;
import static dev.gantry.actiontests.slack.SlackAssertions.viaWebApi;
import static dev.gantry.actiontests.slack.SlackAssertions.viaWebhook;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One thread per release: the deploy starts it, the smoke test and the rollback reply in it (each step's
 * {@code slack-thread} output is the next step's input, as the example workflow wires them), and the failure that
 * triggered the rollback is also shown in the channel.
 */
class SlackThreadTest {
    SlackSimulator slack;
    AppPlatformSimulator sim;
    GitHubSimulator gh;
    LoopbackServer broken;

    @BeforeEach
    void start() {
        slack = new SlackSimulator();
        sim = new AppPlatformSimulator();
        gh = new GitHubSimulator();
        broken = new LoopbackServer();
        broken.route("GET", "/health", (req, m) -> LoopbackServer.Reply.json(503, Map.of("status", "down")));
    }

    @AfterEach
    void stop() {
        slack.close();
        sim.close();
        gh.close();
        broken.close();
    }

    private ActionRun deploy() throws IOException {
        ActionRun run = ActionRun.of("do-deploy").with("token", AppPlatformSimulator.TOKEN)
                .with("api-url", sim.baseUrl().toString()).with("environment", "production").gitHub(gh).time(sim.time());
        Path file = run.workspace().resolve(".do/app.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, SlackMessagesTest.DigitalOceanSpec.SOURCE);
        return run;
    }

    private ActionRun smoke(String thread) {
        return viaWebApi(ActionRun.of("smoke-test").with("url", broken.baseUrl().toString())
                .with("checks", "checks:\n  - name: health\n    request: { path: /health }\n    expect: { status: 200 }\n")
                .with("wait-timeout", "0").with("junit-path", "").with("slack-thread", thread), slack);
    }

    @Test
    void deploySmokeTestAndRollbackLandInOneThread() throws IOException {
        ActionResult good = deploy().run();
        assertThat(good.exitCode()).as(good.toString()).isZero();

        ActionResult deployed = viaWebApi(deploy(), slack).run();
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        String thread = deployed.output("slack-thread");
        assertThat(thread).matches("\\d+\\.\\d{6}");

        ActionResult smoke = smoke(thread).run();
        assertThat(smoke.exitCode()).as(smoke.toString()).isEqualTo(1);
        assertThat(smoke.output("slack-thread")).isEqualTo(thread);

        ActionResult back = viaWebApi(ActionRun.of("rollback").with("provider", "digitalocean")
                .with("token", AppPlatformSimulator.TOKEN).with("app-id", deployed.output("app-id"))
                .with("api-url", sim.baseUrl().toString()).with("target", deployed.output("previous-deployment-id"))
                .with("reason", "smoke test failed").with("environment", "production")
                .with("slack-thread", smoke.output("slack-thread")).gitHub(gh).time(sim.time()), slack).run();
        assertThat(back.exitCode()).as(back.toString()).isZero();
        assertThat(back.output("slack-thread")).isEqualTo(thread);

        assertThat(slack.refusals()).isEmpty();
        assertThat(slack.topLevel()).as("one message in the channel starts the release's thread").singleElement()
                .satisfies(m -> assertThat(m.ts()).isEqualTo(thread));
        List<SlackSimulator.Message> replies = slack.replies(thread);
        assertThat(replies).hasSize(2);
        assertThat(replies.get(0).blocks().get(0).path("text").path("text").asText()).isEqualTo("❌ smoke-test · fail");
        assertThat(replies.get(0).replyBroadcast()).as("a failure in the thread is shown in the channel too").isTrue();
        assertThat(replies.get(1).blocks().get(0).path("text").path("text").asText()).isEqualTo("✅ rollback · success");
        assertThat(replies.get(1).replyBroadcast()).isFalse();

        String rendered = slack.render("#deploys");
        assertThat(rendered).startsWith("#deploys\n● [" + thread + "]\n  ✅ do-deploy · success\n")
                .contains("    ↳ [" + replies.get(0).ts() + ", also sent to the channel]\n      ❌ smoke-test · fail\n")
                .contains("    ↳ [" + replies.get(1).ts() + "]\n      ✅ rollback · success\n")
                .contains("Rolled back production: " + deployed.output("deployment-id") + " → "
                        + deployed.output("previous-deployment-id"));
        noSecretIn(slack, AppPlatformSimulator.TOKEN, SlackSimulator.TOKEN, GitHubSimulator.DEFAULT_TOKEN);
    }

    @Test
    void aWebhookRepliesInTheThreadItIsGivenAndPassesItOn() {
        ActionResult started = smoke(null).with("slack-thread", "").run();
        String thread = started.output("slack-thread");
        ActionResult reply = viaWebhook(ActionRun.of("smoke-test").with("url", broken.baseUrl().toString())
                .with("wait-timeout", "0").with("junit-path", "").with("slack-thread", thread), slack).run();
        assertThat(reply.exitCode()).isEqualTo(1);
        assertThat(reply.output("slack-thread")).isEqualTo(thread);
        assertThat(slack.replies(thread)).singleElement().satisfies(m -> assertThat(m.via()).isEqualTo("webhook"));
    }
}
