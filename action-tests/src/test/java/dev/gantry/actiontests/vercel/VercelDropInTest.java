package dev.gantry.actiontests.vercel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps written for amondnet/vercel-action, run exactly as written with only {@code uses:} changed: the runner hands
 * every {@code with:} key to the container, declared or not; each deploys what the anchor would have deployed, or
 * stops with exit 2 naming the input and the line to write. Also the monorepo rules (Root Directory) and a
 * production deploy after an instant rollback.
 */
class VercelDropInTest {
    /** The seeds' step (issue 21), verbatim. */
    static final String SEED_STEP = "{ vercel-token: ${{ secrets.VERCEL_TOKEN }}, vercel-org-id: ${{ secrets.VERCEL_ORG_ID }}, "
            + "vercel-project-id: ${{ secrets.VERCEL_PROJECT_ID }}, working-directory: apps/crm-dashboard, github-comment: false, "
            + "prod: ${{ github.ref == 'refs/heads/main' }} }";
    /** The common amondnet form. */
    static final String ARGS_STEP = "{ vercel-token: ${{ secrets.VERCEL_TOKEN }}, vercel-org-id: ${{ secrets.VERCEL_ORG_ID }}, "
            + "vercel-project-id: ${{ secrets.VERCEL_PROJECT_ID }}, working-directory: apps/crm-dashboard, vercel-args: '--prod' }";
    private static final Pattern ENTRY = Pattern.compile("\\s*([a-z-]+):\\s*('[^']*'|\\$\\{\\{.*?}}|[^,}]*)\\s*[,}]");

    VercelSimulator sim;

    @BeforeEach
    void start() {
        sim = new VercelSimulator(new ScaledClock(0));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** A step's {@code with:} flow mapping, its expressions evaluated as the runner would, on {@code ref}. */
    ActionRun step(String with, String ref) {
        ActionRun run = ActionRun.of("vercel-deploy").env("GITHUB_REF", ref)
                .env("GITHUB_REF_NAME", ref.replace("refs/heads/", "")).time(sim.time());
        Map<String, String> secrets = Map.of("VERCEL_TOKEN", VercelSimulator.TOKEN, "VERCEL_ORG_ID", VercelSimulator.TEAM_ID,
                "VERCEL_PROJECT_ID", VercelSimulator.PROJECT_ID);
        Map<String, String> values = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(with.substring(with.indexOf('{') + 1));
        while (m.find()) {
            String v = m.group(2).trim();
            if (v.startsWith("${{")) {
                String expr = v.substring(3, v.length() - 2).trim();
                v = expr.startsWith("secrets.") ? secrets.get(expr.substring(8))
                        : expr.equals("github.ref == 'refs/heads/main'") ? Boolean.toString(ref.equals("refs/heads/main")) : null;
                if (v == null) throw new IllegalArgumentException("cannot evaluate " + expr);
            } else if (v.startsWith("'")) {
                v = v.substring(1, v.length() - 1);
            }
            values.put(m.group(1), v);
        }
        values.put("api-url", sim.baseUrl().toString()); // the simulator's seam, the one line a test adds
        values.forEach((k, v) -> {
            if (run.metadata().inputs().containsKey(k)) run.with(k, v);
            else run.unexpected(k, v);
        });
        Fixtures.monorepo(run.workspace());
        return run;
    }

    /** The step with one more {@code with:} entry. */
    static String plus(String step, String entry) {
        return step.substring(0, step.lastIndexOf('}')) + ", " + entry + " }";
    }

    @Test
    void theSeedsStepDeploysTheAppFolderAsTheAnchorDid() {
        ActionResult r = step(SEED_STEP, "refs/heads/feature/login").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String id = r.output("deployment-id");
        // what `vercel deploy` run in apps/crm-dashboard sends: that folder, .env left out, the template and the
        // empty folder in
        assertThat(sim.files(id).keySet()).containsExactlyInAnyOrder("package.json", "pages/index.js", "vercel.json",
                ".env.example", "public/uploads");
        assertThat(sim.files(id).get("public/uploads").mode()).isEqualTo(040755);
        JsonNode body = sim.createBody(id);
        assertThat(body.has("target")).as("a branch: a preview, as the anchor").isFalse();
        assertThat(body.path("cleanUrls").asBoolean()).isTrue();
        assertThat(body.path("regions").get(0).asText()).isEqualTo("fra1");
        assertThat(body.path("projectSettings").path("buildCommand").asText()).isEqualTo("npm run build");
        assertThat(body.path("projectSettings").path("nodeVersion").asText()).isEqualTo("22.x");
        assertThat(r.output("preview-name")).isEqualTo(VercelSimulator.PROJECT_NAME);
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w.data()).startsWith("Not uploading .env: "));
        assertThat(r.warnings()).as("prod is false: nothing differs").noneSatisfy(w -> assertThat(w.data()).contains("prod"));
        assertThat(VercelContract.problems(sim.exchanges())).isEmpty();

        // on main, prod is true: amondnet has no prod input (it deployed a preview); vercel-deploy deploys production
        ActionResult main = step(SEED_STEP, "refs/heads/main").run();
        assertThat(main.exitCode()).as(main.toString()).isZero();
        assertThat(sim.createBody(main.output("deployment-id")).path("target").asText()).isEqualTo("production");
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(main.output("deployment-id"));
        // ...and says so: the one place the moved step differs from what the anchor did
        assertThat(main.warnings()).as(main.toString()).filteredOn(w -> w.data().startsWith("prod: true deploys to production"))
                .singleElement().satisfies(w -> assertThat(w.data())
                        .contains("amondnet/vercel-action has no prod input").contains("deployed a preview there")
                        .contains("remove the line `prod: ...`"));

        // a step that sets an input only vercel-deploy has was written for it: production, no warning
        ActionResult own = step(plus(SEED_STEP, "timeout: 10m"), "refs/heads/main").run();
        assertThat(own.exitCode()).as(own.toString()).isZero();
        assertThat(sim.createBody(own.output("deployment-id")).path("target").asText()).isEqualTo("production");
        assertThat(own.warnings()).noneSatisfy(w -> assertThat(w.data()).contains("amondnet"));

        // an amondnet-only input (vercel-args) marks the step as amondnet's even beside one of vercel-deploy's own
        ActionResult mixed = step(plus(plus(SEED_STEP, "timeout: 10m"), "vercel-args: '--force'"), "refs/heads/main").run();
        assertThat(mixed.exitCode()).as(mixed.toString()).isZero();
        assertThat(mixed.warnings()).anySatisfy(w -> assertThat(w.data()).startsWith("prod: true deploys to production"));
    }

    /** amondnet's default (CLI) mode ignores its typed inputs; vercel-deploy applies them, and says so. */
    @Test
    void typedInputsAmondnetIgnoresInItsCliModeAreAppliedWithAWarning() {
        ActionResult r = step(plus(ARGS_STEP, "regions: fra1"), "refs/heads/main").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.createBody(r.output("deployment-id")).path("regions").toString()).contains("fra1");
        assertThat(r.warnings()).filteredOn(w -> w.data().startsWith("Input 'regions'")).singleElement()
                .satisfies(w -> assertThat(w.data()).contains("only with experimental-api: true").contains("remove the line `regions: ...`"));

        // in experimental-api mode amondnet applied it too: nothing differs, nothing said
        ActionResult api = step(plus(plus(SEED_STEP, "experimental-api: true"), "regions: fra1"), "refs/heads/feature").run();
        assertThat(api.exitCode()).as(api.toString()).isZero();
        assertThat(api.warnings()).noneSatisfy(w -> assertThat(w.data()).startsWith("Input 'regions'"));
    }

    @Test
    void vercelArgsProdDeploysToProduction() {
        ActionResult r = step(ARGS_STEP, "refs/heads/main").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(sim.createBody(r.output("deployment-id")).path("target").asText()).isEqualTo("production");
        assertThat(r.output("ready-substate")).isEqualTo("PROMOTED");
        assertThat(r.output("production-deployment-id")).isEqualTo(r.output("deployment-id"));
        assertThat(r.log()).contains("vercel-args read as: prod: true");
        assertThat(r.warnings()).as("--prod: production under amondnet too").noneSatisfy(w -> assertThat(w.data()).contains("amondnet"));

        ActionResult more = step(ARGS_STEP.replace("'--prod'", "'--prod --force -e API=crm-api-v2 --build-env \"B=two words\" "
                + "--regions sfo1,iad1 -m team=crm --scope sim-team'"), "refs/heads/main").run();
        assertThat(more.exitCode()).as(more.toString()).isZero();
        JsonNode body = sim.createBody(more.output("deployment-id"));
        assertThat(body.path("env").path("API").asText()).isEqualTo("crm-api-v2");
        assertThat(body.path("build").path("env").path("B").asText()).isEqualTo("two words");
        assertThat(body.path("regions").toString()).isEqualTo("[\"sfo1\",\"iad1\"]");
        assertThat(body.path("meta").path("team").asText()).isEqualTo("crm");
        assertThat(sim.requests("GET", "/v2/teams/sim-team")).hasSize(1);
        assertThat(sim.requests("POST", "/v13/deployments").getLast().param("forceNew")).isEqualTo("1");
    }

    @Test
    void anchorInputsThatCannotBeHonouredStopWithTheLineToWrite() {
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("vercel-version: 25.1.0", new String[]{"vercel-version", "Remove the line `vercel-version: 25.1.0`"});
        cases.put("zeit-token: abc", new String[]{"zeit-token", "vercel-token: ${{ secrets.VERCEL_TOKEN }}"});
        cases.put("now-args: '--prod'", new String[]{"now-args", "vercel-args: --prod"});
        cases.put("vercel-build: true", new String[]{"vercel-build", "prebuilt: true"});
        cases.put("vercel-args: '--prod --no-wait'", new String[]{"vercel-args", "--no-wait"});
        cases.put("vercel-args: '--prod -t tok'", new String[]{"vercel-args", "vercel-token:"});
        cases.put("alias-domain: x.example.com", new String[]{"alias-domain", "not an input of vercel-deploy"});
        cases.put("root-directory: apps/crm-dashboard", new String[]{"root-directory", "Root Directory is not set"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            ActionResult r = step(SEED_STEP.replace("github-comment: false", "github-comment: false, " + c.getKey()),
                    "refs/heads/main").run();
            assertThat(r.exitCode()).as(c.getKey() + "\n" + r).isEqualTo(2);
            assertThat(r.errors()).as(c.getKey()).singleElement().satisfies(e -> assertThat(e.data())
                    .contains(c.getValue()[0]).contains(c.getValue()[1]));
            assertThat(r.leaks(VercelSimulator.TOKEN)).isFalse();
        }
        assertThat(sim.creates()).as("nothing was deployed").isZero();
        assertThat(step(plus(SEED_STEP, "vercel-args: '--prod --no-wait'"), "refs/heads/x").run().errors())
                .singleElement().satisfies(e -> assertThat(e.data()).contains("Supported: --prod, --target <env>, --prebuilt, --archive=tgz, --force"));
    }

    @Test
    void aWorkingDirectoryThatContradictsTheRootDirectoryIsRefusedSayingWhichToChange() {
        sim.rootDirectory(VercelSimulator.PROJECT_ID, "apps/crm-dashboard", false);
        ActionResult r = step(SEED_STEP, "refs/heads/main").run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("working-directory")
                .contains("Root Directory 'apps/crm-dashboard'").contains("apps/crm-dashboard/apps/crm-dashboard")
                .contains("remove working-directory").contains("clear the Root Directory"));
        assertThat(sim.creates()).isZero();

        // the monorepo way: the repository root is deployed, Vercel builds the Root Directory
        ActionResult root = step(SEED_STEP.replace("working-directory: apps/crm-dashboard, ", ""), "refs/heads/main").run();
        assertThat(root.exitCode()).as(root.toString()).isZero();
        String id = root.output("deployment-id");
        assertThat(sim.files(id).keySet()).contains("package.json", "apps/crm-dashboard/pages/index.js",
                "apps/marketing-site/pages/index.js", "packages/ui/index.js", "apps/crm-dashboard/.env.example")
                .doesNotContain("apps/crm-dashboard/.env", "packages/ui/node_modules/x/index.js");
        JsonNode settings = sim.createBody(id).path("projectSettings");
        assertThat(settings.path("rootDirectory").asText()).isEqualTo("apps/crm-dashboard");
        assertThat(settings.path("sourceFilesOutsideRootDirectory").asBoolean()).isFalse();
        assertThat(settings.path("nodeVersion").asText()).as("from the app's package.json").isEqualTo("22.x");
        assertThat(sim.createBody(id).path("cleanUrls").asBoolean()).as("the app's vercel.json").isTrue();
    }

    @Test
    void aProductionDeployAfterAnInstantRollbackIsReportedAsStagedAndPromotedOnlyWhenAsked() {
        long now = sim.clock().millis();
        String good = sim.seedProductionDeployment(VercelSimulator.PROJECT_ID, now - 7_200_000);
        sim.seedProductionDeployment(VercelSimulator.PROJECT_ID, now - 3_600_000);
        ActionResult rollback = ActionRun.of("rollback").with("provider", "vercel").with("vercel-token", VercelSimulator.TOKEN)
                .with("vercel-org-id", VercelSimulator.TEAM_ID).with("vercel-project-id", VercelSimulator.PROJECT_ID)
                .with("api-url", sim.baseUrl().toString()).with("incident", "false").time(sim.time()).run();
        assertThat(rollback.exitCode()).as(rollback.toString()).isZero();
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(good);

        ActionResult staged = step(ARGS_STEP, "refs/heads/main").run();
        assertThat(staged.exitCode()).as(staged.toString()).isZero();
        String fresh = staged.output("deployment-id");
        assertThat(staged.output("result")).isEqualTo("staged");
        assertThat(staged.output("ready-substate")).isEqualTo("STAGED");
        assertThat(staged.output("production-deployment-id")).isEqualTo(good);
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).as("production stays rolled back").isEqualTo(good);
        assertThat(staged.warnings()).anySatisfy(w -> assertThat(w.data()).contains("STAGED").contains(good).contains("promote: true"));
        assertThat(staged.summary().lines().findFirst().orElse("")).startsWith("⚠️").contains("staged, not served");
        assertThat(staged.summary()).contains("| Serving production | `" + good + "` (held there by an instant rollback) |");
        assertThat(sim.requests("POST", "/v10/projects/.*/promote/.*")).isEmpty();

        ActionResult promoted = step(plus(ARGS_STEP, "promote: true"), "refs/heads/main").run();
        assertThat(promoted.exitCode()).as(promoted.toString()).isZero();
        assertThat(promoted.output("result")).isEqualTo("success");
        assertThat(promoted.output("ready-substate")).isEqualTo("PROMOTED");
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(promoted.output("deployment-id"));
        assertThat(sim.rollbackInEffect(VercelSimulator.PROJECT_ID)).isFalse();
        assertThat(promoted.summary()).contains("(promoted by this step)");
        assertThat(fresh).isNotEqualTo(promoted.output("deployment-id"));
    }
}
