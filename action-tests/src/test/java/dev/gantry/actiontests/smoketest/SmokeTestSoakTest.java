package dev.gantry.actiontests.smoketest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak as the app's users see it (issue 19) and its verdict (issue 22), end to end against a stateful app on
 * loopback: session cookies carried, a default error gate on every soak, errors counted by the user's rule,
 * writes with a cap and a cleanup, the seeds' runbook figures, the checks' TLS settings over https, and no soak
 * on another path than the checks' (a proxy).
 */
class SmokeTestSoakTest {
    private DemoApp app;

    @BeforeEach
    void start() {
        app = new DemoApp();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private ActionRun run(String checksYaml) {
        ActionRun run = ActionRun.of("smoke-test").with("url", app.baseUrl().toString()).with("wait-timeout", "0")
                .with("soak-warmup", "0");
        try {
            Files.writeString(run.workspace().resolve("smoke.yml"), checksYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run.with("checks", "smoke.yml");
    }

    static final String SESSION = """
            checks:
              - name: login
                request: { method: POST, path: /api/session, json: { user: smoke, password: "{{secrets.PASSWORD}}" } }
                expect: { status: 200 }
              - name: me
                request: { path: /api/me }
                expect: { status: 200, jsonpath: { "$.user": smoke } }
            soak:
              targets: [me]
            """;

    @Test
    void theCookieSessionSoakPassesCarryingTheChecksCookies() {
        ActionResult r = run(SESSION).with("secrets", "PASSWORD=" + DemoApp.PASSWORD)
                .with("soak-rate", "100").with("soak-duration", "2s").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("pass");
        List<LoopbackServer.RecordedRequest> me = app.requests("GET", "/api/me");
        assertThat(me.size()).as("the check and the soak").isGreaterThan(150);
        assertThat(me).as("every soak request carried the session the login set")
                .allSatisfy(q -> assertThat(q.header("cookie")).startsWith("sid="));
        assertThat(r.log()).contains("soak target me: GET /api/me ×1, with the checks' cookies");
        assertThat(r.summary()).contains("`error-rate<1%` (default)");
    }

    @Test
    void aSoakWhoseRequestsAllFailNeverPassesWithOrWithoutSlo() {
        for (String slo : new String[]{"", "p(95)<800", "p(95)<800\nping: error-rate<0.5"}) {
            app.clearFaults();
            app.clearRequests();
            // the check's ping passes; every soak ping after it answers 500
            app.inject(LoopbackServer.Fault.status(q -> q.path().equals("/api/ping") && app.requests("GET", "/api/ping").size() > 1,
                    Integer.MAX_VALUE, LoopbackServer.Reply.json(500, Map.of("error", "boom"))));
            ActionResult r = run("""
                    checks:
                      - name: ping
                        request: { path: /api/ping }
                        expect: { status: 200 }
                    """).with("soak-rate", "50").with("soak-duration", "2s").with("slo", slo).run();

            assertThat(r.exitCode()).as("slo '%s': %s", slo, r).isEqualTo(1);
            assertThat(r.output("result")).isEqualTo("fail");
            assertThat(r.output("error-rate")).isEqualTo("1.0000");
            assertThat(r.log()).contains("✗ 'error-rate<1%' (default) error-rate=1.0000");
            assertThat(r.summary()).startsWith("### ❌ smoke-test fail")
                    .contains("Every soak gates on its errors: `error-rate<1%` applies unless `slo` states an overall error gate");
        }
    }

    @Test
    void aSoakOfFewerThanAHundredRequestsAllowsNoError() {
        app.inject(LoopbackServer.Fault.status(q -> q.path().equals("/api/ping") && app.requests("GET", "/api/ping").size() == 10,
                1, LoopbackServer.Reply.json(503, Map.of("error", "once"))));
        ActionResult r = run("""
                checks:
                  - name: ping
                    request: { path: /api/ping }
                """).with("soak-rate", "20").with("soak-duration", "2s").run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.log()).contains("✗ 'error-rate==0' (default) error-rate=0.0250");
    }

    @Test
    void errorsAreCountedByTheUsersRuleNotByTheFunctionalExpect() {
        String checks = """
                checks:
                  - name: ping
                    request: { path: /api/ping }
                    expect: { status: 200, body: pong }
                soak:
                  targets: [ping]
                %s
                """;
        // every soak ping answers 404: an error by the check's expect (200), not by the rule "5xx"
        Runnable soakPingsAre404 = () -> {
            app.clearFaults();
            app.clearRequests();
            app.inject(LoopbackServer.Fault.status(q -> q.path().equals("/api/ping") && app.requests("GET", "/api/ping").size() > 1,
                    Integer.MAX_VALUE, LoopbackServer.Reply.json(404, Map.of("error", "gone"))));
        };
        soakPingsAre404.run();
        ActionResult byRule = run(checks.formatted("  errors: 5xx")).with("soak-rate", "50").with("soak-duration", "2s").run();
        assertThat(byRule.exitCode()).as(byRule.toString()).isZero();
        assertThat(byRule.summary()).contains("Errors counted: requests with no answer, and ping: 5xx.");

        soakPingsAre404.run();
        ActionResult byExpect = run(checks.formatted("")).with("soak-rate", "50").with("soak-duration", "2s").run();
        assertThat(byExpect.exitCode()).as(byExpect.toString()).isEqualTo(1);
        assertThat(byExpect.summary()).contains("Errors counted: requests with no answer, and ping: statuses outside 200.");
    }

    static final String RUNBOOK = """
            checks:
              - name: health
                wait: true
                request: { path: /api/health }
                expect: { status: 200, jsonpath: { "$.status": ok } }
              - name: login
                request: { method: POST, path: /api/login, json: { user: smoke, password: "{{secrets.PASSWORD}}" } }
                expect: { status: 200 }
                capture: { token: { jsonpath: "$.token", secret: true } }
              - name: users
                request: { path: /api/users, headers: { Authorization: "Bearer {{token}}" } }
                expect: { status: 200, jsonpath: { "$.users[0].name": smoke } }
              - name: create
                request: { method: POST, path: /api/items, headers: { Authorization: "Bearer {{token}}" }, json: { name: "smoke-{{github.run_id}}" } }
                expect: { status: 201 }
                capture: { id: "$.id" }
              - name: read
                request: { path: "/api/items/{{id}}", headers: { Authorization: "Bearer {{token}}" } }
                expect: { status: 200 }
              - name: delete
                always: true
                request: { method: DELETE, path: "/api/items/{{id}}", headers: { Authorization: "Bearer {{token}}" } }
                expect: { status: [200, 204] }
            soak:
              targets: [health, users, read]
            """;

    private ActionRun runbook() {
        return run(RUNBOOK).with("secrets", "PASSWORD=" + DemoApp.PASSWORD).with("wait-timeout", "10s")
                .with("soak-rate", "100").with("soak-duration", "3s").with("slo", "p(95)<800\n5xx<2%");
    }

    @Test
    void theSeedsRunbookFiguresPassOnAHealthyApp() {
        ActionResult r = runbook().run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("pass");
        assertThat(r.log()).contains("✓ 'p(95)<800' p(95)=").contains("✓ '5xx<2%' 5xx=0.0000");
        assertThat(r.summary()).as("the user's 5xx gate replaces the default").doesNotContain("(default)");
        assertThat(app.items()).isEmpty();
    }

    @Test
    void theSeedsRunbookFiguresFailWhenOneRequestInTwentyIs500() {
        app.failEvery(20);
        ActionResult r = runbook().run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("fail");
        assertThat(r.output("checks-failed")).as("the checks themselves passed").isEqualTo("0");
        assertThat(r.log()).containsPattern("✗ '5xx<2%' 5xx=0\\.0[45]\\d\\d");
        assertThat(r.errors()).last().satisfies(e -> assertThat(e.data()).startsWith("smoke-test failed: 6/6 checks passed")
                .contains("✗ '5xx<2%'"));
    }

    static final String WRITES = """
            checks:
              - name: login
                request: { method: POST, path: /api/login, json: { user: smoke, password: "{{secrets.PASSWORD}}" } }
                capture: { token: { jsonpath: "$.token", secret: true } }
              - name: create
                request: { method: POST, path: /api/items, headers: { Authorization: "Bearer {{token}}" }, json: { name: soak } }
                expect: { status: 201 }
                capture: { id: "$.id" }
              - name: read
                request: { path: "/api/items/{{id}}", headers: { Authorization: "Bearer {{token}}" } }
              - name: delete
                always: true
                request: { method: DELETE, path: "/api/items/{{id}}", headers: { Authorization: "Bearer {{token}}" } }
                expect: { status: [200, 204] }
            soak:
              targets: [read, create]
              weights: [3, 1]
              writes: { max: %d, cleanup: delete }
            """;

    @Test
    void aSoakCanWriteWithinItsCapAndCleansUpEveryWrite() {
        ActionResult r = run(WRITES.formatted(50)).with("secrets", "PASSWORD=" + DemoApp.PASSWORD)
                .with("soak-rate", "40").with("soak-duration", "2s").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        int posts = app.requests("POST", "/api/items").size();
        assertThat(posts).as("the check's create and the soak's 20 writes").isEqualTo(21);
        assertThat(app.requests("DELETE", "/api/items/\\d+")).as("each undone once").hasSize(21);
        assertThat(app.items()).as("nothing left behind").isEmpty();
        assertThat(r.log()).contains("soak cleanup: 20 undone, 0 failed");
        assertThat(r.summary()).contains("writes: 20 planned, 20 answered (0 errors); cleanup `delete` undid 20, failed 0, 0 left behind");
    }

    @Test
    void writesBeyondTheCapAreRefusedBeforeAnythingIsSent() {
        ActionResult r = run(WRITES.formatted(5)).with("secrets", "PASSWORD=" + DemoApp.PASSWORD)
                .with("soak-rate", "40").with("soak-duration", "2s").run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors().get(0).data()).isEqualTo("Input 'checks' allows the soak at most 5 writes (soak: writes: max:),"
                + " but 40 req/s for 2s (+0s warm-up) sends 20; lower the writes' weight, soak-rate or soak-duration, or raise max");
        assertThat(app.requests()).isEmpty();
    }

    @Test
    void aWriteTargetWithoutWritesIsAnErrorOfTheFile() {
        ActionResult r = run("""
                checks:
                  - name: create
                    request: { method: POST, path: /api/items, json: { name: x } }
                soak:
                  targets: [create]
                """).with("soak-rate", "10").run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors().get(0).data()).contains("smoke.yml:5:").contains("soak target 'create' is a POST; the soak repeats"
                + " a write only when 'writes:' allows it (with 'max:' and 'cleanup:')");
    }

    @Test
    void gatesTheSoakCannotFeedAreRefusedUpFront() {
        ActionResult r = run("""
                checks:
                  - name: ping
                    request: { path: /api/ping }
                """).with("soak-rate", "10").with("soak-duration", "5s").with("slo", "p(99)<500").run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors().get(0).data()).isEqualTo("Input 'slo' has a gate the run cannot judge: 'p(99)<500' needs at least"
                + " 100 requests (a soak plan of 106, as a soak may send 5% fewer), and the soak plans 50; raise soak-rate or soak-duration");

        ActionResult noSoak = run("""
                checks:
                  - name: ping
                    request: { path: /api/ping }
                """).with("slo", "p(95)<800").run();
        assertThat(noSoak.exitCode()).isEqualTo(2);
        assertThat(noSoak.errors().get(0).data()).isEqualTo("Input 'slo' has a gate the run cannot judge: 'p(95)<800' needs at least"
                + " 20 requests, and without a soak (soak-rate 0) the checks send 1; set soak-rate to judge it on a soak");
        assertThat(app.requests()).isEmpty();
    }

    @Test
    void aFailedCheckLeavesTheSoakGatesUnjudgedNotTicked() {
        app.inject(LoopbackServer.Fault.status(LoopbackServer.matching("GET", "/api/ping"), 1,
                LoopbackServer.Reply.json(503, Map.of("error", "starting"))));
        ActionResult r = run("""
                checks:
                  - name: ping
                    request: { path: /api/ping }
                """).with("soak-rate", "50").with("soak-duration", "2s").with("slo", "p(95)<800").run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.log()).contains("– 'p(95)<800' not judged: the soak was skipped (a check failed)")
                .doesNotContain("✓ 'p(95)<800'");
        assertThat(r.summary()).doesNotContain("| ✓ |");
    }

    @Test
    void aSoakOverHttpsTrustsWhatItsCheckTrusts(@TempDir Path dir) throws Exception {
        // the server's certificate is its own CA (not in the JDK's trust store) and it asks for a client certificate
        try (TlsServer tls = new TlsServer(dir, true)) {
            for (String options : new String[]{"ca: ca.pem, cert: client.pem, key: client-key.pem",
                    "insecure: true, cert: client.pem, key: client-key.pem"}) {
                ActionRun run = ActionRun.of("smoke-test").with("url", tls.baseUrl().toString()).with("wait-timeout", "0")
                        .with("soak-warmup", "0").with("soak-rate", "20").with("soak-duration", "2s");
                for (String f : new String[]{"ca.pem", "client.pem", "client-key.pem"}) {
                    Files.copy(dir.resolve(f), run.workspace().resolve(f));
                }
                Files.writeString(run.workspace().resolve("smoke.yml"), """
                        checks:
                          - name: secure
                            request: { path: /, tls: { %s } }
                            expect: { status: 200 }
                        """.formatted(options));
                ActionResult r = run.with("checks", "smoke.yml").run();

                assertThat(r.exitCode()).as("%s: %s", options, r).isZero();
                assertThat(r.log()).contains("soak target secure: GET / ×1, with the check's TLS settings");
                JsonNode soak = new ObjectMapper().readTree(run.workspace().resolve("smoke-test-results/report.json").toFile())
                        .path("soak");
                assertThat(soak.path("overall").path("count").asLong()).as(options).isGreaterThanOrEqualTo(38);
                assertThat(soak.path("overall").path("errors").asLong()).as("%s: %s", options, soak.path("errorReasons")).isZero();
                assertThat(soak.path("statuses").fieldNames()).toIterable().containsExactly("200");
            }
        }
    }

    @Test
    void aSoakTargetTheChecksReachThroughAProxyIsRefusedNotMeasuredOnAnotherPath() {
        String checks = """
                checks:
                  - name: ping
                    request: { path: /api/ping }
                """;
        ActionResult r = run(checks).with("soak-rate", "20").with("soak-duration", "2s")
                .env("http_proxy", "http://127.0.0.1:9").run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors().get(0).data()).startsWith("Input 'soak-rate' asks for a soak, but soak target 'ping' (")
                .contains("is reached through the proxy 127.0.0.1:9; add its host to no_proxy");
        assertThat(app.requests()).as("refused before anything is sent").isEmpty();

        ActionResult bypassed = run(checks).with("soak-rate", "20").with("soak-duration", "2s")
                .env("http_proxy", "http://127.0.0.1:9").env("no_proxy", "127.0.0.1,localhost").run();
        assertThat(bypassed.exitCode()).as(bypassed.toString()).isZero();
    }
}
