package dev.gantry.actiontests.smoketest;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.actiontests.sandbox.SampleApp;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seeds' runbook (health, login, list users, one CRUD round, {@code p(95)<800}, {@code 5xx<2%}),
 * written once as checks YAML and once as a Hurl file ({@code src/test/resources/runbook}, shown in the smoke-test
 * README). Both pass against a healthy app, and both fail against one that answers 5% of its requests with 500.
 */
class RunbookTest {

    private static Path runbook(String file) throws URISyntaxException {
        return Path.of(RunbookTest.class.getResource("/runbook/" + file).toURI());
    }

    private static ActionResult smoke(SampleApp app, String file) throws Exception {
        ActionRun run = ActionRun.of("smoke-test").with("url", app.baseUrl().toString())
                .with("secrets", "SMOKE_USER=" + SampleApp.SMOKE_USER + "\nSMOKE_PASSWORD=" + SampleApp.SMOKE_PASSWORD)
                .with("variables", "run_id=4711")
                .with("slo", "p(95)<800\n5xx<2%")
                .with("soak-rate", "50").with("soak-duration", "3s").with("soak-warmup", "1s")
                .with("wait-timeout", "10s").with("wait-interval", "200ms");
        Files.copy(runbook(file), run.workspace().resolve(file));
        return run.with("checks", file).run();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"smoke.yml", "smoke.hurl"})
    void passesAgainstAHealthyApp(String file) throws Exception {
        try (SampleApp app = new SampleApp()) {
            ActionResult r = smoke(app, file);
            // a healthy app passes; on a busy machine the load generator may not keep its schedule, which it says
            // (inconclusive, exit 3) rather than judge the app
            assertThat(r.output("result")).as(r.toString()).isIn("pass", "inconclusive");
            if (r.output("result").equals("inconclusive")) assertThat(r.log()).contains("Soak inconclusive");
            assertThat(r.output("checks-passed")).isEqualTo("6");
            assertThat(r.log()).contains("✓ 'p(95)<800'").contains("✓ '5xx<2%'");
            assertThat(app.requests("DELETE", "/users/.*")).as("the CRUD round cleaned up").hasSize(1);
            assertThat(r.leaks(SampleApp.SMOKE_PASSWORD)).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"smoke.yml", "smoke.hurl"})
    void failsAgainstAnAppThatAnswersFivePercentOfRequestsWith500(String file) throws Exception {
        try (SampleApp app = new SampleApp()) {
            AtomicInteger n = new AtomicInteger();
            // every 20th request (5%), counted from the first: the checks (the first few) pass, the soak meets them
            app.inject(LoopbackServer.Fault.status(r -> n.incrementAndGet() % 20 == 0, 1_000_000,
                    LoopbackServer.Reply.json(500, Map.of("error", "internal error"))));
            ActionResult r = smoke(app, file);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.output("result")).isEqualTo("fail");
            assertThat(r.output("checks-passed")).as("the functional part passed").isEqualTo("6");
            assertThat(r.log()).contains("✗ '5xx<2%'");
            assertThat(Double.parseDouble(r.output("error-rate"))).isBetween(0.03, 0.07);
        }
    }

    @Test
    void theReadmeShowsTheRunbookInBothForms() throws Exception {
        String readme = Files.readString(Project.actionDir("smoke-test").resolve("README.md"));
        for (String file : new String[]{"smoke.yml", "smoke.hurl"}) {
            assertThat(readme).as("the README embeds %s as it is tested", file).contains(Files.readString(runbook(file)));
        }
    }

    @Test
    void theReadmesChecksExampleIsAValidChecksFile() throws Exception {
        String readme = Files.readString(Project.actionDir("smoke-test").resolve("README.md"));
        int section = readme.indexOf("## The checks file");
        int start = readme.indexOf("```yaml\n", section) + 8;
        String example = readme.substring(start, readme.indexOf("```\n", start));
        var suite = dev.gantry.checks.CheckSuite.parse(example, "README.md");
        assertThat(suite.checks()).extracting(c -> c.name()).containsExactly("health", "login", "create", "job-done", "read", "delete");
        assertThat(suite.check("job-done").options().retry()).isEqualTo(10);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
