package dev.gantry.rollback;


import dev.gantry.common.action.Log;
import dev.gantry.common.digitalocean.Deployment;
import dev.gantry.common.digitalocean.Deployment.Phase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The automatic DigitalOcean target: the newest earlier deployment that was live, nothing else. */
class DigitalOceanCandidateTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final DigitalOceanRollback side = new DigitalOceanRollback(
            new Log(new PrintStream(out, true, StandardCharsets.UTF_8), false),
            Settings.builder("digitalocean").digitalOcean("dop_v1_x", "shop", "").timeout(Duration.ofMinutes(1))
                    .incident("false").build(),
            URI.create("https://api.digitalocean.com"), "dop_v1_x", "shop", "", dev.gantry.common.http.Deadline.none(dev.gantry.common.http.Time.SYSTEM));

    private static Deployment d(String id, Phase phase, int success, int total, String createdAt) {
        Deployment.Progress p = new Deployment.Progress(total - success > 0 ? total - success : null, null,
                success, null, total, List.of(), List.of());
        return new Deployment(id, "cause", new Deployment.CauseDetails("MANUAL", null), null, phase, null, p, null,
                createdAt, createdAt, List.of(), null, null, null, null);
    }

    @Test
    void skipsFailedAndOvertakenDeploymentsAndNewerOnes() {
        Deployment newerFailed = d("n", Phase.ERROR, 2, 6, "2026-11-23T12:30:00Z");
        Deployment active = d("a", Phase.ACTIVE, 6, 6, "2026-11-23T12:00:00Z");
        Deployment failed = d("f", Phase.ERROR, 3, 6, "2026-11-23T11:50:00Z");
        Deployment overtaken = d("o", Phase.SUPERSEDED, 2, 6, "2026-11-23T11:40:00Z");
        Deployment live = d("l", Phase.SUPERSEDED, 6, 6, "2026-11-23T11:00:00Z");
        Deployment older = d("x", Phase.SUPERSEDED, 6, 6, "2026-11-23T10:00:00Z");

        assertThat(side.candidate(List.of(newerFailed, active, failed, overtaken, live, older), active)).isSameAs(live);
        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("Not a rollback target: f (ERROR").contains("Not a rollback target: o (SUPERSEDED")
                .contains("replaced before it went live").contains("never went live (n ERROR)");
    }

    @Test
    void noneWhenNothingEarlierWasLive() {
        Deployment active = d("a", Phase.ACTIVE, 6, 6, "2026-11-23T12:00:00Z");
        Deployment failed = d("f", Phase.ERROR, 3, 6, "2026-11-23T11:50:00Z");
        Deployment canceled = d("c", Phase.CANCELED, 1, 6, "2026-11-23T11:40:00Z");
        assertThat(side.candidate(List.of(active, failed, canceled), active)).isNull();
    }

    @Test
    void anActiveDeploymentBeyondTheHistoryComparesByCreationTime() {
        Deployment active = d("a", Phase.ACTIVE, 6, 6, "2026-11-23T12:00:00Z");
        Deployment newer = d("n", Phase.SUPERSEDED, 6, 6, "2026-11-23T12:10:00Z");
        Deployment live = d("l", Phase.SUPERSEDED, 6, 6, "2026-11-23T11:00:00Z");
        assertThat(side.candidate(List.of(newer, live), active)).isSameAs(live);
    }
}
