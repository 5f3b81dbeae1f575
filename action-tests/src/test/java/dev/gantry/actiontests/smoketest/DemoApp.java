package dev.gantry.actiontests.smoketest;

import dev.gantry.common.testing.LoopbackServer;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small stateful app to smoke-test, on 127.0.0.1: a health endpoint that is not ready for a while, a login
 * that issues a fresh bearer token, items you can create, read and delete with it, and a ping the soak hits,
 * which can stall every request that arrives in a window (a GC pause, a lock) or answer slowly.
 */
final class DemoApp extends LoopbackServer {
    static final String PASSWORD = "correct-horse-battery-staple";

    private volatile long readyAtNanos = System.nanoTime();
    private final AtomicInteger unreadyProbes = new AtomicInteger();
    private final Map<String, Boolean> tokens = new ConcurrentHashMap<>();
    private final Map<Integer, Map<String, Object>> items = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(41);
    private final AtomicLong pings = new AtomicLong();
    private volatile long stallAtPing = -1;
    private volatile Duration stall = Duration.ZERO;
    private volatile long stallUntilNanos;
    private volatile Duration pingDelay = Duration.ZERO;
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    private final AtomicLong served = new AtomicLong();

    DemoApp() {
        route("GET", "/api/health", (req, m) -> unreadyProbes.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || System.nanoTime() < readyAtNanos
                ? Reply.json(503, Map.of("status", "starting"))
                : Reply.json(200, Map.of("status", "ok", "version", "1.4.2")));
        route("POST", "/api/login", (req, m) -> {
            if (!PASSWORD.equals(req.json().path("password").asText())) return Reply.json(401, Map.of("error", "bad credentials"));
            String token = "tok-" + UUID.randomUUID();
            tokens.put(token, true);
            return Reply.json(200, Map.of("token", token, "user", req.json().path("user").asText()));
        });
        route("POST", "/api/items", (req, m) -> {
            if (!authorised(req)) return Reply.json(401, Map.of("error", "no token"));
            int id = nextId.incrementAndGet();
            Map<String, Object> item = Map.of("id", id, "name", req.json().path("name").asText());
            items.put(id, item);
            return Reply.json(201, item).withHeader("Location", "/api/items/" + id);
        });
        route("GET", "/api/items/(\\d+)", (req, m) -> {
            if (!authorised(req)) return Reply.json(401, Map.of("error", "no token"));
            Map<String, Object> item = items.get(Integer.parseInt(m.group(1)));
            return item == null ? Reply.json(404, Map.of("error", "not found")) : Reply.json(200, item);
        });
        route("DELETE", "/api/items/(\\d+)", (req, m) -> {
            if (!authorised(req)) return Reply.json(401, Map.of("error", "no token"));
            return items.remove(Integer.parseInt(m.group(1))) == null ? Reply.json(404, Map.of("error", "not found")) : Reply.empty(204);
        });
        // a cookie session, as a browser app keeps it: a login sets sid, /api/me needs it back
        route("POST", "/api/session", (req, m) -> {
            if (!PASSWORD.equals(req.json().path("password").asText())) return Reply.json(401, Map.of("error", "bad credentials"));
            String sid = UUID.randomUUID().toString();
            sessions.put(sid, req.json().path("user").asText());
            return Reply.json(200, Map.of("ok", true)).withHeader("Set-Cookie", "sid=" + sid + "; Path=/; HttpOnly; SameSite=Lax");
        });
        route("GET", "/api/me", (req, m) -> {
            String user = sessions.get(cookie(req, "sid"));
            return user == null ? Reply.json(401, Map.of("error", "no session")) : Reply.json(200, Map.of("user", user));
        });
        route("GET", "/api/users", (req, m) -> {
            if (!authorised(req)) return Reply.json(401, Map.of("error", "no token"));
            return Reply.json(200, Map.of("users", java.util.List.of(Map.of("id", 1, "name", "smoke"))));
        });
        route("GET", "/api/ping", (req, m) -> {
            long n = pings.incrementAndGet();
            if (n == stallAtPing) stallUntilNanos = System.nanoTime() + stall.toNanos();
            long wait = stallUntilNanos - System.nanoTime();
            if (wait > 0) sleepNanos(wait);
            if (!pingDelay.isZero()) sleepNanos(pingDelay.toNanos());
            return Reply.text(200, "pong");
        });
    }

    private boolean authorised(RecordedRequest req) {
        String h = req.header("authorization");
        return h != null && h.startsWith("Bearer ") && tokens.containsKey(h.substring(7));
    }

    private static String cookie(RecordedRequest req, String name) {
        String h = req.header("cookie");
        if (h == null) return null;
        for (String part : h.split(";")) {
            String p = part.strip();
            if (p.startsWith(name + "=")) return p.substring(name.length() + 1);
        }
        return null;
    }

    private static void sleepNanos(long n) {
        try {
            Thread.sleep(Duration.ofNanos(n));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Health answers 503 until {@code d} from now. */
    DemoApp notReadyFor(Duration d) {
        readyAtNanos = System.nanoTime() + d.toNanos();
        return this;
    }

    /** Health answers 503 to the next {@code n} probes (a readiness that does not depend on the clock). */
    DemoApp notReadyForProbes(int n) {
        unreadyProbes.set(n);
        return this;
    }

    /** From the {@code n}-th ping on, every ping that arrives in the next {@code d} waits until its end. */
    DemoApp stallAtPing(long n, Duration d) {
        stall = d;
        stallAtPing = n;
        return this;
    }

    /** From now on, every {@code n}-th GET (whatever it asks for) is answered 500. */
    DemoApp failEvery(int n) {
        inject(Fault.status(r -> r.method().equals("GET") && served.incrementAndGet() % n == 0, Integer.MAX_VALUE,
                Reply.json(500, Map.of("error", "internal error"))));
        return this;
    }

    DemoApp pingDelay(Duration d) {
        pingDelay = d;
        return this;
    }

    Map<Integer, Map<String, Object>> items() {
        return items;
    }

    Iterable<String> issuedTokens() {
        return tokens.keySet();
    }

    long pings() {
        return pings.get();
    }
}
