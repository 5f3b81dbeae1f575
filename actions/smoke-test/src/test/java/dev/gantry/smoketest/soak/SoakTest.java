package dev.gantry.smoketest.soak;

import com.sun.net.httpserver.HttpServer;
import dev.gantry.common.action.Log;
import dev.gantry.checks.Assertion;
import dev.gantry.checks.Check;
import dev.gantry.checks.RenderedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak engines against a JDK HTTP server on 127.0.0.1 (small rates and short runs: bounded). */
class SoakTest {
    private final AtomicInteger hits = new AtomicInteger();
    private volatile int status = 200;
    private volatile long delayMillis;
    private volatile boolean close;
    private HttpServer server;
    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(logged, true, StandardCharsets.UTF_8), false);

    private URI start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> {
            hits.incrementAndGet();
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "pong".getBytes(StandardCharsets.UTF_8);
            if (close) ex.getResponseHeaders().add("Connection", "close");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ping");
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    private static SoakPlan plan(double rate, long millis, int inFlight, Duration timeout, URI... uris) {
        List<SoakPlan.Target> targets = new java.util.ArrayList<>();
        int i = 0;
        for (URI u : uris) {
            targets.add(new SoakPlan.Target("t" + i++, 1, new RenderedRequest("t", "GET", u, Map.of("User-Agent", "test"), null, u.getPath()),
                    new Assertion.Status(List.of("200"))));
        }
        return new SoakPlan(rate, Duration.ofMillis(200), Duration.ofMillis(millis), inFlight, timeout, targets);
    }

    @Test
    void processCpuCountsTheOtherThreadsOfTheProcess() throws Exception {
        long before = Soak.processCpuNanos();
        assertThat(before).as("the JVM has used CPU to get here").isPositive();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> spinners = new java.util.ArrayList<>();
        for (int i = 0; i < 2; i++) {
            spinners.add(Thread.ofPlatform().daemon().start(() -> {
                long x = 0;
                while (!stop.get()) x += System.nanoTime() % 7;
                if (x == 42) System.out.print("");
            }));
        }
        long grown = 0;
        try {
            // this thread only sleeps: what the figure gains is the spinners' CPU (bounded wait, on a busy machine too)
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (System.nanoTime() < deadline && (grown = Soak.processCpuNanos() - before) < 100_000_000L) Thread.sleep(20);
        } finally {
            stop.set(true);
            for (Thread t : spinners) t.join(5000);
        }
        assertThat(grown).isGreaterThanOrEqualTo(100_000_000L);
    }

    @Test
    void sendsTheScheduleOverKeepAliveConnectionsAndCountsEveryRequest() throws Exception {
        URI u = start();
        SoakResult r = Soak.run(plan(300, 1000, 8, Duration.ofSeconds(5), u), log, 500_000_000L);
        assertThat(r.engine()).isEqualTo("nio-http1");
        assertThat(r.measuredSlots()).isEqualTo(300);
        assertThat(r.overall().count() + r.missed()).isEqualTo(300);
        assertThat(r.overall().errors()).isZero();
        assertThat(r.warmupSent()).as("warm-up is sent too, not measured").isBetween(1L, 60L);
        assertThat(hits.get()).as("every request sent reached the server once").isEqualTo((int) (r.measuredSent() + r.warmupSent()));
        assertThat(r.statuses()).containsEntry(200, (long) hits.get());
        assertThat(r.overall().p(50)).isLessThanOrEqualTo(r.overall().max());
        assertThat(r.overall().uncorrected().count()).isEqualTo(r.overall().count());
        assertThat(logged.toString(StandardCharsets.UTF_8)).contains("soak measuring 1/1 s: ");
    }

    @Test
    void unexpectedStatusesAndClosedConnectionsAreHandled() throws Exception {
        URI u = start();
        status = 503;
        close = true;
        SoakResult r = Soak.run(plan(200, 500, 4, Duration.ofSeconds(5), u), log, 5_000_000_000L);
        // every response closes its connection: more answers than connections means the client reconnected
        assertThat(r.statuses()).as(r.toString()).containsOnlyKeys(503);
        assertThat(r.statuses().get(503)).isGreaterThan(10);
        assertThat(r.overall().errors()).isEqualTo(r.overall().count());
        assertThat(r.errorReasons().keySet()).isSubsetOf("status 503");
    }

    @Test
    void refusedConnectionsAreErrorsNotHangs() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long t0 = System.nanoTime();
        SoakResult r = Soak.run(plan(100, 500, 4, Duration.ofSeconds(2), URI.create("http://127.0.0.1:" + port + "/")), log, 5_000_000_000L);
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(4000);
        assertThat(r.overall().count() + r.missed()).isEqualTo(50);
        assertThat(r.overall().count()).isPositive();
        assertThat(r.overall().errorRate()).isEqualTo(1.0);
        assertThat(r.errorReasons()).containsOnlyKeys("connection refused");
    }

    @Test
    void aServerThatNeverAnswersTimesOutAndTheSoakStaysBounded() throws Exception {
        URI u = start();
        delayMillis = 3000;
        long t0 = System.nanoTime();
        SoakResult r = Soak.run(plan(50, 500, 64, Duration.ofMillis(300), u), log, 5_000_000_000L);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("warm-up + duration + one request timeout of drain").isLessThan(3000);
        assertThat(r.errorReasons()).containsKey("timeout");
        assertThat(r.overall().errorRate()).isEqualTo(1.0);
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
            SoakResult r = Soak.run(plan(100, 1000, 1, Duration.ofSeconds(2), u), log, 5_000_000_000L);
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
    void targetsOnSeveralOriginsUseJavaNetHttp() throws Exception {
        URI u = start();
        URI other = URI.create(u.toString().replace("127.0.0.1", "localhost"));
        SoakResult r = Soak.run(plan(100, 500, 8, Duration.ofSeconds(5), u, other), log, 5_000_000_000L);
        assertThat(r.engine()).isEqualTo("java.net.http");
        assertThat(r.perTarget()).containsOnlyKeys("t0", "t1");
        assertThat(r.overall().count() + r.missed()).isEqualTo(50);
        assertThat(r.perTarget().get("t0").count()).isBetween(r.perTarget().get("t1").count() - 1, r.perTarget().get("t1").count() + 1);
        assertThat(r.statuses().get(200)).as("everything sent was answered").isEqualTo(r.measuredSent() + r.warmupSent());
        assertThat(r.overall().errors()).isZero();
    }

    @Test
    void weightsInterleaveBySmoothRoundRobin() {
        SoakPlan p = new SoakPlan(10, Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ofSeconds(1), List.of(
                new SoakPlan.Target("a", 1, null, Check.DEFAULT_STATUS), new SoakPlan.Target("b", 3, null, Check.DEFAULT_STATUS)));
        assertThat(p.cycle()).containsExactly(1, 0, 1, 1);
        assertThat(p.totalSlots()).isEqualTo(10);
        assertThat(p.offsetNanos(3)).isEqualTo(300_000_000L);
    }
}
