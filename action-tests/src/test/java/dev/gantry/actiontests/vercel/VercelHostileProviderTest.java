package dev.gantry.actiontests.vercel;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * vercel-deploy against a Vercel that lies (issue 18): provider text that carries workflow commands, Markdown and
 * HTML in every field the action prints or reports (inspectorUrl, readyState, an API error's code, build log lines,
 * alias errors) stays inert in stdout, outputs and the summary; answers that stall or never end, and a deployment
 * that is never READY, end within the step's timeout plus 10 s with the documented exit code and a summary.
 */
class VercelHostileProviderTest {
    static final String EVIL = "x\n::error::pwned-by-vercel\n::add-mask::x\n##[warning]pwned-legacy <img src=x onerror=alert(1)> "
            + "[click](https://evil.example) </details>";
    VercelSimulator sim;

    @BeforeEach
    void start() {
        sim = new VercelSimulator(new ScaledClock(20));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    ActionRun deploy(String timeout) {
        ActionRun run = ActionRun.of("vercel-deploy").with("vercel-token", VercelSimulator.TOKEN)
                .with("vercel-org-id", VercelSimulator.TEAM_ID).with("vercel-project-id", VercelSimulator.PROJECT_ID)
                .with("api-url", sim.baseUrl().toString()).with("github-comment", "false").with("timeout", timeout);
        Fixtures.site(run.workspace());
        return run;
    }

    /**
     * Inert: no command the provider's text planted (its {@code ::error::}, {@code ::add-mask::}, {@code ##[warning]}
     * lines); the one annotation that may quote it is the action's own verdict, where it is data on one line. In the
     * summary, outside code blocks (where Markdown shows HTML as text), no HTML and no link of its own.
     */
    static void inert(ActionResult r) {
        assertThat(r.commands().carrying("pwned")).as("commands carrying provider text")
                .allSatisfy(c -> assertThat(c.name()).isEqualTo("error"));
        assertThat(r.errors()).as("only the verdict").hasSizeLessThanOrEqualTo(1);
        assertThat(r.warnings()).noneSatisfy(w -> assertThat(w.data()).contains("pwned-legacy"));
        assertThat(r.commands().masks()).as("no mask planted by the provider").doesNotContain("x");
        String outsideCode = r.summary().replaceAll("(?s)```.*?```", "");
        assertThat(outsideCode).doesNotContain("<img").doesNotContain("](https://evil.example)")
                .doesNotContain("</details> [");
        assertThat(r.summary().lines().findFirst().orElse("")).as("a verdict first").isNotBlank();
    }

    @Test
    void hostileTextInEveryProviderFieldStaysInert() {
        sim.inspectorUrlSuffix(EVIL);
        sim.buildLines(List.of(EVIL, "::stop-commands::tok", "::error::after-stop pwned"));
        ActionResult ok = deploy("60s").run();
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        inert(ok);

        sim.inspectorUrlSuffix("");
        sim.failNextAlias("alias_failed\n::error::pwned-code", EVIL);
        ActionResult alias = deploy("60s").run();
        assertThat(alias.exitCode()).isEqualTo(1);
        inert(alias);

        sim.inject(LoopbackServer.Fault.status(LoopbackServer.matching("POST", "/v13/deployments"), 1,
                LoopbackServer.Reply.json(400, Map.of("error", Map.of("code", "bad_request\n::error::pwned-code", "message", EVIL)))));
        ActionResult api = deploy("60s").run();
        assertThat(api.exitCode()).isEqualTo(3);
        inert(api);
    }

    @Test
    void aHostileReadyStateNeverEndsTheWaitButTheTimeoutDoes() {
        sim.readyStateOverride("BUILDING\n::error::pwned-state");
        ActionResult r = assertTimeoutPreemptively(Duration.ofSeconds(3 + 10), () -> deploy("3s").run());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("timeout");
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("timeout: 3s"));
        inert(r);
    }

    @Test
    void stalledAndEndlessAnswersEndWithinTheTimeoutPlusTenSeconds() {
        sim.inject(LoopbackServer.Fault.stallBody(LoopbackServer.matching("GET", "/v13/deployments/dpl_.*"), 100,
                Duration.ofSeconds(60)));
        ActionResult stalled = assertTimeoutPreemptively(Duration.ofSeconds(4 + 10), () -> deploy("4s").run());
        assertThat(stalled.exitCode()).isEqualTo(1);
        assertThat(stalled.output("result")).isEqualTo("timeout");
        assertThat(stalled.summary()).contains("After the timeout");
        sim.clearFaults();

        sim.inject(LoopbackServer.Fault.endlessBody(LoopbackServer.matching("GET", "/v9/projects/.*"), 100));
        ActionResult endless = assertTimeoutPreemptively(Duration.ofSeconds(4 + 10), () -> deploy("4s").run());
        assertThat(endless.exitCode()).isIn(1, 3);
        assertThat(endless.summary()).isNotBlank();
    }
}
