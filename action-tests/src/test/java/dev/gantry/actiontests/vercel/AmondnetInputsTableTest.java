package dev.gantry.actiontests.vercel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.common.testing.LoopbackServer.RecordedRequest;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migration table as a test: every input of amondnet/vercel-action (v25, v41, v42, with the deprecated
 * {@code zeit-*}/{@code now-*} names; research/vercel.md §1.2) is either honoured (the step succeeds against the
 * simulator and the create call, or what follows it, shows the input's effect) or stops the step with exit 2, naming
 * the Gantry input to write and deploying nothing. The rows must cover exactly amondnet's inputs, the README's
 * migration table and vercel-deploy's own list of them ({@code AnchorInputs.ANCHOR_INPUTS}).
 */
class AmondnetInputsTableTest {
    /** amondnet/vercel-action's inputs, v42.3.0's action.yml (a superset of v25's and v41's). */
    static final Set<String> AMONDNET_INPUTS = Set.of("vercel-token", "vercel-args", "github-comment", "github-token",
            "github-deployment", "github-deployment-environment", "working-directory", "vercel-project-id",
            "vercel-org-id", "vercel-project-name", "vercel-version", "scope", "zeit-token", "now-args",
            "now-project-id", "now-org-id", "alias-domains", "target", "prebuilt", "vercel-build", "vercel-output-dir",
            "force", "env", "build-env", "regions", "archive", "root-directory", "auto-assign-custom-domains",
            "custom-environment", "public", "with-cache", "experimental-api");
    static final String HEAD = "0b16c0ffee00000000000000000000000000b001";
    static final String OTHER_GITHUB_TOKEN = "ghs_anotherInstallationToken00000000000";

    /** What one honoured row sees after the step. */
    record Seen(ActionResult result, String id, JsonNode body, RecordedRequest create, VercelSimulator vercel,
                GitHubSimulator github) {
    }

    /**
     * One row. {@code with} is added to the base step (amondnet's usual four inputs); a null value removes a base
     * input. {@code honoured} checks the effect; else the step must stop with exit 2 naming {@code gantryInput}
     * and saying {@code fix}.
     */
    record Row(String input, Map<String, String> with, Consumer<VercelSimulator> setup, Consumer<Seen> honoured,
               String gantryInput, String fix) {
    }

    private static final List<Row> ROWS = new ArrayList<>();

    private static void honoured(String input, Map<String, String> with, Consumer<Seen> check) {
        ROWS.add(new Row(input, with, s -> { }, check, null, null));
    }

    private static void honoured(String input, Map<String, String> with, Consumer<VercelSimulator> setup,
                                 Consumer<Seen> check) {
        ROWS.add(new Row(input, with, setup, check, null, null));
    }

    private static void stops(String input, Map<String, String> with, String gantryInput, String fix) {
        ROWS.add(new Row(input, with, s -> { }, null, gantryInput, fix));
    }

    private static Map<String, String> w(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }

    static {
        honoured("vercel-token", w(), s -> assertThat(s.create().header("authorization"))
                .isEqualTo("Bearer " + VercelSimulator.TOKEN));
        honoured("vercel-org-id", w(), s -> assertThat(s.create().param("teamId")).isEqualTo(VercelSimulator.TEAM_ID));
        honoured("vercel-project-id", w(), s -> assertThat(s.body().path("project").asText())
                .isEqualTo(VercelSimulator.PROJECT_ID));
        honoured("working-directory", w(), s -> assertThat(s.vercel().files(s.id()).keySet())
                .contains("pages/index.js", "package.json").noneMatch(f -> f.startsWith("apps/")));
        honoured("vercel-args", w("vercel-args", "--prod --regions sfo1"), s -> {
            assertThat(s.body().path("target").asText()).isEqualTo("production");
            assertThat(s.body().path("regions").toString()).isEqualTo("[\"sfo1\"]");
        });
        honoured("github-comment", w("github-comment", "Preview of {{deploymentName}}: {{deploymentUrl}}"), s ->
                assertThat(s.github().comments(7)).singleElement().satisfies(c -> assertThat(c.path("body").asText())
                        .contains("Preview of " + VercelSimulator.PROJECT_NAME + ": https://")));
        honoured("github-token", w("github-token", OTHER_GITHUB_TOKEN), s -> {
            assertThat(s.github().comments(7)).hasSize(1);
            assertThat(s.github().requests()).isNotEmpty().allSatisfy(r -> assertThat(r.header("authorization"))
                    .contains(OTHER_GITHUB_TOKEN));
        });
        honoured("github-deployment", w("github-deployment", "true"), s ->
                assertThat(s.github().deployments()).singleElement().satisfies(d -> assertThat(d.toString()).contains(s.id())));
        honoured("github-deployment-environment", w("github-deployment", "true", "github-deployment-environment", "crm-preview"),
                s -> assertThat(s.github().deployments()).singleElement()
                        .satisfies(d -> assertThat(d.path("environment").asText()).isEqualTo("crm-preview")));
        honoured("vercel-project-name", w("vercel-project-name", "CRM dashboard"), s -> {
            assertThat(s.result().output("preview-name")).isEqualTo("CRM dashboard");
            assertThat(s.github().comments(7).getFirst().path("body").asText()).contains("CRM dashboard");
        });
        stops("vercel-version", w("vercel-version", "25.1.0"), "vercel-version", "Remove the line `vercel-version: 25.1.0`");
        honoured("scope", w("scope", VercelSimulator.TEAM_SLUG), s -> {
            assertThat(s.vercel().requests("GET", "/v2/teams/" + VercelSimulator.TEAM_SLUG)).hasSize(1);
            assertThat(s.create().param("teamId")).isEqualTo(VercelSimulator.TEAM_ID);
        });
        stops("zeit-token", w("zeit-token", "abc"), "vercel-token", "vercel-token: ${{ secrets.VERCEL_TOKEN }}");
        stops("now-args", w("now-args", "--prod"), "vercel-args", "vercel-args: --prod");
        stops("now-project-id", w("now-project-id", VercelSimulator.PROJECT_ID), "vercel-project-id",
                "vercel-project-id: " + VercelSimulator.PROJECT_ID);
        stops("now-org-id", w("now-org-id", VercelSimulator.TEAM_ID), "vercel-org-id",
                "vercel-org-id: " + VercelSimulator.TEAM_ID);
        honoured("alias-domains", w("alias-domains", "pr-{{PR_NUMBER}}.crm.example.com"), s -> {
            assertThat(s.vercel().aliasTarget("pr-7.crm.example.com")).isEqualTo(s.id());
            assertThat(s.result().output("preview-url")).isEqualTo("https://pr-7.crm.example.com");
        });
        honoured("target", w("target", "staging"), s -> {
            assertThat(s.body().path("customEnvironmentSlugOrId").asText()).isEqualTo("staging");
            assertThat(s.body().has("target")).isFalse();
        });
        honoured("prebuilt", w("prebuilt", "true"), AmondnetInputsTableTest::assertPrebuilt);
        stops("vercel-build", w("vercel-build", "true"), "prebuilt", "prebuilt: true");
        honoured("vercel-output-dir", w("prebuilt", "true", "vercel-output-dir", "apps/crm-dashboard/.vercel/output"),
                AmondnetInputsTableTest::assertPrebuilt);
        stops("vercel-output-dir", w("prebuilt", "true", "vercel-output-dir", "apps/crm-dashboard/dist"),
                "vercel-output-dir", "Build into <working-directory>/.vercel/output");
        honoured("force", w("force", "true"), s -> assertThat(s.create().param("forceNew")).isEqualTo("1"));
        honoured("env", w("env", "API_URL=https://api.example.com"), s ->
                assertThat(s.body().path("env").path("API_URL").asText()).isEqualTo("https://api.example.com"));
        honoured("build-env", w("build-env", "NEXT_PUBLIC_STAGE=crm-build"), s ->
                assertThat(s.body().path("build").path("env").path("NEXT_PUBLIC_STAGE").asText()).isEqualTo("crm-build"));
        honoured("regions", w("regions", "sfo1,iad1"), s ->
                assertThat(s.body().path("regions").toString()).isEqualTo("[\"sfo1\",\"iad1\"]"));
        honoured("archive", w("archive", "tgz"), s -> {
            assertThat(s.body().path("files")).allSatisfy(f -> assertThat(f.path("file").asText()).startsWith(".vercel/source.tgz.part"));
            assertThat(s.vercel().files(s.id()).keySet()).contains("pages/index.js", "package.json");
        });
        honoured("root-directory", w("working-directory", null, "root-directory", "apps/crm-dashboard"),
                v -> v.rootDirectory(VercelSimulator.PROJECT_ID, "apps/crm-dashboard", false), s -> {
                    assertThat(s.body().path("projectSettings").path("rootDirectory").asText()).isEqualTo("apps/crm-dashboard");
                    assertThat(s.vercel().files(s.id()).keySet()).contains("apps/crm-dashboard/pages/index.js");
                });
        stops("root-directory", w("root-directory", "apps/crm-dashboard"), "root-directory", "Root Directory is not set");
        honoured("auto-assign-custom-domains", w("vercel-args", "--prod", "auto-assign-custom-domains", "false"), s -> {
            assertThat(s.body().path("target").asText()).isEqualTo("production");
            assertThat(s.body().path("autoAssignCustomDomains").isBoolean()).isTrue();
            assertThat(s.body().path("autoAssignCustomDomains").asBoolean()).isFalse();
        });
        honoured("custom-environment", w("custom-environment", "staging"), s -> {
            assertThat(s.body().path("customEnvironmentSlugOrId").asText()).isEqualTo("staging");
            assertThat(s.body().has("target")).as("not production, not a preview").isFalse();
        });
        honoured("public", w("public", "false"), s -> assertThat(s.body().has("public")).isFalse());
        stops("public", w("public", "true"), "public", "Remove the line `public: true`");
        honoured("with-cache", w("force", "true", "with-cache", "true"), s -> {
            assertThat(s.create().param("forceNew")).isEqualTo("1");
            assertThat(s.create().param("withCache")).isEqualTo("1");
        });
        // amondnet's API mode against its CLI mode: vercel-deploy always calls the API, so either value deploys the same
        for (String v : List.of("true", "false")) {
            honoured("experimental-api", w("experimental-api", v), s -> {
                assertThat(s.body().has("target")).isFalse();
                assertThat(s.vercel().files(s.id()).keySet()).contains("pages/index.js");
                assertThat(s.body().toString()).doesNotContain("experimental");
            });
        }
    }

    private static void assertPrebuilt(Seen s) {
        assertThat(s.create().param("prebuilt")).isEqualTo("1");
        assertThat(s.vercel().files(s.id()).keySet()).containsExactlyInAnyOrder(".vercel/output/config.json",
                ".vercel/output/builds.json", ".vercel/output/static/index.html");
    }

    private ActionRun step(Row row, VercelSimulator vercel, GitHubSimulator github) {
        Map<String, String> with = w("vercel-token", VercelSimulator.TOKEN, "vercel-org-id", VercelSimulator.TEAM_ID,
                "vercel-project-id", VercelSimulator.PROJECT_ID, "working-directory", "apps/crm-dashboard");
        row.with().forEach((k, v) -> {
            if (v == null) with.remove(k);
            else with.put(k, v);
        });
        with.put("api-url", vercel.baseUrl().toString());
        ActionRun run = ActionRun.of("vercel-deploy").withStep(with).pullRequest(7, HEAD, "feature/crm")
                .gitHub(github).time(vercel.time());
        Fixtures.monorepo(run.workspace());
        Fixtures.write(run.workspace(), Map.of("apps/crm-dashboard/.vercel/output/config.json", "{\"version\":3}",
                "apps/crm-dashboard/.vercel/output/builds.json", "{\"target\":\"preview\"}",
                "apps/crm-dashboard/.vercel/output/static/index.html", "<h1>built</h1>"));
        return run;
    }

    @Test
    void everyAmondnetInputIsHonouredOrStopsNamingTheGantryInput() {
        for (Row row : ROWS) {
            String what = row.input() + " " + row.with();
            VercelSimulator vercel = new VercelSimulator(new ScaledClock(0));
            GitHubSimulator github = new GitHubSimulator().pullRequest(7, HEAD, "feature/crm")
                    .token(OTHER_GITHUB_TOKEN, GitHubSimulator.Scope.PULL_REQUESTS, GitHubSimulator.Scope.DEPLOYMENTS);
            try {
                row.setup().accept(vercel);
                ActionResult r = step(row, vercel, github).run();
                assertThat(r.leaks(VercelSimulator.TOKEN)).as(what).isFalse();
                if (row.honoured() != null) {
                    assertThat(r.exitCode()).as(what + "\n" + r).isZero();
                    String id = r.output("deployment-id");
                    List<RecordedRequest> creates = vercel.requests("POST", "/v13/deployments");
                    assertThat(creates).as(what).isNotEmpty();
                    Seen seen = new Seen(r, id, vercel.createBody(id), creates.getLast(), vercel, github);
                    try {
                        row.honoured().accept(seen);
                    } catch (AssertionError e) {
                        throw new AssertionError(what + ": " + e.getMessage() + "\n" + r, e);
                    }
                } else {
                    assertThat(r.exitCode()).as(what + "\n" + r).isEqualTo(2);
                    assertThat(r.errors()).as(what).singleElement().satisfies(e -> assertThat(e.data())
                            .contains(row.gantryInput()).contains(row.fix()));
                    assertThat(vercel.creates()).as(what + ": nothing deployed").isZero();
                    assertThat(r.summary().lines().findFirst().orElse("")).as(what).isNotBlank();
                }
            } finally {
                vercel.close();
                github.close();
            }
        }
    }

    @Test
    void theRowsCoverEveryAmondnetInputTheReadmeTableAndTheActionsOwnList() throws Exception {
        Set<String> rows = new TreeSet<>();
        ROWS.forEach(r -> rows.add(r.input()));
        assertThat(rows).isEqualTo(new TreeSet<>(AMONDNET_INPUTS));

        // the README's migration table: first column, every `name` in it
        String readme = Files.readString(Project.actionDir("vercel-deploy").resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Moving from amondnet/vercel-action"));
        Set<String> table = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| ([^|]+) \\|").matcher(section);
        while (row.find()) {
            Matcher name = Pattern.compile("`([a-z-]+)`").matcher(row.group(1));
            while (name.find()) table.add(name.group(1));
        }
        assertThat(table).isEqualTo(new TreeSet<>(AMONDNET_INPUTS));

        // vercel-deploy's own list, which tells a step written for amondnet (the prod warning)
        var field = Class.forName("dev.gantry.verceldeploy.AnchorInputs").getDeclaredField("ANCHOR_INPUTS");
        field.setAccessible(true);
        assertThat(new TreeSet<>((List<?>) field.get(null))).isEqualTo(new TreeSet<>(AMONDNET_INPUTS));
    }
}
