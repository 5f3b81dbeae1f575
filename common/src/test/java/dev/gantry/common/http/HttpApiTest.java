package dev.gantry.common.http;

import dev.gantry.common.testing.FakeTime;

import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.Log;
import dev.gantry.common.testing.LoopbackServer;
import dev.gantry.common.testing.LoopbackServer.Fault;
import dev.gantry.common.testing.LoopbackServer.Reply;
import feign.Headers;
import feign.Param;
import feign.RequestLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import static dev.gantry.common.testing.LoopbackServer.matching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpApiTest {

    record Thing(String id, String name) {
    }

    interface ThingsApi {
        @RequestLine("GET /v2/things/{id}")
        Thing get(@Param("id") String id);

        @RequestLine("POST /v2/things")
        @Headers("Content-Type: application/json")
        Thing create(Thing thing);

        @Idempotent
        @RequestLine("POST /v2/things/{id}/touch")
        Thing touch(@Param("id") String id);
    }

    private LoopbackServer server;
    private FakeTime time;
    private ByteArrayOutputStream logBytes;
    private Log log;

    @BeforeEach
    void start() {
        server = new LoopbackServer();
        server.route("GET", "/v2/things/([^/]+)", (r, m) -> Reply.json(200, Map.of("id", m.group(1), "name", "widget")));
        server.route("POST", "/v2/things", (r, m) -> Reply.json(201, Map.of("id", "t-1", "name", r.json().path("name").asText())));
        server.route("POST", "/v2/things/([^/]+)/touch", (r, m) -> Reply.json(200, Map.of("id", m.group(1), "name", "touched")));
        time = new FakeTime();
        logBytes = new ByteArrayOutputStream();
        log = new Log(new PrintStream(logBytes, true, StandardCharsets.UTF_8), true);
        log.addMask("dop_v1_TOKEN");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ThingsApi api(RetryPolicy policy) {
        return HttpApi.builder("DigitalOcean").baseUrl(server.baseUrl()).token("dop_v1_TOKEN").log(log)
                .retryPolicy(policy).time(time.time()).requestIdHeader("x-request-id").build()
                .client(ThingsApi.class);
    }

    private ThingsApi api() {
        return api(RetryPolicy.defaults());
    }

    private String logText() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sendsTheTokenAsBearerAndDecodesRecords() {
        assertThat(api().get("abc")).isEqualTo(new Thing("abc", "widget"));
        assertThat(server.requests().get(0).header("authorization")).isEqualTo("Bearer dop_v1_TOKEN");
        assertThat(server.requests().get(0).header("user-agent")).startsWith("gantry/");
    }

    @Test
    void honoursRetryAfterInSeconds() {
        server.inject(Fault.status(matching("GET", "/v2/things/.*"), 2,
                Reply.json(429, Map.of("id", "too_many_requests", "message", "slow down")).withHeader("Retry-After", "7")));
        assertThat(api().get("abc").name()).isEqualTo("widget");
        assertThat(server.requests()).hasSize(3);
        assertThat(time.sleeps).hasSize(2).allSatisfy(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofSeconds(7)));
        assertThat(logText()).contains("HTTP 429 on GET /v2/things/abc; retrying in 7s (attempt 2 of 6)");
    }

    @Test
    void honoursRetryAfterAsAnHttpDate() {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(time.instant().plusSeconds(30).atZone(ZoneOffset.UTC));
        server.inject(Fault.status(matching("GET", ".*"), 1, Reply.empty(503).withHeader("Retry-After", date)));
        api().get("abc");
        assertThat(time.sleeps).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(31)));
    }

    @Test
    void waitsForTheRateLimitResetWhenNoRetryAfterIsGiven() {
        long reset = time.instant().getEpochSecond() + 12;
        server.inject(Fault.status(matching("GET", ".*"), 1, Reply.json(429, Map.of("id", "too_many_requests", "message", "x"))
                .withHeader("ratelimit-remaining", "0").withHeader("ratelimit-reset", String.valueOf(reset))));
        api().get("abc");
        assertThat(time.sleeps).singleElement().isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void givesUpWhenTheNextAttemptWouldPassTheDeadline() {
        server.inject(Fault.status(matching("GET", ".*"), 5, Reply.json(429, Map.of("id", "too_many_requests",
                "message", "API rate limit exceeded")).withHeader("Retry-After", "600")));
        assertThatThrownBy(() -> api().get("abc"))
                .isInstanceOfSatisfying(ProviderException.class, e -> {
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.exitCode()).isEqualTo(ExitCode.PROVIDER_ERROR);
                    assertThat(e.getMessage()).contains("API rate limit exceeded").contains("past the retry budget of 3m");
                });
        assertThat(server.requests()).hasSize(1);
        assertThat(time.sleeps).isEmpty();
    }

    @Test
    void stopsAfterTheAttemptBudget() {
        server.inject(Fault.status(matching("GET", ".*"), 10, Reply.json(503, Map.of("id", "service_unavailable", "message", "down"))));
        assertThatThrownBy(() -> api(RetryPolicy.defaults().withMaxAttempts(3)).get("abc"))
                .isInstanceOf(ProviderException.class).hasMessageContaining("HTTP 503");
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void neverResendsANonIdempotentPostAfterA5xx() {
        server.inject(Fault.status(matching("POST", "/v2/things"), 1, Reply.json(503, Map.of("id", "unavailable", "message", "try later"))));
        assertThatThrownBy(() -> api().create(new Thing(null, "x"))).isInstanceOf(ProviderException.class);
        assertThat(server.requests("POST", "/v2/things")).hasSize(1);
    }

    @Test
    void neverResendsANonIdempotentPostAfterADroppedConnection() {
        server.inject(Fault.drop(matching("POST", "/v2/things"), 1));
        assertThatThrownBy(() -> api().create(new Thing(null, "x")))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.status()).isZero());
        assertThat(server.requests("POST", "/v2/things")).hasSize(1);
    }

    @Test
    void resendsAPostMarkedIdempotent() {
        server.inject(Fault.status(matching("POST", ".*/touch"), 2, Reply.empty(502)));
        assertThat(api().touch("t-1").name()).isEqualTo("touched");
        assertThat(server.requests("POST", ".*/touch")).hasSize(3);
    }

    @Test
    void retriesAGetAfterADroppedConnection() {
        server.inject(Fault.drop(matching("GET", ".*"), 1));
        assertThat(api().get("abc").name()).isEqualTo("widget");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void errorCarriesTheProvidersCodeMessageAndRequestId() {
        server.inject(Fault.status(matching("GET", ".*"), 1, Reply.json(422, Map.of("id", "unprocessable_entity",
                "message", "spec.name is invalid", "request_id", "4b1f-req"))));
        assertThatThrownBy(() -> api().get("abc")).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("unprocessable_entity");
            assertThat(e.requestId()).isEqualTo("4b1f-req");
            assertThat(e.getMessage()).isEqualTo("DigitalOcean API error: HTTP 422 unprocessable_entity: spec.name is invalid"
                    + " (GET /v2/things/abc) [request id 4b1f-req]");
        });
    }

    @Test
    void requestIdIsTakenFromTheHeaderWhenTheBodyHasNone() {
        server.inject(Fault.status(matching("GET", ".*"), 1, Reply.json(404, Map.of("error", Map.of("code", "not_found",
                "message", "Deployment not found"))).withHeader("x-request-id", "iad1::abc")));
        assertThatThrownBy(() -> api().get("abc")).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("not_found");
            assertThat(e.requestId()).isEqualTo("iad1::abc");
            assertThat(e.isNotFound()).isTrue();
        });
    }

    @Test
    void unauthorizedIsAConfigurationError() {
        server.inject(Fault.status(matching("GET", ".*"), 1, Reply.json(401, Map.of("id", "unauthorized", "message", "Unable to authenticate you"))));
        assertThatThrownBy(() -> api().get("abc")).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(e.getMessage()).contains("Check that the token input");
        });
    }

    @Test
    void debugLogShowsRequestsButNeverTheToken() {
        api().get("abc");
        String withoutMaskCommand = logText().replace("::add-mask::dop_v1_TOKEN\n", "");
        assertThat(withoutMaskCommand).contains("::debug::").contains("GET http://127.0.0.1:");
        assertThat(withoutMaskCommand).doesNotContain("dop_v1_TOKEN").doesNotContainIgnoringCase("authorization");
    }

    @Test
    void requestTimeoutIsEnforced() {
        server.inject(Fault.delay(matching("GET", ".*"), 10, Duration.ofSeconds(3)));
        ThingsApi slow = HttpApi.builder("Vercel").baseUrl(server.baseUrl()).log(log)
                .requestTimeout(Duration.ofMillis(200)).retryPolicy(RetryPolicy.defaults().withMaxAttempts(2)).time(time.time())
                .build().client(ThingsApi.class);
        assertThatThrownBy(() -> slow.get("abc")).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).contains("Vercel API unreachable").contains("timed out");
        });
        assertThat(server.requests()).hasSize(2);
    }

    // ---- the one retry executor and the deadline (issues 18 and 22) ----------------------------------------------

    @Test
    void aServerErrorOnAReadIsRetried() {
        server.inject(Fault.status(matching("GET", ".*"), 1, Reply.json(500, Map.of("id", "server_error", "message", "oops"))));
        assertThat(api().get("abc").name()).isEqualTo("widget");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void aRateLimitedCreateIsResentAfterRetryAfter() {
        server.inject(Fault.status(matching("POST", "/v2/things"), 1,
                Reply.json(429, Map.of("id", "too_many_requests", "message", "slow")).withHeader("Retry-After", "30")));
        assertThat(api().create(new Thing(null, "x")).id()).isEqualTo("t-1");
        assertThat(server.requests("POST", "/v2/things")).hasSize(2);
        assertThat(time.sleeps).singleElement().isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aWaitThatDoesNotFitTheStepsDeadlineEndsTheStepNowWithResultTimeout() {
        server.inject(Fault.status(matching("GET", ".*"), 5,
                Reply.json(429, Map.of("id", "too_many_requests", "message", "slow")).withHeader("Retry-After", "60")));
        ThingsApi api = HttpApi.builder("DigitalOcean").baseUrl(server.baseUrl()).log(log)
                .deadline(time.deadline(Duration.ofSeconds(5))).build().client(ThingsApi.class);
        assertThatThrownBy(() -> api.get("abc")).isInstanceOfSatisfying(Deadline.DeadlineException.class, e -> {
            assertThat(e.result()).isEqualTo("timeout");
            assertThat(e.exitCode()).isEqualTo(ExitCode.FAILED);
            assertThat(e.getMessage()).contains("asked to wait 1m").contains("timeout: 5s").contains("GET /v2/things/abc");
        });
        assertThat(time.sleeps).isEmpty();
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void aBodyThatStallsAfterTheHeadersCostsAtMostTheRequestTimeout() {
        server.inject(Fault.stallBody(matching("GET", ".*"), 1, Duration.ofSeconds(20)));
        ThingsApi api = HttpApi.builder("Vercel").baseUrl(server.baseUrl()).log(log)
                .requestTimeout(Duration.ofMillis(500)).retryPolicy(RetryPolicy.defaults().withMaxAttempts(1))
                .time(time.time()).build().client(ThingsApi.class);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> api.get("abc")).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).contains("timed out");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aBodyThatNeverEndsIsCutAtTheCap() {
        server.inject(Fault.endlessBody(matching("GET", ".*"), 1));
        ThingsApi api = HttpApi.builder("Vercel").baseUrl(server.baseUrl()).log(log)
                .retryPolicy(RetryPolicy.defaults().withMaxAttempts(1)).time(time.time()).build().client(ThingsApi.class);
        assertThatThrownBy(() -> api.get("abc")).isInstanceOfSatisfying(ProviderException.class,
                e -> assertThat(e.getMessage()).contains("larger than 16 MiB"));
    }

    @Test
    void aCreateWhoseAnswerWasLostIsCheckedBeforeItIsSentAgain() {
        HttpApi http = HttpApi.builder("DigitalOcean").baseUrl(server.baseUrl()).log(log).time(time.time()).build();
        ThingsApi api = http.client(ThingsApi.class);
        server.inject(Fault.loseAnswer(matching("POST", "/v2/things"), 1));
        int[] checks = {0};
        Thing t = http.executor().create("create thing", () -> api.create(new Thing(null, "x")), () -> {
            checks[0]++;
            return java.util.Optional.of(new Thing("t-1", "found"));
        });
        assertThat(t.name()).isEqualTo("found");
        assertThat(checks[0]).isEqualTo(1);
        assertThat(server.requests("POST", "/v2/things")).hasSize(1);
    }

    @Test
    void aCreateThatDidNotHappenIsSentAgainAfterTheCheck() {
        HttpApi http = HttpApi.builder("DigitalOcean").baseUrl(server.baseUrl()).log(log).time(time.time()).build();
        ThingsApi api = http.client(ThingsApi.class);
        server.inject(Fault.status(matching("POST", "/v2/things"), 1, Reply.json(502, Map.of("message", "bad gateway"))));
        Thing t = http.executor().create("create thing", () -> api.create(new Thing(null, "x")), java.util.Optional::empty);
        assertThat(t.id()).isEqualTo("t-1");
        assertThat(server.requests("POST", "/v2/things")).hasSize(2);
    }

    @Test
    void githubsSecondaryRateLimitIsARateLimitNotAPermissionProblem() {
        server.inject(Fault.status(matching("POST", "/v2/things"), 1, Reply.json(403, Map.of("message",
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."))
                .withHeader("Retry-After", "1")));
        assertThat(api().create(new Thing(null, "x")).id()).isEqualTo("t-1");
        assertThat(server.requests("POST", "/v2/things")).hasSize(2);
    }

    /**
     * GitHub's older abuse-detection 403 (and a secondary limit) may come with neither {@code retry-after} nor an
     * exhausted {@code x-ratelimit-remaining}: its message alone makes it a rate limit, never a missing permission,
     * and GitHub's documented wait then is at least a minute.
     */
    @Test
    void githubsAbuseDetection403WithoutRetryAfterIsARateLimitWaitedAMinute() {
        String reset = String.valueOf(time.instant().getEpochSecond() + 3000);
        server.inject(Fault.status(matching("POST", "/v2/things"), 1, Reply.json(403, Map.of("message",
                        "You have triggered an abuse detection mechanism. Please wait a few minutes before you try again.",
                        "documentation_url", "https://docs.github.com/rest/overview/resources-in-the-rest-api#abuse-rate-limits"))
                .withHeader("x-ratelimit-remaining", "4987").withHeader("x-ratelimit-reset", reset)));
        assertThat(api().create(new Thing(null, "x")).id()).isEqualTo("t-1");
        assertThat(server.requests("POST", "/v2/things")).as("resent: a rate-limited create did nothing").hasSize(2);
        assertThat(time.sleeps).singleElement().satisfies(d -> assertThat(d).isGreaterThanOrEqualTo(Duration.ofMinutes(1)));
        assertThat(logText()).contains("HTTP 403 (rate limit) on POST /v2/things");

        Map<String, java.util.Collection<String>> headers = Map.of("x-ratelimit-remaining", java.util.List.of("4987"),
                "x-ratelimit-reset", java.util.List.of(reset));
        for (String message : java.util.List.of(
                "You have triggered an abuse detection mechanism. Please wait a few minutes before you try again.",
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                "You have exceeded a secondary rate limit and have been temporarily blocked from content creation. "
                        + "Please retry your request again later.")) {
            ProviderException e = ApiErrorDecoder.failure("GitHub", 403, headers,
                    ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8), "POST /repos/a/b/issues",
                    java.util.List.of(), time.instant());
            assertThat(e.rateLimited()).as(message).isTrue();
            assertThat(e.retryAt()).isEqualTo(time.instant().plus(Duration.ofMinutes(1)));
        }
        // the same headers with a permission message: not a rate limit, nothing to wait for
        ProviderException denied = ApiErrorDecoder.failure("GitHub", 403, headers,
                "{\"message\":\"Resource not accessible by integration\"}".getBytes(StandardCharsets.UTF_8),
                "POST /repos/a/b/issues", java.util.List.of(), time.instant());
        assertThat(denied.rateLimited()).isFalse();
        assertThat(denied.retryAt()).isNull();
    }
}
