package dev.gantry.actiontests.slack;

import dev.gantry.actiontests.digitalocean.AppPlatformSimulator;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.vercel.ScaledClock;
import dev.gantry.actiontests.vercel.VercelSimulator;
import dev.gantry.common.http.Time;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.gantry.actiontests.slack.SlackAssertions.noSecretIn;
import static dev.gantry.actiontests.slack.SlackAssertions.onlyOurLinks;
import static dev.gantry.actiontests.slack.SlackAssertions.viaWebApi;
import static dev.gantry.actiontests.slack.SlackAssertions.viaWebhook;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each action's Slack message, through the simulated Slack (which refuses what Slack refuses): the verdict, the
 * environment, what was deployed, who triggered it, the links, and the action's own part; provider text that tries
 * to mention the channel or plant a link stays text, and no secret reaches Slack in any form.
 */
class SlackMessagesTest {
    static final String IMAGE_SPEC = """
            {"name": "shop-api", "region": "nyc", "services": [{"name": "api", "http_port": 3000,
              "image": {"registry_type": "DOCR", "repository": "acme/api", "tag": "v1"}}]}
            """;
    /** Provider text that would notify everyone, mention a person and plant a link if it reached Slack raw. */
    static final String HOSTILE = "<!channel> <@U024BE7LH> <https://evil.example/login|open the runbook> & *urgent*";
    static final String GITHUB = "https://github.com/acme/shop/";
    static final String CONTROL_PANEL = "https://cloud.digitalocean.com/apps/";

    SlackSimulator slack;
    AppPlatformSimulator sim;
    GitHubSimulator gh;

    @BeforeEach
    void start() {
        slack = new SlackSimulator();
        sim = new AppPlatformSimulator();
        gh = new GitHubSimulator();
    }

    @AfterEach
    void stop() {
        slack.close();
        sim.close();
        gh.close();
    }

    private ActionRun deploy(String spec) throws IOException {
        ActionRun run = ActionRun.of("do-deploy").with("token", AppPlatformSimulator.TOKEN)
                .with("api-url", sim.baseUrl().toString()).with("environment", "production").gitHub(gh).time(sim.time());
        if (spec.equals(IMAGE_SPEC)) run.with("images", "api=:v1.4.2");
        Path file = run.workspace().resolve(".do/app.yaml");
        Files.createDirectories(file.getParent());
        Files.writeString(file, spec);
        return run;
    }

    private static SlackSimulator.Message only(SlackSimulator slack) {
        assertThat(slack.refusals()).as("what Slack refused").isEmpty();
        assertThat(slack.messages()).hasSize(1);
        return slack.messages().get(0);
    }

    private static String header(SlackSimulator.Message m) {
        return m.blocks().get(0).path("text").path("text").asText();
    }

    @Test
    void doDeployTellsWhatWentLiveWhere() throws IOException {
        ActionResult r = viaWebApi(deploy(IMAGE_SPEC), slack).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        SlackSimulator.Message m = only(slack);
        assertThat(header(m)).isEqualTo("✅ do-deploy · success");
        assertThat(m.blocks().get(0).path("type").asText()).isEqualTo("header");
        String shown = SlackSimulator.displayed(m);
        assertThat(shown).contains("*Deployed shop-api: live at " + r.output("live-url") + "*")
                .contains("*Environment*\nproduction").contains("*App*\nshop-api").contains("*Version*\nv1.4.2")
                .contains("*Commit*\n4f2c9a1 ‹" + GITHUB + "commit/4f2c9a1e5b7d3c8f0a6e2d4b1c9f7e5a3d1b8c6e›")
                .contains("*Triggered by*\noctocat (push, workflow release)")
                .contains("*Phase*\nACTIVE")
                .contains("Workflow run ‹" + GITHUB.replace("acme/shop/", "") + "acme/shop/actions/runs/1234567890›")
                .contains("Live URL ‹" + r.output("live-url") + "›")
                .contains("Deployment ‹" + CONTROL_PANEL + r.output("app-id") + "/deployments/" + r.output("deployment-id") + "›");
        assertThat(m.text()).as("the notification line").startsWith("✅ do-deploy · success: Deployed shop-api");
        assertThat(r.output("slack-thread")).as("the thread the next steps continue").isEqualTo(m.ts());
        assertThat(r.log()).contains("Slack: posted to #deploys (message " + m.ts());
        onlyOurLinks(slack, GITHUB, CONTROL_PANEL, r.output("live-url"));
        noSecretIn(slack, AppPlatformSimulator.TOKEN, SlackSimulator.TOKEN, GitHubSimulator.DEFAULT_TOKEN);
    }

    @Test
    void aFailedDeployQuotesTheProviderAsTextAndNeverItsToken() throws IOException {
        // the build's failure message is provider text: it tries a mention and a link, and echoes the API token
        sim.failNextBuild("api", "Build failed: " + HOSTILE + " token=" + AppPlatformSimulator.TOKEN,
                List.of("npm ERR! " + HOSTILE));
        ActionResult r = viaWebApi(deploy(DigitalOceanSpec.SOURCE), slack).run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("failure");
        SlackSimulator.Message m = only(slack);
        assertThat(header(m)).isEqualTo("❌ do-deploy · failure");
        String shown = SlackSimulator.displayed(m);
        assertThat(shown).contains("Deployment of shop-api failed in phase ERROR")
                .as("the hostile text shows as written").contains(HOSTILE)
                .contains("*Why:* Deployment ").contains("token=***");
        assertThat(m.payload()).contains("&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example/login|open the runbook&gt; &amp;");
        onlyOurLinks(slack, GITHUB, CONTROL_PANEL);
        noSecretIn(slack, AppPlatformSimulator.TOKEN, SlackSimulator.TOKEN);
    }

    /**
     * A deploy that times out is the one the team most needs to hear of: its message goes out after the step's
     * time is up, a 429 that asks for a short wait included (virtual time: the build never ends, {@code timeout: 5s}).
     */
    @Test
    void aStepThatTimedOutStillTellsTheTeamAfterItsTimeIsUp() throws IOException {
        sim.phaseDurations(Duration.ofSeconds(10), Duration.ofDays(3), Duration.ofSeconds(10), Duration.ofSeconds(40));
        Time time = sim.time();
        slack.clock(time.clock());
        slack.rateLimit(1, 2);
        Instant t0 = time.now();
        ActionResult r = viaWebApi(deploy(DigitalOceanSpec.SOURCE), slack).with("timeout", "5s").time(time).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("timeout");
        assertThat(r.warnings()).as(r.toString()).noneMatch(w -> w.data().startsWith("Slack"));
        assertThat(slack.refusals()).as("Slack first asked to wait 2s").singleElement()
                .satisfies(f -> assertThat(f.status()).isEqualTo(429));
        assertThat(slack.messages()).hasSize(1);
        SlackSimulator.Message m = slack.messages().get(0);
        assertThat(header(m)).isEqualTo("⏱️ do-deploy · timeout");
        assertThat(SlackSimulator.displayed(m)).contains("timeout: 5s").contains("*Environment*\nproduction");
        assertThat(slack.earlyRetries()).isZero();
        assertThat(r.output("slack-thread")).isEqualTo(m.ts());
        assertThat(Duration.between(t0, time.now())).as("the step's 5s, then Slack's 2s wait within its own 5s")
                .isBetween(Duration.ofSeconds(7), Duration.ofSeconds(10));
    }

    @Test
    void anInputErrorIsToldToo() throws IOException {
        ActionResult r = viaWebhook(deploy(IMAGE_SPEC).with("timeout", "soon"), slack).run();
        assertThat(r.exitCode()).isEqualTo(2);
        SlackSimulator.Message m = only(slack);
        assertThat(m.via()).isEqualTo("webhook");
        assertThat(header(m)).isEqualTo("⚠️ do-deploy · invalid-input");
        assertThat(SlackSimulator.displayed(m)).contains("Input 'timeout'").contains("*Commit*\n4f2c9a1");
        assertThat(r.output("slack-thread")).as("a webhook gives no thread").isEmpty();
        assertThat(sim.deploymentsCreated()).isZero();
    }

    @Test
    void vercelDeployTellsTheProjectAndItsUrls() throws IOException {
        try (VercelSimulator vercel = new VercelSimulator(new ScaledClock(20))) {
            ActionRun run = viaWebApi(ActionRun.of("vercel-deploy").with("vercel-token", VercelSimulator.TOKEN)
                    .with("vercel-org-id", VercelSimulator.TEAM_ID).with("vercel-project-id", VercelSimulator.PROJECT_ID)
                    .with("api-url", vercel.baseUrl().toString()).with("prod", "true").with("github-comment", "false")
                    .with("github-deployment", "false").with("timeout", "60s"), slack);
            Files.writeString(run.workspace().resolve("index.html"), "<h1>shop</h1>");
            ActionResult r = run.run();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            SlackSimulator.Message m = only(slack);
            assertThat(header(m)).isEqualTo("✅ vercel-deploy · success");
            String shown = SlackSimulator.displayed(m);
            assertThat(shown).contains("Vercel production deploy of " + VercelSimulator.PROJECT_NAME + " is live at "
                            + r.output("preview-url"))
                    .contains("*Environment*\nproduction").contains("*Project*\n" + VercelSimulator.PROJECT_NAME)
                    .contains("*Deployment*\n" + r.output("deployment-id"))
                    .contains("Production URL ‹" + r.output("preview-url") + "›")
                    .contains("Deployment ‹" + r.output("inspect-url") + "›");
            onlyOurLinks(slack, GITHUB, r.output("preview-url"), r.output("inspect-url"));
            noSecretIn(slack, VercelSimulator.TOKEN, SlackSimulator.TOKEN);
        }
    }

    @Test
    void smokeTestTellsTheSloTableAndTheFailedChecks() {
        try (LoopbackServer app = new LoopbackServer()) {
            app.route("GET", "/health", (req, m) -> LoopbackServer.Reply.json(200, Map.of("status", HOSTILE)));
            ActionResult r = viaWebApi(ActionRun.of("smoke-test").with("url", app.baseUrl().toString())
                    .with("checks", """
                            checks:
                              - name: health
                                request: { path: /health }
                                expect: { status: 200, jsonpath: { "$.status": "ok" } }
                            """).with("slo", "p(95)<800\nerror-rate<0.5").with("soak-rate", "20").with("soak-duration", "2s")
                    .with("junit-path", "").with("wait-timeout", "0"), slack).run();
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            SlackSimulator.Message m = only(slack);
            assertThat(header(m)).isEqualTo("❌ smoke-test · fail");
            String shown = SlackSimulator.displayed(m);
            assertThat(shown).contains("*URL*\n" + app.baseUrl()).contains("*Checks*\n0 passed, 1 failed")
                    .contains("*SLO gates*\n```").contains("p(95)<800").contains("error-rate<0.5")
                    .contains("*Failed checks*\n• health: GET /health → 200: ")
                    .as("the response's hostile text, as written").contains(HOSTILE)
                    .contains("Tested URL ‹" + app.baseUrl() + "›");
            onlyOurLinks(slack, GITHUB, app.baseUrl().toString());
        }
    }

    @Test
    void rollbackTellsFromToTheReasonAndTheIncident() throws IOException {
        String goodCommit = "a1b2c3d4e5f60718293a4b5c6d7e8f9011223344";
        sim.sourceCommit(goodCommit);
        assertThat(deploy(DigitalOceanSpec.SOURCE).run().exitCode()).isZero();
        sim.sourceCommit("badbadbadbad0000000000000000000000000000");
        ActionResult second = deploy(DigitalOceanSpec.SOURCE).run();
        String good = second.output("previous-deployment-id");
        String bad = second.output("deployment-id");

        ActionResult r = viaWebApi(ActionRun.of("rollback").with("provider", "digitalocean")
                .with("token", AppPlatformSimulator.TOKEN).with("app-name", "shop-api")
                .with("api-url", sim.baseUrl().toString()).with("target", good)
                .with("reason", "smoke test failed: " + HOSTILE).with("environment", "production")
                .gitHub(gh).time(sim.time()), slack).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        SlackSimulator.Message m = only(slack);
        assertThat(header(m)).isEqualTo("✅ rollback · success");
        String shown = SlackSimulator.displayed(m);
        assertThat(shown).contains("Rolled back production: " + bad + " → " + good)
                .contains("*From → to*\n").contains(bad).contains(good)
                .contains("*Reason*\nsmoke test failed: " + HOSTILE)
                .contains("*Verification*\nnot run")
                .contains("Incident ‹" + r.output("incident-url") + "›");
        assertThat(r.output("incident-url")).startsWith(gh.serverUrl());
        String live = sim.appByName("shop-api").path("live_url").asText();
        assertThat(shown).contains("Live URL ‹" + live + "›");
        assertThat(shown).as("the restored commit, not the workflow's (the bad one in an on-failure job)")
                .contains("*Commit*\n" + goodCommit.substring(0, 7)).doesNotContain("4f2c9a1").doesNotContain("*Commit*\nbadbadb");
        onlyOurLinks(slack, GITHUB, gh.serverUrl(), live);
    }

    @Test
    void theGateTellsThePlanAndWhyItIsBlocked() throws IOException {
        ActionRun run = viaWebApi(ActionRun.of("prisma-migrate-gate").with("environment", "production"), slack);
        Path migrations = run.workspace().resolve("prisma/migrations");
        Files.createDirectories(migrations.resolve("20261101090000_init"));
        Files.createDirectories(migrations.resolve("20261120093000_drop_user_name"));
        Files.writeString(migrations.resolve("migration_lock.toml"), "provider = \"postgresql\"\n");
        Files.writeString(migrations.resolve("20261101090000_init/migration.sql"),
                "CREATE TABLE \"User\" (\"id\" SERIAL NOT NULL, \"name\" TEXT NOT NULL, PRIMARY KEY (\"id\"));\n");
        Files.writeString(migrations.resolve("20261120093000_drop_user_name/migration.sql"),
                "ALTER TABLE \"User\" DROP COLUMN \"name\";\n");
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("blocked");
        SlackSimulator.Message m = only(slack);
        assertThat(header(m)).isEqualTo("🛑 prisma-migrate-gate · blocked");
        String shown = SlackSimulator.displayed(m);
        assertThat(shown).contains("Migration gate blocked the deploy on production")
                .contains("*Database*\nnone (lint only)").contains("*Pending*\n2").contains("*Destructive*\nyes")
                .contains("*Plan*\n• 20261101090000_init: lint only").contains("• 20261120093000_drop_user_name: lint only, contract")
                .contains("*Why it is blocked*\n• 20261120093000_drop_user_name line 1: ");
    }

    /** A source-built spec (the rollback tests' own). */
    static final class DigitalOceanSpec {
        static final String SOURCE = """
                {"name": "shop-api", "region": "nyc", "services": [{"name": "api", "http_port": 8080,
                  "github": {"repo": "acme/shop", "branch": "main", "deploy_on_push": true}}]}
                """;
    }
}
