package dev.gantry.actiontests.digitalocean;

import dev.gantry.actiontests.harness.OpenApiContract;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.Log;
import dev.gantry.common.digitalocean.App;
import dev.gantry.common.digitalocean.AppPlatform;
import dev.gantry.common.digitalocean.AppSpec;
import dev.gantry.common.digitalocean.AppsApi;
import dev.gantry.common.digitalocean.Deployment;
import dev.gantry.common.digitalocean.Deployment.Phase;
import dev.gantry.common.digitalocean.DeploymentWatcher;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.Time;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The simulator on its own, through our client: phases and steps, superseding, pagination, logs, and the rollback
 * endpoints (validate, rollback with and without pin, commit, revert) the rollback action builds on.
 */
class AppPlatformSimulatorTest {
    static final String TAGGED = "{\"name\": \"shop-api\", \"services\": [{\"name\": \"api\", \"http_port\": 3000, "
            + "\"image\": {\"registry_type\": \"DOCR\", \"repository\": \"acme/api\", \"tag\": \"v1\"}}]}";

    final AppPlatformSimulator sim = new AppPlatformSimulator();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final Log log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8), false);
    final AppPlatform platform = AppPlatform.connect(sim.baseUrl(), AppPlatformSimulator.TOKEN, log,
            Deadline.none(new Time(Clock.systemUTC(), d -> { })));
    final DeploymentWatcher watcher = DeploymentWatcher.builder(platform, log).timeout(Duration.ofSeconds(20)).build();

    @AfterEach
    void contractAndStop() {
        try {
            if (Files.exists(Project.sharedFile("specs/" + AppPlatformSimulator.SPEC))) {
                assertThat(sim.apiExchanges()).isNotEmpty();
            }
            assertThat(sim.contractProblems()).isEmpty();
        } finally {
            sim.close();
        }
    }

    @Test
    void aDeploymentWalksThePhasesWithStepCountsAndSupersedesTheActiveOne() {
        String appId = sim.seedApp("{\"name\": \"shop-web\", \"services\": [{\"name\": \"web\", \"github\": "
                + "{\"repo\": \"acme/shop\", \"branch\": \"main\"}}]}");
        String before = platform.getApp(appId).activeDeploymentId();
        sim.tick(Duration.ofSeconds(5));

        Deployment d = platform.createDeployment(appId, false);
        List<Phase> seen = new ArrayList<>();
        List<Integer> success = new ArrayList<>();
        while (!d.phaseOrUnknown().isTerminal()) {
            if (seen.isEmpty() || seen.get(seen.size() - 1) != d.phaseOrUnknown()) seen.add(d.phaseOrUnknown());
            success.add(d.progress().success());
            assertThat(d.progress().total()).isEqualTo(6);
            d = platform.getDeployment(appId, d.id());
        }

        assertThat(seen).containsExactly(Phase.PENDING_BUILD, Phase.BUILDING, Phase.PENDING_DEPLOY, Phase.DEPLOYING);
        assertThat(success).isSorted();
        assertThat(d.phase()).isEqualTo(Phase.ACTIVE);
        assertThat(d.progress().success()).isEqualTo(6);
        App app = platform.getApp(appId);
        assertThat(app.activeDeploymentId()).isEqualTo(d.id());
        assertThat(app.inProgressDeployment()).isNull();
        assertThat(app.liveUrl()).startsWith("https://shop-web-");
        assertThat(platform.getDeployment(appId, before).phase()).isEqualTo(Phase.SUPERSEDED);
        assertThat(platform.listDeployments(appId, 10)).extracting(Deployment::id).containsExactly(d.id(), before);
    }

    @Test
    void aNewDeploymentSupersedesOneInFlightAndCancelStopsOne() {
        String appId = sim.seedApp(TAGGED);
        Deployment first = platform.createDeployment(appId, false);
        Deployment second = platform.createDeployment(appId, false);
        assertThat(platform.getDeployment(appId, first.id()).phase()).isEqualTo(Phase.SUPERSEDED);

        Deployment canceled = platform.api().cancelDeployment(appId, second.id()).deployment();
        assertThat(canceled.phase()).isEqualTo(Phase.CANCELED);
        assertThatThrownBy(() -> platform.api().cancelDeployment(appId, second.id()))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void appsPageWithLinksAndMeta() {
        for (int i = 0; i < 5; i++) sim.seedApp(TAGGED.replace("shop-api", "app-" + i));

        AppsApi.AppsPage p1 = platform.api().listApps(1, 2);
        AppsApi.AppsPage p3 = platform.api().listApps(3, 2);
        AppsApi.AppsPage p4 = platform.api().listApps(4, 2);

        assertThat(p1.apps()).hasSize(2);
        assertThat(p1.links().pages().next()).endsWith("page=2");
        assertThat(p1.links().pages().last()).endsWith("page=3");
        assertThat(p1.meta().total()).isEqualTo(5);
        assertThat(p3.apps()).hasSize(1);
        assertThat(p3.links().hasNext()).isFalse();
        assertThat(p3.links().pages().prev()).endsWith("page=2");
        assertThat(p4.appsOrEmpty()).isEmpty();
        assertThat(platform.findByName("app-4")).isPresent();
        assertThat(platform.findByName("nope")).isEmpty();
    }

    @Test
    void rollbackValidatesPinsCommitsAndReverts() {
        String appId = sim.seedApp(TAGGED);
        String v1 = platform.getApp(appId).activeDeploymentId();
        App app = platform.getApp(appId);
        AppSpec v2spec = app.spec().withImage("api", new AppSpec.ImageRef(null, "v2", null));
        AppPlatform.Change change = platform.updateApp(app, v2spec, true);
        String v2 = change.deployment().id();
        assertThat(watcher.watch(appId, v2).succeeded()).isTrue();

        AppsApi.RollbackValidation ok = platform.validateRollback(appId, v1, false);
        assertThat(ok.isValid()).isTrue();
        assertThat(ok.warningsOrEmpty()).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo("image_source_missing_digest");
            assertThat(w.components()).containsExactly("api");
        });
        AppsApi.RollbackValidation active = platform.validateRollback(appId, v2, false);
        assertThat(active.isValid()).isFalse();
        assertThat(active.error().code()).isEqualTo("incompatible_phase");

        Deployment rb = platform.rollback(appId, v1, false);
        assertThat(rb.causeDetails().type()).isEqualTo("MANUAL_ROLLBACK");
        assertThat(rb.clonedFrom()).isEqualTo(v1);
        assertThat(rb.phase()).isEqualTo(Phase.PENDING_DEPLOY);
        assertThat(platform.getApp(appId).pinnedDeployment().id()).isEqualTo(rb.id());
        assertThat(platform.validateRollback(appId, v1, false).error().code()).isEqualTo("app_pinned");
        assertThatThrownBy(() -> platform.createDeployment(appId, false))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.providerMessage()).contains("pinned");
                });
        assertThat(watcher.watch(appId, rb.id()).succeeded()).isTrue();
        assertThat(platform.getApp(appId).spec().image("api").path("tag").asText()).isEqualTo("v1");

        platform.commitRollback(appId);
        assertThat(platform.getApp(appId).pinnedDeployment()).isNull();
        assertThatThrownBy(() -> platform.commitRollback(appId)).isInstanceOf(ProviderException.class);

        Deployment rb2 = platform.rollback(appId, v2, false);
        assertThat(watcher.watch(appId, rb2.id()).succeeded()).isTrue();
        Deployment revert = platform.revertRollback(appId);
        assertThat(revert.causeDetails().digitaloceanUserAction().name()).isEqualTo("REVERT_APP_ROLLBACK");
        assertThat(watcher.watch(appId, revert.id()).succeeded()).isTrue();
        App after = platform.getApp(appId);
        assertThat(after.pinnedDeployment()).isNull();
        assertThat(after.spec().image("api").path("tag").asText()).isEqualTo("v1");

        sim.rollbackRevisionLimit(1);
        assertThat(platform.validateRollback(appId, v1, true).error().code()).isEqualTo("exceeded_revision_limit");
        sim.rollbackRevisionLimit(10);
        Deployment unpinned = platform.rollback(appId, v2, true);
        assertThat(platform.getApp(appId).pinnedDeployment()).isNull();
        assertThat(watcher.watch(appId, unpinned.id()).succeeded()).isTrue();
    }

    @Test
    void failedDeploymentsCannotBeRollbackTargets() {
        String appId = sim.seedApp(TAGGED);
        sim.failNextDeploy("api", "container exited with code 1", List.of("Error: listen EADDRINUSE"));
        Deployment bad = platform.createDeployment(appId, false);
        DeploymentWatcher.Outcome o = watcher.watch(appId, bad.id());

        assertThat(o.succeeded()).isFalse();
        assertThat(o.phase()).isEqualTo(Phase.ERROR);
        assertThat(o.failedSteps()).singleElement().satisfies(f -> {
            assertThat(f.stage()).isEqualTo("deploy");
            assertThat(f.component()).isEqualTo("api");
            assertThat(f.reason().code()).isEqualTo("DeployContainerExitNonZero");
        });
        assertThat(o.logs()).singleElement().satisfies(l -> assertThat(l.logs().text()).contains("EADDRINUSE"));
        AppsApi.RollbackValidation v = platform.validateRollback(appId, bad.id(), true);
        assertThat(v.isValid()).isFalse();
        assertThat(v.error().code()).isEqualTo("incompatible_result");
        assertThat(v.error().message()).contains("\"failed\"");
    }

    @Test
    void logsAreBehindPresignedUrlsThatRefuseTheToken() throws Exception {
        String appId = sim.seedApp(TAGGED);
        String dep = platform.getApp(appId).activeDeploymentId();

        assertThatThrownBy(() -> platform.api().componentLogs(appId, dep, "api", "BUILD"))
                .as("an image component has no build").isInstanceOfSatisfying(ProviderException.class,
                        e -> assertThat(e.status()).isEqualTo(400));
        AppsApi.Logs logs = platform.api().componentLogs(appId, dep, "api", "DEPLOY");
        String url = logs.historicUrls().get(0);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> plain = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> withToken = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + AppPlatformSimulator.TOKEN).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(url.replaceAll("Signature=.*", "Signature=0")))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.body()).contains("api ").contains("[deploy] Starting container");
        assertThat(withToken.statusCode()).isEqualTo(400);
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(platform.logs().fetch(appId, dep, null, "DEPLOY").text()).contains("Health checks passing");
    }

    @Test
    void aWrongTokenIs401AndAnInputError() {
        AppPlatform wrong = AppPlatform.connect(sim.baseUrl(), "dop_v1_wrong", log, Deadline.none(Time.SYSTEM));
        assertThatThrownBy(() -> wrong.findByName("x")).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(e.errorCode()).isEqualTo("unauthorized");
        });
    }

    @Test
    void theContractCheckCatchesABadRequest() {
        OpenApiContract c = OpenApiContract.require("digitalocean/apps.openapi.json"); // skips, saying why, without it
        assertThat(c.checkRequest("POST", "/v2/apps", null, "application/json",
                "{\"spec\": {\"name\": \"Bad Name\"}}".getBytes(StandardCharsets.UTF_8))).isNotEmpty();
        assertThat(c.checkResponse("GET", "/v2/apps/3c8f2a1e-0000-4000-8000-000000000000", 200,
                "{\"app\": {\"id\": \"x\"}}".getBytes(StandardCharsets.UTF_8))).isNotEmpty();
        sim.seedApp(TAGGED);
        platform.findByName("shop-api");
    }
}
