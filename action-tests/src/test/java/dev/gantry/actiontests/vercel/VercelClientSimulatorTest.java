package dev.gantry.actiontests.vercel;

import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.Log;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.RetryPolicy;
import dev.gantry.common.vercel.Deployment;
import dev.gantry.common.vercel.Project;
import dev.gantry.common.vercel.VercelClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client operations the rollback action builds on, against the simulator: project with
 * {@code lastAliasRequest}, listing with {@code until} pagination, promote and rollback as asynchronous jobs.
 */
class VercelClientSimulatorTest {
    private VercelSimulator sim;
    private VercelClient client;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void start() {
        sim = new VercelSimulator(new ScaledClock(20));
        sim.jobTime(Duration.ofSeconds(2));
        HttpApi http = HttpApi.builder(VercelClient.PROVIDER).baseUrl(sim.baseUrl()).token(VercelSimulator.TOKEN)
                .log(new Log(new PrintStream(out, true, StandardCharsets.UTF_8), false))
                .requestIdHeader("x-vercel-id")
                .retryPolicy(RetryPolicy.defaults().withDelays(Duration.ofMillis(10), Duration.ofMillis(50)))
                .build();
        client = new VercelClient(http, VercelSimulator.TEAM_ID);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    /** Five production deployments an hour apart, newest last; returns their ids oldest first. */
    private List<String> history() {
        long now = sim.clock().millis();
        List<String> ids = new ArrayList<>();
        for (int i = 5; i >= 1; i--) ids.add(sim.seedProductionDeployment(VercelSimulator.PROJECT_ID, now - i * 3_600_000L));
        return ids;
    }

    @Test
    void listingWalksEveryPageWithUntil() {
        List<String> ids = history();
        List<Deployment> all = client.listDeployments(VercelSimulator.PROJECT_ID, "production", "READY", 100, null);
        assertThat(all).extracting(Deployment::id).containsExactlyElementsOf(ids.reversed());
        // two per page: three pages, each asked for with the previous page's pagination.next as until
        sim.clearRequests();
        List<Deployment> paged = new ArrayList<>();
        Long until = null;
        do {
            var page = client.api().listDeployments(VercelSimulator.PROJECT_ID, "production", "READY", 2, until, null,
                    VercelSimulator.TEAM_ID);
            paged.addAll(page.deployments());
            until = page.pagination().next();
        } while (until != null);
        assertThat(paged).extracting(Deployment::id).containsExactlyElementsOf(ids.reversed());
        assertThat(sim.requests("GET", "/v6/deployments")).hasSize(3);
        // stop at the first match: the newest candidate older than the current production
        String current = client.project(VercelSimulator.PROJECT_ID).production().id();
        assertThat(current).isEqualTo(ids.get(4));
        List<Deployment> walk = client.listDeployments(VercelSimulator.PROJECT_ID, "production", "READY", 100,
                d -> !d.id().equals(current));
        assertThat(walk.getLast().id()).isEqualTo(ids.get(3));
        assertThat(VercelContract.problems(sim.exchanges())).isEmpty();
    }

    @Test
    void rollbackIsAnAsynchronousJobThatMovesProduction() {
        List<String> ids = history();
        VercelClient.JobRequest job = client.requestRollback(VercelSimulator.PROJECT_ID, ids.get(3), "bad deploy", prior());
        assertThat(job.queued()).isFalse();
        // right after the request the job is pending and production has not moved yet
        Project p = client.api().getProject(VercelSimulator.PROJECT_ID, VercelSimulator.TEAM_ID, true);
        assertThat(p.lastAliasRequest().jobStatus()).isIn("pending", "in-progress");
        assertThat(p.lastAliasRequest().fromDeploymentId()).isEqualTo(ids.get(4));
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(ids.get(4));

        Project.AliasRequest done = awaitJob(job, Duration.ofSeconds(30));
        assertThat(done.jobStatus()).isEqualTo("succeeded");
        assertThat(done.type()).isEqualTo("rollback");
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(ids.get(3));
        assertThat(sim.aliasTarget("sim-project.vercel.app")).isEqualTo(ids.get(3));
        assertThat(sim.requests("POST", "/v1/projects/prj_sim/rollback/.*").get(0).param("description")).isEqualTo("bad deploy");
        assertThat(sim.requests("GET", "/v9/projects/prj_sim").size()).isGreaterThan(1);
    }

    @Test
    void promoteQueuedBehindARollingReleaseIs202AndStillFinishes() {
        List<String> ids = history();
        sim.queueNextPromote();
        VercelClient.JobRequest job = client.requestPromote(VercelSimulator.PROJECT_ID, ids.get(2), prior());
        assertThat(job.queued()).isTrue();
        assertThat(awaitJob(job, Duration.ofSeconds(30)).jobStatus()).isEqualTo("succeeded");
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(ids.get(2));
        assertThat(VercelContract.problems(sim.exchanges())).isEmpty();
    }

    @Test
    void aFailedJobIsReturnedAndProductionStays() {
        List<String> ids = history();
        sim.failNextJob();
        VercelClient.JobRequest job = client.requestRollback(VercelSimulator.PROJECT_ID, ids.get(1), null, prior());
        assertThat(awaitJob(job, Duration.ofSeconds(30)).jobStatus()).isEqualTo("failed");
        assertThat(sim.productionOf(VercelSimulator.PROJECT_ID)).isEqualTo(ids.get(4));
    }

    @Test
    void aJobThatDoesNotFinishTimesOut() {
        List<String> ids = history();
        sim.jobTime(Duration.ofHours(10));
        VercelClient.JobRequest job = client.requestRollback(VercelSimulator.PROJECT_ID, ids.get(3), null, prior());
        assertThatThrownBy(() -> awaitJob(job, Duration.ofMillis(600)))
                .isInstanceOf(ActionException.class).hasMessageContaining("Timed out")
                .satisfies(e -> assertThat(((ActionException) e).result()).isEqualTo("timeout"));
    }

    @Test
    void aSecondJobWhileOneRunsIsAConflictAndRateLimitsAreWaitedOut() {
        List<String> ids = history();
        sim.jobTime(Duration.ofHours(10));
        client.requestRollback(VercelSimulator.PROJECT_ID, ids.get(3), null, prior());
        assertThatThrownBy(() -> client.requestRollback(VercelSimulator.PROJECT_ID, ids.get(2), null, prior()))
                .isInstanceOf(ProviderException.class).hasMessageContaining("409");

        VercelSimulator fresh = new VercelSimulator(new ScaledClock(20));
        try (fresh) {
            String prod = fresh.seedProductionDeployment(VercelSimulator.PROJECT_ID, fresh.clock().millis() - 7_200_000);
            String newer = fresh.seedProductionDeployment(VercelSimulator.PROJECT_ID, fresh.clock().millis() - 3_600_000);
            fresh.rateLimit("POST", "/v10/projects/.*/promote/.*", 1, 1);
            VercelClient c = new VercelClient(HttpApi.builder(VercelClient.PROVIDER).baseUrl(fresh.baseUrl())
                    .token(VercelSimulator.TOKEN).build(), VercelSimulator.TEAM_ID);
            assertThat(c.requestPromote(VercelSimulator.PROJECT_ID, prod, null).queued()).isFalse();
            assertThat(fresh.requests("POST", "/v10/projects/.*/promote/.*")).hasSize(2);
            assertThat(newer).isNotEqualTo(prod);
        }
    }

    @Test
    void rollbackToADeploymentThatNeverServedProductionIsRefused() {
        history();
        String preview = sim.seedDeployment(VercelSimulator.PROJECT_ID, null, sim.clock().millis() - 60_000);
        assertThatThrownBy(() -> client.requestRollback(VercelSimulator.PROJECT_ID, preview, null, prior()))
                .isInstanceOf(ProviderException.class).hasMessageContaining("400").hasMessageContaining("never served production");
        assertThatThrownBy(() -> client.requestRollback(VercelSimulator.PROJECT_ID, "dpl_doesnotexist", null, prior()))
                .isInstanceOf(ProviderException.class).hasMessageContaining("404");
        assertThat(client.listDeployments(VercelSimulator.PROJECT_ID, "production", null, 100, null))
                .extracting(Deployment::id).doesNotContain(preview);
    }

    private Project.AliasRequest priorJob;

    /** The project's last job before a request (what the action compares against, as VercelRollback does). */
    private Project.AliasRequest prior() {
        priorJob = client.api().getProject(VercelSimulator.PROJECT_ID, VercelSimulator.TEAM_ID, true).lastAliasRequest();
        return priorJob;
    }

    /** Waits for the job as the rollback action does: polling the project until a new job of ours has finished. */
    private Project.AliasRequest awaitJob(VercelClient.JobRequest job, Duration timeout) {
        Project.AliasRequest before = priorJob;
        return dev.gantry.common.http.Poller.waitingFor("the " + job.type() + " job").timeout(timeout)
                .interval(Duration.ofMillis(100), Duration.ofMillis(500), 1.5)
                .log(new dev.gantry.common.action.Log(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false))
                .build().until(() -> client.api().getProject(job.projectId(), VercelSimulator.TEAM_ID, true).lastAliasRequest(),
                        r -> VercelClient.isNewJob(r, job.type(), job.deploymentId(), before) && r.finished(),
                        r -> r == null ? "none" : r.jobStatus());
    }
}
