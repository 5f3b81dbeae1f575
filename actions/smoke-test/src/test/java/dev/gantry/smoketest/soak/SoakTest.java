package dev.gantry.smoketest.soak;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.gantry.checks.Assertion;
import dev.gantry.checks.Check;
import dev.gantry.checks.RenderedRequest;
import dev.gantry.common.action.Log;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak engine against JDK HTTP(S) servers on 127.0.0.1 (small rates and short runs), and the generator's
 * account of itself on made-up recordings. No assertion here reads the wall clock: what "bounded" means is
 * checked by what the engine did (every request accounted for, each failure's reason), and {@link Timeout} only
 * guards against a hang.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SoakTest {
    private final AtomicInteger hits = new AtomicInteger();
    private final List<String> cookiesSeen = Collections.synchronizedList(new ArrayList<>());
    private volatile int status = 200;
    private volatile long delayMillis;
    private volatile boolean close;
    private HttpServer server;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), false);

    private URI start() throws IOException {
        return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128), "http");
    }

    private URI start(HttpServer s, String scheme) {
        server = s;
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            hits.incrementAndGet();
            String cookie = ex.getRequestHeaders().getFirst("Cookie");
            if (cookie != null) cookiesSeen.add(cookie);
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.getRequestBody().readAllBytes();
            byte[] body = ("{\"id\": " + hits.get() + "}").getBytes(StandardCharsets.UTF_8);
            if (close) ex.getResponseHeaders().add("Connection", "close");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/ping");
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private static SoakPlan plan(double rate, long millis, int inFlight, Duration timeout, URI... uris) {
        return plan(rate, millis, inFlight, timeout, null, uris);
    }

    private static SoakPlan plan(double rate, long millis, int inFlight, Duration timeout, SSLContext tls, URI... uris) {
        List<SoakPlan.Target> targets = new ArrayList<>();
        int i = 0;
        for (URI u : uris) {
            targets.add(new SoakPlan.Target("t" + i++, 1, get(u), new Assertion.Status(List.of("200"))));
        }
        return new SoakPlan(rate, Duration.ofMillis(200), Duration.ofMillis(millis), inFlight, timeout, targets, tls);
    }

    private static RenderedRequest get(URI u) {
        return new RenderedRequest("t", "GET", u, Map.of("User-Agent", "test"), null, u.getPath());
    }

    private SoakResult run(SoakPlan plan) {
        return Soak.run(plan, log, 500_000_000L, System::nanoTime);
    }

    @Test
    void processCpuCountsTheOtherThreadsOfTheProcess() throws Exception {
        long before = Soak.processCpuNanos();
        assertThat(before).as("the JVM has used CPU to get here").isPositive();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            spinners.add(Thread.ofPlatform().daemon().start(() -> {
                long x = 0;
                while (!stop.get()) x += System.nanoTime() % 7;
                if (x == 42) System.out.print("");
            }));
        }
        long grown = 0;
        try {
            // this thread only sleeps: what the figure gains is the spinners' CPU (a bounded wait, on a busy machine too)
            for (int i = 0; i < 1000 && (grown = Soak.processCpuNanos() - before) < 100_000_000L; i++) Thread.sleep(20);
        } finally {
            stop.set(true);
            for (Thread t : spinners) t.join(5000);
        }
        assertThat(grown).isGreaterThanOrEqualTo(100_000_000L);
    }

    @Test
    void sendsTheScheduleOverKeepAliveConnectionsAndCountsEveryRequest() throws Exception {
        URI u = start();
        SoakResult r = run(plan(300, 1000, 8, Duration.ofSeconds(5), u));
        assertThat(r.engine()).isEqualTo("nio-http1");
        assertThat(r.measuredSlots()).isEqualTo(300);
        assertThat(r.overall().count() + r.missed()).isEqualTo(300);
        assertThat(r.overall().errors()).isZero();
        assertThat(r.warmupSent()).as("warm-up is sent too, not measured").isBetween(1L, 60L);
        assertThat(hits.get()).as("every request sent reached the server once").isEqualTo((int) (r.measuredSent() + r.warmupSent()));
        assertThat(r.statuses()).containsEntry(200, (long) hits.get());
        assertThat(r.overall().p(50)).isLessThanOrEqualTo(r.overall().max());
        assertThat(r.overall().uncorrected().getTotalCount()).isEqualTo(r.overall().count());
        assertThat(r.overall().floor().getTotalCount()).isEqualTo(r.overall().count());
        assertThat(r.overall().floorP(99)).as("the floor never exceeds what was measured")
                .isLessThanOrEqualTo(r.overall().uncorrectedP(100));
        assertThat(r.overall().statuses()[200]).isEqualTo(r.overall().count());
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("soak measuring 1/1 s: ");
    }

    @Test
    void theFloorKeepsWhatTheAppTookAtLowRates() throws Exception {
        // the loop sleeps in select between requests here: the answer wakes it, so the app's 60 ms stay in the floor
        URI u = start();
        delayMillis = 60;
        SoakResult r = run(plan(20, 1000, 4, Duration.ofSeconds(5), u));
        assertThat(r.overall().count()).isPositive();
        assertThat(r.overall().floorP(50)).as(r.toString()).isGreaterThanOrEqualTo(45.0);
        assertThat(r.overall().floorP(50)).isLessThanOrEqualTo(r.overall().uncorrectedP(50));
    }

    @Test
    void unexpectedStatusesAndClosedConnectionsAreHandled() throws Exception {
        URI u = start();
        status = 503;
        close = true;
        SoakResult r = run(plan(200, 500, 4, Duration.ofSeconds(5), u));
        // every response closes its connection: more answers than connections means the client reconnected
        assertThat(r.statuses()).as(r.toString()).containsOnlyKeys(503);
        assertThat(r.statuses().get(503)).isGreaterThan(10);
        assertThat(r.overall().errors()).isEqualTo(r.overall().count());
        assertThat(r.errorReasons().keySet()).isSubsetOf("status 503");
        assertThat(r.overall().statuses()[503]).isEqualTo(r.overall().count());
    }

    @Test
    void theUsersErrorRuleDecidesWhatCounts() throws Exception {
        URI u = start();
        status = 404;
        SoakPlan.ErrorRule only5xx = SoakPlan.ErrorRule.listed(new Assertion.Status(List.of("5xx")));
        SoakPlan p = new SoakPlan(100, Duration.ZERO, Duration.ofMillis(500), 4, Duration.ofSeconds(5),
                List.of(new SoakPlan.Target("t", 1, get(u), only5xx, null)));
        SoakResult r = run(p);
        assertThat(r.overall().count()).isPositive();
        assertThat(r.overall().errors()).as("a 404 is not a 5xx").isZero();
        assertThat(r.errorRule()).isEqualTo("t: 5xx");
    }

    @Test
    void refusedConnectionsAreErrorsNotHangs() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        SoakResult r = run(plan(100, 500, 4, Duration.ofSeconds(2), URI.create("http://127.0.0.1:" + port + "/")));
        assertThat(r.overall().count() + r.missed()).isEqualTo(50);
        assertThat(r.overall().count()).isPositive();
        assertThat(r.overall().errorRate()).isEqualTo(1.0);
        assertThat(r.errorReasons()).containsOnlyKeys("connection refused");
        assertThat(r.overall().statuses()[0]).as("no answer at all").isEqualTo(r.overall().count());
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndTheSoakStaysBounded() throws Exception {
        URI u = start();
        delayMillis = 30_000;
        SoakResult r = run(plan(50, 500, 64, Duration.ofMillis(300), u));
        // every request ended by the request timeout, those of the last 300 ms in the drain too: nothing waited
        // for the server's 30 s
        assertThat(r.errorReasons()).containsOnlyKeys("timeout");
        assertThat(r.overall().errorRate()).isEqualTo(1.0);
        assertThat(r.overall().count()).isEqualTo(r.measuredSent());
        assertThat(r.overall().uncorrectedMax()).as("each gave up at its timeout").isLessThan(30_000);
    }

    @Test
    void aKeepAliveConnectionTheServerClosedIsRetriedOnceNotCountedAsAnError() throws Exception {
        // a server whose idle timeout races our reuse: it answers the first request of each connection, then
        // reads the second and closes without a byte (no Connection: close)
        ServerSocket ss = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        AtomicInteger connections = new AtomicInteger();
        Thread acceptor = Thread.ofVirtual().start(() -> {
            while (!ss.isClosed()) {
                try {
                    java.net.Socket sock = ss.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (sock) {
                            var in = sock.getInputStream();
                            readHead(in);
                            sock.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                            readHead(in);
                        } catch (IOException ignored) {
                            // the client went away
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        try {
            URI u = URI.create("http://127.0.0.1:" + ss.getLocalPort() + "/");
            SoakResult r = run(plan(100, 1000, 1, Duration.ofSeconds(2), u));
            assertThat(r.overall().errors()).as(r.errorReasons().toString()).isZero();
            assertThat(r.overall().count() + r.missed()).isEqualTo(100);
            assertThat(connections.get()).as("a fresh connection for each retried request").isGreaterThan(50);
        } finally {
            ss.close();
            acceptor.join(1000);
        }
    }

    private static void readHead(java.io.InputStream in) throws IOException {
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("closed");
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }

    @Test
    void targetsOnSeveralOriginsShareTheConnections() throws Exception {
        URI u = start();
        URI other = URI.create(u.toString().replace("127.0.0.1", "localhost"));
        SoakResult r = run(plan(100, 500, 2, Duration.ofSeconds(5), u, other));
        assertThat(r.engine()).isEqualTo("nio-http1");
        assertThat(r.perTarget()).containsOnlyKeys("t0", "t1");
        assertThat(r.overall().count() + r.missed()).isEqualTo(50);
        assertThat(r.perTarget().get("t0").count()).isBetween(r.perTarget().get("t1").count() - 1, r.perTarget().get("t1").count() + 1);
        assertThat(r.statuses().get(200)).as("everything sent was answered").isEqualTo(r.measuredSent() + r.warmupSent());
        assertThat(r.overall().errors()).isZero();
    }

    @Test
    void httpsSoaksOverTlsOnTheSameLoop(@TempDir Path dir) throws Exception {
        TlsFixture tls = TlsFixture.create(dir, "ip:127.0.0.1,dns:localhost");
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        s.setHttpsConfigurator(new HttpsConfigurator(tls.server));
        URI u = start(s, "https");
        SoakResult r = run(plan(200, 1000, 4, Duration.ofSeconds(5), tls.client, u));
        assertThat(r.engine()).isEqualTo("nio-http1");
        assertThat(r.overall().errors()).as(r.errorReasons().toString()).isZero();
        assertThat(r.overall().count() + r.missed()).isEqualTo(200);
        assertThat(hits.get()).isEqualTo((int) (r.measuredSent() + r.warmupSent()));
        assertThat(r.statuses()).containsOnlyKeys(200);
    }

    @Test
    void anHttpsServerWhoseCertificateDoesNotNameTheHostIsAnError(@TempDir Path dir) throws Exception {
        TlsFixture tls = TlsFixture.create(dir, "dns:elsewhere.example");
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        s.setHttpsConfigurator(new HttpsConfigurator(tls.server));
        URI u = start(s, "https");
        // handshakes the client gives up on are slow on a busy machine: no warm-up, so every one sent is measured
        SoakPlan p = new SoakPlan(50, Duration.ZERO, Duration.ofSeconds(1), 8, Duration.ofSeconds(5),
                List.of(new SoakPlan.Target("t", 1, get(u), Check.DEFAULT_STATUS)), tls.client);
        SoakResult r = run(p);
        assertThat(r.overall().count()).as(r.toString()).isPositive().isEqualTo(r.measuredSent());
        assertThat(r.overall().errorRate()).isEqualTo(1.0);
        assertThat(r.errorReasons().keySet()).allSatisfy(k -> assertThat(k).startsWith("TLS handshake failed"));
        assertThat(hits.get()).as("no request reached the app").isZero();
    }

    @Test
    void writesKeepTheirAnswersForCleanup() throws Exception {
        URI u = start();
        List<SoakPlan.Answer> answers = Collections.synchronizedList(new ArrayList<>());
        RenderedRequest post = new RenderedRequest("create", "POST", u, Map.of("Content-Type", "application/json"),
                "{\"name\":\"soak\"}".getBytes(StandardCharsets.UTF_8), u.getPath());
        SoakPlan p = new SoakPlan(50, Duration.ZERO, Duration.ofMillis(400), 2, Duration.ofSeconds(5),
                List.of(new SoakPlan.Target("read", 3, get(u), Check.DEFAULT_STATUS),
                        new SoakPlan.Target("create", 1, post, SoakPlan.ErrorRule.notAccepted(Check.DEFAULT_STATUS), answers::add)));
        assertThat(SoakSession.writes(p)).isEqualTo(5);
        SoakResult r = run(p);
        assertThat(answers).hasSize((int) r.perTarget().get("create").count());
        assertThat(answers).isNotEmpty().allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(200);
            assertThat(new String(a.body(), StandardCharsets.UTF_8)).startsWith("{\"id\": ");
            assertThat(a.headers()).containsKey("content-length");
        });
    }

    @Test
    void weightsInterleaveBySmoothRoundRobinAndSlotsCountExactly() {
        SoakPlan p = new SoakPlan(10, Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ofSeconds(1), List.of(
                new SoakPlan.Target("a", 1, null, Check.DEFAULT_STATUS), new SoakPlan.Target("b", 3, null, Check.DEFAULT_STATUS)));
        assertThat(p.cycle()).containsExactly(1, 0, 1, 1);
        assertThat(p.totalSlots()).isEqualTo(10);
        assertThat(p.offsetNanos(3)).isEqualTo(300_000_000L);
        assertThat(p.slotsFor(0, 0, 10)).as("slots 1, 5, 9").isEqualTo(3);
        assertThat(p.slotsFor(1, 0, 10)).isEqualTo(7);
        assertThat(p.slotsFor(0, 2, 9)).as("slot 5").isEqualTo(1);
        SoakPlan warm = new SoakPlan(50, Duration.ofMillis(500), Duration.ofSeconds(3), 1, Duration.ofSeconds(1),
                List.of(new SoakPlan.Target("a", 1, null, Check.DEFAULT_STATUS)));
        assertThat(warm.totalSlots()).isEqualTo(175);
        assertThat(warm.measuredSlots()).isEqualTo(150);
        assertThat(SoakSession.measured(warm, "a")).isEqualTo(150);
    }

    // ------------------------------------------------------------ the generator's account, on made-up recordings

    private static final long MS = 1_000_000L;

    private static SoakPlan steady(double rate, int inFlight) {
        return new SoakPlan(rate, Duration.ZERO, Duration.ofSeconds(10), inFlight, Duration.ofSeconds(5),
                List.of(new SoakPlan.Target("t", 1, null, Check.DEFAULT_STATUS)));
    }

    /** Records {@code n} answered requests of {@code latencyMs} each, noticed {@code lagMs} late. */
    private static SoakRecorder recorded(SoakPlan p, double lagMs, double latencyMs) {
        SoakRecorder rec = new SoakRecorder(1);
        long n = p.measuredSlots();
        for (long i = 0; i < n; i++) {
            long intended = p.offsetNanos(i);
            long sent = intended + (long) (lagMs * MS);
            long done = sent + (long) (latencyMs * MS);
            rec.lag((long) (lagMs * MS));
            rec.sent(true, 0);
            rec.response(0, true, intended, sent, done, done - sent, done - sent, 200, false);
        }
        return rec;
    }

    private static SoakResult judge(SoakPlan p, SoakRecorder rec, double busy, double stallMs) {
        long wall = p.duration().toNanos();
        Histogram hiccups = dev.gantry.smoketest.slo.Samples.histogram();
        for (int i = 0; i < 1000; i++) hiccups.recordValue((long) (stallMs * 1000));
        return Soak.judge(p, "test", rec.snapshot(), new SoakEngine.Timing(0, 0, wall, (long) (busy * wall), true), hiccups,
                (long) (stallMs * MS), 0);
    }

    @Test
    void aGeneratorThatKeptUpHasNoProblems() {
        SoakPlan p = steady(50, 64);
        SoakResult r = judge(p, recorded(p, 0.5, 3), 0.05, 0.1);
        assertThat(r.generator().problems()).isEmpty();
        assertThat(r.saturated()).isFalse();
        assertThat(r.achievedRps()).isEqualTo(50.0);
    }

    @Test
    void everyKindOfGeneratorSideDelayIsSeen() {
        SoakPlan p = steady(50, 64);
        assertThat(judge(p, recorded(p, 14, 3), 0.05, 0.1).generator().problems())
                .singleElement().asString().contains("schedule lag p99 14.0 ms > 10.0 ms");
        assertThat(judge(p, recorded(p, 0.5, 3), 0.05, 25).generator().problems())
                .singleElement().asString().contains("the machine kept the generator from running: stalls p99 25.0 ms");
        assertThat(judge(p, recorded(p, 0.5, 3), 0.95, 0.1).generator().problems())
                .singleElement().asString().contains("loop was busy 95% of the time (client CPU)");
        SoakPlan few = steady(50, 2);
        assertThat(judge(few, recorded(few, 0.5, 60), 0.05, 0.1).generator().problems())
                .singleElement().asString().contains("max-in-flight 2 is too few")
                .contains("keep about 3 requests in flight");
    }

    @Test
    void aRateShortfallIsItsOwnReason() {
        SoakPlan p = steady(50, 64);
        SoakRecorder rec = new SoakRecorder(1);
        for (int i = 0; i < 400; i++) {
            rec.sent(true, 0);
            rec.response(0, true, 0, 0, MS, MS, MS, 200, false);
        }
        SoakResult r = judge(p, rec, 0.05, 0.1);
        assertThat(r.rateShortfall()).isTrue();
        assertThat(r.missed()).isEqualTo(100);
        assertThat(r.saturationReason()).startsWith("only 40 of the 50 req/s asked were sent (100 requests never left");
    }
}
