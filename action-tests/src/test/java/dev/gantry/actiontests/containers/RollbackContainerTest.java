package dev.gantry.actiontests.containers;

import dev.gantry.actiontests.digitalocean.AppPlatformSimulator;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The rollback image, run as the runner runs it, against the App Platform and GitHub simulators on loopback. */
class RollbackContainerTest {
    static final String SPEC = "{\"name\": \"shop-api\", \"services\": [{\"name\": \"api\", \"http_port\": 3000,"
            + " \"image\": {\"registry_type\": \"DOCR\", \"repository\": \"acme/api\", \"tag\": \"v1\"}}]}";

    AppPlatformSimulator digitalOcean;
    GitHubSimulator gitHub;

    @BeforeEach
    void start() {
        String reason = Docker.unavailableReason().orElse(null);
        assumeTrue(reason == null, reason);
        digitalOcean = new AppPlatformSimulator();
        gitHub = new GitHubSimulator();
    }

    @AfterEach
    void stop() {
        if (digitalOcean != null) digitalOcean.close();
        if (gitHub != null) gitHub.close();
    }

    /** A new deployment through the API, then simulated time passes until it has ended. */
    String deploy(String appId) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(digitalOcean.baseUrl() + "/v2/apps/" + appId + "/deployments"))
                .header("Authorization", "Bearer " + AppPlatformSimulator.TOKEN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        digitalOcean.clock().advance(Duration.ofMinutes(10));
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()).path("deployment").path("id").asText();
    }

    @Test
    void rollsBackToTheLastGoodDeploymentAndPinsIt() throws Exception {
        String appId = digitalOcean.seedApp(SPEC);
        String good = digitalOcean.app(appId).path("active_deployment").path("id").asText();
        String bad = deploy(appId);

        ActionResult r = ContainerRun.of(ActionRun.of("rollback")
                .with("provider", "digitalocean")
                .with("token", AppPlatformSimulator.TOKEN)
                .with("app-name", "shop-api")
                .with("api-url", digitalOcean.baseUrl().toString())
                .with("reason", "p95 latency over 2s — rolled back")
                .gitHub(gitHub)
                ).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("success");
        assertThat(r.output("rolled-back-from")).isEqualTo(bad);
        assertThat(r.output("rolled-back-to")).isEqualTo(good);
        assertThat(digitalOcean.app(appId).path("active_deployment").path("id").asText()).isEqualTo(r.output("deployment-id"));
        assertThat(r.summary()).startsWith("**✅ Rolled back shop-api").contains("p95 latency over 2s — rolled back");
        assertThat(r.leaks(AppPlatformSimulator.TOKEN)).isFalse();
        assertThat(r.leaks(GitHubSimulator.DEFAULT_TOKEN)).isFalse();
    }
}
