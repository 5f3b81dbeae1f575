package dev.gantry.checks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.common.action.Durations;
import dev.gantry.common.action.Log;
import dev.gantry.common.http.RateLimits;
import dev.gantry.common.http.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Runs a {@link CheckSuite} against a base URL: every check in order, templates filled from the {@link Scope},
 * captures added to it, one log line per check and the reasons of every failure. After a check fails, the
 * remaining checks are skipped except {@code always:} ones (cleanup), which still run when the values they
 * name exist. Shares one cookie jar across the run. Not thread-safe; close it when done.
 *
 * <p>Each check: {@code skip} skips it; {@code delay} waits before it; then it is sent (following redirects when
 * asked, headers confined to their origin), its captures are taken first (a {@code secret} one is masked at once,
 * so nothing printed later can show it, even when the check fails), then its assertions are judged. A failed
 * attempt is retried {@code retry} times {@code retry-interval} apart; {@code repeat} runs it again after a pass.
 * Response bodies are read up to {@code maxBody}; a check that needs more is not judged ({@code LIMIT}).
 *
 * <pre>{@code
 * SuiteResult r = CheckRunner.run(CheckSuite.parse(yaml, "checks.yml"), URI.create("https://app.example"),
 *         Map.of(), Map.of("PASSWORD", pw), ctx.log());
 * }</pre>
 */
public final class CheckRunner implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BODY_LOG_LIMIT = 2048;
    public static final String USER_AGENT = "gantry-smoke-test/1.0.0";
    /** Bodies up to this size are read; a check that needs a bigger one is not judged. */
    public static final long DEFAULT_MAX_BODY = 16L * 1024 * 1024;
    /** A file sent as a body or a multipart part may be at most this large. */
    static final long MAX_UPLOAD = 16L * 1024 * 1024;

    private final Duration requestTimeout;
    private final Map<String, String> defaultHeaders;
    private final Map<String, String> github;
    private final Time time;
    private final long maxBody;
    private final Duration retryLimit;
    private final HttpClients clients;
    private final Set<String> warnedInsecure = new java.util.HashSet<>();
    private Log log;

    private CheckRunner(Builder b) {
        this.requestTimeout = b.requestTimeout;
        this.defaultHeaders = Map.copyOf(b.defaultHeaders);
        this.github = Map.copyOf(b.github);
        this.time = b.time;
        this.maxBody = b.maxBody;
        this.retryLimit = b.retryLimit;
        Duration connect = requestTimeout.compareTo(Duration.ofSeconds(10)) < 0 ? requestTimeout : Duration.ofSeconds(10);
        this.clients = new HttpClients(connect, b.proxies);
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
        this.log = log;
        secrets.values().forEach(log::addMask);
        return new Scope(variables, secrets, github);
    }

    /**
     * A scope for {@code suite}: for a Hurl file the variables as Hurl types them, the secrets also by their bare
     * names ({@code {{password}}}, as {@code hurl --secret} gives them) and {@code base_url} the base URL (unless a
     * variable sets it); for checks YAML as {@link #scope(Map, Map, Log)}.
     */
    public Scope scope(CheckSuite suite, URI baseUrl, Map<String, String> variables, Map<String, String> secrets, Log log) {
        if (suite.language() != CheckSuite.Language.HURL) return scope(variables, secrets, log);
        this.log = log;
        secrets.values().forEach(log::addMask);
        Map<String, String> v = new LinkedHashMap<>();
        v.put("base_url", baseUrl.toString().replaceAll("/+$", ""));
        v.putAll(secrets);
        v.putAll(variables);
        return new Scope(v, secrets, github, true);
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
     * Runs one check as its options say: skip, delay, attempts with retries, repeats. {@code timeout} caps each
     * request's own timeout. With {@code verbose}, a failure prints each reason and the response body (as untrusted
     * text, after every secret capture was masked).
     */
    public CheckOutcome execute(Check check, URI baseUrl, Scope scope, Log log, Duration timeout, boolean verbose) {
        CheckOptions opt = check.options();
        if (opt.skip()) {
            CheckOutcome o = skipped(check, "skip: true");
            log.info("- " + check.name() + "  " + o.brief());
            return o;
        }
        if (opt.tls().insecure() && warnedInsecure.add(check.name())) {
            log.warning("check '" + check.name() + "' does not verify TLS certificates or host names (insecure: true);"
                    + " anyone on the path can answer for the server", dev.gantry.common.action.Annotation.titled("insecure TLS"));
        }
        sleep(opt.delay());
        Instant retryUntil = time.now().plus(retryLimit);
        int attempts = 0;
        Attempt last = null;
        for (int run = 0; run < opt.repeat(); run++) {
            int tries = 0;
            while (true) {
                attempts++;
                tries++;
                last = attempt(check, baseUrl, scope, log, timeout);
                CheckOutcome o = last.outcome();
                if (o.passed() || o.failureKind() == CheckOutcome.FailureKind.CONFIGURATION
                        || o.failureKind() == CheckOutcome.FailureKind.LIMIT) {
                    break;
                }
                boolean more = opt.retry() < 0 ? time.now().plus(opt.retryInterval()).isBefore(retryUntil) : tries <= opt.retry();
                if (!more) break;
                log.info("↻ " + check.name() + "  attempt " + attempts + ": " + o.message() + "; again in "
                        + Durations.human(opt.retryInterval()));
                sleep(opt.retryInterval());
            }
            if (!last.outcome().passed()) break;
        }
        CheckOutcome o = last.outcome().withAttempts(attempts);
        if (verbose) report(o, last.response(), log);
        return o;
    }

    /** One attempt of a check: render, send, captures (secret ones masked at once), assertions. */
    public Attempt attempt(Check check, URI baseUrl, Scope scope, Log log, Duration timeoutCap) {
        RenderedRequest req;
        try {
            req = render(check, baseUrl, scope);
        } catch (Scope.UnknownVariableException e) {
            CheckOutcome o = check.always()
                    ? skipped(check, "needs {{" + e.name() + "}}, which no earlier check captured")
                    : failed(check, CheckOutcome.FailureKind.CONFIGURATION, e.getMessage()
                    + " (define it in variables or secrets, or capture it in an earlier check)");
            return new Attempt(o, null);
        } catch (IllegalArgumentException e) {
            return new Attempt(failed(check, CheckOutcome.FailureKind.CONFIGURATION, e.getMessage()), null);
        }
        Duration t = check.options().timeout() != null ? check.options().timeout() : requestTimeout;
        if (timeoutCap != null && timeoutCap.compareTo(t) < 0) {
            t = timeoutCap.isNegative() || timeoutCap.isZero() ? Duration.ofMillis(1) : timeoutCap;
        }
        Response response;
        try {
            response = Exchange.send(clients, req, check.options(), t, maxBody);
        } catch (Exchange.TransportException e) {
            return new Attempt(new CheckOutcome(check.name(), check.line(), CheckOutcome.Status.FAILED,
                    CheckOutcome.FailureKind.TRANSPORT, req.method(), req.display(), 0, 0, List.of(e.getMessage()),
                    e.getMessage()), null);
        }
        return new Attempt(judge(check, req, response, scope, log), response);
    }

    /** Captures first (a secret one masked at once), then every assertion; the outcome of one response. */
    private CheckOutcome judge(Check check, RenderedRequest req, Response response, Scope scope, Log log) {
        List<String> failures = new ArrayList<>();
        int limited = 0;
        for (Capture c : check.captures()) {
            try {
                switch (c.take(response, scope)) {
                    case Capture.Value v -> {
                        if (c.secret()) log.addMask(Scope.text(v.value()));
                        scope.capture(c.name(), v.value(), c.secret());
                    }
                    case Capture.Missing m -> failures.add("capture " + c.name() + ": " + m.reason());
                }
            } catch (Response.BodyTooLargeException e) {
                limited++;
                failures.add("capture " + c.name() + ": " + e.getMessage());
            }
        }
        for (Assertion a : check.effectiveAssertions()) {
            try {
                a.check(response, scope).ifPresent(why -> failures.add(a.subject() + ": " + why));
            } catch (Response.BodyTooLargeException e) {
                limited++;
                failures.add(a.subject() + ": " + e.getMessage());
            }
        }
        CheckOutcome.FailureKind kind = failures.isEmpty() ? CheckOutcome.FailureKind.NONE
                : limited == failures.size() ? CheckOutcome.FailureKind.LIMIT : CheckOutcome.FailureKind.ASSERTION;
        return new CheckOutcome(check.name(), check.line(),
                failures.isEmpty() ? CheckOutcome.Status.PASSED : CheckOutcome.Status.FAILED, kind,
                req.method(), req.display(), response.status(), response.durationMillis(), failures,
                failures.isEmpty() ? "passed" : failures.get(0) + (failures.size() > 1 ? " (+" + (failures.size() - 1) + " more)" : ""),
                failures.isEmpty() ? null : retryAfter(response));
    }

    /** How long a 429 or 503 asked to wait ({@code Retry-After}), or null. */
    private Duration retryAfter(Response response) {
        if (response.status() != 429 && response.status() != 503) return null;
        Map<String, java.util.Collection<String>> h = new LinkedHashMap<>(response.headers());
        Instant now = time.now();
        return RateLimits.retryAt(response.status(), h, now).map(at -> Duration.between(now, at))
                .filter(d -> !d.isNegative()).orElse(null);
    }

    /** An attempt's outcome and the response it judged (null when none came back). */
    public record Attempt(CheckOutcome outcome, Response response) {
    }

    private void report(CheckOutcome o, Response response, Log log) {
        boolean skipped = o.status() == CheckOutcome.Status.SKIPPED;
        log.info((o.passed() ? "✓ " : skipped ? "- " : "✗ ") + o.name() + "  " + o.brief()
                + (o.attempts() > 1 ? " [" + o.attempts() + " attempts]" : ""));
        if (!o.failed()) return;
        if (o.httpStatus() == 0 && o.failures().size() == 1 && o.failures().get(0).equals(o.message())) {
            log.info("    " + o.message());
            return;
        }
        for (String f : o.failures()) log.info("    " + f);
        if (response == null || response.rawLength() == 0) return;
        String body = response.preview(BODY_LOG_LIMIT);
        log.info("    response body" + (response.truncated() || response.rawLength() > body.length()
                ? " (first " + body.length() + " chars)" : "") + ":");
        log.untrusted(body);
    }

    /**
     * Fills in a check's request: the URL (a path is appended to {@code baseUrl}, keeping its own path prefix),
     * query, headers (the run's default headers only for the base URL's origin), body and content type. A user and
     * password in the URL become basic authentication and are masked; they are never shown.
     */
    public RenderedRequest render(Check check, URI baseUrl, Scope scope) {
        RequestSpec spec = check.request();
        URI uri = url(scope.render(spec.target()), baseUrl);
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) uri = withoutUserInfo(uri);
        uri = withQuery(uri, spec.query(), scope);

        Map<String, String> headers = new LinkedHashMap<>();
        Set<String> originOnly = new LinkedHashSet<>();
        headers.put("User-Agent", USER_AGENT);
        if (RenderedRequest.sameOrigin(uri, baseUrl)) headers.putAll(defaultHeaders);
        defaultHeaders.keySet().forEach(k -> originOnly.add(k.toLowerCase(Locale.ROOT)));
        for (RequestSpec.NameValue h : spec.headers()) {
            String name = scope.render(h.name());
            if (Exchange.RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header '" + name + "' cannot be set by a check (the HTTP client sets it)");
            }
            String value = scope.render(h.value());
            String existing = headers.keySet().stream().filter(k -> k.equalsIgnoreCase(name)).findFirst().orElse(null);
            if (existing != null && !defaultHeaders.containsKey(existing) && !existing.equals("User-Agent")) {
                headers.put(existing, headers.get(existing) + ", " + value);
            } else {
                if (existing != null) headers.remove(existing);
                headers.put(name, value);
            }
        }
        if (spec.basicAuth() != null) {
            putHeader(headers, "Authorization", basic(scope.render(spec.basicAuth().name()), scope.render(spec.basicAuth().value())));
        } else if (userInfo != null) {
            String decoded = java.net.URLDecoder.decode(userInfo, StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (log != null && colon >= 0 && colon < decoded.length() - 1) log.addMask(decoded.substring(colon + 1));
            putHeader(headers, "Authorization", basic(colon < 0 ? decoded : decoded.substring(0, colon),
                    colon < 0 ? "" : decoded.substring(colon + 1)));
        }
        if (!spec.cookies().isEmpty()) {
            StringBuilder c = new StringBuilder();
            for (RequestSpec.NameValue kv : spec.cookies()) {
                if (!c.isEmpty()) c.append("; ");
                c.append(scope.render(kv.name())).append('=').append(scope.render(kv.value()));
            }
            putHeader(headers, "Cookie", c.toString());
        }
        if (check.options().compressed()) putIfAbsent(headers, "Accept-Encoding", "gzip, deflate");
        if (check.options().redirects() != CheckOptions.Redirects.TRUSTED) {
            originOnly.addAll(List.of("authorization", "cookie", "proxy-authorization"));
        }
        byte[] body = body(spec.body(), headers, scope);
        String display = RenderedRequest.sameOrigin(uri, baseUrl) ? pathAndQuery(uri) : uri.toString();
        return new RenderedRequest(check.name(), spec.method(), uri, headers, body, display, originOnly);
    }

    private static URI url(String target, URI baseUrl) {
        if (target.startsWith("http://") || target.startsWith("https://")) {
            try {
                return URI.create(target);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the URL '" + target + "' is not valid: " + e.getMessage());
            }
        }
        if (!target.startsWith("/")) {
            throw new IllegalArgumentException("the URL '" + target + "' is neither absolute nor a path starting with '/'");
        }
        String base = baseUrl.toString();
        boolean basePath = baseUrl.getRawPath() != null && baseUrl.getRawPath().length() > 1;
        if (target.equals("/") && basePath) return baseUrl; // GET / of https://host/app is the app's URL itself
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        try {
            return URI.create(base + target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the path '" + target + "' is not valid in a URL: " + e.getMessage());
        }
    }

    private static URI withoutUserInfo(URI u) {
        String s = u.toString();
        int at = s.indexOf('@');
        int scheme = s.indexOf("://");
        return URI.create(s.substring(0, scheme + 3) + s.substring(at + 1));
    }

    private static URI withQuery(URI uri, List<RequestSpec.NameValue> query, Scope scope) {
        if (query.isEmpty()) return uri;
        StringBuilder q = new StringBuilder(uri.getRawQuery() == null ? "" : uri.getRawQuery());
        for (RequestSpec.NameValue kv : query) {
            if (!q.isEmpty()) q.append('&');
            q.append(URLEncoder.encode(scope.render(kv.name()), StandardCharsets.UTF_8).replace("+", "%20")).append('=')
                    .append(URLEncoder.encode(scope.render(kv.value()), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        String s = uri.toString();
        int hash = s.indexOf('#');
        if (hash >= 0) s = s.substring(0, hash);
        int qm = s.indexOf('?');
        return URI.create((qm >= 0 ? s.substring(0, qm) : s) + "?" + q);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private byte[] body(RequestSpec.Body b, Map<String, String> headers, Scope scope) {
        return switch (b) {
            case null -> null;
            case RequestSpec.Json j -> {
                putIfAbsent(headers, "Content-Type", "application/json");
                try {
                    yield JSON.writeValueAsBytes(scope.renderJson(j.value()));
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("cannot write the JSON body: " + e.getOriginalMessage());
                }
            }
            case RequestSpec.JsonText j -> {
                putIfAbsent(headers, "Content-Type", "application/json");
                yield renderJsonText(j.text(), scope).getBytes(StandardCharsets.UTF_8);
            }
            case RequestSpec.Form f -> {
                putIfAbsent(headers, "Content-Type", "application/x-www-form-urlencoded");
                StringBuilder s = new StringBuilder();
                for (RequestSpec.NameValue kv : f.fields()) {
                    if (!s.isEmpty()) s.append('&');
                    s.append(URLEncoder.encode(scope.render(kv.name()), StandardCharsets.UTF_8)).append('=')
                            .append(URLEncoder.encode(scope.render(kv.value()), StandardCharsets.UTF_8));
                }
                yield s.toString().getBytes(StandardCharsets.UTF_8);
            }
            case RequestSpec.Text t -> {
                if (t.contentType() != null) putIfAbsent(headers, "Content-Type", t.contentType());
                yield scope.render(t.text()).getBytes(StandardCharsets.UTF_8);
            }
            case RequestSpec.Bytes x -> x.data();
            case RequestSpec.FileBody f -> read(f.path(), f.display());
            case RequestSpec.Multipart m -> multipart(m, headers, scope);
        };
    }

    private byte[] multipart(RequestSpec.Multipart m, Map<String, String> headers, Scope scope) {
        String boundary = "gantry-" + UUID.randomUUID();
        putHeader(headers, "Content-Type", "multipart/form-data; boundary=" + boundary);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (RequestSpec.Part p : m.parts()) {
            String name = scope.render(p.name()).replace("\"", "%22");
            out.writeBytes(("--" + boundary + "\r\n").getBytes(StandardCharsets.UTF_8));
            switch (p) {
                case RequestSpec.Field f -> {
                    out.writeBytes(("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
                    out.writeBytes(scope.render(f.value()).getBytes(StandardCharsets.UTF_8));
                }
                case RequestSpec.FilePart f -> {
                    String type = f.contentType() != null ? f.contentType() : contentType(f.filename());
                    out.writeBytes(("Content-Disposition: form-data; name=\"" + name + "\"; filename=\""
                            + f.filename().replace("\"", "%22") + "\"\r\nContent-Type: " + type + "\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8));
                    out.writeBytes(read(f.path(), f.filename()));
                }
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** Hurl's table of content types by file extension; {@code application/octet-stream} otherwise. */
    static String contentType(String filename) {
        String f = filename.toLowerCase(Locale.ROOT);
        int dot = f.lastIndexOf('.');
        return switch (dot < 0 ? "" : f.substring(dot + 1)) {
            case "gif" -> "image/gif";
            case "jpg", "jpeg" -> "image/jpeg";
            case "png" -> "image/png";
            case "svg" -> "image/svg+xml";
            case "txt" -> "text/plain";
            case "htm", "html" -> "text/html";
            case "pdf" -> "application/pdf";
            case "xml" -> "application/xml";
            default -> "application/octet-stream";
        };
    }

    private static byte[] read(java.nio.file.Path path, String display) {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes((int) MAX_UPLOAD + 1);
            if (b.length > MAX_UPLOAD) {
                throw new IllegalArgumentException("the file " + display + " is larger than " + MAX_UPLOAD / (1024 * 1024) + " MB");
            }
            return b;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the file " + display + ": " + e.getMessage());
        }
    }

    /**
     * Hurl's JSON body templating: a {@code {{name}}} inside a JSON string is the value's text (escaped for JSON),
     * outside one it is the value as JSON ({@code {{count}}} sends 42, not "42").
     */
    static String renderJsonText(String text, Scope scope) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '{' && text.startsWith("{{", i)) {
                int end = text.indexOf("}}", i + 2);
                if (end > 0) {
                    String name = text.substring(i + 2, end).strip();
                    JsonNode v = scope.lookup(name).orElseThrow(() -> new Scope.UnknownVariableException(name));
                    if (inString) {
                        String json = Values.text(Scope.text(v)).toString();
                        out.append(json, 1, json.length() - 1);
                    } else {
                        out.append(v.isTextual() || Values.isDate(v) ? Values.text(Scope.text(v)).toString() : v.toString());
                    }
                    i = end + 2;
                    continue;
                }
            }
            if (inString && c == '\\' && i + 1 < text.length()) {
                out.append(c).append(text.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c == '"') inString = !inString;
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private static void putIfAbsent(Map<String, String> headers, String name, String value) {
        if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(name))) headers.put(name, value);
    }

    private static void putHeader(Map<String, String> headers, String name, String value) {
        headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        headers.put(name, value);
    }

    private static String pathAndQuery(URI u) {
        String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
    }

    private void sleep(Duration d) {
        if (d == null || d.isZero() || d.isNegative()) return;
        try {
            time.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CheckOutcome failed(Check check, CheckOutcome.FailureKind kind, String message) {
        return new CheckOutcome(check.name(), check.line(), CheckOutcome.Status.FAILED, kind, check.request().method(),
                check.request().target(), 0, 0, List.of(message), message);
    }

    static CheckOutcome skipped(Check check, String why) {
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
            List<String> values = clients.cookies().get(uri, Map.of()).get("Cookie");
            return values == null || values.isEmpty() ? null : String.join("; ", values);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The TLS context {@code check}'s requests use (its {@code tls} options: CA, client certificate, insecure), the
     * same object for every check with the same options; null for the JDK's default trust (no options). The soak
     * connects with it, so a soak over https trusts exactly what the check does.
     */
    public javax.net.ssl.SSLContext sslContext(Check check) {
        CheckOptions.Tls tls = check.options().tls();
        return tls.equals(CheckOptions.Tls.DEFAULT) ? null : clients.sslContextFor(tls);
    }

    /**
     * The proxy the checks' requests to {@code uri} go through ({@code https_proxy}, {@code no_proxy}, ...), as
     * {@code http://host:port}, or null when they connect directly.
     */
    public URI proxyFor(URI uri) {
        return clients.proxyFor(uri);
    }

    /**
     * What {@code check}'s captures take from one answer the soak got to it (a write whose cleanup needs its id),
     * judged with {@code scope} as the check's own captures are: the values captured, the names of the secret
     * ones (masked at once, as the checks mask theirs), and a reason for each capture that found nothing.
     * {@code uri} is where the answer came from; {@code headers} have lower-case names; {@code body} is at most {@code cap} bytes, {@code truncated} when the
     * answer held more (a capture that reads the body then finds nothing rather than judge a part of it). Nothing
     * is added to {@code scope}.
     */
    public Captured captures(Check check, Scope scope, URI uri, int status, Map<String, List<String>> headers,
                             byte[] body, boolean truncated, long cap) {
        Response r = new Response(status, "1.1", headers, body, truncated, cap, uri.toString(), List.of(), null, 0);
        Map<String, JsonNode> values = new LinkedHashMap<>();
        Set<String> secret = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (Capture c : check.captures()) {
            try {
                switch (c.take(r, scope)) {
                    case Capture.Value v -> {
                        if (c.secret()) {
                            if (log != null) log.addMask(Scope.text(v.value()));
                            secret.add(c.name());
                        }
                        values.put(c.name(), v.value());
                    }
                    case Capture.Missing m -> missing.add(c.name() + ": " + m.reason());
                }
            } catch (Response.BodyTooLargeException e) {
                missing.add(c.name() + ": " + e.getMessage());
            }
        }
        return new Captured(values, secret, missing);
    }

    /** See {@link #captures}. */
    public record Captured(Map<String, JsonNode> values, Set<String> secret, List<String> missing) {
    }

    @Override
    public void close() {
        clients.close();
    }

    public static final class Builder {
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Map<String, String> defaultHeaders = Map.of();
        private Map<String, String> github = Map.of();
        private Time time = Time.SYSTEM;
        private long maxBody = DEFAULT_MAX_BODY;
        private Duration retryLimit = Duration.ofMinutes(5);
        private HttpClients.Proxies proxies = HttpClients.Proxies.NONE;

        public Builder requestTimeout(Duration d) {
            this.requestTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** Headers sent with every request to the base URL's origin (never to other origins, redirects included). */
        public Builder defaultHeaders(Map<String, String> h) {
            this.defaultHeaders = h;
            return this;
        }

        /** Values of {@code {{github.NAME}}} (run_id, sha, repository, ...). */
        public Builder github(Map<String, String> g) {
            this.github = g;
            return this;
        }

        /** The clock and sleeper of delays and retries. */
        public Builder time(Time t) {
            this.time = Objects.requireNonNull(t);
            return this;
        }

        /** The most of a response body read (default 16 MB). */
        public Builder maxBody(long bytes) {
            this.maxBody = bytes;
            return this;
        }

        /** How long {@code retry: -1} keeps trying a check (the action passes its wait timeout). */
        public Builder retryLimit(Duration d) {
            this.retryLimit = Objects.requireNonNull(d);
            return this;
        }

        /** The proxy settings from the environment ({@code https_proxy}, {@code no_proxy}, ...). */
        public Builder proxyEnvironment(java.util.function.Function<String, String> env) {
            this.proxies = HttpClients.Proxies.fromEnvironment(env);
            return this;
        }

        public CheckRunner build() {
            return new CheckRunner(this);
        }
    }
}
