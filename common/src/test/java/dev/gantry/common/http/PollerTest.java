package dev.gantry.common.http;

import dev.gantry.common.testing.FakeTime;

import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.Log;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PollerTest {
    private final FakeTime time = new FakeTime();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8), false);

    private Poller poller(Duration timeout) {
        return Poller.waitingFor("deployment d-1 to become ACTIVE").timeout(timeout)
                .interval(Duration.ofSeconds(1), Duration.ofSeconds(8), 2.0).heartbeat(Duration.ofSeconds(30))
                .log(log).time(time.time()).build();
    }

    @Test
    void logsEachStateChangeOnceAndReturnsTheFinalState() {
        Iterator<String> states = List.of("PENDING_BUILD", "BUILDING 1/3", "BUILDING 1/3", "BUILDING 3/3", "ACTIVE").iterator();
        String result = poller(Duration.ofMinutes(5)).until(states::next, "ACTIVE"::equals, s -> "phase " + s);
        assertThat(result).isEqualTo("ACTIVE");
        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(log.lines()).containsExactly("phase PENDING_BUILD (0s)", "phase BUILDING 1/3 (1s)",
                "phase BUILDING 3/3 (7s)", "phase ACTIVE (15s)");
    }

    @Test
    void backsOffUpToTheMaximumInterval() {
        int[] n = {0};
        poller(Duration.ofMinutes(5)).until(() -> ++n[0], i -> i == 7, i -> "same");
        assertThat(time.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(8));
    }

    @Test
    void timesOutWithWhatItWaitedForAndTheLastState() {
        assertThatThrownBy(() -> poller(Duration.ofSeconds(20)).until(() -> "BUILDING 2/7", s -> false, s -> "phase " + s))
                .isInstanceOfSatisfying(Poller.PollTimeoutException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
                    assertThat(e.result()).isEqualTo("timeout");
                    assertThat(e.getMessage()).isEqualTo("Timed out after 20s waiting for deployment d-1 to become ACTIVE;"
                            + " last state: phase BUILDING 2/7");
                });
        Duration slept = time.sleeps.stream().reduce(Duration.ZERO, Duration::plus);
        assertThat(slept).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void printsAHeartbeatWhileNothingChanges() {
        int[] n = {0};
        poller(Duration.ofMinutes(5)).until(() -> ++n[0], i -> i == 12, i -> "BUILDING");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("still waiting for deployment d-1 to become ACTIVE: BUILDING");
    }

    @Test
    void aProbeThatThrowsEndsTheWait() {
        assertThatThrownBy(() -> poller(Duration.ofMinutes(5)).until(() -> {
            throw new IllegalStateException("deployment ERROR at step build");
        }, s -> false, s -> "x")).hasMessage("deployment ERROR at step build");
    }
}
