package dev.gantry.common.vercel;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentWaiterTest {
    @Test
    void pollsOnTheClisSchedule() {
        assertThat(DeploymentWaiter.pollDelay(Duration.ZERO)).hasSeconds(1);
        assertThat(DeploymentWaiter.pollDelay(Duration.ofSeconds(14))).hasSeconds(1);
        assertThat(DeploymentWaiter.pollDelay(Duration.ofSeconds(15))).hasSeconds(5);
        assertThat(DeploymentWaiter.pollDelay(Duration.ofSeconds(59))).hasSeconds(5);
        assertThat(DeploymentWaiter.pollDelay(Duration.ofMinutes(1))).hasSeconds(15);
        assertThat(DeploymentWaiter.pollDelay(Duration.ofMinutes(5))).hasSeconds(30);
        assertThat(DeploymentWaiter.pollDelay(Duration.ofHours(2))).hasSeconds(30);
    }

    private static Deployment d(String state, Object aliasAssigned, Deployment.ErrorInfo aliasError, String errorCode,
                                Map<String, Deployment.Check> checks) {
        return new Deployment("dpl_1", "x.vercel.app", "x", "prj", state, null, null, List.of(), aliasAssigned,
                aliasError, errorCode, "boom", "https://vercel.com/t/x/1", 1L, null, null, Map.of(), checks);
    }

    @Test
    void liveMeansReadyWithAliasesAssignedAndBlockedIsAFailure() {
        assertThat(d("READY", true, null, null, null).isLive()).isTrue();
        assertThat(d("READY", 1_700_000_000_000L, null, null, null).isLive()).as("older shape: a timestamp").isTrue();
        assertThat(d("READY", false, null, null, null).isLive()).isFalse();
        assertThat(d("READY", null, null, null, null).isFailed()).isFalse();
        assertThat(d("BUILDING", null, null, null, null).isFailed()).isFalse();
        for (String s : List.of("ERROR", "CANCELED", "BLOCKED", "DELETED", "INITIALIZING_ERROR")) {
            assertThat(d(s, null, null, null, null).isFailed()).as(s).isTrue();
        }
        assertThat(d("READY", false, new Deployment.ErrorInfo("cert_missing", "no cert"), null, null).isFailed()).isTrue();
        assertThat(d("READY", false, null, null, Map.of("deployment-alias", new Deployment.Check("failed"))).isFailed()).isTrue();
        assertThat(DeploymentWaiter.failureMessage(d("ERROR", null, null, "BUILD_FAILED", null)))
                .contains("BUILD_FAILED").contains("boom").contains("Inspect: https://vercel.com/t/x/1");
        assertThat(DeploymentWaiter.failureMessage(d("BLOCKED", null, null, null, null))).contains("BLOCKED");
    }
}
