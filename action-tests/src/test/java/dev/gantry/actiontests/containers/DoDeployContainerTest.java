package dev.gantry.actiontests.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.digitalocean.AppPlatformSimulator;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The do-deploy image, run as the runner runs it, against the App Platform and GitHub simulators on loopback. */
class DoDeployContainerTest {
    static final String SPEC = """
            name: shop-web
            region: nyc
            envs:
              - key: GREETING
                value: ${GREETING}
            services:
              - name: web
                github:
                  repo: acme/shop
                  branch: main
                http_port: 8080
            """;

    AppPlatformSimulator digitalOcean;
    GitHubSimulator gitHub;

    @BeforeEach
    void start() {
        String reason = Docker.unavailableReason().orElse(null);
        assumeTrue(reason == null, reason);
        // the image runs on real time: a minute of App Platform time per request keeps its polls few
        digitalOcean = new AppPlatformSimulator().tick(java.time.Duration.ofSeconds(60));
        gitHub = new GitHubSimulator();
    }

    @AfterEach
    void stop() {
        if (digitalOcean != null) digitalOcean.close();
        if (gitHub != null) gitHub.close();
    }

    ActionRun deploy() {
        ActionRun run = ActionRun.of("do-deploy")
                .with("token", AppPlatformSimulator.TOKEN)
                .with("api-url", digitalOcean.baseUrl().toString())
                .with("github-deployment", "true")
                .with("environment", "production")
                .env("GREETING", "grüß dich")
                .gitHub(gitHub);
        try {
            Path spec = run.workspace().resolve(".do/app.yaml");
            Files.createDirectories(spec.getParent());
            Files.writeString(spec, SPEC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run;
    }

    @Test
    void createsTheAppWaitsUntilLiveAndRecordsTheGitHubDeployment() {
        ActionResult r = ContainerRun.of(deploy()).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("success");
        JsonNode app = digitalOcean.appByName("shop-web");
        assertThat(r.output("app-id")).isEqualTo(app.path("id").asText());
        assertThat(r.output("deployment-id")).isEqualTo(app.path("active_deployment").path("id").asText());
        assertThat(r.output("phase")).isEqualTo("ACTIVE");
        assertThat(r.output("live-url")).matches("https://shop-web-[0-9a-f]{5}\\.ondigitalocean\\.app");
        // the spec's ${GREETING} came from the step environment, through `-e GREETING`, as UTF-8
        JsonNode sent = digitalOcean.requests("POST", "/v2/apps").get(0).json().path("spec");
        assertThat(sent.path("envs").get(0).path("value").asText()).isEqualTo("grüß dich");
        assertThat(r.summary()).startsWith("### ✅ Deployed shop-web");
        assertThat(r.log()).contains("is live at " + r.output("live-url"));

        JsonNode record = gitHub.deployments().get(0);
        assertThat(record.path("environment").asText()).isEqualTo("production");
        assertThat(record.path("payload").path("provider_deployment_id").asText()).isEqualTo(r.output("deployment-id"));
        assertThat(gitHub.statusStates(record.path("id").asLong())).containsExactly("in_progress", "success");

        assertThat(r.leaks(AppPlatformSimulator.TOKEN)).isFalse();
        assertThat(r.leaks(GitHubSimulator.DEFAULT_TOKEN)).isFalse();
    }

    @Test
    void aFailedDeployIsExitOneWithTheDeployLogsAndAFailedGitHubDeployment() {
        digitalOcean.failNextDeploy("web", "health check failed", List.of("[deploy] GET /health 503"));

        ActionResult r = ContainerRun.of(deploy()).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("failure");
        assertThat(r.errors()).isNotEmpty();
        assertThat(r.log()).contains("::group::deploy logs: web").contains("GET /health 503");
        JsonNode record = gitHub.deployments().get(0);
        assertThat(gitHub.statusStates(record.path("id").asLong())).containsExactly("in_progress", "failure");
        assertThat(r.leaks(AppPlatformSimulator.TOKEN)).isFalse();
    }
}
