package dev.gantry.actiontests.sandbox;

import dev.gantry.actiontests.digitalocean.AppPlatformSimulator;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.actiontests.sandbox.Sandbox.Outcome;
import dev.gantry.actiontests.sandbox.Sandbox.Scenario;
import dev.gantry.actiontests.sandbox.Sandbox.Step;
import dev.gantry.actiontests.slack.SlackSimulator;
import dev.gantry.actiontests.vercel.VercelSimulator;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every sandbox scenario runs end to end (real action runs against the simulators and a real PostgreSQL) and
 * behaves as designed; and the sandbox's verdict can fail: a release that breaks where it should not is reported.
 */
class SandboxTest {
    private static final List<String> SECRETS = List.of(AppPlatformSimulator.TOKEN, VercelSimulator.TOKEN,
            GitHubSimulator.DEFAULT_TOKEN, SlackSimulator.TOKEN, Sandbox.DB_PASSWORD, Sandbox.JWT_SECRET,
            SampleApp.SMOKE_PASSWORD);

    private record Run(Outcome outcome, String printed) {
    }

    private static Run run(Sandbox.Scenario scenario, Set<String> broken) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Outcome o;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            o = Sandbox.run(new Sandbox(scenario, out, false, broken));
        }
        String printed = buf.toString(StandardCharsets.UTF_8);
        for (String secret : SECRETS) assertThat(printed).as("the terminal output shows no secret").doesNotContain(secret);
        assertThat(printed).contains("Report · scenario " + scenario.id);
        return new Run(o, printed);
    }

    private static Run run(Sandbox.Scenario scenario) {
        return run(scenario, Sandbox.BROKEN_BY_DESIGN);
    }

    private static List<String> titles(Outcome o) {
        return o.steps().stream().map(Step::title).toList();
    }

    @Test
    void releaseShipsAGoodVersionThenRollsBackABrokenOne() {
        Run r = run(Scenario.RELEASE);
        Outcome o = r.outcome();
        assertThat(o.ok()).as(r.printed()).isTrue();
        assertThat(titles(o)).containsExactly(
                "Migration gate (v1.1.0)", "Apply migrations (v1.1.0)", "Deploy shop-api v1.1.0", "Deploy frontend v1.1.0",
                "Smoke test v1.1.0",
                "Migration gate (v1.2.0)", "Apply migrations (v1.2.0)", "Deploy shop-api v1.2.0", "Smoke test v1.2.0",
                "Roll back v1.2.0", "Smoke test after the rollback");
        assertThat(o.step("Apply migrations (v1.1.0)").result().output("applied-count")).isEqualTo("1");
        assertThat(o.step("Smoke test v1.1.0").result().output("checks-failed")).isEqualTo("0");
        assertThat(o.step("Smoke test v1.1.0").result().output("result")).isIn("pass", "inconclusive");
        Step broken = o.step("Smoke test v1.2.0");
        assertThat(broken.result().exitCode()).isEqualTo(1);
        assertThat(broken.result().output("result")).isEqualTo("fail");
        // the rollback went to the deployment do-deploy reported as previous
        String previous = o.step("Deploy shop-api v1.2.0").result().output("previous-deployment-id");
        assertThat(previous).isEqualTo(o.step("Deploy shop-api v1.1.0").result().output("deployment-id"));
        assertThat(o.step("Roll back v1.2.0").result().output("result")).isEqualTo("success");
        assertThat(o.check("v1.1.0 serves again after the rollback, healthy").ok()).isTrue();
        assertThat(o.check("App Platform's active deployment runs the v1.1.0 image").ok()).isTrue();
        assertThat(o.check("an incident issue was opened on GitHub").ok()).isTrue();
        assertThat(o.check("all three migrations applied once, none failed").ok()).isTrue();
        assertThat(r.printed()).contains("Run gantry-actions/gantry/actions/do-deploy@" + Project.majorTag())
                .contains("Step summary:").contains("▾ ").contains("RESULT: every step behaved as designed");
        // the release's Slack thread, as the team reads it: the v1.2.0 deploy, its failed smoke test (also shown in
        // the channel), the rollback and the smoke test of the restored version, in one thread
        assertThat(o.check("Slack: the v1.2.0 release is one thread: deploy, failed smoke test (also in the channel), "
                + "rollback, smoke test").ok()).isTrue();
        assertThat(o.check("Slack accepted every message (Block Kit shapes and limits)").ok()).isTrue();
        String slack = r.printed().substring(r.printed().indexOf("Slack, as the team sees it"));
        assertThat(slack).contains("#deploys\n").containsPattern("● \\[\\d+\\.\\d{6}\\]\n\\s+✅ do-deploy · success")
                .containsPattern("↳ \\[\\d+\\.\\d{6}, also sent to the channel\\]\n\\s+❌ smoke-test · fail")
                .contains("✅ rollback · success").contains("Rolled back production: ")
                .contains("Reason: smoke test of v1.2.0 failed").doesNotContain("✅ prisma-migrate-gate");
        assertThat(o.step("Roll back v1.2.0").result().output("slack-thread"))
                .isEqualTo(o.step("Deploy shop-api v1.2.0").result().output("slack-thread"));
    }

    @Test
    void aDestructiveMigrationIsBlockedBeforeAnythingChanges() {
        Run r = run(Scenario.DESTRUCTIVE_MIGRATION);
        Outcome o = r.outcome();
        assertThat(o.ok()).as(r.printed()).isTrue();
        assertThat(titles(o)).containsExactly("Migration gate (v1.1.0)");
        Step gate = o.steps().get(0);
        assertThat(gate.result().exitCode()).isEqualTo(1);
        assertThat(gate.result().output("result")).isEqualTo("blocked");
        assertThat(gate.result().output("destructive")).isEqualTo("true");
        assertThat(o.check("nothing was applied: the database stays at v1.0.0").ok()).isTrue();
        assertThat(o.check("nothing was deployed").ok()).isTrue();
        assertThat(o.check("Slack: the blocked plan is told (slack-on: failure)").ok()).isTrue();
        assertThat(r.printed()).contains("Error: ");
    }

    @Test
    void aFailedBuildPrintsItsLogAndThePreviousVersionKeepsServing() {
        Run r = run(Scenario.DEPLOY_FAILURE);
        Outcome o = r.outcome();
        assertThat(o.ok()).as(r.printed()).isTrue();
        assertThat(titles(o)).containsExactly("Migration gate (v1.1.0)", "Apply migrations (v1.1.0)",
                "Deploy shop-api v1.1.0", "Smoke test the live version");
        Step deploy = o.step("Deploy shop-api v1.1.0");
        assertThat(deploy.result().output("result")).isEqualTo("failure");
        assertThat(deploy.result().output("phase")).isEqualTo("ERROR");
        assertThat(o.check("the build logs are in the job log, as untrusted text").ok()).isTrue();
        assertThat(o.check("the fake ::error:: line in the build log did not become an annotation").ok()).isTrue();
        assertThat(o.check("v1.0.0 keeps serving").ok()).isTrue();
        assertThat(r.printed()).contains("error TS2322");
        assertThat(o.check("Slack: the failed deploy starts a thread, the smoke test of the live version replies").ok()).isTrue();
    }

    @Test
    void rateLimitsAreWaitedOutWithoutDuplicates() {
        Run r = run(Scenario.RATE_LIMITED);
        Outcome o = r.outcome();
        assertThat(o.ok()).as(r.printed()).isTrue();
        assertThat(o.step("Deploy shop-api v1.1.0").result().log()).contains("429");
        assertThat(o.check("one App Platform deployment, one Vercel deployment: no duplicates from retries").ok()).isTrue();
        assertThat(o.check("Slack answered 429 once (Retry-After: 2), and every message still went out").ok()).isTrue();
    }

    @Test
    void theVerdictFailsWhenAStepDoesNotBehaveAsDesigned() {
        // v1.1.0 is broken too: its smoke test fails where the story expects it to pass
        Run r = run(Scenario.RELEASE, Set.of("v1.1.0", "v1.2.0"));
        Outcome o = r.outcome();
        assertThat(o.ok()).isFalse();
        Step smoke = o.step("Smoke test v1.1.0");
        assertThat(smoke.asDesigned()).isFalse();
        assertThat(smoke.problem()).contains("got exit 1, result fail");
        assertThat(o.hasStep("Migration gate (v1.2.0)")).as("the story stops at the first surprise").isFalse();
        assertThat(r.printed()).contains("✘ NOT as designed").contains("RESULT: something did not behave as designed (exit 1)");
    }

    @Test
    void scenariosAreNamedAsTheReadmeSays() {
        assertThat(List.of(Scenario.values()).stream().map(s -> s.id))
                .containsExactly("release", "destructive-migration", "deploy-failure", "rate-limited");
        assertThat(Scenario.of("deploy-failure")).isEqualTo(Scenario.DEPLOY_FAILURE);
        assertThatThrownBy(() -> Scenario.of("nope")).hasMessageContaining("unknown scenario 'nope'");
        assertThat(Sandbox.usage()).contains("--scenario").contains("rate-limited");
    }
}
