package dev.gantry.common.digitalocean;

import dev.gantry.common.testing.FakeTime;

import dev.gantry.common.action.Log;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.RetryPolicy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

class DeploymentWatcherTest {
    final FakeTime time = new FakeTime();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final Log log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8), false);
    final AppsApi api = mock(AppsApi.class);
    final HttpApi http = HttpApi.builder("DigitalOcean").baseUrl(java.net.URI.create("http://127.0.0.1:9"))
            .time(time.time()).log(log).build();
    final AppPlatform platform = new AppPlatform(api, new DeploymentLogs(api, http), http.executor(), log);

    static AppsApi.DeploymentEnvelope dep(String phase, int done) throws Exception {
        return HttpApi.JSON.readValue("{\"deployment\": {\"id\": \"dep-1\", \"phase\": \"" + phase
                + "\", \"progress\": {\"success_steps\": " + done + ", \"total_steps\": 6}}}", AppsApi.DeploymentEnvelope.class);
    }

    DeploymentWatcher watcher(Duration timeout) {
        return DeploymentWatcher.builder(platform, log).timeout(timeout)
                .buildLogs(DeploymentWatcher.LogPolicy.NEVER).deployLogs(DeploymentWatcher.LogPolicy.NEVER).build();
    }

    @Test
    void logsEachChangeBacksOffAndToleratesAPassingServerError() throws Exception {
        when(api.getDeployment(anyString(), anyString()))
                .thenReturn(dep("PENDING_BUILD", 0), dep("BUILDING", 1))
                .thenThrow(new ProviderException("DigitalOcean", 500, "server_error", "oops", null, "GET /x", null))
                .thenReturn(dep("BUILDING", 1), dep("BUILDING", 2), dep("DEPLOYING", 4), dep("ACTIVE", 6));

        DeploymentWatcher.Outcome o = watcher(Duration.ofMinutes(30)).watch("app", "dep-1");

        assertThat(o.succeeded()).isTrue();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("PENDING_BUILD 0/6", "BUILDING 1/6", "BUILDING 2/6", "DEPLOYING 4/6", "ACTIVE 6/6")
                .contains("Could not read the deployment");
        assertThat(o.timeline()).extracting(DeploymentWatcher.PhaseSpan::phase).extracting(Enum::name)
                .containsExactly("PENDING_BUILD", "BUILDING", "DEPLOYING", "ACTIVE");
        // slowly while building (no reference to say when the build ends), every second once it is deploying
        assertThat(time.sleeps.subList(0, 4)).isSorted().first().isEqualTo(Duration.ofSeconds(1));
        assertThat(time.sleeps.get(time.sleeps.size() - 1)).isEqualTo(PollSchedule.FAST);
    }

    @Test
    void aTerminalFailureAndATimeoutAreOutcomesNotExceptions() throws Exception {
        when(api.getDeployment(anyString(), anyString())).thenReturn(dep("SUPERSEDED", 2));
        DeploymentWatcher.Outcome superseded = watcher(Duration.ofMinutes(1)).watch("app", "dep-1");
        assertThat(superseded.succeeded()).isFalse();
        assertThat(superseded.failureReason()).contains("newer deployment replaced it");

        when(api.getDeployment(anyString(), anyString())).thenReturn(dep("BUILDING", 1));
        DeploymentWatcher.Outcome slow = watcher(Duration.ofMinutes(2)).watch("app", "dep-1");
        assertThat(slow.timeout()).isNotNull();
        assertThat(slow.phase()).isEqualTo(Deployment.Phase.BUILDING);
        assertThat(slow.failureReason()).contains("Timed out after 2m").contains("BUILDING 1/6");
        assertThat(Duration.between(Instant.parse("2026-11-23T12:00:00Z"), time.instant())).isLessThan(Duration.ofMinutes(4));
    }

    @Test
    void aWorkerOnlyAppNeedsNoUrl() throws Exception {
        when(api.getApp("app")).thenReturn(HttpApi.JSON.readValue(
                "{\"app\": {\"id\": \"app\", \"spec\": {\"name\": \"w\", \"workers\": [{\"name\": \"mailer\"}]}}}",
                AppsApi.AppEnvelope.class));
        App a = watcher(Duration.ofMinutes(1)).awaitLiveUrl("app", Duration.ofMinutes(1));
        assertThat(a.hasLiveUrl()).isFalse();
        assertThat(time.sleeps).isEmpty();
    }
}
