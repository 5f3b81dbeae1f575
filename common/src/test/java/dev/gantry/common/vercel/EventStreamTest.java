package dev.gantry.common.vercel;

import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.RetryPolicy;
import dev.gantry.common.testing.FakeTime;
import dev.gantry.common.testing.LoopbackServer;
import dev.gantry.common.testing.LoopbackServer.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The events stream's reconnects, on a virtual clock: they back off with the executor policy's backoff, never sleep
 * past the step's deadline, and a connection the retry executor gave up on is not retried again outside it.
 */
class EventStreamTest {
    private static final String EVENTS = "/v3/deployments/dpl_1/events";
    /** Initial 10 s, max 60 s: the backoff before reconnect k is in [5 s, 10 s] · 2^(k-1). */
    private static final RetryPolicy POLICY = RetryPolicy.defaults().withDelays(Duration.ofSeconds(10), Duration.ofSeconds(60));

    private LoopbackServer server;
    private FakeTime time;
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void start() {
        server = new LoopbackServer();
        time = new FakeTime();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Each connection sends one build line and ends, before the deployment is done: the stream reconnects. */
    private void streamThatEndsEarly() {
        server.route("GET", EVENTS, (r, m) -> {
            int n = connections.incrementAndGet();
            return new Reply(200, Map.of("Content-Type", "application/stream+json"),
                    ("{\"type\":\"stdout\",\"created\":" + n + ",\"text\":\"line " + n + "\"}\n")
                            .getBytes(StandardCharsets.UTF_8));
        });
    }

    private record Outcome(List<DeploymentEvent> events, String why) {
    }

    private Outcome follow(Deadline deadline, RetryPolicy policy) throws InterruptedException {
        HttpApi http = HttpApi.builder("Vercel").baseUrl(server.baseUrl()).token("tok").retryPolicy(policy)
                .deadline(deadline).build();
        List<DeploymentEvent> events = new CopyOnWriteArrayList<>();
        AtomicReference<String> why = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        try (EventStream s = new EventStream(http, null, "dpl_1")) {
            s.start(events::add, w -> {
                why.set(w);
                ended.countDown();
            });
            assertThat(ended.await(30, TimeUnit.SECONDS)).as("the stream ends on its own").isTrue();
        }
        return new Outcome(events, why.get());
    }

    @Test
    void reconnectsBackOffWithTheExecutorPolicy() throws Exception {
        streamThatEndsEarly();
        Outcome o = follow(time.deadline(Duration.ofMinutes(10)), POLICY);
        assertThat(connections).hasValue(3);
        assertThat(o.events()).extracting(DeploymentEvent::text).containsExactly("line 1", "line 2", "line 3");
        assertThat(server.requests("GET", EVENTS).get(1).param("since")).as("resumes after the last event").isEqualTo("2");
        assertThat(time.sleeps).hasSize(2);
        assertThat(time.sleeps.get(0)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(time.sleeps.get(1)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
        assertThat(o.why()).isEqualTo("ended");
    }

    @Test
    void noReconnectSleepsPastTheDeadline() throws Exception {
        streamThatEndsEarly();
        // the first pause (5-10 s) fits in 12 s; the second (10-20 s, from 5 s or later) cannot
        Deadline deadline = time.deadline(Duration.ofSeconds(12));
        Outcome o = follow(deadline, POLICY);
        assertThat(connections).hasValue(2);
        assertThat(time.sleeps).hasSize(1);
        assertThat(time.sleeps.getFirst()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(time.instant()).isBefore(deadline.at());
        assertThat(o.why()).contains("no time left to reconnect before the step's deadline");
    }

    @Test
    void aConnectionTheExecutorGaveUpOnIsNotRetriedAgain() throws Exception {
        server.route("GET", EVENTS, (r, m) -> {
            connections.incrementAndGet();
            return Reply.json(503, Map.of("error", Map.of("code", "unavailable", "message", "try later")));
        });
        Outcome o = follow(time.deadline(Duration.ofMinutes(10)), POLICY.withMaxAttempts(3));
        assertThat(connections).as("the executor's three attempts, and no more").hasValue(3);
        assertThat(time.sleeps).as("the executor's two backoffs").hasSize(2);
        assertThat(o.why()).startsWith("failed (").contains("gave up after 3 attempts");
    }

    @Test
    void aRetryAfterPastTheDeadlineEndsTheStreamWithoutWaiting() throws Exception {
        server.route("GET", EVENTS, (r, m) -> {
            connections.incrementAndGet();
            return Reply.json(429, Map.of("error", Map.of("code", "rate_limited", "message", "slow down")))
                    .withHeader("Retry-After", "60");
        });
        Outcome o = follow(time.deadline(Duration.ofSeconds(5)), POLICY);
        assertThat(connections).hasValue(1);
        assertThat(time.sleeps).isEmpty();
        assertThat(o.why()).contains("Timed out").contains("asked to wait 1m");
    }
}
