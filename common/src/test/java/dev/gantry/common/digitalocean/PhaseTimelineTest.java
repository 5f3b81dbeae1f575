package dev.gantry.common.digitalocean;

import dev.gantry.common.action.Durations;
import dev.gantry.common.http.HttpApi;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PhaseTimelineTest {
    static final Instant T0 = Instant.parse("2026-11-23T12:00:00Z");

    static Deployment at(String phase, Instant phaseSince) throws Exception {
        return HttpApi.JSON.readValue("{\"id\": \"d\", \"phase\": \"" + phase + "\", \"phase_last_updated_at\": \""
                + phaseSince + "\"}", Deployment.class);
    }

    @Test
    void usesAppPlatformsPhaseTimesWhenTheyAreConsistent() throws Exception {
        PhaseTimeline t = new PhaseTimeline();
        t.observe(at("PENDING_BUILD", T0), T0.plusSeconds(1));
        t.observe(at("BUILDING", T0.plusSeconds(10)), T0.plusSeconds(12));
        t.observe(at("DEPLOYING", T0.plusSeconds(70)), T0.plusSeconds(75));
        t.observe(at("ACTIVE", T0.plusSeconds(110)), T0.plusSeconds(111));

        assertThat(t.spans()).extracting(s -> Durations.human(s.duration())).containsExactly("10s", "1m", "40s", "0s");
    }

    @Test
    void aStalePhaseTimeFallsBackToWhenThePollsSawTheChange() throws Exception {
        // a stand-in that reports every phase as changed at creation: trusting it would give 0 ms for each phase
        PhaseTimeline t = new PhaseTimeline();
        t.observe(at("PENDING_BUILD", T0), T0.plusSeconds(1));
        t.observe(at("BUILDING", T0), T0.plusSeconds(12));
        t.observe(at("BUILDING", T0), T0.plusSeconds(40));
        t.observe(at("DEPLOYING", T0), T0.plusSeconds(72));
        t.observe(at("ACTIVE", T0), T0.plusSeconds(113));

        assertThat(t.spans()).extracting(s -> s.duration()).containsExactly(Duration.ofSeconds(12),
                Duration.ofSeconds(60), Duration.ofSeconds(41), Duration.ZERO);
    }
}
