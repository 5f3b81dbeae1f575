package dev.gantry.common.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP server on 127.0.0.1 for tests and simulators: routes by method and path pattern, records every
 * request, and injects faults on request (a status with headers such as {@code Retry-After}, a delay, a dropped
 * connection) before the real handler runs.
 */
public class LoopbackServer implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();

    /** A request as it arrived. Header names are lower case. */
    public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
                                  byte[] body, Instant at) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** A query parameter (first value), or null. */
        public String param(String name) {
            if (query == null) return null;
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                if (k.equals(name)) {
                    return eq < 0 ? "" : java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }
    }

    /** What a handler answers. */
    public record Reply(int status, Map<String, String> headers, byte[] body) {
        public static Reply json(int status, Object body) {
            try {
                return new Reply(status, Map.of("Content-Type", "application/json"), JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public static Reply text(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "text/plain; charset=utf-8"), body.getBytes(StandardCharsets.UTF_8));
        }

        public static Reply empty(int status) {
            return new Reply(status, Map.of(), new byte[0]);
        }

        public Reply withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Reply(status, h, body);
        }
    }

    /** A request and the answer it got (absent for a dropped connection). */
    public record Exchange(RecordedRequest request, Reply reply) {
    }

    @FunctionalInterface
    public interface Handler {
        Reply handle(RecordedRequest request, Matcher path);
    }

    /** An injected fault: applies to the next {@code times} requests matching {@code when}. */
    public static final class Fault {
        /** What a hostile answer does after its headers. */
        enum Body { NORMAL, STALL, ENDLESS, LOSE }

        final Predicate<RecordedRequest> when;
        int times;
        final Reply reply;
        final Duration delay;
        final boolean drop;
        final Body body;

        private Fault(Predicate<RecordedRequest> when, int times, Reply reply, Duration delay, boolean drop) {
            this(when, times, reply, delay, drop, Body.NORMAL);
        }

        private Fault(Predicate<RecordedRequest> when, int times, Reply reply, Duration delay, boolean drop, Body body) {
            this.when = when;
            this.times = times;
            this.reply = reply;
            this.delay = delay;
            this.drop = drop;
            this.body = body;
        }

        /**
         * Send a 200 with headers and the first bytes of a JSON body, then nothing for {@code stall} (a provider
         * that hangs mid-answer), then close.
         */
        public static Fault stallBody(Predicate<RecordedRequest> when, int times, Duration stall) {
            return new Fault(when, times, null, stall, false, Body.STALL);
        }

        /** Send a 200 whose body never ends (bounded here to 2 GiB or 120 s, whichever comes first). */
        public static Fault endlessBody(Predicate<RecordedRequest> when, int times) {
            return new Fault(when, times, null, Duration.ZERO, false, Body.ENDLESS);
        }

        /** Run the real handler (its effects happen), then close the connection without the answer. */
        public static Fault loseAnswer(Predicate<RecordedRequest> when, int times) {
            return new Fault(when, times, null, Duration.ZERO, false, Body.LOSE);
        }

        /** Answer with {@code reply} instead of the handler. */
        public static Fault status(Predicate<RecordedRequest> when, int times, Reply reply) {
            return new Fault(when, times, reply, Duration.ZERO, false);
        }

        /** Wait {@code delay}, then run the handler as usual. */
        public static Fault delay(Predicate<RecordedRequest> when, int times, Duration delay) {
            return new Fault(when, times, null, delay, false);
        }

        /** Close the connection without an answer. */
        public static Fault drop(Predicate<RecordedRequest> when, int times) {
            return new Fault(when, times, null, Duration.ZERO, true);
        }
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    public LoopbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT} (no trailing slash). */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Adds a route; {@code pathRegex} must match the whole path; groups are passed to the handler. */
    public LoopbackServer route(String method, String pathRegex, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), handler));
        return this;
    }

    public void inject(Fault fault) {
        faults.add(fault);
    }

    public void clearFaults() {
        faults.clear();
    }

    public List<RecordedRequest> requests() {
        return Collections.unmodifiableList(new ArrayList<>(requests));
    }

    public List<RecordedRequest> requests(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return requests.stream().filter(r -> r.method().equals(method) && p.matcher(r.path()).matches()).toList();
    }

    public void clearRequests() {
        requests.clear();
        exchanges.clear();
    }

    /** Every answered request with its reply, in order (for contract checks of responses). */
    public List<Exchange> exchanges() {
        return Collections.unmodifiableList(new ArrayList<>(exchanges));
    }

    /** Matches requests by method and a path regex, for faults. */
    public static Predicate<RecordedRequest> matching(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return r -> (method == null || r.method().equals(method)) && p.matcher(r.path()).matches();
    }

    private void dispatch(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Map<String, List<String>> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            URI uri = ex.getRequestURI();
            RecordedRequest req = new RecordedRequest(ex.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(),
                    headers, body, Instant.now());
            requests.add(req);

            Fault fault = takeFault(req);
            if (fault != null && fault.body == Fault.Body.STALL) {
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write("{\"stalled\": \"".getBytes(StandardCharsets.UTF_8));
                out.flush();
                sleep(fault.delay);
                return;
            }
            if (fault != null && fault.body == Fault.Body.ENDLESS) {
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(200, 0);
                byte[] chunk = ("{\"x\": \"" + "A".repeat(64 * 1024 - 10) + "\"}\n").getBytes(StandardCharsets.UTF_8);
                long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                try (OutputStream out = ex.getResponseBody()) {
                    for (long sent = 0; sent < (2L << 30) && System.nanoTime() < end; sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException gone) {
                    // the client hung up: that is what should happen
                }
                return;
            }
            if (fault != null && fault.body == Fault.Body.LOSE) {
                for (Route r : routes) {
                    Matcher m = r.path.matcher(req.path());
                    if (m.matches() && r.method.equals(req.method())) {
                        r.handler.handle(req, m);
                        break;
                    }
                }
                throw new DropConnection();
            }
            if (fault != null) {
                if (fault.drop) {
                    // no status line at all: the client sees the connection closed
                    throw new DropConnection();
                }
                if (!fault.delay.isZero()) sleep(fault.delay);
                if (fault.reply != null) {
                    exchanges.add(new Exchange(req, fault.reply));
                    send(ex, fault.reply);
                    return;
                }
            }
            if (stream(req, ex)) return;
            Reply reply = null;
            boolean pathKnown = false;
            for (Route r : routes) {
                Matcher m = r.path.matcher(req.path());
                if (m.matches()) {
                    pathKnown = true;
                    if (r.method.equals(req.method())) {
                        reply = r.handler.handle(req, m);
                        break;
                    }
                }
            }
            if (reply == null) {
                reply = pathKnown ? Reply.json(405, Map.of("message", "method not allowed"))
                        : notFound(req);
            }
            exchanges.add(new Exchange(req, reply));
            send(ex, reply);
        } catch (DropConnection d) {
            // closing the exchange before any response headers makes the JDK server close the connection
        }
    }

    /**
     * A hook for answers that are written over time (event streams): return true after answering {@code ex}
     * yourself. Runs after faults, before the routes. Streamed answers are not in {@link #exchanges()}.
     */
    protected boolean stream(RecordedRequest req, HttpExchange ex) throws IOException {
        return false;
    }

    /** The answer for an unknown path; simulators override it with their provider's error shape. */
    protected Reply notFound(RecordedRequest req) {
        return Reply.json(404, Map.of("message", "no route for " + req.method() + " " + req.path()));
    }

    private synchronized Fault takeFault(RecordedRequest req) {
        for (Fault f : faults) {
            if (f.times > 0 && f.when.test(req)) {
                f.times--;
                if (f.times == 0) faults.remove(f);
                return f;
            }
        }
        return null;
    }

    private static void send(HttpExchange ex, Reply reply) throws IOException {
        reply.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
        boolean noBody = reply.body().length == 0 || ex.getRequestMethod().equals("HEAD") || reply.status() == 204;
        ex.sendResponseHeaders(reply.status(), noBody ? -1 : reply.body().length);
        if (!noBody) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class DropConnection extends RuntimeException {
        DropConnection() {
            super(null, null, false, false);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
