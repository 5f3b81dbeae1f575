package dev.gantry.actiontests.rollback;

import dev.gantry.actiontests.digitalocean.SampleSpecs;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.digitalocean.AppPlatformSimulator;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * rollback on DigitalOcean, end to end: the action runs as the runner runs it against the App Platform simulator
 * (history made through its API), the GitHub simulator and a small app to verify. Every request to App Platform and
 * every answer is checked against DigitalOcean's OpenAPI description afterwards.
 */
class DigitalOceanRollbackTest {
    static final String SPEC = """
            {"name": "shop-api", "region": "nyc", "services": [{"name": "api", "http_port": 8080,
              "github": {"repo": "acme/shop", "branch": "main", "deploy_on_push": true}}]}
            """;
    static final String IMAGE_SPEC = SampleSpecs.IMAGE;

    AppPlatformSimulator sim;
    GitHubSimulator gh;
    Support.App app;
    String appId;

    @BeforeEach
    void start() {
        sim = new AppPlatformSimulator();
        gh = new GitHubSimulator();
        app = new Support.App();
    }

    @AfterEach
    void contractAndStop() {
        try {
            sim.checkContractAndClose();
        } finally {
            gh.close();
            app.close();
        }
    }

    ActionRun rollback() {
        return ActionRun.of("rollback")
                .with("provider", "digitalocean")
                .with("token", AppPlatformSimulator.TOKEN)
                .with("app-name", "shop-api")
                .with("api-url", sim.baseUrl().toString())
                .with("reason", "p95 latency over 2s after the deploy")
                .gitHub(gh)
                .time(sim.time());
    }

    /** A new deployment of the app's spec through the API, then time passes until it has ended. */
    String deploy() {
        JsonNode d = Support.call("POST", URI.create(sim.baseUrl() + "/v2/apps/" + appId + "/deployments"),
                AppPlatformSimulator.TOKEN, "{}");
        sim.clock().advance(Duration.ofMinutes(10));
        return d.path("deployment").path("id").asText();
    }

    String activeId() {
        return sim.app(appId).path("active_deployment").path("id").asText();
    }

    JsonNode pinned() {
        return sim.app(appId).path("pinned_deployment");
    }

    /** good (superseded), failed (ERROR), bad (active). */
    String[] history(String spec) {
        appId = sim.seedApp(spec);
        String good = activeId();
        sim.failNextDeploy("api", "container exited with code 1", List.of("Error: Cannot find module '/app/dist/main.js'"));
        String failed = deploy();
        String bad = deploy();
        assertThat(activeId()).isEqualTo(bad);
        return new String[]{good, failed, bad};
    }

    @Test
    void rollsBackToTheNewestEarlierDeploymentThatWasLiveAndLeavesTheAppPinned() {
        String[] h = history(SPEC);
        int before = sim.deploymentsCreated();
        ActionResult r = rollback().run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("success");
        assertThat(r.output("rolled-back-from")).isEqualTo(h[2]);
        assertThat(r.output("rolled-back-to")).isEqualTo(h[0]);
        String created = r.output("deployment-id");
        assertThat(sim.deploymentsCreated()).isEqualTo(before + 1);
        assertThat(activeId()).isEqualTo(created);
        assertThat(pinned().path("id").asText()).as("pinned by default").isEqualTo(created);
        // the failed deployment in between was looked at and passed over
        assertThat(r.log()).contains("Not a rollback target: " + h[1] + " (ERROR");
        // validate first, then roll back, pinned
        List<LoopbackServer.RecordedRequest> calls = sim.requests("POST", "/v2/apps/.*/rollback.*");
        assertThat(calls).extracting(LoopbackServer.RecordedRequest::path).containsExactly(
                "/v2/apps/" + appId + "/rollback/validate", "/v2/apps/" + appId + "/rollback");
        assertThat(calls.get(1).json().path("deployment_id").asText()).isEqualTo(h[0]);
        assertThat(calls.get(1).json().path("skip_pin").asBoolean()).isFalse();
        // the summary: verdict first, from → to, timings, how to unpin
        assertThat(r.summary()).startsWith("**✅ Rolled back shop-api: `" + h[2] + "` → `" + h[0] + "`").contains("Duration").contains("commit: true")
                .contains("revert: true").contains("p95 latency over 2s after the deploy").contains("DEPLOYING");
        assertThat(r.leaks(AppPlatformSimulator.TOKEN)).isFalse();
        assertThat(r.leaks(GitHubSimulator.DEFAULT_TOKEN)).isFalse();
    }

    @Test
    void anExplicitTargetIsValidatedAndRestored() {
        appId = sim.seedApp(SPEC);
        String first = activeId();
        String second = deploy();
        String third = deploy();
        ActionResult r = rollback().with("target", first).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("rolled-back-from")).isEqualTo(third);
        assertThat(r.output("rolled-back-to")).isEqualTo(first).isNotEqualTo(second);
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback/validate").get(0).json().path("deployment_id").asText())
                .isEqualTo(first);
        JsonNode restored = sim.deploymentsOf(appId).get(0);
        assertThat(restored.path("cause_details").path("type").asText()).isEqualTo("MANUAL_ROLLBACK");
        assertThat(restored.path("cloned_from").asText()).isEqualTo(first);
        assertThat(r.summary()).contains("target given");
    }

    @Test
    void aDryRunValidatesAndChangesNothing() {
        String[] h = history(IMAGE_SPEC);
        int before = sim.deploymentsCreated();
        ActionResult r = rollback().with("dry-run", "true").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("dry-run");
        assertThat(r.output("rolled-back-to")).isEqualTo(h[0]);
        assertThat(sim.deploymentsCreated()).isEqualTo(before);
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback")).isEmpty();
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback/validate")).hasSize(1);
        assertThat(activeId()).isEqualTo(h[2]);
        // the validation's warning is printed and in the summary
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w.data()).contains("image_source_missing_digest"));
        assertThat(r.summary()).startsWith("**🔎 Dry run: would roll back shop-api from `" + h[2] + "` to `" + h[0] + "`")
                .contains("Validation conditions").contains("image_source_missing_digest");
        assertThat(gh.issues()).as("no incident for a dry run").isEmpty();
    }

    @Test
    void aTargetInErrorIsRefusedByValidationWithAClearMessageAndNothingChanges() {
        String[] h = history(SPEC);
        int before = sim.deploymentsCreated();
        ActionResult r = rollback().with("target", h[1]).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.output("result")).isEqualTo("invalid-input");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("Input 'target'")
                .contains("refuses to roll back app shop-api to deployment " + h[1])
                .contains("incompatible_result").contains("Nothing was changed"));
        assertThat(sim.deploymentsCreated()).isEqualTo(before);
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback")).isEmpty();
        assertThat(activeId()).isEqualTo(h[2]);
        assertThat(gh.issues()).as("a wrong target is an input error, not an incident").isEmpty();
    }

    @Test
    void aPinnedAppIsRefusedWithWhatToDoAndAnIncident() {
        String[] h = history(SPEC);
        Support.call("POST", URI.create(sim.baseUrl() + "/v2/apps/" + appId + "/rollback"), AppPlatformSimulator.TOKEN,
                "{\"deployment_id\": \"" + h[0] + "\"}");
        sim.clock().advance(Duration.ofMinutes(10));
        int before = sim.deploymentsCreated();
        ActionResult r = rollback().run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("rejected");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("app_pinned")
                .contains("commit: true").contains("revert: true").contains("Nothing was changed"));
        assertThat(sim.deploymentsCreated()).isEqualTo(before);
        assertThat(gh.issues()).singleElement().satisfies(i -> {
            assertThat(i.path("title").asText()).isEqualTo("Incident: rollback of shop-api failed");
            assertThat(i.path("body").asText()).contains("app_pinned").contains("p95 latency over 2s");
        });
        assertThat(r.output("incident-url")).isEqualTo(gh.issues().get(0).path("html_url").asText());
        assertThat(r.summary()).startsWith("**❌ No rollback of shop-api: App Platform refuses")
                .contains("| Serving (unchanged) | " + activeId() + " |").contains("| error | app_pinned |");
    }

    @Test
    void withNoEarlierLiveDeploymentThereIsNoCandidate() {
        appId = sim.seedApp(SPEC);
        sim.failNextBuild("api", "boom", List.of("boom"));
        deploy();
        ActionResult r = rollback().with("incident", "false").run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("no-candidate");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data())
                .contains("No earlier deployment of app shop-api was live").contains("target input"));
        // the failed newest deploy never went live: the log says that nothing may need rolling back
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w.data()).contains("never went live")
                .contains("nothing needs rolling back"));
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback.*")).isEmpty();
        assertThat(gh.issues()).isEmpty();
    }

    @Test
    void aRollbackDeploymentThatOutlivesTheTimeoutFailsAndSaysSo() {
        String[] h = history(SPEC);
        sim.phaseDurations(Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofDays(2));
        ActionResult r = rollback().with("timeout", "300ms").run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("timeout");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("timed out")
                .contains("timeout of 300ms").contains("DEPLOYING").contains("Raise the timeout input"));
        assertThat(activeId()).as("the bad deployment still serves").isEqualTo(h[2]);
        assertThat(r.summary()).contains("⏱️");
        assertThat(gh.issues()).singleElement().satisfies(i -> assertThat(i.path("body").asText()).contains("timed out"));
    }

    @Test
    void aRollbackDeploymentThatFailsFailsTheActionWithItsLogsInTheIncident() {
        String[] h = history(SPEC);
        sim.failNextDeploy("api", "container exited with code 137", List.of("Killed: out of memory ::warning::not a command"));
        ActionResult r = rollback().with("commit", "true").run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("failure");
        assertThat(r.errors()).anySatisfy(e -> assertThat(e.data()).contains("The rollback of app shop-api")
                .contains("ended in ERROR").contains("container exited with code 137"));
        assertThat(activeId()).as("the bad deployment still serves").isEqualTo(h[2]);
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback/commit")).as("a failed rollback is not committed").isEmpty();
        // the provider's log line is printed as untrusted text: it registers no annotation
        assertThat(r.warnings()).noneSatisfy(w -> assertThat(w.data()).contains("not a command"));
        assertThat(gh.issues()).singleElement().satisfies(i -> assertThat(i.path("body").asText())
                .contains("Logs of the failed deployment").contains("Killed: out of memory").contains("revert: true"));
        assertThat(r.summary()).contains("Logs of the failed deployment");
    }

    @Test
    void anApiThatKeepsFailingIsAProviderErrorAndAnIncident() {
        history(SPEC);
        int before = sim.deploymentsCreated();
        sim.serverErrors("POST", "/v2/apps/.*/rollback/validate", 50, 503);
        ActionResult r = rollback().run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.output("result")).isEqualTo("error");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("DigitalOcean API error: HTTP 503"));
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback")).isEmpty();
        assertThat(sim.deploymentsCreated()).isEqualTo(before);
        assertThat(gh.issues()).singleElement().satisfies(i -> assertThat(i.path("body").asText()).contains("HTTP 503"));
        assertThat(r.summary()).startsWith("**❌ The rollback of shop-api failed: DigitalOcean API error: HTTP 503");
    }

    @Test
    void commitTrueCommitsAfterThePassedVerification() {
        history(IMAGE_SPEC);
        ActionResult r = rollback().with("commit", "true").with("verify-url", app.baseUrl().toString())
                .with("verify-checks", Support.CHECKS).with("verify-secrets", "API_KEY=" + Support.API_KEY).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("verification")).isEqualTo("pass");
        assertThat(pinned().isMissingNode()).as("committed: unpinned").isTrue();
        assertThat(activeId()).isEqualTo(r.output("deployment-id"));
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback/commit")).hasSize(1);
        assertThat(app.requests("GET", "/api/version")).hasSize(1);
        // committed only after the checks ran
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback/commit").get(0).at())
                .isAfter(app.requests("GET", "/api/version").get(0).at());
        assertThat(r.summary()).contains("verification passed").contains("The rollback is committed");
    }

    @Test
    void aCommitThatKeepsFailingAfterALiveRollbackIsReportedAsSuch() {
        String[] h = history(SPEC);
        sim.serverErrors("POST", "/v2/apps/.*/rollback/commit", 50, 500);
        ActionResult r = rollback().with("commit", "true").run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(activeId()).as("the rollback itself is live").isEqualTo(r.output("deployment-id"));
        assertThat(pinned().path("id").asText()).isEqualTo(r.output("deployment-id"));
        assertThat(r.summary()).contains("the rollback is done, but finishing it failed").contains("HTTP 500");
        assertThat(gh.issues()).singleElement().satisfies(i -> assertThat(i.path("body").asText())
                .contains("finishing it failed").contains(h[0]));
    }

    @Test
    void aFailedVerificationFailsTheActionAndLeavesTheRollbackPinned() {
        history(SPEC);
        app.version.set("v2-broken");
        ActionResult r = rollback().with("commit", "true").with("verify-url", app.baseUrl().toString())
                .with("verify-checks", Support.CHECKS).with("verify-secrets", "API_KEY=" + Support.API_KEY).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("failure");
        assertThat(r.output("verification")).isEqualTo("fail");
        assertThat(r.errors()).anySatisfy(e -> assertThat(e.data()).contains("is done, but its verification failed")
                .contains("'version'"));
        assertThat(pinned().path("id").asText()).as("not committed").isEqualTo(r.output("deployment-id"));
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback/commit")).isEmpty();
        assertThat(gh.issues()).singleElement().satisfies(i -> {
            assertThat(i.path("title").asText()).isEqualTo("Incident: rollback of shop-api failed");
            assertThat(i.path("body").asText()).contains("verification failed").contains("Not committed");
        });
    }

    @Test
    void revertUndoesThePinnedRollbackAndAddsToTheOpenIncident() {
        String[] h = history(SPEC);
        ActionResult first = rollback().run();
        assertThat(first.exitCode()).as(first.toString()).isZero();
        String rollbackDeployment = first.output("deployment-id");
        assertThat(gh.issues()).hasSize(1);

        ActionResult r = rollback().with("revert", "true").with("reason", "false alarm").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("rolled-back-from")).isEqualTo(rollbackDeployment);
        String revert = r.output("deployment-id");
        assertThat(r.output("rolled-back-to")).isEqualTo(revert);
        assertThat(activeId()).isEqualTo(revert);
        assertThat(pinned().isMissingNode()).isTrue();
        JsonNode d = sim.deploymentsOf(appId).get(0);
        assertThat(d.path("cause_details").path("digitalocean_user_action").path("name").asText()).isEqualTo("REVERT_APP_ROLLBACK");
        // one incident per environment: the second run comments on the open one
        assertThat(gh.issues()).hasSize(1);
        int number = gh.issues().get(0).path("number").asInt();
        assertThat(gh.comments(number)).singleElement().satisfies(c -> assertThat(c.path("body").asText())
                .contains("Reverted the rollback").contains("false alarm"));
        assertThat(r.output("incident-url")).isEqualTo(first.output("incident-url"));
        assertThat(h[2]).isNotEqualTo(revert);
    }

    @Test
    void commitWithoutTargetCommitsThePinnedRollbackInPlace() {
        history(SPEC);
        ActionResult first = rollback().with("incident", "false").run();
        assertThat(first.exitCode()).as(first.toString()).isZero();

        ActionResult r = rollback().with("commit", "true").with("incident", "false").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("committed");
        assertThat(r.output("rolled-back-to")).isEqualTo(first.output("deployment-id"));
        assertThat(pinned().isMissingNode()).isTrue();
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback$")).hasSize(1);
    }

    static final String GOOD_COMMIT = "1111111111111111111111111111111111111111";
    static final String BAD_COMMIT = "2222222222222222222222222222222222222222";

    @Test
    void marksTheBadDeploymentRecordInactiveAndTheRestoredOneSuccessfulAtItsLiveUrl() {
        String[] h = history(SPEC);
        long good = Support.recordDeployment(gh, "shop-api", "digitalocean", h[0]);
        long bad = Support.recordDeployment(gh, "shop-api", "digitalocean", h[2]);
        ActionResult r = rollback().run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(gh.statusStates(bad)).containsExactly("success", "inactive");
        assertThat(gh.statusStates(good)).endsWith("success");
        assertThat(gh.statuses(bad).get(1).path("description").asText()).startsWith("rolled back to " + h[0]);
        assertThat(gh.statuses(good)).last().satisfies(st -> assertThat(st.path("environment_url").asText())
                .isEqualTo(sim.app(appId).path("live_url").asText()).startsWith("https://"));
        assertThat(gh.deployments()).as("the restored deployment's own record is used").hasSize(2);
    }

    /** The app's history built from two commits: good (live before), bad (live now). */
    String[] twoCommits() {
        sim.sourceCommit(GOOD_COMMIT);
        appId = sim.seedApp(SPEC);
        String good = activeId();
        sim.sourceCommit(BAD_COMMIT);
        String bad = deploy();
        return new String[]{good, bad};
    }

    @Test
    void withoutARecordTheRestoredDeploymentGetsOneAtTheCommitItWasBuiltFromNotTheFailingJobs() {
        String[] h = twoCommits();
        // the on-failure job of the bad release runs at the bad commit
        ActionResult r = rollback().with("environment", "production").env("GITHUB_SHA", BAD_COMMIT).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode record = gh.deployments().get(0);
        assertThat(gh.deployments()).hasSize(1);
        assertThat(record.path("sha").asText()).isEqualTo(GOOD_COMMIT);
        assertThat(record.path("environment").asText()).isEqualTo("production");
        assertThat(record.path("production_environment").asBoolean()).isTrue();
        assertThat(record.path("payload").path("provider_deployment_id").asText()).isEqualTo(r.output("deployment-id"));
        long id = record.path("id").asLong();
        assertThat(gh.statusStates(id)).containsExactly("success");
        assertThat(gh.statuses(id).get(0).path("environment_url").asText())
                .isEqualTo(sim.app(appId).path("live_url").asText());
        assertThat(h[1]).isNotEqualTo(h[0]);
    }

    @Test
    void onStagingTheNewRecordIsNotProductionAndTheRecordItReplacesIsRetired() {
        String[] h = twoCommits();
        long badRecord = Support.recordDeployment(gh, "staging", "digitalocean", h[1]);
        ActionResult r = rollback().with("environment", "staging").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode record = gh.deployments().get(0);
        assertThat(record.path("id").asLong()).isNotEqualTo(badRecord);
        assertThat(record.path("sha").asText()).isEqualTo(GOOD_COMMIT);
        assertThat(record.path("production_environment").asBoolean()).as("staging is not production").isFalse();
        assertThat(gh.statusStates(badRecord)).containsExactly("success", "inactive");
        assertThat(gh.statusStates(record.path("id").asLong())).containsExactly("success");
    }

    @Test
    void hostileProviderTextNeverReachesTheIncidentOrTheLogRaw() {
        String[] h = history(SPEC);
        String html = "<img src=x onerror=alert(1)> [click](https://evil.example) </details>";
        sim.failNextDeploy("api", "exit 137 " + html + "\n::error::pwned-by-provider",
                List.of("```", "Killed " + html, "::warning::pwned-by-provider-log"));
        ActionResult r = rollback().with("environment", "prod<b>uction</b>").run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        // the provider's text is quoted in the action's own failure annotation, escaped; it commands nothing itself
        assertThat(r.commands().carrying("pwned-by-provider")).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("error");
            assertThat(c.data()).startsWith("The rollback of app shop-api");
        });
        JsonNode issue = gh.issues().get(0);
        assertThat(issue.path("title").asText()).isEqualTo("Incident: rollback of prod<b>uction</b> failed");
        String body = issue.path("body").asText();
        // outside code blocks nothing of it is markup
        String prose = body.replaceAll("(?s)(`{3,})[^\n]*\n.*?\n\\1\n", "").replaceAll("`[^`\n]*`", "");
        assertThat(prose).contains("pwned-by-provider").doesNotContain("<img").doesNotContain("](https://evil")
                .doesNotContain("<b>");
        assertThat(r.summary().replaceAll("(?s)(`{3,})[^\n]*\n.*?\n\\1\n", "").replaceAll("`[^`\n]*`", ""))
                .doesNotContain("<img").doesNotContain("<b>");
        assertThat(h).hasSize(3);
    }

    @Test
    void anExplicitTargetThatIsActiveAlreadyIsNothingToDo() {
        String[] h = history(SPEC);
        ActionResult r = rollback().with("target", h[2]).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("already-active");
        assertThat(sim.requests("POST", "/v2/apps/.*/rollback.*")).isEmpty();
        assertThat(gh.issues()).isEmpty();
    }

    @Test
    void inputMistakesAreNamedBeforeAnyCall() {
        ActionResult both = rollback().with("app-id", "6a57532a-5400-4dc0-9c93-3f6996318c65").run();
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("Input 'app-id'")
                .contains("set one of them"));
        ActionResult undo = rollback().with("undo", "true").run();
        assertThat(undo.exitCode()).isEqualTo(2);
        assertThat(undo.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("Input 'undo'")
                .contains("revert: true"));
        ActionResult noToken = rollback().with("token", "").run();
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("token"));
        ActionResult plainHttp = rollback().with("api-url", "http://api.example.com").run();
        assertThat(plainHttp.exitCode()).isEqualTo(2);
        assertThat(plainHttp.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("api-url"));
        assertThat(sim.requests()).isEmpty();
        assertThat(gh.requests()).isEmpty();
    }
}
