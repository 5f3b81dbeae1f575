package dev.gantry.checks;

import dev.gantry.common.action.Log;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The back-off schedule, with a clock that only moves when the wait sleeps (no real sleeping). */
class HealthWaitTest {

    /** A clock the sleeper advances. */
    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-11-23T12:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void backsOffExponentiallyWithJitterUpToTheCapAndNeverSleepsPastTheDeadline() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: every attempt is refused at once
        }
        FakeClock clock = new FakeClock();
        List<Duration> sleeps = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Log log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8), false);
        CheckSuite suite = CheckSuite.parse("- name: health\n  request: { path: /health }\n", "<inline>");
        try (CheckRunner runner = CheckRunner.builder().requestTimeout(Duration.ofSeconds(2)).build()) {
            HealthWait.Result r = new HealthWait(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(3), clock,
                    d -> {
                        sleeps.add(d);
                        clock.now = clock.now.plus(d);
                    }).until(runner, suite.waitChecks(), URI.create("http://127.0.0.1:" + port), runner.scope(Map.of(), Map.of(), log), log);

            assertThat(r.healthy()).isFalse();
            // 1 s, 2 s, then capped at 3 s, each ±20%; the last pause is cut to the deadline
            assertThat(sleeps.get(0).toMillis()).isBetween(800L, 1200L);
            assertThat(sleeps.get(1).toMillis()).isBetween(1600L, 2400L);
            assertThat(sleeps.get(2).toMillis()).isBetween(2400L, 3600L);
            Duration slept = sleeps.stream().reduce(Duration.ZERO, Duration::plus);
            assertThat(slept).isEqualTo(Duration.ofSeconds(10));
            assertThat(r.attempts()).isEqualTo(sleeps.size() + 1);
            assertThat(r.lastFailure().failureKind()).isEqualTo(CheckOutcome.FailureKind.TRANSPORT);
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("attempt 1: health connection refused")
                    .contains("→ giving up after 10s");
        }
    }

    @Test
    void aRetryAfterLongerThanTheBackoffIsHonouredUpToTheDeadline() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", ex -> {
            ex.getResponseHeaders().add("Retry-After", "7");
            ex.sendResponseHeaders(503, -1);
            ex.close();
        });
        server.start();
        try {
            FakeClock clock = new FakeClock();
            List<Duration> sleeps = new ArrayList<>();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Log log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8), false);
            CheckSuite suite = CheckSuite.parse("- name: health\n  request: { path: /health }\n", "<inline>");
            try (CheckRunner runner = CheckRunner.builder().build()) {
                HealthWait.Result r = new HealthWait(Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(3), clock,
                        d -> {
                            sleeps.add(d);
                            clock.now = clock.now.plus(d);
                        }).until(runner, suite.waitChecks(), URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                        runner.scope(Map.of(), Map.of(), log), log);
                assertThat(r.healthy()).isFalse();
                assertThat(sleeps.get(0)).as("the server's 7 s, not our 1 s").isGreaterThanOrEqualTo(Duration.ofMillis(6000));
                assertThat(sleeps.get(1)).as("cut to the deadline").isLessThanOrEqualTo(Duration.ofSeconds(4));
                assertThat(out.toString(StandardCharsets.UTF_8)).contains("(Retry-After)");
            }
        } finally {
            server.stop(0);
        }
    }
}
