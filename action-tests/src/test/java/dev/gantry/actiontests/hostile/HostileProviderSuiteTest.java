package dev.gantry.actiontests.hostile;

import dev.gantry.actiontests.digitalocean.SampleSpecs;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.digitalocean.AppPlatformSimulator;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionProcess;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.Hostile;
import dev.gantry.actiontests.prisma.Postgres;
import dev.gantry.actiontests.prisma.PrismaWorkspace;
import dev.gantry.actiontests.vercel.ScaledClock;
import dev.gantry.actiontests.vercel.VercelSimulator;
import dev.gantry.common.testing.LoopbackServer;
import dev.gantry.common.testing.LoopbackServer.Fault;
import dev.gantry.common.testing.LoopbackServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.gantry.common.testing.LoopbackServer.matching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18's suite: every action against a hostile provider, each run as the runner runs it (a JVM of its own with
 * the image's classpath) on a 256 MiB heap, on real time. For every run it counts what the runner would see:
 * live workflow commands the provider planted, provider HTML or links that render in the summary or in a Markdown
 * body sent to GitHub, secrets (in any form) in the log, outputs, summary or what was sent to GitHub, and how long
 * the step outlived its {@code timeout}. The hostile-text rows of every action that writes to GitHub run on a pull
 * request of a (hostile) GitHub simulator, so its PR comments, issues and deployment statuses are checked too.
 * Each must be zero (and the overrun at most 10 s), with the documented exit code and a summary. The table of counts
 * is printed at the end. The per-provider tests (AppPlatformHostileTest, VercelHostileProviderTest,
 * SmokeTestHostileInputTest, DatabaseFailuresTest, the GitHub ownership tests) go into more cases each; this suite
 * is the one place that runs all five actions through the same checks.
 */
class HostileProviderSuiteTest {
    /** The bound on every wait: the step's timeout, plus this (JVM start included). */
    static final Duration OVERRUN = Duration.ofSeconds(10);
    static final List<String> JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    static final String SPEC = SampleSpecs.SOURCE;
    static final String IMAGE_SPEC = SampleSpecs.IMAGE;
    static final String SMOKE_SECRET = "smoke-bypass-7f3e9a1c55";
    static final String CAPTURED = "tok-captured-0a9b8c7d6e";

    /** PR the GitHub-on rows run on, and its head commit. */
    static final int PR = 7;
    static final String HEAD = "0b16c0ffee00000000000000000000000000a001";

    /** What one run came to, for the table ({@code github}: how many texts it sent to GitHub, -1 with GitHub off). */
    record Row(String action, String attack, int exit, String result, Duration took, Duration timeout, int planted,
               int markup, int leaks, boolean summary, int github) {
    }

    /**
     * One text the step sent to GitHub: {@code kind} is comment, issue or status (a deployment record or one of its
     * statuses); {@code markdown} when GitHub renders it as Markdown (comment and issue bodies), not as plain text.
     */
    record Sent(String kind, String where, String text, boolean markdown) {
    }

    static final List<Row> ROWS = new CopyOnWriteArrayList<>();
    /** Every text sent to GitHub, as checked (target/hostile-provider-suite-github.txt, for whoever reads the table). */
    static final StringBuffer BODIES = new StringBuffer();

    /**
     * A prepared run: the step, the secrets it holds, what it sent to GitHub (null with GitHub off), the kinds of
     * text it must have sent there (so the checks cannot pass on nothing), and what to close afterwards.
     */
    record Prepared(ActionRun run, List<String> secrets, Supplier<List<Sent>> sent, Set<String> mustSend,
                    List<AutoCloseable> close) {
        Prepared(ActionRun run, List<String> secrets, List<AutoCloseable> close) {
            this(run, secrets, null, Set.of(), close);
        }
    }

    @FunctionalInterface
    interface Setup {
        Prepared prepare() throws Exception;
    }

    record Attack(String action, String name, Duration timeout, Set<Integer> exits, String result, Setup setup) {
    }

    @TestFactory
    Stream<DynamicTest> everyActionAgainstAHostileProvider() {
        return attacks().stream().map(a -> DynamicTest.dynamicTest(a.action() + ": " + a.name(), () -> run(a)));
    }

    static void run(Attack a) throws Exception {
        Prepared p = a.setup().prepare();
        try {
            ActionResult r;
            Duration took;
            try (ActionProcess proc = ActionProcess.start(p.run(), JVM)) {
                long bound = (a.timeout() == null ? Duration.ofMinutes(3) : a.timeout().plus(OVERRUN).plusSeconds(30)).toSeconds();
                r = proc.await(bound);
                took = proc.elapsed();
            }
            List<Sent> sent = p.sent() == null ? List.of() : p.sent().get();
            for (Sent s : sent) BODIES.append("==== ").append(a.action()).append(": ").append(a.name()).append(" | ")
                    .append(s.where()).append('\n').append(s.text()).append('\n');
            List<String> sentMarkup = new ArrayList<>();
            for (Sent s : sent) {
                if (s.markdown()) Hostile.plantedMarkup(s.text()).forEach(m -> sentMarkup.add(s.where() + ": " + m));
            }
            int planted = Hostile.plantedCommands(r).size();
            int markup = Hostile.plantedMarkup(r.summary()).size() + sentMarkup.size();
            List<String> leaks = Hostile.leakedSecrets(r, p.secrets(), sent.stream().map(Sent::text).toList());
            ROWS.add(new Row(a.action(), a.name(), r.exitCode(), r.output("result"), took, a.timeout(), planted, markup,
                    leaks.size(), !r.summary().isBlank(), p.sent() == null ? -1 : sent.size()));

            String context = r.toString().substring(0, Math.min(6000, r.toString().length()));
            assertThat(r.log()).as("a JVM of 256 MiB is enough").doesNotContain("OutOfMemoryError");
            assertThat(r.exitCode()).as(context).isIn(a.exits());
            if (a.result() != null) assertThat(r.output("result")).as(context).isEqualTo(a.result());
            assertThat(Hostile.plantedCommands(r)).as("live commands planted by the provider").isEmpty();
            assertThat(Hostile.plantedMarkup(r.summary())).as("provider markup that renders in the summary").isEmpty();
            assertThat(sent).as("what the step sent to GitHub").extracting(Sent::kind).containsAll(p.mustSend());
            assertThat(sentMarkup).as("provider markup that renders in what was sent to GitHub").isEmpty();
            assertThat(leaks).as("secrets in what the step left").isEmpty();
            assertThat(r.summary()).as("every exit writes a summary, verdict first").isNotBlank();
            if (a.timeout() != null) {
                assertThat(took).as("ends within timeout %s plus %s", a.timeout(), OVERRUN).isLessThanOrEqualTo(a.timeout().plus(OVERRUN));
            }
        } finally {
            for (AutoCloseable c : p.close()) c.close();
        }
    }

    @AfterAll
    static void printTheCounts() {
        StringBuilder b = new StringBuilder("\nHostile-provider suite (issue 18): each run in its own JVM, -Xmx256m, real time\n");
        b.append(String.format("%-20s %-48s %4s %-12s %8s %8s %7s %6s %5s %7s %6s%n", "action", "attack", "exit", "result",
                "took", "timeout", "planted", "markup", "leaks", "summary", "github"));
        int planted = 0;
        int markup = 0;
        int leaks = 0;
        Duration worst = Duration.ZERO;
        for (Row r : ROWS) {
            b.append(String.format("%-20s %-48s %4d %-12s %7.1fs %8s %7d %6d %5d %7s %6s%n", r.action(), r.attack(), r.exit(),
                    r.result(), r.took().toMillis() / 1000.0, r.timeout() == null ? "-" : r.timeout().toSeconds() + "s",
                    r.planted(), r.markup(), r.leaks(), r.summary() ? "yes" : "NO", r.github() < 0 ? "off" : String.valueOf(r.github())));
            planted += r.planted();
            markup += r.markup();
            leaks += r.leaks();
            if (r.timeout() != null && r.took().minus(r.timeout()).compareTo(worst) > 0) worst = r.took().minus(r.timeout());
        }
        int github = ROWS.stream().mapToInt(r -> Math.max(0, r.github())).sum();
        b.append(String.format("%d runs over %d actions: %d live commands from provider text, %d provider markup in "
                        + "summaries and GitHub bodies, %d secrets leaked; worst overrun past the timeout %.1f s (bound %d s)%n",
                ROWS.size(), ROWS.stream().map(Row::action).distinct().count(), planted, markup, leaks,
                worst.toMillis() / 1000.0, OVERRUN.toSeconds()));
        b.append(String.format("markup: provider HTML, images and links that render in the step summary or in a Markdown body "
                + "sent to GitHub (PR comments, issue bodies); leaks: secrets, in any form, in the log, outputs, summary or "
                + "any text sent to GitHub; github: texts sent to GitHub and checked (%d in all: comments, issue titles and "
                + "bodies, deployment records and status descriptions/URLs), off where the run has no GitHub%n", github));
        System.out.println(b);
        try {
            // CI prints this file after the build (.ci/run): the counts belong in its output, not only in a report
            Files.writeString(Path.of("target", "hostile-provider-suite.txt"), b.toString());
            Files.writeString(Path.of("target", "hostile-provider-suite-github.txt"), BODIES.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- the attacks ---------------------------------------------------------------------------------------------

    static List<Attack> attacks() {
        List<Attack> a = new ArrayList<>();
        Duration five = Duration.ofSeconds(5);
        // do-deploy
        a.add(new Attack("do-deploy", "commands, Markdown, HTML in every field", null, Set.of(1), "failure", () -> {
            AppPlatformSimulator sim = digitalOcean();
            sim.hostile(Hostile.PAYLOAD);
            sim.failNextDeploy("web", Hostile.PAYLOAD, List.of(Hostile.PAYLOAD));
            // on a pull request, recording a GitHub deployment whose statuses say what DigitalOcean said
            ActionRun run = withSpec(doDeployRun(sim), SPEC).with("print-deploy-logs", "always").with("github-deployment", "true");
            return onPullRequest(run, List.of(AppPlatformSimulator.TOKEN), Set.of("status"), sim);
        }));
        a.add(new Attack("do-deploy", "body stalls after the headers", five, Set.of(1), "timeout", () -> {
            AppPlatformSimulator sim = digitalOcean();
            String app = sim.seedApp(IMAGE_SPEC);
            sim.inject(Fault.stallBody(matching("GET", "/v2/apps/.*/deployments/.*"), 100, Duration.ofSeconds(60)));
            return doDeploy(sim, doDeployRun(sim).with("app-id", app).with("images", "api=:v2").with("timeout", "5s"));
        }));
        a.add(new Attack("do-deploy", "body never ends", five, Set.of(3), null, () -> {
            AppPlatformSimulator sim = digitalOcean();
            String app = sim.seedApp(IMAGE_SPEC);
            sim.inject(Fault.endlessBody(matching("GET", "/v2/apps/.*/deployments/.*"), 100));
            return doDeploy(sim, doDeployRun(sim).with("app-id", app).with("images", "api=:v2").with("timeout", "5s"));
        }));
        a.add(new Attack("do-deploy", "deployment never ends", five, Set.of(1), "timeout", () -> {
            AppPlatformSimulator sim = digitalOcean();
            sim.phaseDurations(Duration.ofSeconds(10), Duration.ofDays(3), Duration.ofSeconds(10), Duration.ofSeconds(40));
            return doDeploy(sim, withSpec(doDeployRun(sim), SPEC).with("timeout", "5s"));
        }));
        a.add(new Attack("do-deploy", "100 log archives of 5 MB each", null, Set.of(1), "failure", () -> {
            AppPlatformSimulator sim = digitalOcean();
            sim.logArchives(100, 5 * 1024 * 1024);
            sim.failNextDeploy("web", "container exited with code 1", List.of("[deploy] Error: EADDRINUSE"));
            return doDeploy(sim, withSpec(doDeployRun(sim), SPEC).with("print-deploy-logs", "always"));
        }));
        // vercel-deploy
        a.add(new Attack("vercel-deploy", "commands, Markdown, HTML in every field", null, Set.of(0), "success", () -> {
            VercelSimulator sim = new VercelSimulator(new ScaledClock(20));
            sim.inspectorUrlSuffix(Hostile.ONE_LINE);
            sim.buildLines(List.of(Hostile.PAYLOAD, "::stop-commands::PWNED-TOK", "::error::PWNED-AFTER-STOP"));
            // on a pull request: the sticky comment and a GitHub deployment with its statuses
            ActionRun run = vercelRun(sim, "60s").with("github-comment", "true").with("github-deployment", "true");
            return onPullRequest(run, List.of(VercelSimulator.TOKEN), Set.of("comment", "status"), sim);
        }));
        a.add(new Attack("vercel-deploy", "body stalls after the headers", five, Set.of(1), "timeout", () -> {
            VercelSimulator sim = new VercelSimulator(new ScaledClock(20));
            sim.inject(Fault.stallBody(matching("GET", "/v13/deployments/dpl_.*"), 100, Duration.ofSeconds(60)));
            return vercel(sim, vercelRun(sim, "5s"));
        }));
        a.add(new Attack("vercel-deploy", "body never ends", five, Set.of(1, 3), null, () -> {
            VercelSimulator sim = new VercelSimulator(new ScaledClock(20));
            sim.inject(Fault.endlessBody(matching("GET", "/v9/projects/.*"), 100));
            return vercel(sim, vercelRun(sim, "5s"));
        }));
        a.add(new Attack("vercel-deploy", "deployment never READY, state carries commands", five, Set.of(1), "timeout", () -> {
            VercelSimulator sim = new VercelSimulator(new ScaledClock(20));
            sim.readyStateOverride("BUILDING\n::error::PWNED-STATE");
            return vercel(sim, vercelRun(sim, "5s"));
        }));
        // rollback
        a.add(new Attack("rollback", "DigitalOcean and GitHub both hostile", null, Set.of(0), "success", () -> {
            AppPlatformSimulator sim = digitalOcean();
            GitHubSimulator gh = new GitHubSimulator();
            String app = sim.seedApp(IMAGE_SPEC);
            deployAgain(sim, app);
            sim.hostile(Hostile.PAYLOAD);
            gh.hostileText(Hostile.PAYLOAD);
            ActionRun run = ActionRun.of("rollback").with("provider", "digitalocean").with("token", AppPlatformSimulator.TOKEN)
                    .with("app-id", app).with("api-url", sim.baseUrl().toString())
                    .with("reason", "smoke test failed " + Hostile.PAYLOAD.replace('\n', ' ')).gitHub(gh);
            return new Prepared(run, List.of(AppPlatformSimulator.TOKEN, GitHubSimulator.DEFAULT_TOKEN),
                    () -> githubTexts(gh), Set.of("issue"), List.of(sim, gh));
        }));
        a.add(new Attack("rollback", "DigitalOcean body stalls after the headers", five, Set.of(1), "timeout", () -> {
            AppPlatformSimulator sim = digitalOcean();
            String app = sim.seedApp(IMAGE_SPEC);
            deployAgain(sim, app);
            // the rollback is started; every poll of its deployment sends headers, then nothing
            sim.inject(Fault.stallBody(matching("GET", "/v2/apps/.*/deployments/.*"), 100, Duration.ofSeconds(60)));
            ActionRun run = ActionRun.of("rollback").with("provider", "digitalocean").with("token", AppPlatformSimulator.TOKEN)
                    .with("app-id", app).with("api-url", sim.baseUrl().toString()).with("incident", "false")
                    .with("timeout", "5s");
            return new Prepared(run, List.of(AppPlatformSimulator.TOKEN), List.of(sim));
        }));
        a.add(new Attack("rollback", "Vercel body stalls after the headers", five, Set.of(1, 3), null, () -> {
            VercelSimulator sim = new VercelSimulator(new ScaledClock(20));
            sim.seedProductionDeployment(VercelSimulator.PROJECT_ID, sim.clock().millis() - 7_200_000);
            sim.seedProductionDeployment(VercelSimulator.PROJECT_ID, sim.clock().millis() - 3_600_000);
            sim.inject(Fault.stallBody(matching("GET", "/v9/projects/.*"), 100, Duration.ofSeconds(60)));
            ActionRun run = ActionRun.of("rollback").with("provider", "vercel").with("vercel-token", VercelSimulator.TOKEN)
                    .with("vercel-org-id", VercelSimulator.TEAM_ID).with("vercel-project-id", VercelSimulator.PROJECT_ID)
                    .with("api-url", sim.baseUrl().toString()).with("incident", "false").with("timeout", "5s");
            return new Prepared(run, List.of(VercelSimulator.TOKEN), List.of(sim));
        }));
        // smoke-test: the app under test is the provider of text here
        a.add(new Attack("smoke-test", "responses carry commands, Markdown, HTML", null, Set.of(1), "fail", () -> {
            LoopbackServer app = hostileApp();
            ActionRun run = smokeRun(app, """
                    checks:
                      - name: login
                        request: { method: POST, path: /login }
                        capture: { token: { jsonpath: "$.token", secret: true } }
                        expect: { status: 200, jsonpath: { "$.ok": true, "$.message": "welcome" } }
                      - name: page
                        request: { path: /page }
                        expect: { status: 200, body: { contains: "never there" } }
                    """).with("comment-on-pr", "true");
            return onPullRequest(run, List.of(SMOKE_SECRET, CAPTURED), Set.of("comment"), app);
        }));
        a.add(new Attack("smoke-test", "body never ends", five, Set.of(3), "inconclusive", () -> {
            LoopbackServer app = hostileApp();
            app.inject(Fault.endlessBody(matching("GET", "/page"), 100));
            // a check that must read the body to judge it (one that needs only the status is judged without it);
            // smoke-test has no step timeout: its per-request timeout is the bound of this one request
            return new Prepared(smokeRun(app, "checks:\n  - name: page\n    request: { path: /page }\n"
                            + "    expect: { status: 200, jsonpath: { \"$.x\": { exists: true } } }\n")
                    .with("request-timeout", "5s"), List.of(SMOKE_SECRET), List.of(app));
        }));
        a.add(new Attack("smoke-test", "body stalls after the headers", five, Set.of(1), "fail", () -> {
            LoopbackServer app = hostileApp();
            app.inject(Fault.stallBody(matching("GET", "/page"), 100, Duration.ofSeconds(60)));
            ActionRun run = smokeRun(app, "checks:\n  - name: page\n    request: { path: /page }\n    expect: { status: 200 }\n")
                    .with("request-timeout", "5s");
            return new Prepared(run, List.of(SMOKE_SECRET), List.of(app));
        }));
        // prisma-migrate-gate: the database is the provider
        a.add(new Attack("prisma-migrate-gate", "database stalls after the SSL probe", Duration.ofSeconds(3), Set.of(3), null, () -> {
            StallingDatabase db = new StallingDatabase();
            ActionRun run = ActionRun.of("prisma-migrate-gate").with("database-url", "postgresql://app:Str4ng3-pw-91@127.0.0.1:"
                    + db.port() + "/shop").with("timeout", "3s");
            new PrismaWorkspace(run.workspace()).migration("20240101000000_init", PrismaWorkspace.INIT);
            return new Prepared(run, List.of("Str4ng3-pw-91"), List.of(db));
        }));
        a.add(new Attack("prisma-migrate-gate", "database errors carry commands, Markdown, HTML", null, Set.of(1), null, () -> {
            Postgres pg = Postgres.start();
            String url = pg.newDatabase();
            ActionRun run = ActionRun.of("prisma-migrate-gate").with("database-url", url).with("mode", "apply");
            // the markup also on the first line: that is the line the gate quotes in its report and PR comment
            String raise = (Hostile.PAYLOAD.substring(Hostile.PAYLOAD.indexOf("<img")) + " " + Hostile.PAYLOAD).replace("'", "''").replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
                    .replace("\u001b", "\\x1b").replace("\u0007", "\\x07");
            new PrismaWorkspace(run.workspace()).migration("20240101000000_init", PrismaWorkspace.INIT)
                    .migration("20240102000000_boom", "DO $$ BEGIN RAISE EXCEPTION E'" + raise + "'; END $$;\n");
            String password = URI.create(url.replace("postgresql://", "http://")).getUserInfo().split(":", 2)[1];
            // on a pull request: the gate's sticky comment carries the report
            return onPullRequest(run, List.of(java.net.URLDecoder.decode(password, java.nio.charset.StandardCharsets.UTF_8)),
                    Set.of("comment"), pg);
        }));
        return a;
    }

    // ---- DigitalOcean ----------------------------------------------------------------------------------------------

    /** App Platform on real time: a minute of its time passes with every request, so deploys end in a few polls. */
    static AppPlatformSimulator digitalOcean() {
        return new AppPlatformSimulator().tick(Duration.ofSeconds(60));
    }

    static ActionRun doDeployRun(AppPlatformSimulator sim) {
        return ActionRun.of("do-deploy").with("token", AppPlatformSimulator.TOKEN).with("api-url", sim.baseUrl().toString())
                .with("github-deployment", "false");
    }

    static ActionRun withSpec(ActionRun run, String spec) throws IOException {
        Path f = run.workspace().resolve(".do/app.yaml");
        Files.createDirectories(f.getParent());
        Files.writeString(f, spec);
        return run;
    }

    static Prepared doDeploy(AppPlatformSimulator sim, ActionRun run) {
        return new Prepared(run, List.of(AppPlatformSimulator.TOKEN), List.of(sim));
    }

    /** A second deployment through the API, live by the time the rollback starts (the first is the target). */
    static void deployAgain(AppPlatformSimulator sim, String app) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(sim.baseUrl() + "/v2/apps/" + app + "/deployments"))
                .header("Authorization", "Bearer " + AppPlatformSimulator.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        sim.clock().advance(Duration.ofMinutes(10));
    }

    // ---- Vercel ----------------------------------------------------------------------------------------------------

    static ActionRun vercelRun(VercelSimulator sim, String timeout) throws IOException {
        ActionRun run = ActionRun.of("vercel-deploy").with("vercel-token", VercelSimulator.TOKEN)
                .with("vercel-org-id", VercelSimulator.TEAM_ID).with("vercel-project-id", VercelSimulator.PROJECT_ID)
                .with("api-url", sim.baseUrl().toString()).with("github-comment", "false").with("timeout", timeout);
        Path ws = run.workspace();
        Files.writeString(ws.resolve("index.html"), "<!doctype html><title>shop</title>");
        Files.createDirectories(ws.resolve("assets"));
        Files.writeString(ws.resolve("assets/app.js"), "console.log('shop')");
        return run;
    }

    static Prepared vercel(VercelSimulator sim, ActionRun run) {
        return new Prepared(run, List.of(VercelSimulator.TOKEN), List.of(sim));
    }

    // ---- GitHub ----------------------------------------------------------------------------------------------------

    /**
     * The step on pull request {@link #PR} of a hostile GitHub simulator (its token, the workflow's, is one more secret to
     * keep), closed after the run with {@code provider}; everything the step writes to GitHub is checked.
     */
    static Prepared onPullRequest(ActionRun run, List<String> secrets, Set<String> mustSend, AutoCloseable provider) {
        // GitHub is hostile too: the text fields of its answers (environment, description, state, titles) carry the payload
        GitHubSimulator gh = new GitHubSimulator().pullRequest(PR, HEAD, "feature/cart").hostileText(Hostile.PAYLOAD);
        run.pullRequest(PR, HEAD, "feature/cart").gitHub(gh);
        List<String> all = new ArrayList<>(secrets);
        all.add(GitHubSimulator.DEFAULT_TOKEN);
        return new Prepared(run, all, () -> githubTexts(gh), mustSend, List.of(provider, gh));
    }

    /**
     * Every text the step sent to GitHub: issue titles and bodies, comments on issues and pull requests (Markdown),
     * deployment records and their statuses (plain text: description, environment, payload, URLs).
     */
    static List<Sent> githubTexts(GitHubSimulator gh) {
        List<Sent> out = new ArrayList<>();
        for (JsonNode issue : gh.issues()) {
            String where = "issue #" + issue.path("number").asInt();
            out.add(new Sent("issue", where + " title", issue.path("title").asText(), true));
            out.add(new Sent("issue", where + " body", issue.path("body").asText(), true));
        }
        for (JsonNode c : gh.allComments()) {
            out.add(new Sent("comment", "comment on #" + c.path("issue_url").asText().replaceAll(".*/", ""),
                    c.path("body").asText(), true));
        }
        for (JsonNode d : gh.deployments()) {
            long id = d.path("id").asLong();
            out.add(new Sent("status", "deployment " + id, String.join("\n", d.path("environment").asText(),
                    d.path("description").asText(), d.path("payload").toString()), false));
            for (JsonNode st : gh.statuses(id)) {
                out.add(new Sent("status", "deployment " + id + " status " + st.path("state").asText(), String.join("\n",
                        st.path("description").asText(), st.path("environment_url").asText(), st.path("log_url").asText(),
                        st.path("target_url").asText()), false));
            }
        }
        return out;
    }

    // ---- smoke-test ------------------------------------------------------------------------------------------------

    /** An app whose every answer carries the payload: in bodies, headers and JSON values. */
    static LoopbackServer hostileApp() {
        LoopbackServer app = new LoopbackServer();
        app.route("POST", "/login", (r, m) -> Reply.json(200, Map.of("token", CAPTURED, "ok", false, "message", Hostile.PAYLOAD)));
        app.route("GET", "/page", (r, m) -> Reply.text(200, Hostile.PAYLOAD + "\n" + Hostile.PAYLOAD)
                .withHeader("X-Note", Hostile.ONE_LINE));
        return app;
    }

    static ActionRun smokeRun(LoopbackServer app, String checks) throws IOException {
        ActionRun run = ActionRun.of("smoke-test").with("url", app.baseUrl().toString()).with("wait-timeout", "0")
                .with("bypass-header", "x-vercel-protection-bypass: " + SMOKE_SECRET);
        Files.writeString(run.workspace().resolve("smoke.yml"), checks);
        return run.with("checks", "smoke.yml");
    }

    // ---- the database ----------------------------------------------------------------------------------------------

    /** A PostgreSQL stand-in that accepts, answers the SSL probe with 'N', then says nothing (a hung pooler). */
    static final class StallingDatabase implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread acceptor;

        StallingDatabase() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        held.add(s);
                        InputStream in = s.getInputStream();
                        in.readNBytes(8);
                        s.getOutputStream().write('N');
                        s.getOutputStream().flush();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : held) s.close();
            acceptor.interrupt();
        }
    }

    static {
        // the suite's own sanity: the payload must hold every construct the checks look for
        for (String must : List.of("::error::", "##[", "::add-mask::", "::stop-commands::", "<img", "](https://evil", "</details>")) {
            if (!Hostile.PAYLOAD.contains(must)) throw new UncheckedIOException(new IOException("payload lacks " + must));
        }
    }
}
