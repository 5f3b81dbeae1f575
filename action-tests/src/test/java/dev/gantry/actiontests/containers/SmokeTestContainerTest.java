package dev.gantry.actiontests.containers;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.LoopbackServer;
import dev.gantry.common.testing.LoopbackServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The smoke-test image, run as the runner runs it, against a small app on loopback that becomes healthy late. */
class SmokeTestContainerTest {
    static final String CHECKS = """
            checks:
              - name: health
                wait: true
                request: { path: /api/health }
                expect: { status: 200, jsonpath: { "$.status": ok } }
              - name: greeting
                request: { path: /api/greeting, headers: { Authorization: "Bearer {{secrets.API_KEY}}" } }
                expect: { status: 200, jsonpath: { "$.text": "grüß dich ✓" } }
            """;
    static final String API_KEY = "sk_container_secret_7f3e9a1c5b";

    LoopbackServer app;
    final AtomicInteger healthProbes = new AtomicInteger();

    @BeforeEach
    void start() {
        String reason = Docker.unavailableReason().orElse(null);
        assumeTrue(reason == null, reason);
        app = new LoopbackServer();
        app.route("GET", "/api/health", (req, m) -> healthProbes.incrementAndGet() < 3
                ? Reply.json(503, Map.of("status", "starting"))
                : Reply.json(200, Map.of("status", "ok")));
        app.route("GET", "/api/greeting", (req, m) -> ("Bearer " + API_KEY).equals(req.header("Authorization"))
                ? Reply.json(200, Map.of("text", "grüß dich ✓"))
                : Reply.json(401, Map.of("error", "no key")));
    }

    @AfterEach
    void stop() {
        if (app != null) app.close();
    }

    ActionRun smoke() {
        ActionRun run = ActionRun.of("smoke-test")
                .with("url", app.baseUrl().toString())
                .with("checks", "smoke.yml")
                .with("secrets", "API_KEY=" + API_KEY)
                .with("wait-interval", "200ms")
                .with("wait-timeout", "30s");
        try {
            Files.writeString(run.workspace().resolve("smoke.yml"), CHECKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run;
    }

    @Test
    void waitsUntilHealthyRunsTheChecksAndLeavesAJUnitReportInTheWorkspace() throws IOException {
        ActionRun run = smoke();
        ActionResult r = ContainerRun.of(run).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("pass");
        assertThat(r.output("checks-passed")).isEqualTo("2");
        assertThat(r.output("checks-failed")).isEqualTo("0");
        assertThat(healthProbes.get()).isGreaterThanOrEqualTo(3);
        // the UTF-8 body and the log line survive the container's output encoding
        assertThat(r.log()).contains("→ healthy after");
        Path report = run.workspace().resolve(r.output("report-path"));
        assertThat(report).exists();
        assertThat(Files.readString(report)).contains("<testsuite").contains("greeting");
        assertThat(r.leaks(API_KEY)).isFalse();
    }

    @Test
    void soaksInTheImageWithItsHistogramsAndTheDefaultErrorGate() {
        ActionResult r = ContainerRun.of(smoke().with("soak-rate", "50").with("soak-duration", "2s").with("soak-warmup", "1s")
                .with("slo", "p(95)<5000")).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("pass");
        assertThat(Double.parseDouble(r.output("achieved-rps"))).isBetween(40.0, 51.0);
        assertThat(r.log()).contains("soak done: ").contains("✓ 'p(95)<5000' p(95)=").contains("✓ 'error-rate<1%' (default)");
        assertThat(r.summary()).contains("Every soak gates on its errors");
        assertThat(r.leaks(API_KEY)).isFalse();
    }

    @Test
    void aFailingCheckIsExitOneNamingTheCheck() {
        app.close();   // the same app, but its greeting endpoint is broken
        app = new LoopbackServer();
        app.route("GET", "/api/health", (req, m) -> Reply.json(200, Map.of("status", "ok")));
        app.route("GET", "/api/greeting", (req, m) -> Reply.json(500, Map.of("error", "boom")));

        ActionResult r = ContainerRun.of(smoke()).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("fail");
        assertThat(r.output("checks-failed")).isEqualTo("1");
        assertThat(r.errors()).anySatisfy(e -> assertThat(e.data()).contains("greeting"));
        assertThat(r.leaks(API_KEY)).isFalse();
    }
}
