package dev.gantry.actiontests.digitalocean;

import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.http.Time;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The faults that turned real teams' jobs red (issue 22), against do-deploy and rollback on DigitalOcean: a 500 on
 * any request of a run, a 429 with {@code Retry-After} on every kind of call that creates something, a lost answer
 * whose deployment has finished before the action looks, and a {@code Retry-After} longer than the step's timeout.
 * Every run is on the simulator's virtual time; every exchange is checked against the API description.
 */
class AppPlatformFaultsTest {
    static final String IMAGE_SPEC = SampleSpecs.IMAGE;
    static final String WEB_SPEC = """
            name: shop-web
            services:
              - name: web
                github: {repo: acme/shop, branch: main}
                http_port: 8080
            """;

    /** A fresh simulator for {@code body}, its exchanges checked against the API description afterwards. */
    static void withSimulator(Consumer<AppPlatformSimulator> body) {
        try (AppPlatformSimulator sim = new AppPlatformSimulator()) {
            body.accept(sim);
            assertThat(sim.contractProblems()).as("requests and answers vs apps.openapi.json").isEmpty();
        }
    }

    static ActionRun deploy(AppPlatformSimulator sim, Time time) {
        ActionRun r = ActionRun.of("do-deploy").with("token", AppPlatformSimulator.TOKEN)
                .with("api-url", sim.baseUrl().toString()).with("github-deployment", "false").time(time);
        try {
            Path f = r.workspace().resolve(".do/app.yaml");
            Files.createDirectories(f.getParent());
            Files.writeString(f, WEB_SPEC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    static ActionRun rollback(AppPlatformSimulator sim, GitHubSimulator gh, Time time) {
        return ActionRun.of("rollback").with("provider", "digitalocean").with("token", AppPlatformSimulator.TOKEN)
                .with("app-name", "shop-api").with("api-url", sim.baseUrl().toString())
                .with("reason", "p95 over 2s").with("incident", "false").gitHub(gh).time(time);
    }

    /** shop-api with a good deployment (superseded) and a bad one (active): something to roll back. */
    static String history(AppPlatformSimulator sim) {
        String appId = sim.seedApp(IMAGE_SPEC);
        post(sim, "/v2/apps/" + appId + "/deployments", "{}");
        sim.clock().advance(Duration.ofMinutes(10));
        return appId;
    }

    static void post(AppPlatformSimulator sim, String path, String body) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                    .header("Authorization", "Bearer " + AppPlatformSimulator.TOKEN).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- a 500 on any request -----------------------------------------------------------------------------------

    /** How many requests (API calls and log downloads) a clean run of {@code scenario} makes. */
    static int requestsOfACleanRun(Consumer<AppPlatformSimulator> setUp, Function<AppPlatformSimulator, ActionResult> scenario) {
        int[] n = new int[1];
        withSimulator(sim -> {
            setUp.accept(sim);
            int before = sim.requests().size();
            ActionResult r = scenario.apply(sim);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            n[0] = sim.requests().size() - before;
        });
        return n[0];
    }

    /**
     * For each request of a clean run, a run where that request is answered 500, before its work and (for API
     * calls) after it: each ends as the clean run did, with one deployment.
     */
    static Stream<DynamicTest> aServerErrorOnEachRequest(String name, Consumer<AppPlatformSimulator> setUp,
                                                         Function<AppPlatformSimulator, ActionResult> scenario,
                                                         int appsExpected) {
        int n = requestsOfACleanRun(setUp, scenario);
        assertThat(n).as("a run makes requests").isGreaterThan(5);
        List<DynamicTest> tests = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            for (boolean processed : new boolean[]{false, true}) {
                int nth = k;
                tests.add(DynamicTest.dynamicTest(name + ": HTTP 500 on request " + nth + " of " + n
                        + (processed ? ", after its work was done" : ""), () -> withSimulator(sim -> {
                    setUp.accept(sim);
                    int appsBefore = sim.appCount();
                    int deploymentsBefore = sim.deploymentsCreated();
                    sim.failRequest(nth, 500, processed);
                    ActionResult r = scenario.apply(sim);

                    assertThat(r.exitCode()).as(r.toString()).isZero();
                    assertThat(r.output("result")).isEqualTo("success");
                    assertThat(sim.deploymentsCreated() - deploymentsBefore).as("one deployment").isEqualTo(1);
                    assertThat(sim.appCount() - appsBefore).isEqualTo(appsExpected);
                    assertThat(sim.exchanges()).anyMatch(e -> e.reply().status() == 500);
                })));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> doDeployCreatingAnAppRidesOutA500OnAnyRequest() {
        return aServerErrorOnEachRequest("create", sim -> { }, sim -> deploy(sim, sim.time()).run(), 1);
    }

    @TestFactory
    Stream<DynamicTest> doDeployUpdatingAnAppRidesOutA500OnAnyRequest() {
        return aServerErrorOnEachRequest("update", sim -> sim.seedApp(IMAGE_SPEC),
                sim -> deploy(sim, sim.time()).with("app-name", "shop-api").with("images", "api=:v2")
                        .with("print-deploy-logs", "always").run(), 0);
    }

    @TestFactory
    Stream<DynamicTest> rollbackRidesOutA500OnAnyRequest() {
        GitHubSimulator gh = new GitHubSimulator();
        return aServerErrorOnEachRequest("rollback", AppPlatformFaultsTest::history,
                sim -> rollback(sim, gh, sim.time()).run(), 0).onClose(gh::close);
    }

    // ---- a 429 with Retry-After on every kind of create -----------------------------------------------------------

    /** A 429 asking for 30 s on the first {@code method path} of the run: waited for, then one of it. */
    static void aRateLimitedCreateIsWaitedFor(String method, String pathRegex, Consumer<AppPlatformSimulator> setUp,
                                              Function<ActionRun, ActionRun> step, String actionName) {
        try (GitHubSimulator gh = new GitHubSimulator()) {
            withSimulator(sim -> {
                setUp.accept(sim);
                int deploymentsBefore = sim.deploymentsCreated();
                sim.rateLimit(method, pathRegex, 1, 30);
                Time time = sim.time();
                Instant t0 = time.now();
                ActionRun run = actionName.equals("rollback") ? rollback(sim, gh, time) : deploy(sim, time);
                ActionResult r = step.apply(run).run();

                assertThat(r.exitCode()).as(r.toString()).isZero();
                assertThat(r.log()).contains("HTTP 429").contains("retrying in 30s");
                assertThat(Duration.between(t0, time.now())).as("the action waited what the API asked")
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(30));
                assertThat(sim.requests(method, pathRegex)).as("sent again once, after the wait").hasSize(2);
                assertThat(sim.exchanges()).filteredOn(e -> e.reply().status() == 429).hasSize(1);
                assertThat(sim.deploymentsCreated() - deploymentsBefore).isEqualTo(1);
            });
        }
    }

    @Test
    void a429WithRetryAfterOnCreatingAnAppIsWaitedFor() {
        aRateLimitedCreateIsWaitedFor("POST", "/v2/apps", sim -> { }, r -> r, "do-deploy");
    }

    @Test
    void a429WithRetryAfterOnUpdatingAnAppIsWaitedFor() {
        aRateLimitedCreateIsWaitedFor("PUT", "/v2/apps/.*", sim -> sim.seedApp(IMAGE_SPEC),
                r -> r.with("app-name", "shop-api").with("images", "api=:v2"), "do-deploy");
    }

    @Test
    void a429WithRetryAfterOnCreatingADeploymentIsWaitedFor() {
        aRateLimitedCreateIsWaitedFor("POST", "/v2/apps/.*/deployments", sim -> {
            sim.seedApp(IMAGE_SPEC);
            sim.updatesStartNoDeployment(true);
        }, r -> r.with("app-name", "shop-api"), "do-deploy");
    }

    @Test
    void a429WithRetryAfterOnRollingBackIsWaitedFor() {
        aRateLimitedCreateIsWaitedFor("POST", "/v2/apps/.*/rollback", AppPlatformFaultsTest::history, r -> r, "rollback");
    }

    @Test
    void a429WithRetryAfterOnRevertingARollbackIsWaitedFor() {
        aRateLimitedCreateIsWaitedFor("POST", "/v2/apps/.*/rollback/revert", sim -> {
            String appId = history(sim);
            String good = sim.deploymentsOf(appId).get(1).path("id").asText();
            post(sim, "/v2/apps/" + appId + "/rollback", "{\"deployment_id\": \"" + good + "\"}");
            sim.clock().advance(Duration.ofMinutes(10));
        }, r -> r.with("revert", "true"), "rollback");
    }

    // ---- a lost answer whose deployment finished before the action looks ------------------------------------------

    /**
     * The call is done, its answer lost (the connection drops), and the deployment it started is ACTIVE by the
     * time the action looks: found through the active deployment and the list, never started twice.
     */
    static void aLostAnswerToAFinishedDeploymentIsFound(String method, String pathRegex,
                                                        Consumer<AppPlatformSimulator> setUp,
                                                        Function<ActionRun, ActionRun> step, String actionName) {
        try (GitHubSimulator gh = new GitHubSimulator()) {
            withSimulator(sim -> {
                setUp.accept(sim);
                sim.phaseDurations(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2));
                int deploymentsBefore = sim.deploymentsCreated();
                sim.afterProcessing(method, pathRegex, 1, 0);
                Time time = sim.time();
                ActionRun run = actionName.equals("rollback") ? rollback(sim, gh, time) : deploy(sim, time);
                ActionResult r = step.apply(run).run();

                assertThat(r.exitCode()).as(r.toString()).isZero();
                assertThat(r.output("result")).isEqualTo("success");
                assertThat(sim.requests(method, pathRegex)).as("never sent again").hasSize(1);
                assertThat(sim.deploymentsCreated() - deploymentsBefore).isEqualTo(1);
                assertThat(r.log()).contains("went through despite no answer");
                // the first look at the deployment already found it ended
                assertThat(r.log()).containsPattern("deployment [0-9a-f]{8}: ACTIVE \\d/\\d \\(0s\\)");
            });
        }
    }

    @Test
    void aLostAnswerToAnUpdateWhoseDeploymentFinishedIsFound() {
        aLostAnswerToAFinishedDeploymentIsFound("PUT", "/v2/apps/.*", sim -> sim.seedApp(IMAGE_SPEC),
                r -> r.with("app-name", "shop-api").with("images", "api=:v2"), "do-deploy");
    }

    @Test
    void aLostAnswerToCreatingADeploymentThatFinishedIsFound() {
        aLostAnswerToAFinishedDeploymentIsFound("POST", "/v2/apps/.*/deployments", sim -> {
            sim.seedApp(IMAGE_SPEC);
            sim.updatesStartNoDeployment(true);
        }, r -> r.with("app-name", "shop-api"), "do-deploy");
    }

    @Test
    void aLostAnswerToARollbackThatFinishedIsFound() {
        aLostAnswerToAFinishedDeploymentIsFound("POST", "/v2/apps/.*/rollback", AppPlatformFaultsTest::history,
                r -> r, "rollback");
    }

    // ---- a Retry-After longer than the step's timeout -------------------------------------------------------------

    @Test
    void retryAfter60AgainstTimeout5sEndsWithinTheTimeoutWithResultTimeout() {
        withSimulator(sim -> {
            String appId = sim.seedApp(IMAGE_SPEC);
            // the deployment starts; every look at it is then answered 429, Retry-After: 60
            sim.rateLimit("GET", "/v2/apps/" + appId + "/deployments/.*", 1000, 60);
            Time time = sim.time();
            Instant t0 = time.now();

            ActionResult r = deploy(sim, time).with("app-id", appId).with("images", "api=:v2").with("timeout", "5s").run();

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.output("result")).isEqualTo("timeout");
            assertThat(Duration.between(t0, time.now())).as("never a pause past the step's time")
                    .isLessThanOrEqualTo(Duration.ofSeconds(5));
            assertThat(r.errors().get(0).data()).contains("timeout: 5s").contains("asked to wait 1m");
            assertThat(r.summary()).as("the verdict first").startsWith("### ⏱️ ").contains("timed out");
            assertThat(r.output("phase")).isNotEmpty();
        });
    }
}
