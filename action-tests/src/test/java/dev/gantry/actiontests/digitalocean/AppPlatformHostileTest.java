package dev.gantry.actiontests.digitalocean;

import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.Hostile;
import dev.gantry.common.testing.LoopbackServer;
import dev.gantry.common.testing.WorkflowCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * App Platform as an adversary (issue 18), against do-deploy and DigitalOcean rollback: provider fields that carry
 * workflow commands, Markdown and HTML never become live commands, markup or links (stdout read as the runner reads
 * it, the summary, the outputs that are ids); log archives come only over https from DigitalOcean's hosts or the
 * API's own origin, never through a redirect; 100 archives of 5 MB fit a 256 MiB heap; a stalled body, an endless
 * body and a deployment that never ends all stop within the step's timeout plus 10 s, with the documented exit code
 * and a summary. These runs are on real time: their bounds are the point.
 */
class AppPlatformHostileTest {
    static final String PAYLOAD = Hostile.PAYLOAD;
    /** For ids, which are path segments: no slash. */
    static final String ID_PAYLOAD = "\n::error::PWNED-ID\n##[add-mask]PWNED-IDMASK <img src=x onerror=alert(1)>";
    static final String SPEC = SampleSpecs.SOURCE;
    static final String IMAGE_SPEC = SampleSpecs.IMAGE;

    AppPlatformSimulator sim;

    @BeforeEach
    void start() {
        sim = new AppPlatformSimulator();
    }

    @AfterEach
    void contractAndStop() {
        sim.checkContractAndClose();
    }

    ActionRun deploy() {
        ActionRun r = ActionRun.of("do-deploy").with("token", AppPlatformSimulator.TOKEN)
                .with("api-url", sim.baseUrl().toString()).with("github-deployment", "false");
        try {
            Path f = r.workspace().resolve(".do/app.yaml");
            Files.createDirectories(f.getParent());
            Files.writeString(f, SPEC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return r;
    }

    /** Nothing the provider planted is live (see {@link Hostile}), and the payload did reach the log, inert. */
    static void assertNoPlantedCommand(ActionResult r) {
        assertThat(Hostile.plantedCommands(r)).as("live commands planted by the provider").isEmpty();
        assertThat(r.log()).as("the payload did reach the log, inert").contains("PWNED");
    }

    /** The summary outside code blocks and spans: no HTML, image or link from the provider; outputs clean. */
    static void assertNoPlantedMarkup(ActionResult r) {
        assertThat(Hostile.plantedMarkup(r.summary())).as("provider markup that renders").isEmpty();
        for (String id : List.of("app-id", "deployment-id", "previous-deployment-id", "phase", "app-name", "live-url",
                "result")) {
            String v = r.output(id);
            if (v != null) assertThat(v).as("output " + id).doesNotContain("PWNED", "<", "\n", " ");
        }
    }

    // ---- provider text --------------------------------------------------------------------------------------------

    @Test
    void hostileFieldsOfASuccessfulDeployStayInert() {
        sim.hostile(PAYLOAD);
        ActionResult r = deploy().with("print-build-logs", "always").with("print-deploy-logs", "always")
                .time(sim.time()).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertNoPlantedCommand(r);
        assertNoPlantedMarkup(r);
        assertThat(r.output("live-url")).as("a live URL that is not a plain URL is not used").isEmpty();
        assertThat(r.warnings()).anyMatch(w -> w.data().contains("not a plain http(s) URL"));
    }

    @Test
    void hostileFieldsOfAFailedDeployStayInert() {
        sim.hostile(PAYLOAD);
        sim.failNextBuild("web", "npm ERR! missing script: build", List.of("[build] npm ERR! " + PAYLOAD));
        ActionResult r = deploy().time(sim.time()).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("failure");
        assertNoPlantedCommand(r);
        assertNoPlantedMarkup(r);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("missing script: build"));
    }

    @Test
    void aHostileErrorMessageStaysInert() {
        sim.hostile(PAYLOAD);
        ActionRun run = deploy();
        try {
            Files.writeString(run.workspace().resolve(".do/app.yaml"), "name: shop-web\nservices: []\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ActionResult r = run.time(sim.time()).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errors().get(0).data()).contains("App Platform rejected").contains("at least one component");
        assertNoPlantedCommand(r);
        assertNoPlantedMarkup(r);
    }

    @Test
    void aDeploymentIdThatIsNotAnIdStopsTheStepBeforeItReachesAnOutput() {
        sim.hostileIds(ID_PAYLOAD);
        ActionResult r = deploy().time(sim.time()).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("deployment id that is not an id"));
        assertThat(r.output("deployment-id")).isNull();
        assertNoPlantedCommand(r);
        assertNoPlantedMarkup(r);
        assertThat(r.summary()).isNotBlank();
    }

    @Test
    void hostileFieldsOfARollbackStayInert() {
        String appId = sim.seedApp(IMAGE_SPEC);
        AppPlatformFaultsTest.post(sim, "/v2/apps/" + appId + "/deployments", "{}");
        sim.clock().advance(Duration.ofMinutes(10));
        sim.hostile(PAYLOAD);
        try (GitHubSimulator gh = new GitHubSimulator()) {
            ActionResult r = AppPlatformFaultsTest.rollback(sim, gh, sim.time()).run();

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertNoPlantedCommand(r);
            assertNoPlantedMarkup(r);
            assertThat(r.warnings()).as("the validation's warning, quoted").anyMatch(w -> w.data().contains("image_source_missing_digest"));
        }
    }

    // ---- log archives ---------------------------------------------------------------------------------------------

    @Test
    void logArchivesComeOnlyOverHttpsFromDigitalOceanOrTheApiItselfNeverThroughARedirect() {
        try (LoopbackServer elsewhere = new LoopbackServer()) {
            elsewhere.route("GET", "/.*", (q, m) -> LoopbackServer.Reply.text(200, "web 2026 [deploy] FROM ELSEWHERE\n"));
            String other = "http://localhost:" + elsewhere.port() + "/logs/a.log";
            String sameHostOtherPort = "http://127.0.0.1:" + elsewhere.port() + "/logs/b.log";
            // a path of the API's own origin that answers with a redirect to the other server
            sim.route("GET", "/redirect/logs\\.log", (q, m) -> new LoopbackServer.Reply(302, Map.of("Location", other),
                    new byte[0]));
            sim.logUrls(real -> List.of(other, sameHostOtherPort, "http://logs.digitaloceanspaces.com/x.log",
                    "https://user:pw@logs.digitaloceanspaces.com/x.log", sim.baseUrl() + "/redirect/logs.log", real));
            sim.failNextDeploy("web", "container exited with code 1", List.of("[deploy] Error: EADDRINUSE"));

            ActionResult r = deploy().with("print-deploy-logs", "always").time(sim.time()).run();

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(elsewhere.requests()).as("nothing fetched from another origin, by URL or redirect").isEmpty();
            assertThat(r.log()).doesNotContain("FROM ELSEWHERE").contains("Error: EADDRINUSE")
                    .contains("refused to fetch a log archive from http://localhost:" + elsewhere.port())
                    .contains("refused to fetch a log archive from http://127.0.0.1:" + elsewhere.port())
                    .contains("refused to fetch a log archive from http://logs.digitaloceanspaces.com")
                    .contains("refused to fetch a log archive from https://logs.digitaloceanspaces.com")
                    .contains("a redirect, not followed");
            assertThat(sim.logDownloadsWithToken()).isZero();
            assertThat(sim.requests("GET", "/redirect/logs\\.log")).allSatisfy(q -> assertThat(q.header("authorization")).isNull());
        }
    }

    @Test
    void aHundredArchivesOfFiveMegabytesFitA256MiBHeap() throws Exception {
        sim.logArchives(100, 5 * 1024 * 1024);
        sim.failNextDeploy("web", "container exited with code 1", List.of("[deploy] Error: EADDRINUSE"));
        ActionRun run = deploy().with("print-deploy-logs", "always").with("timeout", "5m");
        Map<String, String> env = run.environment();

        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "dev.gantry.dodeploy.Main"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        File out = run.runDir().resolve("stdout.txt").toFile();
        pb.redirectOutput(out);
        Process p = pb.start();
        boolean ended = p.waitFor(5, TimeUnit.MINUTES);
        if (!ended) p.destroyForcibly();
        ActionResult r = ActionRun.collect(ended ? p.exitValue() : -1, Files.readString(out.toPath(), StandardCharsets.UTF_8), env);

        assertThat(ended).isTrue();
        assertThat(r.log()).doesNotContain("OutOfMemoryError").doesNotContain("ran out of memory");
        assertThat(r.exitCode()).as(r.toString().substring(0, Math.min(4000, r.toString().length()))).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("failure");
        assertThat(r.output("phase")).isEqualTo("ERROR");
        assertThat(r.summary()).startsWith("### ❌ Deployment of shop-web failed");
        assertThat(sim.logDownloads()).as("every archive was read").isGreaterThanOrEqualTo(100);
        assertThat(r.output("deploy_logs").getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(300 * 1024);
        assertThat(r.log()).contains("only the last 1 MiB is shown");
    }

    // ---- every wait ends -------------------------------------------------------------------------------------------

    /** A run on real time with {@code timeout: 5s} that must end within 5 s + 10 s. */
    ActionResult boundedRun(ActionRun run) {
        return assertTimeoutPreemptively(Duration.ofSeconds(15), () -> run.with("timeout", "5s").run());
    }

    @Test
    void aStalledBodyEndsWithinTheTimeout() {
        String appId = sim.seedApp(IMAGE_SPEC);
        sim.inject(LoopbackServer.Fault.stallBody(LoopbackServer.matching("GET", "/v2/apps/.*/deployments/.*"), 100,
                Duration.ofSeconds(60)));
        ActionResult r = boundedRun(deploy().with("app-id", appId).with("images", "api=:v2"));

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("timeout");
        assertThat(r.summary()).startsWith("### ⏱️ Deployment of shop-api timed out");
        assertThat(r.output("phase")).isNotEmpty();
    }

    @Test
    void anEndlessBodyEndsWithinTheTimeout() {
        String appId = sim.seedApp(IMAGE_SPEC);
        sim.inject(LoopbackServer.Fault.endlessBody(LoopbackServer.matching("GET", "/v2/apps/.*/deployments/.*"), 100));
        ActionResult r = boundedRun(deploy().with("app-id", appId).with("images", "api=:v2"));

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.errors().get(0).data()).contains("larger than");
        assertThat(r.summary()).contains("provider or infrastructure error");
    }

    @Test
    void aDeploymentThatNeverEndsEndsTheStepAtTheTimeout() {
        sim.phaseDurations(Duration.ofSeconds(10), Duration.ofDays(3), Duration.ofSeconds(10), Duration.ofSeconds(40));
        ActionResult r = boundedRun(deploy());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("timeout");
        assertThat(r.output("phase")).isEqualTo("BUILDING");
        assertThat(r.errors().get(0).data()).contains("timeout: 5s");
        assertThat(r.summary()).startsWith("### ⏱️ Deployment of shop-web timed out in phase BUILDING");
    }
}
