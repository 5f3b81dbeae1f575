package dev.gantry.actiontests.smoketest;

import dev.gantry.common.testing.LoopbackServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * A loopback API with one endpoint per feature of the checks language, deterministic (ids and tokens count up, no
 * clock or randomness in any answer) so that two runs of the same checks, one from a Hurl file and one from checks
 * YAML, can be compared answer for answer.
 */
final class FeatureApi extends LoopbackServer {
    static final String PASSWORD = "s3cret-pass";
    private final AtomicInteger ids = new AtomicInteger(100);
    private final AtomicInteger tokens = new AtomicInteger();
    private final Map<String, Map<String, Object>> users = new ConcurrentHashMap<>();
    private final Map<String, Boolean> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> jobs = new ConcurrentHashMap<>();

    FeatureApi() {
        route("GET", "/health", (r, m) -> Reply.json(200, Map.of("status", "ok", "version", "1.10", "uptime", 12.5,
                "ready", true)).withHeader("X-Build", "0123"));
        route("POST", "/auth/login", (r, m) -> {
            if (!PASSWORD.equals(r.json().path("password").asText())) return Reply.json(401, Map.of("error", "bad credentials"));
            String token = "tok-" + tokens.incrementAndGet();
            sessions.put("sid-" + tokens.get(), true);
            return Reply.json(200, Map.of("token", token, "user", r.json().path("email").asText()))
                    .withHeader("Set-Cookie", "sid=sid-" + tokens.get() + "; Path=/; HttpOnly; SameSite=Lax");
        });
        route("GET", "/session", (r, m) -> {
            String c = r.header("cookie");
            boolean ok = c != null && sessions.keySet().stream().anyMatch(s -> c.contains("sid=" + s));
            return ok ? Reply.json(200, Map.of("session", "valid")) : Reply.json(401, Map.of("error", "no session"));
        });
        route("GET", "/users", (r, m) -> authorized(r)
                ? Reply.json(200, Map.of("users", List.copyOf(users.values()), "total", users.size()))
                : Reply.json(401, Map.of("error", "no token")));
        route("POST", "/users", (r, m) -> {
            if (!authorized(r)) return Reply.json(401, Map.of("error", "no token"));
            int id = ids.incrementAndGet();
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("id", id);
            u.put("name", r.json().path("name").asText());
            u.put("email", r.json().path("email").asText());
            u.put("admin", r.json().path("admin").asBoolean(false));
            u.put("createdAt", "2024-05-06T07:08:09.123Z");
            u.put("uuid", "0531f78f-7f87-44be-a7f2-969a1c4e6d9" + (id % 10));
            users.put(Integer.toString(id), u);
            return Reply.json(201, u).withHeader("Location", "/users/" + id);
        });
        route("GET", "/users/(\\d+)", (r, m) -> {
            if (!authorized(r)) return Reply.json(401, Map.of("error", "no token"));
            Map<String, Object> u = users.get(m.group(1));
            return u == null ? Reply.json(404, Map.of("error", "not found")) : Reply.json(200, u);
        });
        route("DELETE", "/users/(\\d+)", (r, m) -> {
            if (!authorized(r)) return Reply.json(401, Map.of("error", "no token"));
            return users.remove(m.group(1)) == null ? Reply.json(404, Map.of("error", "not found")) : Reply.empty(204);
        });
        route("GET", "/values", (r, m) -> Reply.json(200, values()));
        // two Vary headers: the server writes each map key, and keys differing in case are two headers
        route("GET", "/vary", (r, m) -> new Reply(200, Map.of("Content-Type", "text/plain", "Vary", "Accept-Encoding",
                "vary", "User-Agent"), "ok".getBytes(StandardCharsets.UTF_8)));
        route("GET", "/redirect/(\\d+)", (r, m) -> {
            int n = Integer.parseInt(m.group(1));
            return n == 0 ? Reply.json(200, Map.of("landed", true, "auth", String.valueOf(r.header("authorization"))))
                    : Reply.empty(302).withHeader("Location", "/redirect/" + (n - 1));
        });
        route("POST", "/jobs", (r, m) -> {
            String id = "job-" + ids.incrementAndGet();
            jobs.put(id, new AtomicInteger(2));
            return Reply.json(201, Map.of("id", id, "state", "RUNNING"));
        });
        route("GET", "/jobs/([^/]+)", (r, m) -> {
            AtomicInteger left = jobs.get(m.group(1));
            if (left == null) return Reply.json(404, Map.of("error", "no such job"));
            return Reply.json(200, Map.of("id", m.group(1), "state", left.getAndDecrement() > 0 ? "RUNNING" : "COMPLETED"));
        });
        route("POST", "/echo", (r, m) -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("method", r.method());
            e.put("query", r.query() == null ? "" : r.query());
            e.put("contentType", String.valueOf(r.header("content-type")));
            e.put("authorization", String.valueOf(r.header("authorization")));
            e.put("cookie", String.valueOf(r.header("cookie")));
            e.put("body", r.bodyText());
            e.put("bodyBase64", Base64.getEncoder().encodeToString(r.body()));
            e.put("length", r.body().length);
            return Reply.json(200, e);
        });
        route("GET", "/echo", (r, m) -> Reply.json(200, Map.of("query", r.query() == null ? "" : r.query(),
                "authorization", String.valueOf(r.header("authorization")), "cookie", String.valueOf(r.header("cookie")))));
        route("GET", "/gzip", (r, m) -> {
            if (!String.valueOf(r.header("accept-encoding")).contains("gzip")) {
                return Reply.json(200, Map.of("compressed", false));
            }
            return new Reply(200, Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"),
                    gzip("{\"compressed\": true, \"text\": \"hello hello hello\"}"));
        });
        route("GET", "/text", (r, m) -> Reply.text(200, "Hello World! id=4567 date=2024-01-02\n"));
        route("GET", "/bytes", (r, m) -> new Reply(200, Map.of("Content-Type", "application/octet-stream"),
                new byte[]{(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'h', 'i'}));
        route("GET", "/status/(\\d+)", (r, m) -> Reply.json(Integer.parseInt(m.group(1)), Map.of("status", Integer.parseInt(m.group(1)))));
    }

    private boolean authorized(RecordedRequest r) {
        String h = r.header("authorization");
        return h != null && h.startsWith("Bearer tok-");
    }

    /** Values of every type and encoding, for predicates and filters. */
    private static Map<String, Object> values() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("int", 42);
        v.put("float", 3.14);
        v.put("zero", 0);
        v.put("numberText", "42");
        v.put("floatText", "2.5");
        v.put("bool", true);
        v.put("nothing", null);
        v.put("text", "Hello World");
        v.put("empty", List.of());
        v.put("emptyObject", Map.of());
        v.put("list", List.of(1, 2, 3));
        v.put("names", List.of("Dune", "Children of Dune", "Dune Messiah"));
        v.put("books", List.of(Map.of("title", "Dune", "price", 9.99, "tags", List.of("sf")),
                Map.of("title", "Emma", "price", 4.5, "tags", List.of()), Map.of("title", "Ulysses", "price", 12)));
        v.put("csv", "192.168.2.1, 10.0.0.20, 10.0.0.10");
        v.put("b64", Base64.getEncoder().encodeToString("Hello World".getBytes(StandardCharsets.UTF_8)));
        v.put("b64url", "PDw_Pz8-Pg");
        v.put("encoded", "https%3A%2F%2Fexample.org%2F%3Fq%3Da%20b");
        v.put("url", "https://example.org/search?q=dune&page=2");
        v.put("html", "a &gt; b &amp; c &#169;");
        v.put("date", "2024-01-23T18:25:43.511Z");
        v.put("uuid", "0531f78f-7f87-44be-a7f2-969a1c4e6d97");
        v.put("ip4", "172.16.45.87");
        v.put("ip6", "2001:db8::1");
        v.put("json", "{\"inner\": {\"id\": 7}}");
        v.put("id", "user-0042");
        return v;
    }

    private static byte[] gzip(String s) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (GZIPOutputStream g = new GZIPOutputStream(b)) {
                g.write(s.getBytes(StandardCharsets.UTF_8));
            }
            return b.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every request as one comparable line: method, path, query, content type (boundary cut), body. */
    List<String> transcript() {
        List<String> out = new ArrayList<>();
        for (RecordedRequest r : requests()) {
            String ct = String.valueOf(r.header("content-type")).replaceAll("boundary=\\S+", "boundary=*");
            String body = r.bodyText().replaceAll("gantry-[0-9a-f-]{36}", "*");
            try {
                if (body.strip().startsWith("{")) body = JSON.readTree(body).toString(); // layout aside, the same JSON
            } catch (IOException e) {
                // not JSON: compared as sent
            }
            out.add(r.method() + " " + r.path() + (r.query() == null ? "" : "?" + r.query()) + " ct=" + ct
                    + " auth=" + r.header("authorization") + " cookie=" + r.header("cookie") + " body=" + body);
        }
        return out;
    }
}
