package dev.gantry.actiontests.sandbox;

import dev.gantry.common.testing.LoopbackServer;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tiny product the sandbox deploys: a JSON API with {@code /v1/health}, {@code POST /auth/login} and a
 * token-protected {@code /users} resource. A release can be healthy or broken (the health check answers 503
 * and writes fail), which is what the sandbox's failing release ships.
 */
public final class SampleApp extends LoopbackServer {
    public static final String SMOKE_USER = "smoke@example.com";
    public static final String SMOKE_PASSWORD = "smoke-password-1";

    private final AtomicReference<String> version = new AtomicReference<>("v1");
    private final AtomicReference<Boolean> broken = new AtomicReference<>(false);
    private final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();
    private final Map<String, Boolean> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    public SampleApp() {
        route("GET", "/v1/health", (r, m) -> broken.get()
                ? Reply.json(503, Map.of("status", "degraded", "version", version.get(), "error", "database pool exhausted"))
                : Reply.json(200, Map.of("status", "ok", "version", version.get())));
        route("POST", "/auth/login", (r, m) -> {
            var body = r.json();
            if (!SMOKE_USER.equals(body.path("email").asText()) || !SMOKE_PASSWORD.equals(body.path("password").asText())) {
                return Reply.json(401, Map.of("error", "invalid credentials"));
            }
            String token = "tok_" + UUID.randomUUID().toString().replace("-", "");
            tokens.put(token, true);
            return Reply.json(200, Map.of("token", token, "expires_in", 3600));
        });
        route("GET", "/users", (r, m) -> authorized(r) ? Reply.json(200, Map.of("users", List.copyOf(users.values())))
                : unauthorized());
        route("POST", "/users", (r, m) -> {
            if (!authorized(r)) return unauthorized();
            if (broken.get()) return Reply.json(500, Map.of("error", "internal error"));
            String id = "u" + ids.incrementAndGet();
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("id", id);
            u.put("name", r.json().path("name").asText("anonymous"));
            users.put(id, u);
            return Reply.json(201, u);
        });
        route("GET", "/users/([^/]+)", (r, m) -> {
            if (!authorized(r)) return unauthorized();
            var u = users.get(m.group(1));
            return u == null ? Reply.json(404, Map.of("error", "not found")) : Reply.json(200, u);
        });
        route("DELETE", "/users/([^/]+)", (r, m) -> {
            if (!authorized(r)) return unauthorized();
            return users.remove(m.group(1)) == null ? Reply.json(404, Map.of("error", "not found")) : Reply.empty(204);
        });
    }

    private boolean authorized(RecordedRequest r) {
        String h = r.header("authorization");
        return h != null && h.startsWith("Bearer ") && tokens.containsKey(h.substring(7));
    }

    private static Reply unauthorized() {
        return Reply.json(401, Map.of("error", "missing or invalid token"));
    }

    /** Ships a release: its version label and whether it is broken. */
    public void release(String label, boolean isBroken) {
        version.set(label);
        broken.set(isBroken);
    }

    public String version() {
        return version.get();
    }

    public int userCount() {
        return users.size();
    }
}
