package dev.gantry.actiontests.slack;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.FakeTime;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static dev.gantry.actiontests.slack.SlackAssertions.noSecretIn;
import static dev.gantry.actiontests.slack.SlackAssertions.viaWebApi;
import static dev.gantry.actiontests.slack.SlackAssertions.viaWebhook;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Slack never breaks a deploy: a 429 is waited out as Slack asks when that fits the step's time, and whatever fails
 * (a rate limit past it, a refused token or webhook, an unknown channel, Slack unreachable) is one warning, with the
 * step's exit code and result exactly what they are without Slack. What can only be wrong in the workflow file is
 * an input error at once; a secret this run cannot read is no message, and no error.
 */
class SlackFailuresTest {
    SlackSimulator slack;
    FakeTime time;

    @BeforeEach
    void start() {
        slack = new SlackSimulator();
        time = new FakeTime();
        slack.clock(time);
    }

    @AfterEach
    void stop() {
        slack.close();
    }

    /** The migration gate, lint only: quick, and it passes or (with a dropped column) blocks. */
    private ActionRun gate(boolean blocked) {
        ActionRun run = ActionRun.of("prisma-migrate-gate").with("environment", "production").time(time.time());
        try {
            Path dir = run.workspace().resolve("prisma/migrations/20261101090000_init");
            Files.createDirectories(dir);
            Files.writeString(dir.getParent().resolve("migration_lock.toml"), "provider = \"postgresql\"\n");
            Files.writeString(dir.resolve("migration.sql"),
                    "CREATE TABLE \"User\" (\"id\" SERIAL NOT NULL, \"name\" TEXT, PRIMARY KEY (\"id\"));\n");
            if (blocked) {
                Path drop = run.workspace().resolve("prisma/migrations/20261120093000_drop_name");
                Files.createDirectories(drop);
                Files.writeString(drop.resolve("migration.sql"), "ALTER TABLE \"User\" DROP COLUMN \"name\";\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run;
    }

    /** The same step without Slack: what the step's result is. */
    private ActionResult without(boolean blocked) {
        return gate(blocked).run();
    }

    private static void sameAs(ActionResult withSlack, ActionResult without) {
        assertThat(withSlack.exitCode()).as("exit code with a Slack failure").isEqualTo(without.exitCode());
        assertThat(withSlack.output("result")).isEqualTo(without.output("result"));
    }

    private static void oneSlackWarning(ActionResult r, String text) {
        assertThat(r.warnings()).as(r.toString()).singleElement().satisfies(w -> assertThat(w.data())
                .startsWith("Slack: the message was not sent: ").contains(text).endsWith("The step's result is unchanged."));
        assertThat(r.summary()).contains("**Slack:** the message was not sent: ");
    }

    @Test
    void aRateLimitIsWaitedOutAsSlackAsks() {
        slack.rateLimit(2, 7);
        ActionResult r = viaWebApi(gate(false), slack).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.warnings()).isEmpty();
        assertThat(slack.served429()).isEqualTo(2);
        assertThat(slack.earlyRetries()).as("retries before Retry-After had passed").isZero();
        assertThat(slack.messages()).hasSize(1);
        assertThat(time.sleeps).filteredOn(d -> d.compareTo(Duration.ofSeconds(7)) >= 0).hasSize(2);
        assertThat(r.log()).contains("Slack: HTTP 429 on POST /api/chat.postMessage; retrying in 7s");

        slack.rateLimit(1, 3);
        ActionResult hook = viaWebhook(gate(true), slack).run();
        assertThat(hook.exitCode()).isEqualTo(1);
        assertThat(hook.warnings()).isEmpty();
        assertThat(slack.messages()).hasSize(2);
        assertThat(slack.earlyRetries()).isZero();
    }

    @Test
    void aRateLimitPastTheStepsTimeIsOneWarningAndTheResultStands() {
        slack.rateLimit(10, 120);
        ActionResult passed = viaWebApi(gate(false), slack).run();
        sameAs(passed, without(false));
        oneSlackWarning(passed, "Slack asked to wait 2m");
        assertThat(slack.earlyRetries()).as("it did not try again before the 2 minutes").isZero();
        time.sleep(Duration.ofMinutes(3));
        ActionResult blocked = viaWebApi(gate(true), slack).run();
        sameAs(blocked, without(true));
        assertThat(blocked.output("result")).isEqualTo("blocked");
        assertThat(blocked.warnings()).anySatisfy(w -> assertThat(w.data()).startsWith("Slack: the message was not sent: "));
        assertThat(slack.messages()).isEmpty();
        assertThat(slack.served429()).isEqualTo(2);
    }

    @Test
    void aRefusedTokenIsOneWarningAndTheResultStands() {
        ActionResult passed = viaWebApi(gate(false), slack).with("slack-token", "xoxb-not-the-token-slack-knows").run();
        sameAs(passed, without(false));
        oneSlackWarning(passed, "invalid_auth: slack-token was refused");
        ActionResult blocked = viaWebApi(gate(true), slack).with("slack-token", "xoxb-not-the-token-slack-knows").run();
        sameAs(blocked, without(true));
        assertThat(slack.messages()).isEmpty();
        assertThat(slack.refusals()).extracting(SlackSimulator.Refusal::error).containsOnly("invalid_auth");

        slack.revokeToken();
        oneSlackWarning(viaWebApi(gate(false), slack).run(), "token_revoked: slack-token was refused");
    }

    @Test
    void aRevokedWebhookIsOneWarningThatNeverShowsItsUrl() {
        slack.revokeWebhook();
        ActionResult r = viaWebhook(gate(false), slack).run();
        sameAs(r, without(false));
        oneSlackWarning(r, "invalid_token (HTTP 403): slack-webhook-url was refused");
        assertThat(r.leaks(slack.webhookUrl().toString())).isFalse();
        assertThat(r.leaks("SimulatedWebhookSecret")).as("not even the secret part of the path").isFalse();
    }

    @Test
    void anUnknownChannelIsOneWarning() {
        ActionResult r = viaWebApi(gate(false), slack).with("slack-channel", "#nope").run();
        sameAs(r, without(false));
        oneSlackWarning(r, "channel_not_found: slack-channel '#nope' was not found");
    }

    @Test
    void slackUnreachableIsOneWarning() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ActionResult r = viaWebApi(gate(false), slack).with("slack-api-url", "http://127.0.0.1:" + port + "/api").run();
        sameAs(r, without(false));
        oneSlackWarning(r, "Slack API unreachable");
    }

    @Test
    void aPostWhoseAnswerWasLostIsNotSentTwice() {
        // Slack got the message, the answer never came back: resending could post it twice
        slack.inject(LoopbackServer.Fault.loseAnswer(LoopbackServer.matching("POST", "/api/chat\\.postMessage"), 1));
        ActionResult r = viaWebApi(gate(false), slack).run();
        sameAs(r, without(false));
        oneSlackWarning(r, "could not complete the request");
        assertThat(slack.messages()).as("posted once, not again").hasSize(1);
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void withoutTheSecretsOfThisRunThereIsNoMessageAndNoError() {
        // a pull request from a fork gets no secrets: the token is empty, the channel and thread are not
        ActionResult r = viaWebApi(gate(false), slack).with("slack-token", "").with("slack-thread", "1763899200.000100").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.log()).contains("Slack: no message: slack-token and slack-webhook-url are empty in this run");
        assertThat(r.output("slack-thread")).as("the thread is passed on").isEqualTo("1763899200.000100");
        assertThat(slack.requests()).isEmpty();
    }

    @Test
    void slackOnChoosesWhenToSpeak() {
        ActionResult quiet = viaWebApi(gate(false), slack).with("slack-on", "failure").with("slack-thread", "1763899200.000100").run();
        assertThat(quiet.exitCode()).isZero();
        assertThat(quiet.log()).contains("Slack: no message (slack-on: failure, and the step passed)");
        assertThat(quiet.output("slack-thread")).isEqualTo("1763899200.000100");
        assertThat(slack.requests()).isEmpty();

        ActionResult speaks = viaWebApi(gate(true), slack).with("slack-on", "failure").run();
        assertThat(speaks.exitCode()).isEqualTo(1);
        assertThat(slack.messages()).hasSize(1);

        viaWebApi(gate(true), slack).with("slack-on", "never").run();
        assertThat(slack.messages()).hasSize(1);
    }

    @Test
    void whatOnlyTheWorkflowFileCanGetWrongIsAnInputErrorBeforeAnythingHappens() {
        assertInputError(viaWebApi(gate(false), slack).with("slack-on", "sometimes"), "slack-on",
                "must be one of always, failure, never (got 'sometimes')");
        assertInputError(viaWebApi(gate(false), slack).with("slack-channel", ""), "slack-channel",
                "Input required and not supplied: slack-channel");
        assertInputError(viaWebhook(viaWebApi(gate(false), slack), slack).with("slack-channel", ""), "slack-token",
                "and slack-webhook-url are both set");
        assertInputError(viaWebApi(gate(false), slack).with("slack-thread", "yesterday"), "slack-thread",
                "must be the timestamp of a Slack message");
        assertInputError(viaWebApi(gate(false), slack).with("slack-api-url", "http://slack.example.com/api"),
                "slack-api-url", "must use https://");
        ActionResult clear = gate(false).with("slack-webhook-url", "http://hooks.example.com/services/T0/B0/s3cr3tPart").run();
        assertThat(clear.exitCode()).isEqualTo(2);
        assertThat(clear.errors().get(0).data()).startsWith("Input 'slack-webhook-url' must use https://")
                .doesNotContain("s3cr3tPart");
        assertThat(slack.requests()).isEmpty();
    }

    private void assertInputError(ActionRun run, String input, String text) {
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errors()).as(r.toString()).singleElement().satisfies(e -> assertThat(e.data()).contains(input).contains(text));
    }

    @Test
    void secretsAResponseEchoesNeverReachSlack() {
        // the app echoes the smoke user's password in its error; the failure message quotes the response
        String password = "Smoke-pw-91c3&<b>";
        try (LoopbackServer app = new LoopbackServer()) {
            app.route("POST", "/login", (req, m) -> LoopbackServer.Reply.json(401,
                    Map.of("error", "wrong password " + req.json().path("password").asText())));
            ActionResult r = viaWebApi(ActionRun.of("smoke-test").with("url", app.baseUrl().toString())
                    .with("checks", """
                            checks:
                              - name: login
                                request: { method: POST, path: /login, json: { password: "{{secrets.PASSWORD}}" } }
                                expect: { status: 200, jsonpath: { "$.error": "none" } }
                            """).with("secrets", "PASSWORD=" + password).with("wait-timeout", "0")
                    .with("junit-path", ""), slack).run();
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(app.requests()).singleElement().satisfies(q -> assertThat(q.bodyText()).contains("Smoke-pw-91c3"));
            SlackSimulator.Message m = slack.messages().get(0);
            assertThat(SlackSimulator.displayed(m)).contains("wrong password ***");
            noSecretIn(slack, password, SlackSimulator.TOKEN);
        }
    }
}
