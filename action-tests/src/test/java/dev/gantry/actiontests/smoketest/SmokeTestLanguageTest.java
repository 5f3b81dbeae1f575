package dev.gantry.actiontests.smoketest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.FakeTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks language and its request options through the action, against loopback servers: TLS (a CA, a client
 * certificate, insecure with a warning), the proxy from the standard variables, the HTTP version, refused headers,
 * YAML values that stay what was written, retries and waits, Hurl files, and the JSON report.
 */
class SmokeTestLanguageTest {
    private FeatureApi api;

    @BeforeEach
    void start() {
        api = new FeatureApi();
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private ActionRun run(String file, String text) {
        ActionRun run = ActionRun.of("smoke-test").with("url", api.baseUrl().toString()).with("wait-timeout", "0");
        write(run.workspace().resolve(file), text);
        return run.with("checks", file);
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void tlsWithACustomCaAClientCertificateAndInsecureOnlyWithAWarning(@TempDir Path dir) throws Exception {
        try (TlsServer tls = new TlsServer(dir, true)) {
            ActionRun run = ActionRun.of("smoke-test").with("url", tls.baseUrl().toString()).with("wait-timeout", "0");
            for (String f : new String[]{"ca.pem", "client.pem", "client-key.pem"}) Files.copy(dir.resolve(f), run.workspace().resolve(f));
            write(run.workspace().resolve("tls.yml"), """
                    checks:
                      - name: trusted
                        request: { path: /, tls: { ca: ca.pem, cert: client.pem, key: client-key.pem } }
                        expect:
                          status: 200
                          jsonpath: { "$.secure": true }
                          certificate:
                            Subject: CN=localhost
                            Expire-Date: { filters: [daysAfterNow], ">": 20 }
                            Subject-Alt-Name: { contains: "DNS:localhost" }
                        capture: { serial: { certificate: Serial-Number } }
                      - name: insecure
                        request: { path: /, tls: { insecure: true, cert: client.pem, key: client-key.pem } }
                    """);
            ActionResult ok = run.with("checks", "tls.yml").run();
            assertThat(ok.exitCode()).as(ok.toString()).isZero();
            assertThat(ok.warnings()).anySatisfy(w -> assertThat(w.data())
                    .startsWith("check 'insecure' does not verify TLS certificates or host names (insecure: true)"));

            ActionRun noCa = ActionRun.of("smoke-test").with("url", tls.baseUrl().toString()).with("wait-timeout", "0")
                    .with("checks", "- name: untrusted\n  request: { path: / }\n");
            ActionResult refused = noCa.run();
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.log()).contains("✗ untrusted").contains("TLS handshake failed");

            ActionRun noClientCert = ActionRun.of("smoke-test").with("url", tls.baseUrl().toString()).with("wait-timeout", "0");
            Files.copy(dir.resolve("ca.pem"), noClientCert.workspace().resolve("ca.pem"));
            ActionResult needsCert = noClientCert.with("checks", "- name: anonymous\n  request: { path: /, tls: { ca: ca.pem } }\n").run();
            assertThat(needsCert.exitCode()).as("the server asks for a client certificate").isEqualTo(1);
        }
    }

    @Test
    void theProxyComesFromTheStandardVariablesAndNoProxyBypassesIt() throws Exception {
        try (ForwardProxy proxy = new ForwardProxy()) {
            ActionResult via = run("c.yml", "- name: health\n  request: { path: /health }\n")
                    .env("http_proxy", "http://127.0.0.1:" + proxy.port()).run();
            assertThat(via.exitCode()).as(via.toString()).isZero();
            assertThat(proxy.seen).containsExactly("GET " + api.baseUrl() + "/health HTTP/1.1");

            ActionResult direct = run("c.yml", "- name: health\n  request: { path: /health }\n")
                    .env("http_proxy", "http://127.0.0.1:" + proxy.port()).env("no_proxy", "localhost,127.0.0.1").run();
            assertThat(direct.exitCode()).isZero();
            assertThat(proxy.seen).as("no_proxy bypasses it").hasSize(1);

            ActionResult withPassword = run("c.yml", "- name: health\n  request: { path: /health }\n")
                    .env("https_proxy", "http://user:pw@127.0.0.1:" + proxy.port()).run();
            assertThat(withPassword.exitCode()).as(withPassword.toString()).isEqualTo(2);
            assertThat(withPassword.errors()).singleElement().satisfies(e -> assertThat(e.data())
                    .contains("https_proxy holds a user name and password").doesNotContain("user:pw"));
        }
    }

    @Test
    void plainHttpNeverSendsAnH2cUpgradeUnlessHttp2IsAsked() {
        ActionResult r = run("v.yml", """
                checks:
                  - name: default
                    request: { path: /health }
                    expect: { version: "1.1" }
                  - name: one-one
                    request: { path: /health, http-version: "1.1" }
                  - name: asked-for-2
                    request: { path: /health, http-version: "2" }
                """).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        var health = api.requests("GET", "/health");
        assertThat(health.get(0).header("upgrade")).isNull();
        assertThat(health.get(0).header("http2-settings")).isNull();
        assertThat(health.get(1).header("upgrade")).isNull();
        assertThat(health.get(2).header("upgrade")).as("asked: the client offers h2c").isEqualTo("h2c");
    }

    @Test
    void headersTheClientSetsAreRefusedWithTheLine() {
        ActionResult yaml = run("h.yml", "checks:\n  - name: h\n    request: { path: /health, headers: { Host: example.net } }\n").run();
        assertThat(yaml.exitCode()).isEqualTo(2);
        assertThat(yaml.errors().get(0).data()).startsWith("Input 'checks': h.yml:3:").contains("header 'Host' cannot be set");
        ActionResult hurl = run("h.hurl", "GET {{base_url}}/health\nContent-Length: 3\nHTTP 200\n").run();
        assertThat(hurl.exitCode()).isEqualTo(2);
        assertThat(hurl.errors().get(0).data()).startsWith("Input 'checks': h.hurl:2:1: header 'Content-Length' cannot be set");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void yamlValuesStayWhatWasWrittenAndAmbiguousOnesStopWithTheLine() {
        ActionResult ok = run("y.yml", """
                checks:
                  - name: text-stays-text
                    request: { path: /echo, query: { flag: no, code: 0123, version: 1.10, on: on } }
                    expect: { jsonpath: { "$.query": "flag=no&code=0123&version=1.10&on=on" } }
                """).run();
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        for (String[] bad : new String[][]{{"enabled: no", "unquoted no is ambiguous: YAML reads it as false"},
                {"code: 0123", "unquoted 0123 is ambiguous: YAML reads it as 83"},
                {"version: 1.10", "unquoted 1.10 is ambiguous: YAML reads it as 1.1"}}) {
            ActionResult r = run("y.yml", """
                    checks:
                      - name: typed
                        request: { method: POST, path: /echo, json: { %s } }
                    """.formatted(bad[0])).run();
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.errors().get(0).data()).startsWith("Input 'checks': y.yml:3:").contains(bad[1]);
        }
        ActionResult expected = run("y.yml", "checks:\n  - name: e\n    request: { path: /values }\n    expect: { jsonpath: { \"$.id\": 0042 } }\n").run();
        assertThat(expected.errors().get(0).data()).startsWith("Input 'checks': y.yml:4:").contains("unquoted 0042 is ambiguous");
    }

    @Test
    void aWaitThatUsesACaptureIsRefusedWhenTheFileIsReadAndRetryPollsInstead() {
        ActionResult refused = run("w.yml", """
                checks:
                  - name: job
                    request: { method: POST, path: /jobs }
                    capture: { job: "$.id" }
                  - name: done
                    wait: true
                    request: { path: "/jobs/{{job}}" }
                """).run();
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errors().get(0).data()).startsWith("Input 'checks': w.yml:5:")
                .contains("check 'done' is a wait check but uses {{job}}, which check 'job' captures")
                .contains("retry");
        assertThat(api.requests()).as("nothing sent, no wait-timeout used up").isEmpty();

        FakeTime time = new FakeTime();
        ActionResult polled = run("w.yml", """
                checks:
                  - name: job
                    request: { method: POST, path: /jobs }
                    capture: { job: "$.id" }
                  - name: done
                    request: { path: "/jobs/{{job}}" }
                    retry: 10
                    retry-interval: 2s
                    expect: { jsonpath: { "$.state": COMPLETED } }
                """).time(time.time()).run();
        assertThat(polled.exitCode()).as(polled.toString()).isZero();
        assertThat(api.requests("GET", "/jobs/.*")).hasSize(3);
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));
        assertThat(polled.log()).contains("[3 attempts]");

        ActionResult undefined = run("w.yml", "- name: x\n  request: { path: \"/users/{{nobody}}\" }\n").run();
        assertThat(undefined.exitCode()).isEqualTo(2);
        assertThat(undefined.errors().get(0).data()).startsWith("Input 'checks' check 'x' (line 1) uses {{nobody}}");
    }

    @Test
    void retryMinusOneKeepsTryingUntilTheWaitTimeoutOnTheInjectedClock() {
        FakeTime time = new FakeTime();
        ActionResult r = run("r.yml", """
                checks:
                  - name: up
                    wait: true
                    request: { path: /health }
                  - name: never
                    request: { path: /status/503 }
                    retry: -1
                    retry-interval: 1s
                """).with("wait-timeout", "10s").time(time.time()).run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(time.sleeps).hasSize(9).allMatch(d -> d.equals(Duration.ofSeconds(1)));
        assertThat(api.requests("GET", "/status/503")).hasSize(10);
    }

    @Test
    void aHurlFileRunsAsIsAndAnUnsupportedConstructStopsWithItsLine() {
        ActionResult ok = run("smoke.hurl", """
                # @name health
                GET {{base_url}}/health
                HTTP 200
                [Asserts]
                jsonpath "$.status" == "ok"

                POST {{base_url}}/auth/login
                {"email": "a@b.c", "password": "{{password}}"}
                HTTP 200
                [Captures]
                token: jsonpath "$.token" redact
                """).with("secrets", "password=" + FeatureApi.PASSWORD).run();
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.log()).contains("✓ health").contains("✓ entry-2");
        assertThat(ok.leaks("tok-1")).isFalse();

        for (String[] bad : new String[][]{
                {"GET {{base_url}}/health\nHTTP 200\n[Asserts]\nxpath \"//h1\" exists\n", "4:1: xpath queries are not supported"},
                {"GET {{base_url}}/health\n[Options]\nproxy: localhost:3128\nHTTP 200\n", "3:1: proxy in [Options] is not supported"},
                {"GET {{base_url}}/health\nHTTP/3 200\n", "2:1: HTTP/3 is not supported"},
                {"POST {{base_url}}/graphql\n```graphql\n{ a }\n```\n", "2:1: multiline bodies in graphql are not supported"},
                {"GET {{base_url}}/health\n[Whatever]\nx: y\n", "2:1: unknown section [Whatever]"}}) {
            ActionResult r = run("bad.hurl", bad[0]).run();
            assertThat(r.exitCode()).as(bad[0]).isEqualTo(2);
            assertThat(r.errors().get(0).data()).as(bad[0]).startsWith("Input 'checks': bad.hurl:" + bad[1]);
        }
    }

    @Test
    void theJsonReportHoldsEveryCheckAndGateForALaterStep() throws IOException {
        ActionRun run = run("j.yml", """
                checks:
                  - name: health
                    request: { path: /health }
                  - name: missing
                    request: { path: /status/404 }
                    expect: { status: 200 }
                """).with("slo", "max<60000");
        ActionResult r = run.run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("json-report-path")).isEqualTo("smoke-test-results/report.json");
        JsonNode report = new ObjectMapper().readTree(run.workspace().resolve("smoke-test-results/report.json").toFile());
        assertThat(report.path("schema").asInt()).isEqualTo(1);
        assertThat(report.path("result").asText()).isEqualTo("fail");
        assertThat(report.path("checks")).hasSize(2);
        assertThat(report.path("checks").get(1).path("status").asText()).isEqualTo("failed");
        assertThat(report.path("checks").get(1).path("httpStatus").asInt()).isEqualTo(404);
        assertThat(report.path("checks").get(1).path("failures").get(0).asText()).isEqualTo("status: expected 200, got 404");
        assertThat(report.path("gates").get(0).path("gate").asText()).isEqualTo("max<60000");
        assertThat(report.path("gates").get(0).path("passed").asBoolean()).isTrue();
        assertThat(report.path("soak").isNull()).isTrue();
        assertThat(report.path("totals").path("checksFailed").asInt()).isEqualTo(1);
    }
}
