package dev.gantry.actiontests.smoketest;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.WorkflowCommands;
import dev.gantry.common.testing.FakeTime;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The smoke-test action end to end, as the runner runs it, against a stateful app on loopback. */
class SmokeTestActionTest {
    private DemoApp app;

    static final String CHAIN = """
            checks:
              - name: health
                wait: true
                request: { path: /api/health }
                expect: { status: 200, jsonpath: { "$.status": ok } }
              - name: login
                request: { method: POST, path: /api/login, json: { user: smoke, password: "{{secrets.PASSWORD}}" } }
                expect: { status: 200 }
                capture: { token: { jsonpath: "$.token", secret: true } }
              - name: create
                request:
                  method: POST
                  path: /api/items
                  headers: { Authorization: "Bearer {{token}}" }
                  json: { name: "smoke-{{github.run_id}}" }
                expect: { status: 201, headers: { Content-Type: { contains: json } } }
                capture: { id: "$.id" }
              - name: read
                request: { path: "/api/items/{{id}}", headers: { Authorization: "Bearer {{token}}" } }
                expect: { status: 200, jsonpath: { "$.name": { starts-with: "%s" }, "$.id": "{{id}}" } }
              - name: list
                request: { path: /api/ping }
              - name: delete
                always: true
                request: { method: DELETE, path: "/api/items/{{id}}", headers: { Authorization: "Bearer {{token}}" } }
                expect: { status: [200, 204] }
            """;

    @BeforeEach
    void start() {
        app = new DemoApp();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private ActionRun run(String checksYaml) {
        ActionRun run = ActionRun.of("smoke-test").with("url", app.baseUrl().toString());
        if (checksYaml != null) {
            write(run.workspace().resolve("smoke.yml"), checksYaml);
            run.with("checks", "smoke.yml");
        }
        return run;
    }

    private static void write(Path p, String text) {
        try {
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void waitsUntilHealthyWithBackoffThenRunsTheChecks() {
        app.notReadyForProbes(3);
        FakeTime time = new FakeTime();
        ActionResult r = run("""
                checks:
                  - name: health
                    wait: true
                    request: { path: /api/health }
                    expect: { status: 200 }
                  - name: ping
                    request: { path: /api/ping }
                """).with("wait-interval", "200ms").with("wait-timeout", "20s").time(time.time()).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("pass");
        assertThat(r.output("checks-passed")).isEqualTo("2");
        List<LoopbackServer.RecordedRequest> probes = app.requests("GET", "/api/health");
        assertThat(probes).as("three 503s, then healthy").hasSize(4);
        assertThat(time.sleeps).as("a pause after each failed probe, growing (×2, ±20%% jitter)").hasSize(3);
        assertThat(time.sleeps.get(0).toMillis()).isBetween(160L, 240L);
        assertThat(time.sleeps.get(1).toMillis()).isBetween(320L, 480L);
        assertThat(time.sleeps.get(2).toMillis()).isBetween(640L, 960L);
        assertThat(r.log()).contains("attempt 1: health 503 (status: expected 200, got 503); next in")
                .containsPattern("attempt 4: health 200 → healthy after");
        assertThat(app.requests("GET", "/api/ping")).hasSize(1);
    }

    @Test
    void neverHealthyFailsAtTheDeadlineNamingTheLastState() {
        app.notReadyFor(Duration.ofHours(1));
        FakeTime time = new FakeTime();
        ActionResult r = run(null).with("url", app.baseUrl() + "/api/health").with("wait-timeout", "2s")
                .with("wait-interval", "300ms").time(time.time()).run();

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("fail");
        assertThat(time.sleeps.stream().reduce(Duration.ZERO, Duration::plus)).as("stops at the deadline, never sleeps past it")
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(r.errors()).last().satisfies(e -> assertThat(e.data())
                .startsWith("smoke-test failed: not healthy after 2")
                .contains("root GET /api/health → 503").contains("expected 2xx, got 503"));
        assertThat(r.summary()).startsWith("### ❌ smoke-test fail");
    }

    @Test
    void loginTokenCreateReadDeleteChainWithTheTokenMasked() throws Exception {
        ActionResult r = run(CHAIN.formatted("smoke-")).with("secrets", "PASSWORD=" + DemoApp.PASSWORD)
                .with("bypass-header", "x-bypass: sesame-0123456789").with("headers", "X-Smoke: yes\nAccept-Language: en").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("checks-passed")).isEqualTo("6");
        assertThat(r.output("checks-failed")).isEqualTo("0");
        String token = app.issuedTokens().iterator().next();
        assertThat(r.commands().masks()).contains(token, DemoApp.PASSWORD, "sesame-0123456789");
        assertThat(r.leaks(token)).isFalse();
        assertThat(r.leaks(DemoApp.PASSWORD)).isFalse();
        assertThat(r.leaks("sesame-0123456789")).isFalse();
        // the chain really used what it captured
        LoopbackServer.RecordedRequest create = app.requests("POST", "/api/items").get(0);
        assertThat(create.header("authorization")).isEqualTo("Bearer " + token);
        assertThat(create.json().path("name").asText()).isEqualTo("smoke-1234567890");
        assertThat(create.header("x-bypass")).as("bypass header on the url's origin").isEqualTo("sesame-0123456789");
        assertThat(create.header("x-smoke")).isEqualTo("yes");
        assertThat(create.header("user-agent")).isEqualTo("gantry-smoke-test/1.0.0");
        assertThat(app.requests("GET", "/api/items/42")).hasSize(1);
        assertThat(app.requests("DELETE", "/api/items/42")).hasSize(1);
        assertThat(app.items()).as("cleanup deleted what create made").isEmpty();
        assertThat(r.summary()).startsWith("### ✅ smoke-test pass").contains("| login | `POST /api/login` | 200 |");
    }

    @Test
    void anAssertionFailureSaysWhatAndWhereAndCleanupStillRuns() {
        ActionResult r = run(CHAIN.formatted("prod-")).with("secrets", "PASSWORD=" + DemoApp.PASSWORD).run();

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("fail");
        assertThat(r.output("checks-failed")).isEqualTo("1");
        WorkflowCommands.Command annotation = r.errors().get(0);
        assertThat(annotation.property("title")).isEqualTo("smoke-test: check 'read' failed");
        assertThat(annotation.property("file")).isEqualTo("smoke.yml");
        assertThat(annotation.property("line")).isEqualTo("18");
        assertThat(annotation.data()).isEqualTo("GET /api/items/42 → 200: jsonpath \"$.name\": expected startsWith \"prod-\", got \"smoke-1234567890\"");
        assertThat(r.log()).contains("- list  GET /api/ping: skipped ('read' failed)");
        assertThat(app.requests("GET", "/api/ping")).as("skipped after the failure").isEmpty();
        assertThat(app.requests("DELETE", "/api/items/42")).as("always: cleanup ran after the failure").hasSize(1);
        assertThat(app.items()).isEmpty();
        assertThat(r.errors()).last().satisfies(e -> assertThat(e.data())
                .startsWith("smoke-test failed: 4/6 checks passed — 'read' failed: jsonpath \"$.name\""));
    }

    @Test
    void cleanupThatNeedsAnUncapturedValueIsSkippedNotSentBroken() {
        ActionResult r = run(CHAIN.formatted("smoke-")).with("secrets", "PASSWORD=wrong").run();

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.log()).contains("✗ login  POST /api/login → 401")
                .contains("- delete  DELETE /api/items/{{id}}: skipped (needs {{id}}, which no earlier check captured)");
        assertThat(app.requests("DELETE", "/api/items/.*")).isEmpty();
        assertThat(r.log()).as("the response body is printed as untrusted text").containsPattern(
                "::stop-commands::gantry-[0-9a-f-]+\n\\{\"error\":\"bad credentials\"}");
    }

    @Test
    void anInjected5xxFailsTheCheckWithAClearMessage() {
        app.inject(LoopbackServer.Fault.status(LoopbackServer.matching("GET", "/api/ping"), 1,
                LoopbackServer.Reply.json(500, Map.of("error", "boom"))));
        ActionResult r = run("""
                checks:
                  - name: ping
                    request: { path: /api/ping }
                    expect: { status: 200 }
                """).with("wait-timeout", "0").with("soak-rate", "100").with("soak-duration", "1s").run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errors().get(0).data()).isEqualTo("GET /api/ping → 500: status: expected 200, got 500");
        assertThat(r.log()).contains("Soak skipped: a check failed.");
        assertThat(app.requests("GET", "/api/ping")).as("no soak after a failed check").hasSize(1);
    }

    @Test
    void anInjectedDelayFailsADurationAssertionAndAPerCheckGate() {
        app.inject(LoopbackServer.Fault.delay(LoopbackServer.matching("GET", "/api/health"), 1, Duration.ofMillis(400)));
        ActionResult r = run("""
                checks:
                  - name: health
                    request: { path: /api/health }
                    expect: { status: 200, duration: "<300ms" }
                  - name: ping
                    request: { path: /api/ping }
                """).with("wait-timeout", "0").with("slo", "health: max<300\nping: max<60000").run();

        assertThat(r.exitCode()).isEqualTo(1);
        String error = r.errors().get(0).data();
        assertThat(error).matches("GET /api/health → 200: duration: expected < 300 ms, got \\d+ ms");
        assertThat(Long.parseLong(error.replaceAll(".*got (\\d+) ms", "$1"))).isGreaterThanOrEqualTo(400);
        assertThat(r.log()).containsPattern("✗ health: 'max<300' max=\\d{3,}\\.\\d\\dms  \\[checks, 1 samples]")
                .contains("- ping  GET /api/ping: skipped ('health' failed)");
    }

    @Test
    void errorRateGateFailsOnInjected5xxDuringTheSoak() {
        // the first ping (the check) passes; the next 40 (the soak) answer 503
        app.inject(LoopbackServer.Fault.status(r -> r.path().equals("/api/ping") && app.requests("GET", "/api/ping").size() > 1,
                40, LoopbackServer.Reply.json(503, Map.of("error", "overloaded"))));
        ActionResult r = run("""
                checks:
                  - name: ping
                    request: { path: /api/ping }
                    expect: { status: 200 }
                """).with("wait-timeout", "0").with("soak-rate", "200").with("soak-duration", "2s").with("soak-warmup", "0")
                .with("slo", "error-rate<0.02\np(99)<60000").run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("fail");
        assertThat(Double.parseDouble(r.output("error-rate"))).isBetween(0.08, 0.12);
        assertThat(r.log()).contains("✗ 'error-rate<0.02' error-rate=0.").contains("✓ 'p(99)<60000' p(99)=");
        assertThat(r.summary()).contains("status 503=40");
    }

    @Test
    void aStallShowsInCorrectedP99ButNotInUncorrectedP99() throws Exception {
        // 200 req/s, 2 connections; the 400th ping (about 1 s into the measured 4 s) starts a 500 ms stall that
        // holds every ping arriving in it. Only the 2 requests in flight see the stall from their actual send; the
        // ~100 that were due meanwhile wait for a connection, and only corrected latency charges them for it.
        app.stallAtPing(400, Duration.ofMillis(500));
        ActionRun run = run("""
                checks:
                  - name: ping
                    request: { path: /api/ping }
                    expect: { status: 200, body: pong }
                """).with("wait-timeout", "0").with("soak-rate", "200").with("soak-duration", "4s").with("soak-warmup", "1s")
                .with("max-in-flight", "2").with("slo", "p(99)<250").with("junit-path", "out/junit.xml");
        ActionResult r = run.run();

        Map<String, String> props = properties(junit(run, "out/junit.xml"));
        double corrected = Double.parseDouble(props.get("soak.p99-ms.corrected"));
        double uncorrected = Double.parseDouble(props.get("soak.p99-ms.uncorrected"));
        assertThat(props).as(r.toString()).containsKey("soak.saturated");
        assertThat(corrected).as("corrected p99 sees the stall").isGreaterThan(300);
        assertThat(uncorrected).as("uncorrected p99 hides it (coordinated omission)").isLessThan(100);
        assertThat(Double.parseDouble(props.get("soak.max-ms.uncorrected"))).as("the in-flight ones did wait").isGreaterThan(400);
        assertThat(Double.parseDouble(r.output("p99-ms"))).isEqualTo(corrected, org.assertj.core.data.Offset.offset(0.01));
        // on a machine this busy the generator itself may fall behind: then inconclusive, but never a pass
        assertThat(r.output("result")).isIn("fail", "inconclusive");
        assertThat(r.log()).as("the gate is on corrected latency").contains((r.output("result").equals("fail") ? "✗" : "?")
                + " 'p(99)<250' p(99)=" + r.output("p99-ms"));
        assertThat(r.exitCode()).isEqualTo(r.output("result").equals("fail") ? 1 : 3);
        if (r.output("result").equals("fail")) {
            assertThat(Double.parseDouble(r.output("achieved-rps"))).isBetween(190.0, 201.0);
        }
    }

    @Test
    void aGeneratorThatCannotKeepItsScheduleIsInconclusiveNeverPass() throws Exception {
        app.pingDelay(Duration.ofMillis(5));
        ActionRun run = run("""
                checks:
                  - name: ping
                    request: { path: /api/ping }
                """).with("wait-timeout", "0").with("soak-rate", "20000").with("soak-duration", "2s").with("soak-warmup", "0")
                .with("max-in-flight", "1").with("slo", "p(99)<60000\nerror-rate<0.5").with("junit-path", "j.xml");
        ActionResult r = run.run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.output("result")).isEqualTo("inconclusive");
        assertThat(Double.parseDouble(r.output("achieved-rps"))).isLessThan(1000);
        assertThat(r.errors()).last().satisfies(e -> assertThat(e.data()).startsWith("smoke-test inconclusive: only ")
                .contains("of the 20000 req/s asked were sent").contains("max-in-flight 1"));
        assertThat(r.summary()).startsWith("### ⚠️ smoke-test inconclusive");
        Document doc = junit(run, "j.xml");
        Element sched = testcase(doc, "load generator kept its schedule");
        assertThat(((Element) sched.getElementsByTagName("error").item(0)).getAttribute("type")).isEqualTo("inconclusive");
        assertThat(app.pings()).as("bounded: one connection, ~5 ms each, for ~2 s").isLessThan(1000);
    }

    @Test
    void junitHasATestcasePerCheckAndPerGate() throws Exception {
        ActionRun run = run(CHAIN.formatted("prod-")).with("secrets", "PASSWORD=" + DemoApp.PASSWORD)
                .with("slo", "max<60000\nlogin: max<60000");
        ActionResult r = run.run();
        assertThat(r.output("report-path")).isEqualTo("smoke-test-results/junit.xml");
        Document doc = junit(run, "smoke-test-results/junit.xml");
        Element root = doc.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        assertThat(root.getAttribute("tests")).isEqualTo("8");
        assertThat(root.getAttribute("failures")).isEqualTo("1");
        assertThat(root.getAttribute("skipped")).isEqualTo("1");
        NodeList suites = root.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(2);
        Element checks = (Element) suites.item(0);
        assertThat(checks.getAttribute("name")).isEqualTo("smoke-test.checks");
        List<String> names = new ArrayList<>();
        NodeList cases = checks.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) names.add(((Element) cases.item(i)).getAttribute("name"));
        assertThat(names).containsExactly("health", "login", "create", "read", "list", "delete");
        Element read = testcase(doc, "read");
        assertThat(read.getAttribute("file")).isEqualTo("smoke.yml");
        assertThat(read.getAttribute("line")).isEqualTo("18");
        Element failure = (Element) read.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("assertion");
        assertThat(failure.getAttribute("message")).startsWith("jsonpath \"$.name\": expected startsWith \"prod-\"");
        assertThat(testcase(doc, "list").getElementsByTagName("skipped").getLength()).isEqualTo(1);
        Element slo = (Element) suites.item(1);
        assertThat(slo.getAttribute("name")).isEqualTo("smoke-test.slo");
        assertThat(testcase(doc, "max<60000").getElementsByTagName("failure").getLength()).isZero();
        assertThat(testcase(doc, "login: max<60000")).isNotNull();
        String xml = Files.readString(run.workspace().resolve("smoke-test-results/junit.xml"));
        assertThat(xml).doesNotContain(DemoApp.PASSWORD);
        for (String t : app.issuedTokens()) assertThat(xml).doesNotContain(t);
    }

    @Test
    void aMalformedChecksFileFailsWithFileLineAndWhatIsWrong() {
        ActionResult r = run("""
                checks:
                  - name: health
                    request: { path: /health }
                    expect: { status: 200, jsonpath: { "$.items[?(@.id =~ /x/)]": 1 } }
                """).run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.output("result")).isEqualTo("invalid-input");
        WorkflowCommands.Command e = r.errors().get(0);
        assertThat(e.property("file")).isEqualTo("smoke.yml");
        assertThat(e.property("line")).isEqualTo("4");
        assertThat(e.data()).startsWith("Input 'checks': smoke.yml:4:").contains("the =~ operator is not supported");
        assertThat(app.requests()).as("nothing is sent for a broken file").isEmpty();
    }

    @Test
    void badInputsAreExitTwoNamingTheInput() {
        assertThat(run(null).with("slo", "p95<800").run().errors().get(0).data())
                .isEqualTo("Input 'slo' has a gate that does not parse: 'p95<800': write percentiles as p(95), as k6 does");
        assertThat(run(null).with("slo", "nope: p(95)<800").run().errors().get(0).data())
                .startsWith("Input 'slo' names check 'nope'");
        assertThat(run(null).with("soak-rate", "fast").run().exitCode()).isEqualTo(2);
        assertThat(run(null).with("checks", "missing.yml").run().errors().get(0).data())
                .startsWith("Input 'checks' names a file that does not exist: missing.yml");
        assertThat(run(null).with("fail-on", "maybe").run().errors().get(0).data()).contains("fail-on");
        assertThat(run(null).with("headers", "no colon here").run().errors().get(0).data())
                .isEqualTo("Input 'headers' line 1 must be 'Name: value' (got 'no colon here')");
        assertThat(run(null).with("soak-rate", "10").with("soak-duration", "6h").run().errors().get(0).data())
                .startsWith("Input 'soak-duration' plus soak-warmup must be at most 6h, the longest a job runs on a GitHub-hosted"
                        + " runner; the job's (or step's) timeout-minutes must also leave room");
        ActionResult noUrl = ActionRun.of("smoke-test").run();
        assertThat(noUrl.exitCode()).isEqualTo(2);
        assertThat(noUrl.errors().get(0).data()).isEqualTo("Input required and not supplied: url");
        assertThat(app.requests()).isEmpty();
    }

    /** Issue 22: the seeds' 15-minute soak is accepted (this step then fails on the app, before any soak). */
    @Test
    void aFifteenMinuteSoakIsAccepted() {
        ActionResult r = ActionRun.of("smoke-test").with("url", "http://127.0.0.1:1/").with("wait-timeout", "0")
                .with("soak-rate", "50").with("soak-duration", "15m").run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("fail");
        assertThat(r.errors()).noneSatisfy(e -> assertThat(e.data()).contains("soak-duration"));
    }

    @Test
    void aSoakTargetNeedingAValueNoCheckCapturedIsBadInputAfterCleanupRan() {
        ActionResult r = run("""
                checks:
                  - name: login
                    request: { method: POST, path: /api/login, json: { password: "{{secrets.PASSWORD}}" } }
                    capture: { token: { jsonpath: "$.token", secret: true } }
                  - name: create
                    request: { method: POST, path: /api/items, headers: { Authorization: "Bearer {{token}}" }, json: { name: x } }
                    capture: { id: "$.id" }
                  - name: read
                    request: { path: "/api/items/{{id}}?v={{version}}", headers: { Authorization: "Bearer {{token}}" } }
                    expect: { status: [200, 404] }
                  - name: delete
                    always: true
                    request: { method: DELETE, path: "/api/items/{{id}}", headers: { Authorization: "Bearer {{token}}" } }
                soak:
                  targets: [read]
                """).with("secrets", "PASSWORD=" + DemoApp.PASSWORD).with("soak-rate", "10").with("soak-duration", "1s")
                .with("variables", "version=1").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();

        ActionResult broken = run("""
                checks:
                  - name: ping
                    request: { path: "/api/ping" }
                  - name: cleanup
                    always: true
                    request: { path: "/api/ping?after={{later}}" }
                    capture: { later: "$.x" }
                soak:
                  targets: [cleanup]
                """).with("wait-timeout", "0").with("soak-rate", "10").with("soak-duration", "1s").run();
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.errors()).last().satisfies(e -> assertThat(e.data())
                .startsWith("Input 'checks' asks for a soak, but a soak target cannot be built: {{later}} is not defined"));
    }

    @Test
    void inlineChecksAndFailOnFunctionalTurnAnSloMissIntoAWarning() {
        ActionResult r = ActionRun.of("smoke-test").with("url", app.baseUrl().toString())
                .with("checks", "- name: ping\n  request: { path: /api/ping }\n").with("slo", "max<0")
                .with("fail-on", "functional").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("pass");
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w.data()).startsWith("SLO gate not met (fail-on: functional): ✗ 'max<0'"));
    }

    // ---------------------------------------------------------------- helpers

    private static Document junit(ActionRun run, String relative) throws Exception {
        Path file = run.workspace().resolve(relative);
        assertThat(file).exists();
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static Element testcase(Document doc, String name) {
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("name").equals(name)) return e;
        }
        throw new AssertionError("no testcase " + name);
    }

    private static Map<String, String> properties(Document doc) {
        Map<String, String> out = new LinkedHashMap<>();
        NodeList props = doc.getElementsByTagName("property");
        for (int i = 0; i < props.getLength(); i++) {
            Element e = (Element) props.item(i);
            out.put(e.getAttribute("name"), e.getAttribute("value"));
        }
        return out;
    }
}
