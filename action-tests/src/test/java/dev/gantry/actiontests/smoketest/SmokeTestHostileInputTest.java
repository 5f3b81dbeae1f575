package dev.gantry.actiontests.smoketest;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18's smoke-test parts: secrets stay with their origin across redirects, bodies are read up to a cap (and a
 * body over it is never the app failing), a secret capture is masked even when its check fails, a password in the
 * url is never printed, regular expressions run in linear time, report paths stay in the workspace.
 */
class SmokeTestHostileInputTest {
    private DemoApp app;
    private LoopbackServer other;

    @BeforeEach
    void start() {
        app = new DemoApp();
        other = new LoopbackServer();
        other.route("GET", "/landing", (r, m) -> LoopbackServer.Reply.json(200, Map.of("landed", true)));
        app.route("GET", "/go-away", (r, m) -> LoopbackServer.Reply.empty(302)
                .withHeader("Location", other.baseUrl() + "/landing"));
        app.route("GET", "/go-home", (r, m) -> LoopbackServer.Reply.empty(302).withHeader("Location", "/api/ping"));
        app.route("GET", "/aaa", (r, m) -> LoopbackServer.Reply.text(200, "a".repeat(5000) + "b"));
    }

    @AfterEach
    void stop() {
        app.close();
        other.close();
    }

    private ActionRun run(String checks) {
        ActionRun run = ActionRun.of("smoke-test").with("url", app.baseUrl().toString()).with("wait-timeout", "0");
        try {
            Files.writeString(run.workspace().resolve("smoke.yml"), checks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run.with("checks", "smoke.yml");
    }

    @Test
    void headersAndTheBypassSecretNeverFollowARedirectToAnotherOrigin() {
        ActionResult r = run("""
                checks:
                  - name: away
                    request: { path: /go-away, follow-redirects: true, headers: { Authorization: "Bearer check-own-token" } }
                    expect: { status: 200, jsonpath: { "$.landed": true } }
                  - name: home
                    request: { path: /go-home, follow-redirects: true }
                    expect: { status: 200 }
                  - name: trusted
                    request: { path: /go-away, follow-redirects: trusted, headers: { Authorization: "Bearer check-own-token" } }
                """).with("headers", "X-Team: team-secret-77").with("bypass-header", "x-bypass: sesame-bypass-0123456789").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        var first = app.requests("GET", "/go-away").get(0);
        assertThat(first.header("x-team")).isEqualTo("team-secret-77");
        assertThat(first.header("x-bypass")).isEqualTo("sesame-bypass-0123456789");
        var landed = other.requests("GET", "/landing");
        assertThat(landed).hasSize(2);
        assertThat(landed.get(0).header("x-team")).as("the headers input stays with the url's origin").isNull();
        assertThat(landed.get(0).header("x-bypass")).as("the bypass secret stays with the url's origin").isNull();
        assertThat(landed.get(0).header("authorization")).as("a check's Authorization stays with its origin").isNull();
        assertThat(landed.get(1).header("authorization")).as("unless redirects are trusted").isEqualTo("Bearer check-own-token");
        assertThat(landed.get(1).header("x-bypass")).as("the action's own secrets never leave, trusted or not").isNull();
        assertThat(app.requests("GET", "/api/ping").get(0).header("x-bypass")).as("a redirect within the origin keeps them")
                .isEqualTo("sesame-bypass-0123456789");
        assertThat(r.leaks("sesame-bypass-0123456789")).isFalse();
    }

    @Test
    @Timeout(120)
    void anEndlessBodyIsCutAtTheCapAndIsNeverReportedAsTheAppFailing() {
        app.inject(LoopbackServer.Fault.endlessBody(LoopbackServer.matching("GET", "/api/health"), 2));
        ActionResult r = run("""
                checks:
                  - name: status-only
                    request: { path: /api/health }
                    expect: { status: 200 }
                  - name: needs-the-body
                    request: { path: /api/health }
                    expect: { status: 200, jsonpath: { "$.status": ok } }
                """).run();

        assertThat(r.output("result")).as(r.toString()).isEqualTo("inconclusive");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.log()).contains("✓ status-only").contains("the body is larger than the 16 MB Gantry reads");
        assertThat(r.summary()).contains("inconclusive").contains("not judged");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w.property("title")).isEqualTo("smoke-test: check 'needs-the-body' not judged"));
        assertThat(r.errors()).noneMatch(e -> e.data().contains("needs-the-body") && !e.data().startsWith("smoke-test inconclusive"));
    }

    @Test
    void aSecretCaptureIsMaskedEvenWhenItsOwnCheckFails() {
        ActionResult r = run("""
                checks:
                  - name: login
                    request: { method: POST, path: /api/login, json: { user: smoke, password: "{{secrets.PASSWORD}}" } }
                    expect: { status: 200, jsonpath: { "$.user": somebody-else } }
                    capture: { token: { jsonpath: "$.token", secret: true } }
                """).with("secrets", "PASSWORD=" + DemoApp.PASSWORD).run();

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.log()).as("the failing check prints its body").contains("response body").contains("\"token\":\"***\"");
        for (String token : app.issuedTokens()) assertThat(r.leaks(token)).as("token %s", token).isFalse();
        assertThat(r.leaks(DemoApp.PASSWORD)).isFalse();
    }

    @Test
    void aPasswordInTheUrlIsUsedForBasicAuthAndNeverPrinted() throws IOException {
        app.route("GET", "/private", (q, m) -> "Basic dXNlcjpwNHNzLXdvcmQtOTk=".equals(q.header("authorization"))
                ? LoopbackServer.Reply.json(200, Map.of("ok", true)) : LoopbackServer.Reply.json(401, Map.of("ok", false)));
        String url = "http://user:p4ss-word-99@127.0.0.1:" + app.port();
        ActionRun run = ActionRun.of("smoke-test").with("url", url).with("wait-timeout", "0")
                .with("checks", "- name: private\n  request: { path: /private }\n  expect: { status: 200 }\n");
        ActionResult r = run.run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Base64.getDecoder().decode("dXNlcjpwNHNzLXdvcmQtOTk=")).asString().isEqualTo("user:p4ss-word-99");
        assertThat(r.leaks("p4ss-word-99")).isFalse();
        assertThat(r.summary()).contains("127.0.0.1:" + app.port()).doesNotContain("user").doesNotContain("@127");
        assertThat(Files.readString(run.workspace().resolve("smoke-test-results/report.json")))
                .doesNotContain("p4ss-word-99").contains("\"url\" : \"http://127.0.0.1:" + app.port() + "\"");
    }

    @Test
    @Timeout(60)
    void aCatastrophicRegexRunsInLinearTime() {
        ActionResult r = run("""
                checks:
                  - name: regex
                    request: { path: /aaa }
                    expect: { status: 200, body: { matches: "(.*a){25}$" } }
                  - name: capture
                    request: { path: /aaa }
                    capture: { tail: { regex: "(.*a){25}(b)" } }
                """).run();
        assertThat(r.exitCode()).as("a verdict, not a hang").isEqualTo(1);
        assertThat(r.log()).contains("expected matches /(.*a){25}$/");
    }

    @Test
    void aBackreferenceIsRefusedWhenTheFileIsRead() {
        ActionResult r = run("""
                checks:
                  - name: regex
                    request: { path: /aaa }
                    expect: { body: { matches: "(a)\\\\1" } }
                """).run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors().get(0).data()).startsWith("Input 'checks': smoke.yml:4:").contains("RE2 syntax");
        assertThat(app.requests()).isEmpty();
    }

    @Test
    void reportPathsMustStayInTheWorkspace() {
        ActionResult r = run("- name: ping\n  request: { path: /api/ping }\n").with("junit-path", "../junit.xml").run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors().get(0).data()).startsWith("Input 'junit-path' must be a path inside the workspace");
        ActionResult j = run("- name: ping\n  request: { path: /api/ping }\n").with("json-report", "/tmp/elsewhere.json").run();
        assertThat(j.exitCode()).isEqualTo(2);
        assertThat(j.errors().get(0).data()).startsWith("Input 'json-report' must be a path inside the workspace");
        assertThat(app.requests()).as("refused before anything is sent").isEmpty();
    }

    @Test
    void yamlAliasesAreResolvedNotTurnedIntoTheirNames() {
        ActionResult r = run("""
                checks:
                  - name: ping
                    request: { path: /api/ping, headers: &tagged { X-Tag: anchored } }
                  - name: again
                    request: { path: /api/ping, headers: *tagged }
                """).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(app.requests("GET", "/api/ping")).extracting(q -> q.header("x-tag")).containsExactly("anchored", "anchored");
    }
}
