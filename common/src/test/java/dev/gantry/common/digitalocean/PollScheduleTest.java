package dev.gantry.common.digitalocean;

import dev.gantry.common.http.HttpApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PollScheduleTest {
    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    /** A deployment created at T0 whose build ran [10 s, 70 s) and whose deploy stage started at {@code deployStart}. */
    static Deployment deployment(String phase, Integer deployStart, Integer deployEnd) throws Exception {
        String deploy = deployStart == null ? "" : ", {\"name\": \"deploy\", \"status\": \"RUNNING\", \"started_at\": \""
                + T0.plusSeconds(deployStart) + "\"" + (deployEnd == null ? "" : ", \"ended_at\": \"" + T0.plusSeconds(deployEnd) + "\"")
                + "}";
        return HttpApi.JSON.readValue("{\"id\": \"d\", \"phase\": \"" + phase + "\", \"created_at\": \"" + T0
                + "\", \"phase_last_updated_at\": \"" + T0 + "\", \"progress\": {\"steps\": [{\"name\": \"build\", "
                + "\"status\": \"SUCCESS\", \"started_at\": \"" + T0.plusSeconds(10) + "\", \"ended_at\": \""
                + T0.plusSeconds(70) + "\"}" + deploy + "]}}", Deployment.class);
    }

    @Test
    void withoutAReferenceItIsSlowWhileBuildingAndFastOnceDeploying() throws Exception {
        PollSchedule s = new PollSchedule(null, Duration.ofSeconds(10));
        Deployment building = deployment("BUILDING", null, null);
        assertThat(s.next(building, T0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.next(building, T0)).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.next(building, T0)).isEqualTo(Duration.ofMillis(2250));
        for (int i = 0; i < 10; i++) s.next(building, T0);
        assertThat(s.next(building, T0)).isEqualTo(Duration.ofSeconds(10));

        Deployment deploying = deployment("DEPLOYING", 80, null);
        assertThat(s.next(deploying, T0.plusSeconds(81))).isEqualTo(PollSchedule.FAST);
        assertThat(s.next(deploying, T0.plusSeconds(81).plus(PollSchedule.FAST_LIMIT).plusSeconds(1)))
                .as("fast polling is bounded").isEqualTo(PollSchedule.WARM);
    }

    @Test
    void withAReferenceItWaitsQuietlyUntilShortlyBeforeTheDeploymentIsDueToEnd() throws Exception {
        // the reference's deploy stage took 40 s: this one, started at 80 s, is due to end at 120 s
        PollSchedule s = new PollSchedule(deployment("ACTIVE", 80, 120), Duration.ofSeconds(10));
        Deployment deploying = deployment("DEPLOYING", 80, null);

        Duration first = s.next(deploying, T0.plusSeconds(85));
        assertThat(first).isLessThanOrEqualTo(Duration.ofSeconds(10));
        // 20 % of 40 s before the due time: fast from 112 s on, never a slow pause across it
        assertThat(s.next(deploying, T0.plusSeconds(110))).isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(s.next(deploying, T0.plusSeconds(112))).isEqualTo(PollSchedule.FAST);
        assertThat(s.next(deploying, T0.plusSeconds(125))).isEqualTo(PollSchedule.FAST);
        // 30 % of 40 s late: the reference was wrong; every few seconds until it ends
        assertThat(s.next(deploying, T0.plusSeconds(133))).isEqualTo(PollSchedule.WARM);
    }

    @Test
    void beforeTheDeployStageItOnlyWakesInTimeAndNeverPollsFast() throws Exception {
        // the reference: build 60 s, 10 s to the deploy stage, deploy stage 40 s; this one started building at 10 s,
        // so it is due to end at 120 s, and the fast window opens at 112 s
        PollSchedule s = new PollSchedule(deployment("ACTIVE", 80, 120), Duration.ofSeconds(10));
        Deployment building = HttpApi.JSON.readValue("{\"id\": \"d\", \"phase\": \"BUILDING\", \"created_at\": \""
                + T0 + "\", \"progress\": {\"steps\": [{\"name\": \"build\", \"status\": \"RUNNING\", \"started_at\": \""
                + T0.plusSeconds(10) + "\"}]}}", Deployment.class);
        for (int i = 0; i < 10; i++) s.next(building, T0.plusSeconds(20));
        assertThat(s.next(building, T0.plusSeconds(20))).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.next(building, T0.plusSeconds(105))).as("awake for the window").isEqualTo(Duration.ofSeconds(7));
        assertThat(s.next(building, T0.plusSeconds(113))).as("still building: no fast polling")
                .isGreaterThan(PollSchedule.FAST);
    }
}
