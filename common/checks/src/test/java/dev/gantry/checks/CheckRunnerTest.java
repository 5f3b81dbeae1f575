package dev.gantry.checks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.gantry.common.action.Log;
import dev.gantry.common.testing.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine as the rollback action uses it: {@code CheckRunner.run(suite, url, variables, secrets, log)}. */
class CheckRunnerTest {
    private HttpServer server;
    private URI base;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8), false);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/app");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = ex.getRequestURI().getPath();
        seen.add(ex.getRequestMethod() + " " + ex.getRequestURI() + " cookie=" + ex.getRequestHeaders().getFirst("Cookie")
                + " x-env=" + ex.getRequestHeaders().getFirst("X-Env") + " ct=" + ex.getRequestHeaders().getFirst("Content-Type")
                + " body=" + body);
        int status = 200;
        String reply = "{}";
        switch (path) {
            case "/app/login" -> {
                ex.getResponseHeaders().add("Set-Cookie", "sid=s3cr3t-session; Path=/; HttpOnly");
                ex.getResponseHeaders().add("X-Request-Id", "req-77");
                reply = "welcome user=smoke id=12";
            }
            case "/app/me" -> reply = "{\"cookie\":\"" + ex.getRequestHeaders().getFirst("Cookie") + "\"}";
            case "/app/old" -> {
                ex.getResponseHeaders().add("Location", "/app/me");
                status = 302;
                reply = "";
            }
            case "/app/slow" -> {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            default -> status = 404;
        }
        byte[] b = reply.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", reply.startsWith("{") ? "application/json" : "text/plain");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) ex.getResponseBody().write(b);
        ex.close();
    }

    @Test
    void capturesFromHeadersRegexAndCookiesAndKeepsACookieJar() {
        CheckSuite suite = CheckSuite.parse("""
                checks:
                  - name: login
                    request: { method: POST, path: /login, form: { user: smoke, pw: "{{secrets.PW}}" }, query: { v: "{{env}}" } }
                    expect: { status: 200, body: { contains: welcome } }
                    capture:
                      rid: { header: X-Request-Id }
                      uid: { regex: "id=(\\\\d+)" }
                      sid: { cookie: sid, secret: true }
                  - name: me
                    request: { path: /me }
                    expect: { jsonpath: { "$.cookie": "sid={{sid}}" } }
                  - name: redirect-seen
                    request: { path: /old }
                    expect: { status: 302, headers: { Location: /app/me } }
                  - name: redirect-followed
                    request: { path: /old, follow-redirects: true }
                    expect: { status: 200 }
                """, "rollback-verify.yml");
        SuiteResult r = CheckRunner.run(suite, base, Map.of("env", "prod"), Map.of("PW", "pa ss"), log);

        assertThat(r.outcomes()).extracting(CheckOutcome::status).as(out.toString(StandardCharsets.UTF_8))
                .containsOnly(CheckOutcome.Status.PASSED);
        assertThat(r.scope().captures()).containsKeys("rid", "uid", "sid");
        assertThat(Scope.text(r.scope().captures().get("uid"))).isEqualTo("12");
        assertThat(seen.get(0)).startsWith("POST /app/login?v=prod").contains("ct=application/x-www-form-urlencoded")
                .contains("body=user=smoke&pw=pa+ss");
        assertThat(seen.get(1)).contains("cookie=sid=s3cr3t-session");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("::add-mask::s3cr3t-session").contains("::add-mask::pa ss")
                .contains("✓ me  GET /app/me → 200");
    }

    @Test
    void defaultHeadersGoOnlyToTheBaseOriginAndTimeoutsAreTransportFailures() {
        CheckSuite suite = CheckSuite.parse("""
                - name: same-origin
                  request: { path: /me }
                - name: other-origin
                  request: { url: "http://localhost:%d/app/me" }
                - name: slow
                  request: { path: /slow, timeout: 300ms }
                - name: after
                  request: { path: /me }
                """.formatted(server.getAddress().getPort()), "<inline>");
        try (CheckRunner runner = CheckRunner.builder().defaultHeaders(Map.of("X-Env", "secret-bypass")).build()) {
            SuiteResult r = runner.run(suite, base, runner.scope(Map.of(), Map.of(), log), log, Map.of());
            assertThat(seen.get(0)).contains("x-env=secret-bypass");
            assertThat(seen.get(1)).contains("x-env=null");
            CheckOutcome slow = r.outcome("slow");
            assertThat(slow.failureKind()).isEqualTo(CheckOutcome.FailureKind.TRANSPORT);
            assertThat(slow.message()).isEqualTo("no complete response within 300ms");
            assertThat(r.outcome("after").status()).isEqualTo(CheckOutcome.Status.SKIPPED);
            assertThat(r.outcome("after").message()).isEqualTo("'slow' failed");
        }
    }

    @Test
    void healthWaitRetriesUntilTheDeadlineAndSaysSo() {
        CheckSuite suite = CheckSuite.parse("- name: probe\n  request: { path: /missing }\n", "<inline>");
        FakeTime fake = new FakeTime();
        try (CheckRunner runner = CheckRunner.builder().requestTimeout(Duration.ofSeconds(2)).time(fake.time()).build()) {
            HealthWait.Result w = new HealthWait(Duration.ofMillis(600), Duration.ofMillis(100), Duration.ofSeconds(30), fake, fake)
                    .until(runner, suite.waitChecks(), base, runner.scope(Map.of(), Map.of(), log), log);
            assertThat(w.healthy()).isFalse();
            assertThat(w.attempts()).isEqualTo(fake.sleeps.size() + 1);
            assertThat(w.elapsed()).as("the fake clock moved only by the pauses").isEqualTo(Duration.ofMillis(600));
            assertThat(w.lastFailure().message()).isEqualTo("status: expected one of 2xx, 3xx, got 404");
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("attempt 1: probe 404 (status: expected one of 2xx, 3xx, got 404); next in");
        }
    }

    @Test
    void whatTheSoakTakesFromTheChecksJarTlsAndCaptures() {
        CheckSuite suite = CheckSuite.parse("""
                checks:
                  - name: login
                    request: { method: POST, path: /login, form: { user: smoke } }
                  - name: create
                    request: { method: POST, path: /me }
                    capture:
                      id: "$.id"
                      token: { jsonpath: "$.token", secret: true }
                  - name: insecure-a
                    request: { path: /me, tls: { insecure: true } }
                  - name: insecure-b
                    request: { path: /me, tls: { insecure: true } }
                """, "<inline>");
        try (CheckRunner runner = CheckRunner.builder().build()) {
            Scope scope = runner.scope(Map.of(), Map.of(), log);
            assertThat(runner.cookieHeader(base.resolve("/app/me"))).as("nothing logged in yet").isNull();
            runner.execute(suite.check("login"), base, scope, log, null, false);
            assertThat(runner.cookieHeader(base.resolve("/app/me"))).isEqualTo("sid=s3cr3t-session");

            assertThat(runner.sslContext(suite.check("login"))).as("no tls options: the JDK's default").isNull();
            assertThat(runner.sslContext(suite.check("insecure-a"))).as("one context per distinct setting")
                    .isNotNull().isSameAs(runner.sslContext(suite.check("insecure-b")));

            Check create = suite.check("create");
            Map<String, List<String>> json = Map.of("content-type", List.of("application/json"));
            CheckRunner.Captured got = runner.captures(create, scope, base, 201, json,
                    "{\"id\": 7, \"token\": \"tok-9f8e\"}".getBytes(StandardCharsets.UTF_8), false, 1024);
            assertThat(got.missing()).isEmpty();
            assertThat(got.values()).containsOnlyKeys("id", "token");
            assertThat(got.secret()).containsExactly("token");
            assertThat(out.toString(StandardCharsets.UTF_8)).as("a secret capture is masked at once").contains("::add-mask::tok-9f8e");
            Scope cleanup = scope.withCaptures(got.values(), got.secret());
            assertThat(cleanup.render("/items/{{id}}")).isEqualTo("/items/7");
            assertThat(cleanup.secretValues()).contains("tok-9f8e");
            assertThat(scope.captures()).as("the run's own scope is untouched").doesNotContainKey("id");

            CheckRunner.Captured cut = runner.captures(create, scope, base, 201, json,
                    "{\"id\": 7, \"tok".getBytes(StandardCharsets.UTF_8), true, 1024);
            assertThat(cut.values()).as("a body cut short is not judged").isEmpty();
            assertThat(cut.missing()).hasSize(2).allSatisfy(m -> assertThat(m).contains("was not judged"));
        }
    }
}
