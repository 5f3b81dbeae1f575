package dev.gantry.actiontests.vercel;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.Project;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conformance peer: the real Vercel CLI (npm {@code vercel}, pinned by {@code .ci/setup-vercel-cli}) deploys a
 * fixture against our simulator through its hidden {@code --api} flag and succeeds, and our action, deploying the
 * same tree against the same simulator, produces the same deployment (same files, same digests) without
 * uploading anything the CLI already uploaded. Skips with a message where the CLI is not installed, except in CI
 * ({@code CI=true}), where a missing CLI fails the test.
 */
class VercelCliConformanceTest {
    private VercelSimulator sim;
    private Path cli;

    @BeforeEach
    void setUp() {
        String env = System.getenv("VERCEL_CLI");
        cli = env != null && !env.isBlank() ? Path.of(env)
                : Project.root().resolve(".ci/work/vercel-cli/node_modules/.bin/vercel");
        boolean installed = Files.isExecutable(cli);
        // in CI (.ci/run installs the CLI through .ci/setup-vercel-cli) a missing CLI is a broken set-up step, not a
        // reason to skip: a silent skip there would hide that the conformance test never ran
        if (!installed && "true".equals(System.getenv("CI"))) {
            Assertions.fail("Vercel CLI not installed at " + cli + " while CI=true: .ci/setup-vercel-cli did not install "
                    + "it (see .ci/work/vercel-cli.log; it needs npm and registry access), so the conformance test "
                    + "cannot run");
        }
        Assumptions.assumeTrue(installed,
                "Vercel CLI not installed at " + cli + ": run .ci/setup-vercel-cli (needs npm) to run the conformance test");
        sim = new VercelSimulator(new ScaledClock(20));
    }

    @AfterEach
    void tearDown() {
        if (sim != null) sim.close();
    }

    record CliRun(int exit, String stdout, String stderr) {
    }

    private CliRun vercel(Path dir, String... args) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("gantry-vercel-home");
        List<String> cmd = new ArrayList<>(List.of(cli.toString(), "deploy", "--api", sim.baseUrl().toString(),
                "--token", VercelSimulator.TOKEN, "--yes"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        e.put("HOME", home.toString());
        e.put("VERCEL_TELEMETRY_DISABLED", "1");
        e.put("NO_UPDATE_NOTIFIER", "1");
        e.put("CI", "1");
        e.put("VERCEL_ORG_ID", VercelSimulator.TEAM_ID);
        e.put("VERCEL_PROJECT_ID", VercelSimulator.PROJECT_ID);
        Path out = home.resolve("stdout");
        Path err = home.resolve("stderr");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("the Vercel CLI did not finish in 120 s:\n" + Files.readString(err));
            }
        } finally {
            p.destroyForcibly();
        }
        return new CliRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static String lastLine(String s) {
        String[] lines = s.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    @Test
    void theCliDeploysAgainstTheSimulatorAndOurActionProducesTheSameDeployment() throws Exception {
        Path site = Fixtures.site(Files.createTempDirectory("gantry-cli-site"));
        Fixtures.write(site, Map.of(".env", "SECRET=from-dotenv\n"));

        CliRun run = vercel(site);
        assertThat(run.exit()).as(run.stderr()).isZero();
        String cliDeployment = sim.deploymentIds().get(0);
        assertThat(lastLine(run.stdout())).isEqualTo("https://" + sim.deploymentJson(cliDeployment).path("url").asText());
        assertThat(sim.state(cliDeployment)).isEqualTo("READY");
        // the CLI's sequence: create → missing_files → uploads with x-now-digest → the same create again
        assertThat(sim.requests("POST", "/v13/deployments")).hasSize(2);
        assertThat(sim.requests("POST", "/v2/files")).isNotEmpty().allSatisfy(r -> {
            assertThat(r.header("x-now-digest")).matches("[0-9a-f]{40}");
            assertThat(r.header("x-now-size")).isEqualTo(Integer.toString(r.body().length));
        });
        assertThat(sim.requests("GET", "/v3/now/deployments/.*/events")).isNotEmpty();
        Map<String, VercelSimulator.DeployedFile> cliFiles = sim.files(cliDeployment);
        // the CLI uploads .env (the leak our action does not repeat)
        assertThat(cliFiles).containsKey(".env");
        int uploadsByCli = sim.uploads();
        sim.clearRequests(); // the contract check below is about our client's traffic

        ActionRun action = ActionRun.of("vercel-deploy")
                .with("vercel-token", VercelSimulator.TOKEN).with("vercel-org-id", VercelSimulator.TEAM_ID)
                .with("vercel-project-id", VercelSimulator.PROJECT_ID).with("api-url", sim.baseUrl().toString())
                .with("github-comment", "false").workspace(site);
        ActionResult r = action.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, VercelSimulator.DeployedFile> ours = sim.files(r.output("deployment-id"));
        Set<String> expected = new TreeSet<>(cliFiles.keySet());
        expected.remove(".env");
        assertThat(new TreeSet<>(ours.keySet())).isEqualTo(expected);
        for (String f : expected) {
            assertThat(ours.get(f)).as(f).isEqualTo(cliFiles.get(f));
        }
        assertThat(sim.uploads()).as("everything was uploaded by the CLI already").isEqualTo(uploadsByCli);
        assertThat(VercelContract.problems(sim.exchanges())).isEmpty();
    }

    @Test
    void theCliDeploysToProductionWithATarballAndTheSimulatorUnpacksIt() throws Exception {
        Path site = Fixtures.site(Files.createTempDirectory("gantry-cli-tgz"));
        CliRun run = vercel(site, "--prod", "--archive=tgz");
        assertThat(run.exit()).as(run.stderr()).isZero();
        String id = sim.deploymentIds().get(0);
        assertThat(sim.requests("POST", "/v2/files")).hasSize(1);
        assertThat(sim.files(id).keySet()).contains("index.html", "app.js", "assets/app-copy.js", ".vercelignore")
                .doesNotContain("node_modules/left-pad/index.js");
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(id);
        // observed: the CLI lists a directory whose files are all ignored ("drafts/" in .vercelignore) as an entry,
        // and its tarball packs that directory whole, so the ignored file is deployed anyway
        assertThat(sim.files(id)).containsKey("drafts/secret-plan.md");

        ActionRun action = ActionRun.of("vercel-deploy")
                .with("vercel-token", VercelSimulator.TOKEN).with("vercel-org-id", VercelSimulator.TEAM_ID)
                .with("vercel-project-id", VercelSimulator.PROJECT_ID).with("api-url", sim.baseUrl().toString())
                .with("github-comment", "false").with("prod", "true").with("archive", "tgz").workspace(site);
        ActionResult r = action.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Set<String> ours = sim.files(r.output("deployment-id")).keySet();
        Set<String> cli = new TreeSet<>(sim.files(id).keySet());
        cli.remove("drafts/secret-plan.md");
        assertThat(new TreeSet<>(ours)).isEqualTo(cli);
        assertThat(r.output("previous-production-deployment-id")).isEqualTo(id);
    }

    @Test
    void prebuiltOutputIsTheSameFromTheCliAndFromUs() throws Exception {
        Path site = Fixtures.write(Files.createTempDirectory("gantry-cli-prebuilt"), Map.of(
                ".vercel/output/config.json", "{\"version\":3}",
                ".vercel/output/builds.json", "{\"target\":\"preview\",\"builds\":[]}",
                ".vercel/output/static/index.html", "<h1>built</h1>",
                ".vercel/output/static/app.js", "console.log(1)",
                "src/page.js", "source, not sent"));
        CliRun run = vercel(site, "--prebuilt");
        assertThat(run.exit()).as(run.stderr()).isZero();
        String cliDeployment = sim.deploymentIds().get(0);
        assertThat(sim.requests("POST", "/v13/deployments").get(0).param("prebuilt")).isEqualTo("1");

        ActionRun action = ActionRun.of("vercel-deploy")
                .with("vercel-token", VercelSimulator.TOKEN).with("vercel-org-id", VercelSimulator.TEAM_ID)
                .with("vercel-project-id", VercelSimulator.PROJECT_ID).with("api-url", sim.baseUrl().toString())
                .with("github-comment", "false").with("prebuilt", "true").workspace(site);
        ActionResult r = action.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.files(r.output("deployment-id"))).isEqualTo(sim.files(cliDeployment));
        assertThat(sim.files(cliDeployment)).doesNotContainKey("src/page.js");
    }

    @Test
    void theCliFailsOnABuildErrorAsOurActionDoes() throws Exception {
        sim.failNextBuild("BUILD_FAILED", "Command \"npm run build\" exited with 1");
        Path site = Fixtures.site(Files.createTempDirectory("gantry-cli-err"));
        CliRun run = vercel(site);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("exited with 1");
    }

    /** The CLI's and our create calls (the second of each: after the uploads), compared field by field. */
    private void compareCreateBodies(String cliId, String oursId, java.util.Set<String> allowedFileDifferences) {
        com.fasterxml.jackson.databind.JsonNode cli = sim.createBody(cliId);
        com.fasterxml.jackson.databind.JsonNode ours = sim.createBody(oursId);
        // every field that comes from vercel.json: the same keys with the same values. Left out of that comparison,
        // each for a reason:
        java.util.Set<String> notFromVercelJson = java.util.Set.of(
                // the project's name and id: both sides send them from the project, not from vercel.json; equal
                // values are asserted below
                "name", "project",
                // the CLI reads the local git checkout; vercel-deploy reads the GitHub context and adds its request key
                "meta", "gitMetadata",
                // compared as a whole below
                "projectSettings",
                // source "cli", version 2: what the CLI says of itself; not in the API's schema, and not ours to claim
                "source", "version",
                // compared entry by entry below
                "files",
                // set by --prod/--target (prod/target inputs), not by vercel.json: the CLI leaves it out for a
                // preview and so do we; the effective target (absent = preview) is asserted equal below
                "target",
                // who runs the CLI, filled in by the CLI from its own login/environment: not from vercel.json,
                // projectSettings or the file list, and vercel-deploy has no such fact to send
                "actor",
                // a flag of the deploy command (--skip-domain), not of vercel.json: the CLI sends its value,
                // vercel-deploy sends false only for auto-assign-custom-domains: false and otherwise leaves Vercel's
                // default (true); the effective value is asserted equal below
                "autoAssignCustomDomains");
        java.util.Set<String> cliKeys = new TreeSet<>();
        cli.fieldNames().forEachRemaining(cliKeys::add);
        java.util.Set<String> ourKeys = new TreeSet<>();
        ours.fieldNames().forEachRemaining(ourKeys::add);
        cliKeys.removeAll(notFromVercelJson);
        ourKeys.removeAll(notFromVercelJson);
        assertThat(ourKeys).as("top-level keys from vercel.json, env, build, regions").isEqualTo(cliKeys);
        for (String k : cliKeys) assertThat(ours.get(k)).as(k).isEqualTo(cli.get(k));
        assertThat(ours.path("name").asText()).as("name").isEqualTo(cli.path("name").asText());
        assertThat(ours.path("project").asText()).as("project").isEqualTo(cli.path("project").asText());
        assertThat(ours.path("target").asText("preview")).as("target (absent: preview)")
                .isEqualTo(cli.path("target").asText("preview"));
        assertThat(ours.path("autoAssignCustomDomains").asBoolean(true)).as("autoAssignCustomDomains (absent: true)")
                .isEqualTo(cli.path("autoAssignCustomDomains").asBoolean(true));
        // projectSettings as a whole
        assertThat(ours.get("projectSettings")).as("projectSettings").isEqualTo(cli.get("projectSettings"));
        // the file list: path, digest, size and mode of every entry
        Map<String, com.fasterxml.jackson.databind.JsonNode> cliFiles = new java.util.TreeMap<>();
        cli.path("files").forEach(f -> cliFiles.put(f.path("file").asText(), f));
        Map<String, com.fasterxml.jackson.databind.JsonNode> ourFiles = new java.util.TreeMap<>();
        ours.path("files").forEach(f -> ourFiles.put(f.path("file").asText(), f));
        allowedFileDifferences.forEach(cliFiles::remove);
        assertThat(ourFiles.keySet()).as("files").isEqualTo(cliFiles.keySet());
        for (String f : cliFiles.keySet()) assertThat(ourFiles.get(f)).as(f).isEqualTo(cliFiles.get(f));
        // allowed file differences (allowedFileDifferences), with the reason:
        //  - .env (real env files): the CLI uploads them; we leave them out on purpose (secrets)
    }

    @Test
    void withAVercelJsonTheCreateBodiesMatchFieldByField() throws Exception {
        Path site = Fixtures.site(Files.createTempDirectory("gantry-cli-vercel-json"));
        Fixtures.write(site, Map.of("vercel.json", "{\"$schema\": \"https://openapi.vercel.sh/vercel.json\", "
                        + "\"buildCommand\": \"npm run build:web\", \"outputDirectory\": \"public\", \"framework\": null, "
                        + "\"installCommand\": \"npm ci\", \"ignoreCommand\": \"git diff --quiet\", \"cleanUrls\": true, "
                        + "\"trailingSlash\": false, \"regions\": [\"fra1\"], \"env\": {\"A\": \"1\"}, \"build\": {\"env\": {\"B\": \"2\"}}, "
                        + "\"headers\": [{\"source\": \"/(.*)\", \"headers\": [{\"key\": \"X-Frame-Options\", \"value\": \"DENY\"}]}], "
                        + "\"rewrites\": [{\"source\": \"/api/(.*)\", \"destination\": \"/api\"}], "
                        + "\"crons\": [{\"path\": \"/api/cron\", \"schedule\": \"0 5 * * *\"}], \"images\": {\"sizes\": [256]}, "
                        + "\"git\": {\"deploymentEnabled\": false}}",
                "package.json", "{\"engines\": {\"node\": \"20.x\"}}",
                ".env.example", "A=placeholder\n", ".env.sample", "B=placeholder\n", "empty/.keep-me-not", ""));
        Files.delete(site.resolve("empty/.keep-me-not"));
        CliRun run = vercel(site);
        assertThat(run.exit()).as(run.stderr()).isZero();
        String cliId = sim.deploymentIds().get(0);

        ActionResult r = ActionRun.of("vercel-deploy")
                .with("vercel-token", VercelSimulator.TOKEN).with("vercel-org-id", VercelSimulator.TEAM_ID)
                .with("vercel-project-id", VercelSimulator.PROJECT_ID).with("api-url", sim.baseUrl().toString())
                .with("github-comment", "false").workspace(site).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        compareCreateBodies(cliId, r.output("deployment-id"), java.util.Set.of());
        assertThat(sim.createBody(cliId).has("images")).isFalse();
        assertThat(sim.createBody(cliId).path("projectSettings").path("commandForIgnoringBuildStep").asText()).isEqualTo("git diff --quiet");
        assertThat(sim.files(cliId)).containsKeys(".env.example", ".env.sample", "empty", "drafts");
    }

    @Test
    void forAProjectWithARootDirectoryTheCreateBodiesMatchFieldByField() throws Exception {
        sim.rootDirectory(VercelSimulator.PROJECT_ID, "apps/crm-dashboard", true);
        Path repo = Fixtures.monorepo(Files.createTempDirectory("gantry-cli-monorepo"));
        Files.delete(repo.resolve("apps/crm-dashboard/.env")); // the one file the CLI sends and we do not
        CliRun run = vercel(repo);
        assertThat(run.exit()).as(run.stderr()).isZero();
        String cliId = sim.deploymentIds().get(0);
        assertThat(sim.createBody(cliId).path("projectSettings").path("rootDirectory").asText()).isEqualTo("apps/crm-dashboard");

        ActionResult r = ActionRun.of("vercel-deploy")
                .with("vercel-token", VercelSimulator.TOKEN).with("vercel-org-id", VercelSimulator.TEAM_ID)
                .with("vercel-project-id", VercelSimulator.PROJECT_ID).with("api-url", sim.baseUrl().toString())
                .with("github-comment", "false").workspace(repo).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        compareCreateBodies(cliId, r.output("deployment-id"), java.util.Set.of());
        assertThat(sim.files(cliId)).containsKeys("apps/marketing-site/pages/index.js", "apps/crm-dashboard/public/uploads");
    }
}
