package dev.gantry.actiontests.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps written for {@code digitalocean/app_action} v2, run with only {@code uses:} changed: each deploys what
 * app_action would have deployed, or stops with exit 2 and an error that names do-deploy's input and shows the line
 * to write. "What app_action would have deployed" is computed here the way its code does it ({@code deploy/main.go},
 * {@code deploy/images.go} at v2.0.10): the named app's spec, each image component's tag or digest replaced from
 * {@code IMAGE_TAG_*}/{@code IMAGE_DIGEST_*}, sent with {@code update_all_source_versions: true}.
 */
class AppActionMigrationTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** The seeds' step, verbatim; only {@code uses:} changes. */
    static final String SEED_STEP_WITH = "{ token: ${{ secrets.DO_API_TOKEN }}, app_name: m3corecrm-backend, "
            + "envs: \"DATABASE_URL=${{ secrets.DATABASE_URL }}\" }";
    static final String DATABASE_URL = "postgresql://crm:s3cr3t-pw@db.internal:25060/crm?sslmode=require";
    static final String BACKEND = """
            {"name": "m3corecrm-backend", "region": "fra",
             "envs": [{"key": "NODE_ENV", "value": "production", "scope": "RUN_TIME"}],
             "services": [{"name": "api", "http_port": 3000, "instance_count": 2,
               "image": {"registry_type": "DOCR", "repository": "m3/crm-backend", "tag": "v41"},
               "health_check": {"http_path": "/healthz"}}],
             "workers": [{"name": "queue-worker",
               "image": {"registry_type": "DOCR", "repository": "m3/crm-worker", "tag": "v41"}}]}
            """;
    /** A .do/app.yaml in the repository whose name differs: app_action does not read it when app_name is set. */
    static final String OTHER_FILE = """
            name: m3corecrm-backend-old
            services:
              - name: api
                image: {registry_type: DOCR, repository: m3/crm-backend, tag: v1}
            """;
    static final String DIGEST = "sha256:" + "5e1f".repeat(16);

    AppPlatformSimulator sim;
    String appId;
    /** The app's spec before the step ran: what app_action would have fetched. */
    JsonNode specBefore;

    @BeforeEach
    void start() {
        sim = new AppPlatformSimulator();
        appId = sim.seedApp(BACKEND);
        specBefore = sim.app(appId).path("spec");
    }

    @AfterEach
    void contractAndStop() {
        sim.checkContractAndClose();
    }

    /** A step as the runner runs it: {@code with:} (declared keys or not), the API seam, virtual time. */
    ActionRun step(Map<String, String> with) {
        ActionRun r = ActionRun.of("do-deploy").withStep(with)
                .with("api-url", sim.baseUrl().toString()).with("github-deployment", "false").time(sim.time());
        file(r, ".do/app.yaml", OTHER_FILE);
        return r;
    }

    static void file(ActionRun r, String path, String text) {
        try {
            Path f = r.workspace().resolve(path);
            Files.createDirectories(f.getParent());
            Files.writeString(f, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A {@code with:} mapping as written in a workflow, {@code ${{ secrets.X }}} evaluated. */
    static Map<String, String> with(String yaml, Map<String, String> secrets) {
        Matcher m = Pattern.compile("\\$\\{\\{\\s*secrets\\.(\\w+)\\s*}}").matcher(yaml);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(secrets.get(m.group(1))));
        m.appendTail(b);
        try {
            JsonNode node = new ObjectMapper(new YAMLFactory()).readTree(b.toString());
            Map<String, String> out = new LinkedHashMap<>();
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> seedWith() {
        return with(SEED_STEP_WITH, Map.of("DO_API_TOKEN", AppPlatformSimulator.TOKEN, "DATABASE_URL", DATABASE_URL));
    }

    /** What app_action v2 sends for app_name: the app's spec with the image variables applied (images.go). */
    ObjectNode anchorSpec(Map<String, String> env) {
        ObjectNode spec = (ObjectNode) specBefore.deepCopy();
        for (String kind : List.of("services", "workers", "jobs")) {
            for (JsonNode c : spec.path(kind)) {
                if (!c.path("image").isObject()) continue;
                ObjectNode image = (ObjectNode) c.get("image");
                String suffix = c.path("name").asText().toUpperCase().replace('-', '_');
                String digest = env.get("IMAGE_DIGEST_" + suffix);
                String tag = env.get("IMAGE_TAG_" + suffix);
                if (digest != null && !digest.isEmpty()) {
                    image.remove("tag");
                    image.put("digest", digest);
                } else if (tag != null && !tag.isEmpty()) {
                    image.remove("digest");
                    image.put("tag", tag);
                }
            }
        }
        return spec;
    }

    JsonNode onlyPut() {
        List<LoopbackServer.RecordedRequest> puts = sim.requests("PUT", "/v2/apps/.*");
        assertThat(puts).singleElement().satisfies(p -> assertThat(p.path()).isEqualTo("/v2/apps/" + appId));
        assertThat(sim.requests("POST", "/v2/apps")).as("never a second app").isEmpty();
        return puts.get(0).json();
    }

    /** The spec sent, without the env the seeds' {@code envs:} line adds (app_action ignores that input). */
    static ObjectNode withoutEnv(JsonNode spec, String key) {
        ObjectNode s = spec.deepCopy();
        ArrayNode envs = (ArrayNode) s.path("envs");
        for (int i = envs.size() - 1; i >= 0; i--) if (envs.get(i).path("key").asText().equals(key)) envs.remove(i);
        return s;
    }

    @Test
    void theSeedsStepAsWrittenDeploysTheNamedAppAsAppActionWould() throws Exception {
        ActionResult r = step(seedWith()).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("success");
        assertThat(r.output("app-id")).isEqualTo(appId);
        JsonNode put = onlyPut();
        assertThat(put.path("update_all_source_versions").asBoolean()).isTrue();
        // everything app_action would have sent, and the one line it would have ignored
        assertThat(withoutEnv(put.path("spec"), "DATABASE_URL")).isEqualTo(anchorSpec(Map.of()));
        JsonNode added = null;
        for (JsonNode e : put.path("spec").path("envs")) if (e.path("key").asText().equals("DATABASE_URL")) added = e;
        assertThat(added).isNotNull();
        assertThat(added.path("value").asText()).isEqualTo(DATABASE_URL);
        assertThat(added.path("type").asText()).isEqualTo("SECRET");
        assertThat(r.log()).contains("Merged 1 env var(s) into the spec as encrypted run-time secrets: DATABASE_URL");
        // the .do/app.yaml of another name was not read, and app_name said so how to write it
        assertThat(r.log()).doesNotContain("m3corecrm-backend-old");
        assertThat(r.warnings()).extracting(w -> w.data()).anyMatch(w -> w.contains("Input 'app_name'")
                && w.contains("app-name: m3corecrm-backend"));
        // the anchor's outputs: the app (with its live URL), and the logs of the deployment
        assertThat(JSON.readTree(r.output("app")).path("live_url").asText()).isEqualTo(r.output("live-url")).isNotEmpty();
        assertThat(r.output("deploy_logs")).contains("api ").contains("queue-worker ").contains("[deploy] Starting container");
        assertThat(r.outputs()).as("image components have no build: no build logs, so the output is unset")
                .doesNotContainKey("build_logs");
        assertThat(r.leaks(DATABASE_URL)).isFalse();
        assertThat(r.leaks(AppPlatformSimulator.TOKEN)).isFalse();
    }

    @Test
    void imageVariablesPinTheImagesAsAppActionV2Does() {
        Map<String, String> env = Map.of("IMAGE_TAG_API", "v42", "IMAGE_DIGEST_QUEUE_WORKER", DIGEST,
                "IMAGE_TAG_QUEUE_WORKER", "ignored-when-a-digest-is-set", "IMAGE_TAG_NOT_A_COMPONENT", "v9");
        ActionRun run = step(seedWith());
        env.forEach(run::env);

        ActionResult r = run.run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(withoutEnv(onlyPut().path("spec"), "DATABASE_URL")).isEqualTo(anchorSpec(env));
        JsonNode stored = sim.app(appId).path("spec");
        assertThat(stored.path("services").get(0).path("image").path("tag").asText()).isEqualTo("v42");
        assertThat(stored.path("workers").get(0).path("image").path("digest").asText()).isEqualTo(DIGEST);
        assertThat(stored.path("workers").get(0).path("image").has("tag")).isFalse();
        assertThat(r.log()).contains("Pinned api to :v42 (from IMAGE_TAG_API")
                .contains("Pinned queue-worker to @" + DIGEST + " (from IMAGE_DIGEST_QUEUE_WORKER");
    }

    @Test
    void aSpecFileWhoseNameDiffersFromTheNamedAppStopsTheStepAndMakesNoApp() {
        Map<String, String> w = new LinkedHashMap<>(seedWith());
        w.remove("app_name");
        w.put("app-name", "m3corecrm-backend");
        w.put("app-spec", ".do/app.yaml");
        ActionResult gantryNames = step(w).run();

        assertThat(gantryNames.exitCode()).as(gantryNames.toString()).isEqualTo(2);
        assertThat(gantryNames.errors().get(0).data()).contains("Input 'app-spec'").contains("'m3corecrm-backend-old'")
                .contains("app-name 'm3corecrm-backend'").contains("name: m3corecrm-backend");

        Map<String, String> mixed = new LinkedHashMap<>(seedWith());
        mixed.put("app-spec", ".do/app.yaml");
        ActionResult anchorName = step(mixed).run();
        assertThat(anchorName.exitCode()).as(anchorName.toString()).isEqualTo(2);
        assertThat(anchorName.errors().get(0).data()).contains("Input 'app-spec'").contains("never deploys a spec under "
                + "another name");

        assertThat(sim.requests("POST", "/v2/apps")).isEmpty();
        assertThat(sim.requests("PUT", ".*")).isEmpty();
        assertThat(sim.appCount()).isEqualTo(1);
        assertThat(gantryNames.summary()).contains("invalid input");
    }

    @Test
    void aSpecFileWithTheNamedAppsNameIsDeployedToIt() {
        Map<String, String> w = new LinkedHashMap<>(seedWith());
        w.put("app-spec", "deploy/backend.yaml");
        ActionRun run = step(w);
        file(run, "deploy/backend.yaml", BACKEND.replace("\"v41\"", "\"v43\""));

        ActionResult r = run.run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(onlyPut().path("spec").path("services").get(0).path("image").path("tag").asText()).isEqualTo("v43");
    }

    @Test
    void anAnchorInputThatIsNotHonouredStopsTheStepWithTheLineToWrite() {
        Map<String, String> both = new LinkedHashMap<>(seedWith());
        both.put("app_spec_location", "deploy/app.yaml");
        ActionResult r = step(both).run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors().get(0).data()).contains("'app_name' and 'app_spec_location'")
                .contains("app-name: m3corecrm-backend").contains("app-spec: deploy/app.yaml");

        Map<String, String> delete = Map.of("token", AppPlatformSimulator.TOKEN, "app_id", appId);
        ActionResult d = step(delete).run();
        assertThat(d.exitCode()).isEqualTo(2);
        assertThat(d.errors().get(0).data()).contains("Input 'app_id'").contains("app_action/delete")
                .contains("operation: delete-preview").contains("app-id: " + appId);

        Map<String, String> typo = new LinkedHashMap<>(seedWith());
        typo.put("force_build", "true");
        ActionResult t = step(typo).run();
        assertThat(t.exitCode()).isEqualTo(2);
        assertThat(t.errors().get(0).data()).contains("Input 'force_build' is not an input of do-deploy")
                .contains("Did you mean 'force-build'").contains("force-build: true");

        Map<String, String> v1 = new LinkedHashMap<>(seedWith());
        v1.put("images", "[{\"name\": \"api\", \"image\": {\"registry_type\": \"DOCR\", \"repository\": "
                + "\"m3/crm-backend\", \"tag\": \"v50\"}}, {\"name\": \"queue-worker\", \"repository\": \"m3/crm-worker\", "
                + "\"tag\": \"v50\"}]");
        ActionResult j = step(v1).run();
        assertThat(j.exitCode()).isEqualTo(2);
        assertThat(j.errors().get(0).data()).contains("Input 'images' is JSON")
                .contains("images: |\n    api=m3/crm-backend:v50\n    queue-worker=m3/crm-worker:v50");

        Map<String, String> badBool = new LinkedHashMap<>(seedWith());
        badBool.put("print_build_logs", "yes");
        ActionResult b = step(badBool).run();
        assertThat(b.exitCode()).isEqualTo(2);
        assertThat(b.errors().get(0).data()).contains("'print_build_logs'").contains("print-build-logs");

        assertThat(sim.requests("PUT", ".*")).isEmpty();
        assertThat(sim.deploymentsCreated()).isZero();
    }

    @Test
    void honouredAnchorInputsKeepTheirMeaning() {
        Map<String, String> w = new LinkedHashMap<>(seedWith());
        w.put("print_deploy_logs", "TRUE");
        w.put("print_build_logs", "0");
        w.put("project_id", "88b72d1a-b78a-4d9f-9090-b53c4399073f");
        ActionResult r = step(w).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.log()).as("print_deploy_logs: TRUE prints them, also on success").contains("::group::deploy logs")
                .doesNotContain("::group::build logs");
        assertThat(r.warnings()).extracting(c -> c.data()).anyMatch(x -> x.contains("print-deploy-logs: always"))
                .anyMatch(x -> x.contains("print-build-logs: never")).anyMatch(x -> x.contains("project-id: 88b72d1a"));

        Map<String, String> conflict = new LinkedHashMap<>(seedWith());
        conflict.put("app-name", "another-app");
        ActionResult c = step(conflict).run();
        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.errors().get(0).data()).contains("'app_name'").contains("disagree");
    }

    @Test
    void prPreviewsAndTheirDeletionKeepAppActionsNamesAndRules() {
        String sha = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";
        Map<String, String> preview = Map.of("token", AppPlatformSimulator.TOKEN, "deploy_pr_preview", "true");
        ActionRun run = step(preview).pullRequest(7, sha, "feature/cart");
        file(run, ".do/app.yaml", BACKEND);
        ActionResult r = run.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        // app_action's GenerateAppName for acme/shop PR 7
        assertThat(r.output("app-name")).matches("acme-shop-7-merge-[0-9a-f]{8}");

        Map<String, String> delete = Map.of("token", AppPlatformSimulator.TOKEN, "from_pr_preview", "true",
                "ignore_not_found", "true");
        ActionResult del = step(delete).pullRequest(7, sha, "feature/cart").run();
        assertThat(del.exitCode()).as(del.toString()).isZero();
        assertThat(del.output("result")).isEqualTo("deleted");
        assertThat(sim.appByName(r.output("app-name"))).isNull();

        ActionResult again = step(delete).pullRequest(7, sha, "feature/cart").run();
        assertThat(again.exitCode()).isZero();
        assertThat(again.output("result")).isEqualTo("not-found");

        ActionResult strict = step(Map.of("token", AppPlatformSimulator.TOKEN, "from_pr_preview", "true"))
                .pullRequest(7, sha, "feature/cart").run();
        assertThat(strict.exitCode()).as("app_action's ignore_not_found defaults to false").isEqualTo(1);
        assertThat(strict.output("result")).isEqualTo("not-found");
    }
}
