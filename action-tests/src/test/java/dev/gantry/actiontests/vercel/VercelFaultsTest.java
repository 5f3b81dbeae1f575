package dev.gantry.actiontests.vercel;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.http.Time;
import dev.gantry.common.testing.LoopbackServer.Fault;
import dev.gantry.common.testing.LoopbackServer.RecordedRequest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static dev.gantry.common.testing.LoopbackServer.matching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The faults of issue 22 against vercel-deploy, as {@code AppPlatformFaultsTest} does for DigitalOcean: a 500 on
 * each kind of read of a run is retried and the deploy succeeds, once; a 429 on the create whose
 * {@code Retry-After} (60 s) is longer than the step's {@code timeout} (5 s) ends the step at once with
 * {@code result=timeout}, saying what Vercel asked for. Every run is on the simulator's virtual time.
 */
class VercelFaultsTest {

    static ActionRun deploy(VercelSimulator sim, Time time) {
        ActionRun r = ActionRun.of("vercel-deploy").with("vercel-token", VercelSimulator.TOKEN)
                .with("vercel-org-id", VercelSimulator.TEAM_ID).with("vercel-project-id", VercelSimulator.PROJECT_ID)
                .with("api-url", sim.baseUrl().toString()).with("github-comment", "false")
                .with("alias-domains", "shop-preview.example.com").with("timeout", "2m").time(time);
        Fixtures.site(r.workspace());
        return r;
    }

    /** The reads of a clean run, one path pattern per kind (deployment ids generalised). */
    static List<String> readsOfACleanRun() {
        try (VercelSimulator sim = new VercelSimulator(new ScaledClock(0))) {
            ActionResult r = deploy(sim, sim.time()).run();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            Set<String> kinds = new LinkedHashSet<>();
            for (RecordedRequest q : sim.requests()) {
                if (q.method().equals("GET")) kinds.add(q.path().replaceAll("dpl_[A-Za-z0-9]+", "dpl_[A-Za-z0-9]+"));
            }
            return List.copyOf(kinds);
        }
    }

    @TestFactory
    Stream<DynamicTest> aServerErrorOnEachKindOfReadIsRetriedAndTheDeploySucceeds() {
        List<String> reads = readsOfACleanRun();
        assertThat(reads).as("the project, the deployment, its events").hasSizeGreaterThanOrEqualTo(3)
                .anyMatch(p -> p.startsWith("/v9/projects/")).anyMatch(p -> p.startsWith("/v13/deployments/"))
                .anyMatch(p -> p.endsWith("/events"));
        List<DynamicTest> tests = new ArrayList<>();
        for (String read : reads) {
            tests.add(DynamicTest.dynamicTest("HTTP 500 on the first GET " + read, () -> {
                try (VercelSimulator sim = new VercelSimulator(new ScaledClock(0))) {
                    sim.inject(Fault.status(matching("GET", read), 1, VercelSimulator.error(500,
                            "internal_server_error", "An unexpected internal error occurred")));
                    ActionResult r = deploy(sim, sim.time()).run();

                    assertThat(r.exitCode()).as(r.toString()).isZero();
                    assertThat(r.output("result")).isEqualTo("success");
                    assertThat(sim.exchanges()).as("the fault was served").anyMatch(e -> e.reply().status() == 500);
                    assertThat(sim.requests("GET", read).size()).as("read again after the 500").isGreaterThanOrEqualTo(2);
                    assertThat(sim.deploymentIds()).as("one deployment").hasSize(1);
                    assertThat(sim.aliasTarget("shop-preview.example.com")).isEqualTo(r.output("deployment-id"));
                    assertThat(r.errors()).isEmpty();
                }
            }));
        }
        return tests.stream();
    }

    @Test
    void aRetryAfterOf60sOnTheCreateAgainstATimeoutOf5sEndsTheStepAtOnceWithResultTimeout() {
        try (VercelSimulator sim = new VercelSimulator(new ScaledClock(0))) {
            sim.rateLimit("POST", "/v13/deployments", 1, 60);
            Time time = sim.time();
            Instant t0 = time.now();

            ActionResult r = deploy(sim, time).with("timeout", "5s").run();

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.output("result")).isEqualTo("timeout");
            assertThat(Duration.between(t0, time.now())).as("no pause: 60 s cannot fit in 5 s")
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(sim.requests("POST", "/v13/deployments")).as("not sent again").hasSize(1);
            assertThat(sim.deploymentIds()).isEmpty();
            assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("timeout: 5s")
                    .contains("Vercel asked to wait 1m").contains("HTTP 429"));
            String first = r.summary().lines().findFirst().orElse("");
            assertThat(first).as("the verdict first\n" + r.summary()).startsWith("⏱️").contains("timed out");
            assertThat(r.summary()).contains("Vercel asked to wait 1m").contains("timeout: 5s");
            assertThat(r.leaks(VercelSimulator.TOKEN)).isFalse();
        }
    }
}
