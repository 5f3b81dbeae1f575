package dev.gantry.actiontests.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.digitalocean.AppPlatformSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pull request's preview app on App Platform, as GitHub sees it: do-deploy records it as a transient, non-production
 * deployment, and {@code operation: delete-preview} sets that record inactive, so the closed pull request no longer
 * links to a deleted app.
 */
class PreviewRecordsTest {
    static final String SPEC = """
            name: shop-web
            region: nyc
            services:
              - name: web
                http_port: 8080
                github: { repo: acme/shop, branch: main, deploy_on_push: true }
            """;
    static final String HEAD = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432";

    private final AppPlatformSimulator sim = new AppPlatformSimulator();
    private final GitHubSimulator gh = new GitHubSimulator().pullRequest(7, HEAD, "feature/cart");

    @AfterEach
    void stop() {
        sim.close();
        gh.close();
    }

    private ActionRun doDeploy() throws IOException {
        ActionRun r = ActionRun.of("do-deploy").with("token", AppPlatformSimulator.TOKEN)
                .with("api-url", sim.baseUrl().toString()).with("github-deployment", "true")
                .pullRequest(7, HEAD, "feature/cart").gitHub(gh).time(sim.time());
        Path f = r.workspace().resolve(".do/app.yaml");
        Files.createDirectories(f.getParent());
        Files.writeString(f, SPEC);
        return r;
    }

    @Test
    void thePreviewsRecordIsTransientNotProductionAndInactiveOnceTheAppIsDeleted() throws IOException {
        ActionResult deployed = doDeploy().with("preview", "true").run();
        assertThat(deployed.exitCode()).as(deployed.toString()).isZero();
        String name = deployed.output("app-name");
        JsonNode record = gh.deployments().get(0);
        assertThat(record.path("environment").asText()).isEqualTo("preview/" + name);
        assertThat(record.path("transient_environment").asBoolean()).isTrue();
        assertThat(record.path("production_environment").asBoolean()).isFalse();
        long id = record.path("id").asLong();
        assertThat(gh.statusStates(id)).containsExactly("in_progress", "success");

        ActionResult deleted = doDeploy().with("operation", "delete-preview").run();
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.output("result")).isEqualTo("deleted");
        assertThat(gh.statusStates(id)).containsExactly("in_progress", "success", "inactive");
        assertThat(gh.statuses(id).get(2).path("description").asText()).isEqualTo("preview app deleted");
        assertThat(deleted.warnings()).isEmpty();
        assertThat(List.of(deployed.summary(), deleted.summary())).noneSatisfy(s -> assertThat(s).contains("stays"));
    }

    /** Issue 20: production_environment only for the environment production-environment names. */
    @Test
    void onlyTheEnvironmentNamedAsProductionIsRecordedAsProduction() throws IOException {
        ActionResult staging = doDeploy().with("environment", "staging").run();
        assertThat(staging.exitCode()).as(staging.toString()).isZero();
        ActionResult prod = doDeploy().with("environment", "shop-prod").with("production-environment", "shop-prod").run();
        assertThat(prod.exitCode()).as(prod.toString()).isZero();

        List<JsonNode> records = gh.deployments();
        assertThat(records).extracting(r -> r.path("environment").asText()).containsExactly("shop-prod", "staging");
        assertThat(records).extracting(r -> r.path("production_environment").asBoolean()).containsExactly(true, false);
        assertThat(records).extracting(r -> r.path("transient_environment").asBoolean()).containsExactly(false, false);
    }
}
