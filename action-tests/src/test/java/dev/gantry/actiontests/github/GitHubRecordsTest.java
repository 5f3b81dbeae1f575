package dev.gantry.actiontests.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.github.GitHubReporter.DeploymentRecord;
import dev.gantry.common.github.GitHubReporter.DeploymentRequest;
import dev.gantry.common.github.GitHubReporter.DeploymentState;
import dev.gantry.common.github.GitHubReporter.Incident;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.testing.LoopbackServer;
import dev.gantry.common.testing.LoopbackServer.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deployment records that match reality: production only where it is, previews transient, the replaced record
 * inactive whatever {@code auto_inactive} does, a deleted preview's records inactive, and no record left in
 * progress when the step ends without the summary saying why.
 */
class GitHubRecordsTest {
    private final GitHubSimulator sim = new GitHubSimulator().pullRequest(7, ReporterRun.HEAD, "feature/cart");

    @AfterEach
    void stop() {
        sim.close();
    }

    private static DeploymentRequest request(String environment, boolean transientEnv, String id) {
        return new DeploymentRequest(environment, null, "deploy " + id, transientEnv, !transientEnv, "digitalocean", id);
    }

    private JsonNode created(int newestFirst) {
        return sim.requests("POST", "/repos/acme/shop/deployments").reversed().get(newestFirst).json();
    }

    @Test
    void onlyTheProductionEnvironmentIsProductionAndPreviewsAreTransient() {
        ReporterRun run = ReporterRun.onPush(sim);
        run.reporter.createDeployment(request("staging", false, "s1")).orElseThrow();
        assertThat(created(0).path("production_environment").asBoolean()).as("staging").isFalse();
        assertThat(created(0).path("transient_environment").asBoolean()).isFalse();
        run.reporter.createDeployment(request("production", false, "p1")).orElseThrow();
        assertThat(created(0).path("production_environment").asBoolean()).as("production").isTrue();
        run.reporter.createDeployment(request("preview/shop-pr-7", true, "v1")).orElseThrow();
        assertThat(created(0).path("production_environment").asBoolean()).as("a preview").isFalse();
        assertThat(created(0).path("transient_environment").asBoolean()).isTrue();

        // a team whose production environment is called live says so
        ReporterRun live = new ReporterRun(new GitHubReporters.Settings(GitHubSimulator.DEFAULT_TOKEN, sim.apiUrl().toString(),
                "acme/shop", null, ReporterRun.SHA, ReporterRun.SHA, ReporterRun.RUN_URL, true, "live"));
        live.reporter.createDeployment(request("live", false, "l1")).orElseThrow();
        assertThat(created(0).path("production_environment").asBoolean()).isTrue();
        live.reporter.createDeployment(request("production", false, "l2")).orElseThrow();
        assertThat(created(0).path("production_environment").asBoolean()).isFalse();
        assertThat(sim.deployments()).extracting(d -> d.path("production_environment").asBoolean())
                .containsExactly(false, true, false, true, false);
    }

    @ParameterizedTest
    @EnumSource(GitHubSimulator.AutoInactive.class)
    void aSuccessRetiresTheRecordItReplacesWhateverAutoInactiveDoes(GitHubSimulator.AutoInactive scope) {
        sim.autoInactive(scope);
        for (String env : List.of("production", "staging")) {
            ReporterRun run = ReporterRun.onPush(sim);
            DeploymentRecord a = run.reporter.createDeployment(request(env, false, env + "-a")).orElseThrow();
            run.reporter.setStatus(a, DeploymentState.SUCCESS, "https://" + env + ".shop.example", "live");
            DeploymentRecord failed = run.reporter.createDeployment(request(env, false, env + "-f")).orElseThrow();
            run.reporter.setStatus(failed, DeploymentState.FAILURE, null, "build failed");
            DeploymentRecord b = run.reporter.createDeployment(request(env, false, env + "-b")).orElseThrow();
            run.reporter.setStatus(b, DeploymentState.IN_PROGRESS, null, "deploying");
            run.reporter.setStatus(b, DeploymentState.SUCCESS, "https://" + env + ".shop.example", "live");

            assertThat(last(a)).as(env + " under " + scope).isEqualTo("inactive");
            assertThat(last(failed)).isEqualTo("failure");
            assertThat(last(b)).isEqualTo("success");
            assertThat(sim.statusStates(a.id()).stream().filter("inactive"::equals)).as("retired once").hasSize(1);
        }
    }

    private String last(DeploymentRecord d) {
        List<String> states = sim.statusStates(d.id());
        return states.get(states.size() - 1);
    }

    @Test
    void aRecordWhoseCreateLostItsAnswerIsFoundNotMadeTwice() {
        sim.inject(Fault.loseAnswer(LoopbackServer.matching("POST", "/repos/acme/shop/deployments"), 1));
        ReporterRun run = ReporterRun.onPush(sim);
        DeploymentRecord d = run.reporter.createDeployment(request("production", false, "p1")).orElseThrow();
        assertThat(sim.deployments()).singleElement().satisfies(j -> assertThat(j.path("id").asLong()).isEqualTo(d.id()));
        assertThat(sim.requests("POST", "/repos/acme/shop/deployments")).hasSize(1);
        // the look-up between: this run's nonce, at the commit and environment it asked for
        assertThat(sim.requests("GET", "/repos/acme/shop/deployments")).singleElement().satisfies(q -> {
            assertThat(q.param("sha")).isEqualTo(ReporterRun.SHA);
            assertThat(q.param("environment")).isEqualTo("production");
        });
    }

    @Test
    void deactivatingADeletedPreviewSetsItsRecordsInactiveAndNoOneElses() {
        ReporterRun run = ReporterRun.onPullRequest(sim, 7);
        DeploymentRecord first = run.reporter.createDeployment(request("preview/shop-pr-7", true, "v1")).orElseThrow();
        run.reporter.setStatus(first, DeploymentState.FAILURE, null, "failed");
        DeploymentRecord second = run.reporter.createDeployment(request("preview/shop-pr-7", true, "v2")).orElseThrow();
        run.reporter.setStatus(second, DeploymentState.SUCCESS, "https://shop-pr-7.ondigitalocean.app", "live");
        DeploymentRecord other = run.reporter.createDeployment(request("preview/shop-pr-8", true, "w1")).orElseThrow();
        run.reporter.setStatus(other, DeploymentState.SUCCESS, "https://shop-pr-8.ondigitalocean.app", "live");

        assertThat(run.reporter.deactivate("preview/shop-pr-7", "preview app deleted")).isEqualTo(2);
        assertThat(last(first)).isEqualTo("inactive");
        assertThat(last(second)).isEqualTo("inactive");
        assertThat(last(other)).isEqualTo("success");
        assertThat(run.reporter.deactivate("preview/shop-pr-7", "again")).as("nothing left to retire").isZero();
    }

    @Test
    void aStatusThatARateLimitStoppedIsWrittenWhenTheStepEndsAndRetiresTheRecordItReplaces() {
        sim.autoInactive(GitHubSimulator.AutoInactive.OFF); // only an explicit inactive retires the older record
        ReporterRun earlier = ReporterRun.onPush(sim);
        DeploymentRecord older = earlier.reporter.createDeployment(request("production", false, "p0")).orElseThrow();
        earlier.reporter.setStatus(older, DeploymentState.SUCCESS, "https://shop.example", "live");
        ReporterRun run = ReporterRun.onPush(sim);
        DeploymentRecord d = run.reporter.createDeployment(request("production", false, "p1")).orElseThrow();
        run.reporter.setStatus(d, DeploymentState.IN_PROGRESS, null, "deploying");
        sim.inject(Fault.status(LoopbackServer.matching("POST", "/repos/acme/shop/deployments/\\d+/statuses"), 1,
                LoopbackServer.Reply.json(403, GitHubJson.error("API rate limit exceeded for installation ID 1.",
                                "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api", 403))
                        .withHeader("x-ratelimit-remaining", "0")
                        .withHeader("x-ratelimit-reset", String.valueOf(java.time.Instant.now().plusSeconds(3000).getEpochSecond()))));
        run.reporter.setStatus(d, DeploymentState.SUCCESS, "https://shop.example", "live");
        assertThat(sim.statusStates(d.id())).containsExactly("in_progress");
        assertThat(run.warnings()).singleElement().asString().contains("rate limit");
        assertThat(sim.statusStates(older.id())).as("not replaced yet").containsExactly("success");

        assertThat(run.reporter.finish(false)).isEmpty();
        assertThat(sim.statusStates(d.id())).containsExactly("in_progress", "success");
        assertThat(sim.statuses(d.id()).get(1).path("environment_url").asText()).isEqualTo("https://shop.example");
        assertThat(sim.statusStates(older.id())).as("the record the late success replaces").containsExactly("success", "inactive");
        assertThat(sim.statuses(older.id()).get(1).path("description").asText()).isEqualTo("replaced by deployment " + d.id());
    }

    @Test
    void whenTheLastStatusCannotBeWrittenTheSummarySaysWhy() {
        ReporterRun run = ReporterRun.onPush(sim);
        DeploymentRecord d = run.reporter.createDeployment(request("production", false, "p1")).orElseThrow();
        run.reporter.setStatus(d, DeploymentState.IN_PROGRESS, null, "deploying");
        sim.rateLimit(0, Duration.ofMinutes(50), 403);
        run.reporter.setStatus(d, DeploymentState.SUCCESS, "https://shop.example", "live");

        List<Markdown> notes = run.reporter.finish(false);
        assertThat(sim.statusStates(d.id())).containsExactly("in_progress");
        assertThat(notes).singleElement().asString().startsWith("Deployment record " + d.id() + " (environment "
                + "production) stays in_progress on GitHub: its last status (success) could not be written: GitHub's "
                + "rate limit").contains("API rate limit exceeded");
    }

    @Test
    void aStepThatFailsBeforeARecordHasAResultLeavesItAtErrorAndOneThatDoesNotWaitSaysSo() {
        ReporterRun failing = ReporterRun.onPush(sim);
        DeploymentRecord d = failing.reporter.createDeployment(request("production", false, "p1")).orElseThrow();
        failing.reporter.setStatus(d, DeploymentState.IN_PROGRESS, null, "deploying");
        assertThat(failing.reporter.finish(true)).isEmpty();
        assertThat(sim.statusStates(d.id())).containsExactly("in_progress", "error");
        assertThat(sim.statuses(d.id()).get(1).path("description").asText()).contains("step failed");

        ReporterRun started = ReporterRun.onPush(sim);
        DeploymentRecord s = started.reporter.createDeployment(request("staging", false, "s1")).orElseThrow();
        started.reporter.setStatus(s, DeploymentState.IN_PROGRESS, null, "deploying");
        assertThat(started.reporter.finish(false)).singleElement().asString()
                .contains("stays in_progress on GitHub: the step ended before the deployment did");
        assertThat(sim.statusStates(s.id())).containsExactly("in_progress");
    }

    @Test
    void hostileTextInGithubsAnswersNeverBecomesAWorkflowCommandOrMarkup() {
        sim.hostileText("\n::error::pwned-by-github\n<img src=x onerror=alert(1)>");
        sim.comment(7, "octocat", "<!-- gantry:smoke-test:preview -->\nplanted");
        ReporterRun run = ReporterRun.onPullRequest(sim, 7);
        DeploymentRecord d = run.reporter.createDeployment(request("preview/shop-pr-7", true, "v1")).orElseThrow();
        run.reporter.setStatus(d, DeploymentState.IN_PROGRESS, null, "deploying");
        run.reporter.setStatus(d, DeploymentState.SUCCESS, "https://shop-pr-7.example", "live");
        run.reporter.findDeployment("preview/shop-pr-7", "v1").orElseThrow();
        run.reporter.stickyComment("smoke-test:preview", Markdown.of("report")).orElseThrow();
        run.reporter.incident(new Incident("rollback:preview", "incident", "t", Markdown.of("b"), List.of())).orElseThrow();
        List<Markdown> notes = run.reporter.finish(false);

        assertThat(sim.requests()).as("GitHub's answers did carry it").isNotEmpty();
        assertThat(run.commands().carrying("pwned-by-github")).isEmpty();
        assertThat(run.commands().named("error")).isEmpty();
        // the account GitHub named (hostile too) is shown, but only inside a code span, where HTML is text
        assertThat(notes).isNotEmpty().allSatisfy(n -> assertThat(n.toString().replaceAll("`[^`]*`", ""))
                .doesNotContain("<img").doesNotContain("\n"));
    }
}
