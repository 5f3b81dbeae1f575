package dev.gantry.checks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.common.action.Log;
import dev.gantry.common.http.RateLimits;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs a {@link CheckSuite} against a base URL: every check in order, templates filled from the {@link Scope},
 * captures added to it, one log line per check and the reasons of every failure. After a check fails, the
 * remaining checks are skipped except {@code always:} ones (cleanup), which still run when the values they
 * name exist. Shares one cookie jar across the run. Not thread-safe; close it when done.
 *
 * <pre>{@code
 * SuiteResult r = CheckRunner.run(CheckSuite.parse(yaml, "checks.yml"), URI.create("https://app.example"),
 *         Map.of(), Map.of("PASSWORD", pw), ctx.log());
 * }</pre>
 */
public final class CheckRunner implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_LOG_LIMIT = 2048;
    public static final String USER_AGENT = "gantry-smoke-test/0.1.0";

    private final Duration requestTimeout;
    private final Map<String, String> defaultHeaders;
    private final Map<String, String> github;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private HttpClient plain;
    private HttpClient following;

    private CheckRunner(Builder b) {
        this.requestTimeout = b.requestTimeout;
        this.defaultHeaders = Map.copyOf(b.defaultHeaders);
        this.github = Map.copyOf(b.github);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Runs {@code suite} with default options (10 s request timeout, no extra headers). */
    public static SuiteResult run(CheckSuite suite, URI baseUrl, Map<String, String> variables,
                                  Map<String, String> secrets, Log log) {
        try (CheckRunner r = builder().build()) {
            return r.run(suite, baseUrl, r.scope(variables, secrets, log), log, Map.of());
        }
    }

    /** A scope over {@code variables}, {@code secrets} (masked in {@code log} at once) and the GitHub context. */
    public Scope scope(Map<String, String> variables, Map<String, String> secrets, Log log) {
        secrets.values().forEach(log::addMask);
        return new Scope(variables, secrets, github);
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * Runs every check of {@code suite} in order. {@code done} holds outcomes of checks that already ran (the
     * wait phase's last successful attempt); they are reported as they are and not sent again.
     */
    public SuiteResult run(CheckSuite suite, URI baseUrl, Scope scope, Log log, Map<String, CheckOutcome> done) {
        return run(suite, baseUrl, scope, log, done, partial -> { });
    }

    /**
     * As {@link #run(CheckSuite, URI, Scope, Log, Map)}, calling {@code beforeCleanup} with the outcomes so far
     * when the trailing block of {@code always:} checks is reached (or at the end when there is none): the
     * action runs its soak there, while what the checks created still exists.
     */
    public SuiteResult run(CheckSuite suite, URI baseUrl, Scope scope, Log log, Map<String, CheckOutcome> done,
                           Consumer<SuiteResult> beforeCleanup) {
        List<Check> checks = suite.checks();
        int cleanupFrom = checks.size();
        while (cleanupFrom > 0 && checks.get(cleanupFrom - 1).always()) cleanupFrom--;
        List<CheckOutcome> outcomes = new ArrayList<>();
        String firstFailure = null;
        for (int i = 0; i < checks.size(); i++) {
            if (i == cleanupFrom) beforeCleanup.accept(new SuiteResult(outcomes, scope));
            Check check = checks.get(i);
            CheckOutcome o;
            if (done.containsKey(check.name())) {
                o = done.get(check.name());
                log.info((o.passed() ? "✓ " : "✗ ") + check.name() + "  " + o.brief() + " (in the wait phase)");
            } else if (firstFailure != null && !check.always()) {
                o = skipped(check, "'" + firstFailure + "' failed");
                log.info("- " + check.name() + "  " + o.brief());
            } else {
                o = execute(check, baseUrl, scope, log, requestTimeout, true);
            }
            outcomes.add(o);
            if (o.failed() && firstFailure == null) firstFailure = check.name();
        }
        if (cleanupFrom == checks.size()) beforeCleanup.accept(new SuiteResult(outcomes, scope));
        return new SuiteResult(outcomes, scope);
    }

    /**
     * Sends one check and evaluates it. {@code timeout} caps the request's own timeout (the wait phase passes
     * what is left of its deadline). With {@code verbose}, a failure prints each reason and the response body
     * (as untrusted text); the wait phase prints one line per attempt instead.
     */
    public CheckOutcome execute(Check check, URI baseUrl, Scope scope, Log log, Duration timeout, boolean verbose) {
        RenderedRequest req;
        try {
            req = render(check, baseUrl, scope);
        } catch (Scope.UnknownVariableException e) {
            CheckOutcome o = check.always()
                    ? skipped(check, "needs {{" + e.name() + "}}, which no earlier check captured")
                    : new CheckOutcome(check.name(), check.line(), CheckOutcome.Status.FAILED,
                    CheckOutcome.FailureKind.CONFIGURATION, check.request().method(), check.request().target(), 0, 0,
                    List.of(e.getMessage()), e.getMessage() + " (define it in variables or secrets, or capture it in an earlier check)");
            log.info((o.failed() ? "✗ " : "- ") + check.name() + "  " + o.brief());
            return o;
        } catch (IllegalArgumentException e) {
            CheckOutcome o = new CheckOutcome(check.name(), check.line(), CheckOutcome.Status.FAILED,
                    CheckOutcome.FailureKind.CONFIGURATION, check.request().method(), check.request().target(), 0, 0,
                    List.of(e.getMessage()), e.getMessage());
            log.info("✗ " + check.name() + "  " + o.brief());
            return o;
        }
        Duration t = check.request().timeout() != null ? check.request().timeout() : requestTimeout;
        if (timeout != null && timeout.compareTo(t) < 0) t = timeout.isNegative() || timeout.isZero() ? Duration.ofMillis(1) : timeout;

        HttpClient client = client(check.request().followRedirects()); // built before the clock starts
        long start = System.nanoTime();
        Response response;
        try {
            response = send(client, req, t);
        } catch (TransportException e) {
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            CheckOutcome o = new CheckOutcome(check.name(), check.line(), CheckOutcome.Status.FAILED,
                    CheckOutcome.FailureKind.TRANSPORT, req.method(), req.display(), 0, ms, List.of(e.getMessage()), e.getMessage());
            if (verbose) log.info("✗ " + check.name() + "  " + o.brief());
            return o;
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        response = response.withDuration(ms);

        List<String> failures = new ArrayList<>();
        boolean hasStatus = check.assertions().stream().anyMatch(a -> a instanceof Assertion.Status);
        List<Assertion> assertions = new ArrayList<>();
        if (!hasStatus) assertions.add(Check.DEFAULT_STATUS);
        assertions.addAll(check.assertions());
        for (Assertion a : assertions) {
            try {
                a.check(response, scope).ifPresent(why -> failures.add(a.subject() + ": " + why));
            } catch (Scope.UnknownVariableException e) {
                failures.add(a.subject() + ": " + e.getMessage());
            }
        }
        if (failures.isEmpty()) {
            for (Capture c : check.captures()) {
                switch (c.take(response)) {
                    case Capture.Value v -> {
                        if (c.secret()) log.addMask(Scope.text(v.value()));
                        scope.capture(c.name(), v.value(), c.secret());
                    }
                    case Capture.Missing m -> failures.add("capture " + c.name() + ": " + m.reason());
                }
            }
        }
        Duration retryAfter = null;
        if (!failures.isEmpty() && (response.status() == 429 || response.status() == 503)) {
            Map<String, java.util.Collection<String>> h = new LinkedHashMap<>(response.headers());
            java.time.Instant now = java.time.Instant.now();
            retryAfter = RateLimits.retryAt(response.status(), h, now).map(at -> Duration.between(now, at))
                    .filter(d -> !d.isNegative()).orElse(null);
        }
        CheckOutcome o = new CheckOutcome(check.name(), check.line(),
                failures.isEmpty() ? CheckOutcome.Status.PASSED : CheckOutcome.Status.FAILED,
                failures.isEmpty() ? CheckOutcome.FailureKind.NONE : CheckOutcome.FailureKind.ASSERTION,
                req.method(), req.display(), response.status(), ms, failures,
                failures.isEmpty() ? "passed" : failures.get(0) + (failures.size() > 1 ? " (+" + (failures.size() - 1) + " more)" : ""),
                retryAfter);
        if (verbose) {
            log.info((o.passed() ? "✓ " : "✗ ") + check.name() + "  " + o.brief());
            if (o.failed()) {
                for (String f : failures) log.info("    " + f);
                String body = response.text();
                if (!body.isEmpty()) {
                    log.info("    response body" + (body.length() > BODY_LOG_LIMIT ? " (first " + BODY_LOG_LIMIT + " of " + body.length() + " chars)" : "") + ":");
                    log.untrusted(body.length() > BODY_LOG_LIMIT ? body.substring(0, BODY_LOG_LIMIT) : body);
                }
            }
        }
        return o;
    }

    /**
     * Fills in a check's request: the URL (a path is appended to {@code baseUrl}, keeping its own path prefix),
     * query, headers (the run's default headers only for the base URL's origin), body and content type.
     */
    public RenderedRequest render(Check check, URI baseUrl, Scope scope) {
        RequestSpec spec = check.request();
        String target = scope.render(spec.target());
        URI uri;
        if (target.startsWith("http://") || target.startsWith("https://")) {
            uri = URI.create(target);
        } else if (target.startsWith("/")) {
            String base = baseUrl.toString();
            boolean basePath = baseUrl.getRawPath() != null && baseUrl.getRawPath().length() > 1;
            if (target.equals("/") && basePath) {
                uri = baseUrl; // GET / of https://host/app is the app's URL itself, not https://host/app/
            } else {
                while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
                uri = URI.create(base + target);
            }
        } else {
            throw new IllegalArgumentException("the URL '" + target + "' is neither absolute nor a path starting with '/'");
        }
        if (!spec.query().isEmpty()) {
            StringBuilder q = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
            spec.query().forEach((k, v) -> {
                if (!q.isEmpty()) q.append('&');
                q.append(URLEncoder.encode(scope.render(k), StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(scope.render(v), StandardCharsets.UTF_8));
            });
            String s = uri.toString();
            int hash = s.indexOf('#');
            if (hash >= 0) s = s.substring(0, hash);
            int qm = s.indexOf('?');
            uri = URI.create((qm >= 0 ? s.substring(0, qm) : s) + "?" + q);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("User-Agent", USER_AGENT);
        if (sameOrigin(uri, baseUrl)) headers.putAll(defaultHeaders);
        spec.headers().forEach((k, v) -> headers.put(k, scope.render(v)));
        byte[] body = null;
        if (spec.json() != null) {
            try {
                body = JSON.writeValueAsBytes(scope.renderJson(spec.json()));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot write the JSON body: " + e.getOriginalMessage());
            }
            putIfAbsent(headers, "Content-Type", "application/json");
        } else if (spec.form() != null) {
            StringBuilder f = new StringBuilder();
            spec.form().forEach((k, v) -> {
                if (!f.isEmpty()) f.append('&');
                f.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(scope.render(v), StandardCharsets.UTF_8));
            });
            body = f.toString().getBytes(StandardCharsets.UTF_8);
            putIfAbsent(headers, "Content-Type", "application/x-www-form-urlencoded");
        } else if (spec.body() != null) {
            body = scope.render(spec.body()).getBytes(StandardCharsets.UTF_8);
        }
        String display = sameOrigin(uri, baseUrl) ? pathAndQuery(uri) : uri.toString();
        return new RenderedRequest(check.name(), spec.method(), uri, headers, body, display);
    }

    private static void putIfAbsent(Map<String, String> headers, String name, String value) {
        if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(name))) headers.put(name, value);
    }

    private static String pathAndQuery(URI u) {
        String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
    }

    private static boolean sameOrigin(URI a, URI b) {
        return RenderedRequest.sameOrigin(a, b);
    }

    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade");

    private static Response send(HttpClient client, RenderedRequest req, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(req.uri()).timeout(timeout)
                .method(req.method(), req.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(req.body()));
        req.headers().forEach((k, v) -> {
            if (!RESTRICTED.contains(k.toLowerCase(Locale.ROOT))) b.header(k, v);
        });
        CompletableFuture<HttpResponse<byte[]>> f = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        try {
            HttpResponse<byte[]> r = f.get(timeout.toMillis() + 50, TimeUnit.MILLISECONDS);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            return new Response(r.statusCode(), headers, r.body() == null ? new byte[0] : r.body(), 0);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TransportException("no response within " + human(timeout));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof HttpTimeoutException) throw new TransportException("no response within " + human(timeout));
            throw new TransportException(describe(c));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted");
        }
    }

    static String describe(Throwable c) {
        String name = c.getClass().getSimpleName();
        String m = c.getMessage();
        if (c instanceof java.net.ConnectException) return "connection refused" + (m == null || m.isBlank() ? "" : " (" + m + ")");
        if (c instanceof java.nio.channels.ClosedChannelException) return "connection closed";
        if (m == null || m.isBlank()) return name;
        return name + ": " + m;
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    private HttpClient client(boolean followRedirects) {
        if (plain == null) {
            Duration connect = requestTimeout.compareTo(Duration.ofSeconds(10)) < 0 ? requestTimeout : Duration.ofSeconds(10);
            plain = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(connect)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            following = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(connect)
                    .followRedirects(HttpClient.Redirect.NORMAL).build();
        }
        return followRedirects ? following : plain;
    }

    private static CheckOutcome skipped(Check check, String why) {
        return new CheckOutcome(check.name(), check.line(), CheckOutcome.Status.SKIPPED, CheckOutcome.FailureKind.NONE,
                check.request().method(), check.request().target(), 0, 0, List.of(), why);
    }

    // ---------------------------------------------------------------- for the smoke-test soak

    /**
     * The {@code Cookie} header this run's cookie jar sends to {@code uri} now (the session the checks logged
     * into), or null when it holds none for it. The soak sends it with every request, as the app's users do.
     */
    public String cookieHeader(URI uri) {
        try {
            List<String> values = cookies.get(uri, Map.of()).get("Cookie");
            return values == null || values.isEmpty() ? null : String.join("; ", values);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * What {@code check}'s captures take from one answer the soak got to it (a write whose cleanup needs its
     * id): the values captured, and a reason for each capture that found nothing. Nothing is added to any scope.
     */
    public static Captured captures(Check check, int status, Map<String, List<String>> headers, byte[] body) {
        Response r = new Response(status, headers, body, 0);
        Map<String, com.fasterxml.jackson.databind.JsonNode> values = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Capture c : check.captures()) {
            switch (c.take(r)) {
                case Capture.Value v -> values.put(c.name(), v.value());
                case Capture.Missing m -> missing.add(c.name() + ": " + m.reason());
            }
        }
        return new Captured(values, missing);
    }

    /** See {@link #captures(Check, int, Map, byte[])}. */
    public record Captured(Map<String, com.fasterxml.jackson.databind.JsonNode> values, List<String> missing) {
    }

    private static final class TransportException extends RuntimeException {
        TransportException(String m) {
            super(m, null, false, false);
        }
    }

    @Override
    public void close() {
        if (plain != null) {
            // not close(): that waits for exchanges a timed-out check abandoned
            plain.shutdownNow();
            following.shutdownNow();
        }
    }

    public static final class Builder {
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Map<String, String> defaultHeaders = Map.of();
        private Map<String, String> github = Map.of();

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** Headers sent with every request to the base URL's origin (never to other hosts). */
        public Builder defaultHeaders(Map<String, String> h) {
            this.defaultHeaders = h;
            return this;
        }

        /** Values of {@code {{github.NAME}}} (run_id, sha, repository, ...). */
        public Builder github(Map<String, String> g) {
            this.github = g;
            return this;
        }

        public CheckRunner build() {
            return new CheckRunner(this);
        }
    }
}
