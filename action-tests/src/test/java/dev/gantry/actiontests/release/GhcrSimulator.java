package dev.gantry.actiontests.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GHCR's access rules in front of a real registry (Debian's docker-registry on loopback, which stores and serves
 * the images): the Docker token protocol, as ghcr.io speaks it. {@code /v2/} answers 401 with a {@code Bearer}
 * challenge whose realm is this server's {@code /token}; a token asked for with the release user's Basic
 * credentials may pull and push, an anonymous token may pull only public repositories. As on GHCR, a
 * repository that a push creates is <b>private</b> until someone changes its visibility on the package page
 * ({@link #makePublic}); an anonymous pull of it gets 401. A repository can be locked for writes
 * ({@link #denyPush}), which GHCR answers with 403 {@code DENIED} ("permission_denied: write_package", a package
 * not linked to the repository that pushes): the adversary that stops a release half-way.
 *
 * <p>Everything else is forwarded to the registry as it came, streamed both ways (blobs are tens of MB); the
 * registry runs with {@code relativeurls: true}, so its upload locations work under this server's address.
 *
 * <p>Docker and skopeo try HTTPS first on an insecure registry and fall back to HTTP when the handshake fails. A
 * TLS ClientHello sent to the JDK's HTTP server would wait for a request line that never comes (until the
 * client's handshake timeout, 10 s per connection), so a small TCP front closes a connection whose first byte is
 * a TLS handshake record at once, as a plain HTTP registry's refusal would, and splices the others through.
 */
final class GhcrSimulator implements AutoCloseable {
    static final String USER = "gantry-release";
    static final String PASSWORD = "ghp_release_" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPOSITORY = Pattern.compile("^/v2/(.+?)/(manifests|blobs|tags)/.*$");
    private static final Pattern SCOPE = Pattern.compile("repository:([^:]+):([a-z,*]+)");
    /** Request headers the JDK's HTTP client sets itself (or refuses), and hop-by-hop ones. */
    private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "authorization", "keep-alive", "te", "trailer", "proxy-authorization");

    /** One request as it reached the simulator: who asked (a user or anonymous), what for, and the answer. */
    record Request(String method, String path, String query, String who, int status) {
    }

    private record Grant(String who, Map<String, Set<String>> access) {
    }

    private final URI upstream;
    private final HttpServer server;
    private final java.net.ServerSocket front;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Grant> tokens = new ConcurrentHashMap<>();
    private final Set<String> publicRepositories = ConcurrentHashMap.newKeySet();
    private final Set<String> pushDenied = ConcurrentHashMap.newKeySet();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    /** @param registry the real registry, {@code host:port} on loopback */
    GhcrSimulator(String registry) {
        this.upstream = URI.create("http://" + registry);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on loopback", e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        try {
            front = new java.net.ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            server.stop(0);
            throw new IllegalStateException("cannot listen on loopback", e);
        }
        Thread.ofVirtual().name("ghcr-sim-front").start(this::acceptLoop);
    }

    /** {@code 127.0.0.1:<port>}: the registry host as docker and skopeo name it. */
    String host() {
        return "127.0.0.1:" + front.getLocalPort();
    }

    private void acceptLoop() {
        while (!front.isClosed()) {
            java.net.Socket client;
            try {
                client = front.accept();
            } catch (IOException e) {
                return; // closed
            }
            executor.submit(() -> splice(client));
        }
    }

    /** A TLS handshake is refused at once; anything else is piped to the HTTP server and back. */
    private void splice(java.net.Socket client) {
        try (client) {
            java.io.PushbackInputStream in = new java.io.PushbackInputStream(client.getInputStream(), 1);
            int first = in.read();
            if (first < 0 || first == 0x16) return;
            in.unread(first);
            try (java.net.Socket back = new java.net.Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
                Thread up = Thread.ofVirtual().start(() -> pipe(in, back, true));
                pipe(back.getInputStream(), client, false);
                up.join(Duration.ofMinutes(10));
            }
        } catch (IOException | InterruptedException e) {
            // the connection ended; the client sees it closed
        }
    }

    private static void pipe(InputStream from, java.net.Socket to, boolean shutdownOutput) {
        try {
            from.transferTo(to.getOutputStream());
            if (shutdownOutput) to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }


    /** The package page's "Change visibility → Public". */
    void makePublic(String repository) {
        publicRepositories.add(repository);
    }

    void denyPush(String repository) {
        pushDenied.add(repository);
    }

    void allowPush(String repository) {
        pushDenied.remove(repository);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Writes (uploads, manifests, tags) that reached the registry for {@code repository}. */
    List<Request> writes(String repository) {
        return requests.stream().filter(r -> r.path().startsWith("/v2/" + repository + "/"))
                .filter(r -> !r.method().equals("GET") && !r.method().equals("HEAD")).filter(r -> r.status() < 400)
                .toList();
    }

    void clearRequests() {
        requests.clear();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            if (path.equals("/token")) {
                token(ex);
            } else if (path.equals("/v2/") || path.equals("/v2")) {
                Grant g = grant(ex);
                if (g == null) {
                    challenge(ex, null, "UNAUTHORIZED", "authentication required");
                    return;
                }
                forward(ex, g.who());
            } else {
                Matcher m = REPOSITORY.matcher(path);
                if (!m.matches()) {
                    error(ex, 404, null, "NOT_FOUND", "not found", "-");
                    return;
                }
                registryCall(ex, m.group(1));
            }
        } catch (RuntimeException e) {
            // an answer the client can read, and the cause in the test log
            System.err.println("[ghcr-sim] " + ex.getRequestMethod() + " " + ex.getRequestURI() + ": " + e);
            try {
                error(ex, 500, null, "UNKNOWN", "simulator error: " + e, "-");
            } catch (IOException | RuntimeException ignored) {
                // headers were sent already
            }
        }
    }

    private void registryCall(HttpExchange ex, String repository) throws IOException {
        String method = ex.getRequestMethod();
        boolean write = !method.equals("GET") && !method.equals("HEAD");
        String action = write ? "push" : "pull";
        Grant g = grant(ex);
        if (g == null) {
            challenge(ex, "repository:" + repository + ":" + (write ? "pull,push" : "pull"), "UNAUTHORIZED",
                    "authentication required");
            return;
        }
        if (!g.access().getOrDefault(repository, Set.of()).contains(action)) {
            if (g.who().equals("anonymous")) {
                challenge(ex, "repository:" + repository + ":" + action, "UNAUTHORIZED", "authentication required");
            } else {
                error(ex, 403, null, "DENIED", "permission_denied: write_package", g.who());
            }
            return;
        }
        String query = ex.getRequestURI().getRawQuery();
        if (write && query != null && query.contains("mount=")) {
            // a cross-repository mount needs pull on the source too; without it, a plain upload starts
            Matcher from = Pattern.compile("(?:^|&)from=([^&]+)").matcher(query);
            String source = from.find() ? java.net.URLDecoder.decode(from.group(1), StandardCharsets.UTF_8) : "";
            if (!g.access().getOrDefault(source, Set.of()).contains("pull")) query = null;
        }
        forward(ex, g.who(), query);
    }

    /** {@code GET /token?service=..&scope=repository:<name>:pull,push}: what the distribution token protocol returns. */
    private void token(HttpExchange ex) throws IOException {
        String who = "anonymous";
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String[] up = new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8).split(":", 2);
            if (up.length != 2 || !up[0].equals(USER) || !up[1].equals(PASSWORD)) {
                error(ex, 401, null, "UNAUTHORIZED", "bad credentials", "anonymous");
                return;
            }
            who = USER;
        }
        Map<String, Set<String>> access = new ConcurrentHashMap<>();
        String query = ex.getRequestURI().getRawQuery();
        for (String kv : query == null ? new String[0] : query.split("&")) {
            if (!kv.startsWith("scope=")) continue;
            Matcher m = SCOPE.matcher(java.net.URLDecoder.decode(kv.substring(6), StandardCharsets.UTF_8));
            while (m.find()) {
                String repo = m.group(1);
                Set<String> granted = new HashSet<>();
                for (String a : m.group(2).split(",")) {
                    boolean mayPull = who.equals(USER) || publicRepositories.contains(repo);
                    if (a.equals("pull") && mayPull) granted.add("pull");
                    if (a.equals("push") && who.equals(USER) && !pushDenied.contains(repo)) granted.add("push");
                }
                access.merge(repo, granted, (x, y) -> {
                    Set<String> u = new HashSet<>(x);
                    u.addAll(y);
                    return u;
                });
            }
        }
        String token = "sim_" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + Long.toHexString(System.nanoTime());
        tokens.put(token, new Grant(who, access));
        byte[] body = JSON.writeValueAsBytes(Map.of("token", token, "access_token", token, "expires_in", 300));
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        requests.add(new Request(ex.getRequestMethod(), "/token", query, who, 200));
    }

    private Grant grant(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        return tokens.get(auth.substring(7).strip());
    }

    private void challenge(HttpExchange ex, String scope, String code, String message) throws IOException {
        String c = "Bearer realm=\"http://" + host() + "/token\",service=\"ghcr-simulator\""
                + (scope == null ? "" : ",scope=\"" + scope + "\"");
        error(ex, 401, c, code, message, "anonymous");
    }

    private void error(HttpExchange ex, int status, String challenge, String code, String message, String who) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", "application/json");
        h.set("Docker-Distribution-API-Version", "registry/2.0");
        if (challenge != null) h.set("WWW-Authenticate", challenge);
        byte[] body = JSON.writeValueAsBytes(Map.of("errors", List.of(Map.of("code", code, "message", message))));
        if (ex.getRequestMethod().equals("HEAD")) {
            h.set("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
        requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                who, status));
    }

    private int forward(HttpExchange ex, String who) throws IOException {
        return forward(ex, who, ex.getRequestURI().getRawQuery());
    }

    /** The request to the registry and its answer back, streamed; returns the status. */
    private int forward(HttpExchange ex, String who, String query) throws IOException {
        String method = ex.getRequestMethod();
        URI target = URI.create(upstream + ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query));
        HttpRequest.Builder rb = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(5));
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            if (NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) continue;
            for (String v : h.getValue()) rb.header(h.getKey(), v);
        }
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        InputStream in = ex.getRequestBody();
        HttpRequest.BodyPublisher body;
        if (method.equals("GET") || method.equals("HEAD") || method.equals("DELETE")) {
            body = HttpRequest.BodyPublishers.noBody();
        } else if (length != null) {
            long n = Long.parseLong(length.strip());
            body = n == 0 ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> in), n);
        } else {
            body = HttpRequest.BodyPublishers.ofInputStream(() -> in);
        }
        rb.method(method, body);
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        Headers out = ex.getResponseHeaders();
        for (Map.Entry<String, List<String>> h : resp.headers().map().entrySet()) {
            String k = h.getKey().toLowerCase(Locale.ROOT);
            if (k.startsWith(":") || k.equals("transfer-encoding") || k.equals("connection") || k.equals("content-length")) continue;
            out.put(h.getKey(), new ArrayList<>(h.getValue()));
        }
        long n = resp.headers().firstValueAsLong("Content-Length").orElse(-1);
        int status = resp.statusCode();
        try (InputStream rin = resp.body()) {
            if (method.equals("HEAD")) {
                if (n >= 0) out.set("Content-Length", Long.toString(n));
                ex.sendResponseHeaders(status, -1);
            } else if (n == 0 || status == 204) {
                ex.sendResponseHeaders(status, -1);
            } else {
                ex.sendResponseHeaders(status, n < 0 ? 0 : n);
                try (OutputStream os = ex.getResponseBody()) {
                    rin.transferTo(os);
                }
            }
        }
        requests.add(new Request(method, ex.getRequestURI().getRawPath(), query, who, status));
        return status;
    }

    @Override
    public void close() {
        try {
            front.close();
        } catch (IOException ignored) {
            // closing
        }
        server.stop(0);
        executor.shutdownNow();
        client.close();
    }
}
