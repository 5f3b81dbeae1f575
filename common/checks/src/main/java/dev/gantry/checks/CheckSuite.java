package dev.gantry.checks;

import dev.gantry.common.action.Inputs;
import dev.gantry.checks.YamlTree.Node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An ordered list of checks, read from YAML, plus the soak's weighted targets. Every mistake in the file is
 * reported with the file, line and column and what is wrong ({@link CheckFileException}).
 *
 * <pre>{@code
 * checks:
 *   - name: health
 *     wait: true
 *     request: { method: GET, path: /api/health }
 *     expect: { status: 200, jsonpath: { "$.status": "ok" }, duration: "<500ms" }
 *   - name: login
 *     request: { method: POST, path: /api/login, json: { user: smoke, password: "{{secrets.PASSWORD}}" } }
 *     capture: { token: { jsonpath: "$.token", secret: true } }
 * soak:
 *   targets: [health]
 *   weights: [1]
 * }</pre>
 */
public record CheckSuite(String source, List<Check> checks, List<SoakTarget> soakTargets, SoakOptions soakOptions) {

    /** A check the soak repeats, with its share of the requests. */
    public record SoakTarget(String check, int weight) {
    }

    /**
     * The rest of the {@code soak:} section. {@code errors}: the statuses the soak counts as errors ({@code 5xx},
     * {@code [5xx, 429]}); null means what each check's {@code expect.status} does not allow. {@code maxWrites}:
     * how many write requests (POST, PUT, PATCH, DELETE) the soak may send, 0 when it sends none; {@code cleanup}:
     * the check run once per write with that write's captures (null: {@code none}, the writes leave nothing).
     */
    public record SoakOptions(Assertion.Status errors, int maxWrites, String cleanup) {
        public static final SoakOptions DEFAULT = new SoakOptions(null, 0, null);
        public static final int MAX_WRITES = 10_000;
    }

    public CheckSuite(String source, List<Check> checks, List<SoakTarget> soakTargets) {
        this(source, checks, soakTargets, SoakOptions.DEFAULT);
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern DURATION = Pattern.compile("\\s*(<=|<)?\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s)?\\s*");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    public CheckSuite {
        checks = List.copyOf(checks);
        soakTargets = List.copyOf(soakTargets);
        if (soakOptions == null) soakOptions = SoakOptions.DEFAULT;
    }

    /** The suite used when no checks are given: {@code GET /} must answer 2xx, and is waited for. */
    public static CheckSuite defaultSuite() {
        RequestSpec get = new RequestSpec("GET", "/", Map.of(), Map.of(), null, null, null, null, false);
        Check root = new Check("root", 0, get, List.of(new Assertion.Status(List.of("2xx"))), List.of(), true, false);
        return new CheckSuite("<default>", List.of(root), List.of());
    }

    public Check check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * The checks the wait phase repeats: those marked {@code wait: true}; when none is marked, the first check
     * if it is a GET, HEAD or OPTIONS; else none.
     */
    public List<Check> waitChecks() {
        List<Check> marked = checks.stream().filter(Check::waitFor).toList();
        if (!marked.isEmpty()) return marked;
        return !checks.isEmpty() && checks.get(0).request().isSafe() ? List.of(checks.get(0)) : List.of();
    }

    /**
     * The soak's targets: those the file names, else every safe check (GET/HEAD/OPTIONS) with weight 1.
     */
    public List<SoakTarget> effectiveSoakTargets() {
        if (!soakTargets.isEmpty()) return soakTargets;
        return checks.stream().filter(c -> c.request().isSafe()).map(c -> new SoakTarget(c.name(), 1)).toList();
    }

    /** Reads a suite; {@code source} names the file (or {@code <inline>}) in error messages. */
    public static CheckSuite parse(String yaml, String source) {
        return new Parser(source).suite(YamlTree.parse(yaml, source));
    }

    private static final class Parser {
        private final String source;

        Parser(String source) {
            this.source = source;
        }

        private CheckFileException error(Node at, String problem) {
            return new CheckFileException(source, at.line(), at.column(), problem);
        }

        private CheckFileException error(Node map, String key, String problem) {
            int[] l = map.keyLocation(key);
            return new CheckFileException(source, l[0], l[1], problem);
        }

        private void onlyKeys(Node map, String where, String... allowed) {
            Set<String> ok = Set.of(allowed);
            for (String k : map.map().keySet()) {
                if (!ok.contains(k)) {
                    throw error(map, k, "unknown key '" + k + "' in " + where + " (expected one of: "
                            + String.join(", ", allowed) + ")");
                }
            }
        }

        private Node mapping(Node n, String what) {
            if (!n.isMap()) throw error(n, what + " must be a mapping, got " + n.kind());
            return n;
        }

        private String string(Node n, String what) {
            if (n.isMap() || n.isList() || n.value() == null) throw error(n, what + " must be a value, got " + n.kind());
            return String.valueOf(n.value());
        }

        private boolean bool(Node n, String what) {
            if (n.value() instanceof Boolean b) return b;
            throw error(n, what + " must be true or false, got " + n.kind() + (n.isScalar() ? " '" + n.value() + "'" : ""));
        }

        CheckSuite suite(Node root) {
            Node checksNode;
            Node soakNode = null;
            if (root.isList()) {
                checksNode = root;
            } else if (root.isMap()) {
                onlyKeys(root, "the checks file", "checks", "soak");
                checksNode = root.map().get("checks");
                soakNode = root.map().get("soak");
                if (checksNode == null) throw error(root, "the checks file needs a 'checks:' list");
            } else {
                throw error(root, "the checks file must be a mapping with 'checks:' (or a list of checks), got " + root.kind());
            }
            if (!checksNode.isList() || checksNode.list().isEmpty()) {
                throw error(checksNode, "'checks' must be a non-empty list of checks, got " + checksNode.kind());
            }
            List<Check> checks = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            for (Node c : checksNode.list()) {
                Check check = check(c, checks.size() + 1);
                if (!names.add(check.name())) {
                    throw error(c, "duplicate check name '" + check.name() + "'");
                }
                checks.add(check);
            }
            List<SoakTarget> targets = soakNode == null ? List.of() : soak(soakNode, checks);
            SoakOptions options = soakNode == null ? SoakOptions.DEFAULT : soakOptions(soakNode, checks, targets);
            return new CheckSuite(source, checks, targets, options);
        }

        Check check(Node n, int position) {
            mapping(n, "check #" + position);
            Map<String, Node> m = n.map();
            Node nameNode = m.get("name");
            String label = nameNode != null && nameNode.isScalar() && nameNode.value() != null
                    ? "check '" + nameNode.value() + "'" : "check #" + position;
            onlyKeys(n, label, "name", "request", "expect", "capture", "wait", "always");
            if (!m.containsKey("name")) throw error(n, "check #" + position + " needs a 'name'");
            String name = string(m.get("name"), "'name'");
            if (!NAME.matcher(name).matches()) {
                throw error(m.get("name"), "check name '" + name + "' may hold only letters, digits, '_', '.' and '-'");
            }
            String where = "check '" + name + "'";
            if (!m.containsKey("request")) throw error(n, where + " needs a 'request'");
            RequestSpec request = request(m.get("request"), where);
            List<Assertion> assertions = m.containsKey("expect") ? expect(m.get("expect"), where) : List.of();
            List<Capture> captures = m.containsKey("capture") ? captures(m.get("capture"), where) : List.of();
            boolean wait = m.containsKey("wait") && bool(m.get("wait"), "'wait' of " + where);
            boolean always = m.containsKey("always") && bool(m.get("always"), "'always' of " + where);
            if (wait && always) throw error(m.get("always"), where + " cannot be both 'wait' and 'always'");
            return new Check(name, n.line(), request, assertions, captures, wait, always);
        }

        RequestSpec request(Node n, String where) {
            where = "the request of " + where;
            mapping(n, where);
            onlyKeys(n, where, "method", "path", "url", "headers", "query", "json", "form", "body", "timeout",
                    "follow-redirects");
            Map<String, Node> m = n.map();
            String method = m.containsKey("method") ? string(m.get("method"), "'method'").toUpperCase(Locale.ROOT) : "GET";
            if (!METHODS.contains(method)) {
                throw error(m.get("method"), "unknown method '" + method + "' in " + where + " (expected one of "
                        + String.join(", ", new java.util.TreeSet<>(METHODS)) + ")");
            }
            if (m.containsKey("path") == m.containsKey("url")) {
                throw error(n, where + " needs exactly one of 'path' (appended to the url input) or 'url' (absolute)");
            }
            String target;
            if (m.containsKey("path")) {
                target = string(m.get("path"), "'path'");
                if (!target.startsWith("/")) throw error(m.get("path"), "'path' must start with '/' (got '" + target + "')");
            } else {
                target = string(m.get("url"), "'url'");
                if (!target.startsWith("http://") && !target.startsWith("https://") && !target.startsWith("{{")) {
                    throw error(m.get("url"), "'url' must be an absolute http:// or https:// URL (got '" + target + "')");
                }
            }
            int bodies = (m.containsKey("json") ? 1 : 0) + (m.containsKey("form") ? 1 : 0) + (m.containsKey("body") ? 1 : 0);
            if (bodies > 1) throw error(n, where + " may have only one of 'json', 'form' and 'body'");
            Duration timeout = null;
            if (m.containsKey("timeout")) {
                String t = string(m.get("timeout"), "'timeout'");
                timeout = Inputs.parseDuration(t);
                if (timeout == null || timeout.isZero()) {
                    throw error(m.get("timeout"), "'timeout' must be a duration such as 500ms or 10s (got '" + t + "')");
                }
            }
            return new RequestSpec(method, target,
                    m.containsKey("headers") ? stringMap(m.get("headers"), "'headers' of " + where) : Map.of(),
                    m.containsKey("query") ? stringMap(m.get("query"), "'query' of " + where) : Map.of(),
                    m.containsKey("json") ? m.get("json").plain() : null,
                    m.containsKey("form") ? stringMap(m.get("form"), "'form' of " + where) : null,
                    m.containsKey("body") ? string(m.get("body"), "'body'") : null,
                    timeout,
                    m.containsKey("follow-redirects") && bool(m.get("follow-redirects"), "'follow-redirects'"));
        }

        Map<String, String> stringMap(Node n, String what) {
            mapping(n, what);
            Map<String, String> out = new LinkedHashMap<>();
            n.map().forEach((k, v) -> out.put(k, string(v, "'" + k + "' in " + what)));
            return out;
        }

        List<Assertion> expect(Node n, String where) {
            where = "'expect' of " + where;
            mapping(n, where);
            onlyKeys(n, where, "status", "headers", "jsonpath", "body", "duration");
            Map<String, Node> m = n.map();
            List<Assertion> out = new ArrayList<>();
            if (m.containsKey("status")) out.add(status(m.get("status")));
            if (m.containsKey("headers")) {
                Node h = mapping(m.get("headers"), "'headers' of " + where);
                h.map().forEach((name, p) -> predicates(p, "header '" + name + "'")
                        .forEach(pr -> out.add(new Assertion.Header(name, pr))));
            }
            if (m.containsKey("jsonpath")) {
                Node j = mapping(m.get("jsonpath"), "'jsonpath' of " + where);
                for (Map.Entry<String, Node> e : j.map().entrySet()) {
                    JsonPath path;
                    try {
                        path = JsonPath.compile(e.getKey());
                    } catch (IllegalArgumentException ex) {
                        throw error(j, e.getKey(), ex.getMessage());
                    }
                    predicates(e.getValue(), "jsonpath '" + e.getKey() + "'").forEach(pr -> out.add(new Assertion.Json(path, pr)));
                }
            }
            if (m.containsKey("body")) predicates(m.get("body"), "'body'").forEach(pr -> out.add(new Assertion.Body(pr)));
            if (m.containsKey("duration")) {
                Node d = m.get("duration");
                String text = string(d, "'duration'");
                Matcher dm = DURATION.matcher(text);
                if (!dm.matches()) {
                    throw error(d, "'duration' must look like \"<500ms\", \"<=2s\" or 800 (milliseconds), got '" + text + "'");
                }
                double v = Double.parseDouble(dm.group(2));
                long ms = Math.round("s".equals(dm.group(3)) ? v * 1000 : v);
                out.add(new Assertion.Duration(ms, "<=".equals(dm.group(1))));
            }
            return out;
        }

        Assertion.Status status(Node n) {
            List<Node> items = n.isList() ? n.list() : List.of(n);
            List<String> allowed = new ArrayList<>();
            for (Node i : items) {
                String s = string(i, "'status'").toLowerCase(Locale.ROOT);
                if (!s.matches("[1-5]\\d\\d|[1-5]xx")) {
                    throw error(i, "'status' must be a code such as 200, a class such as 2xx, or a list of them (got '" + s + "')");
                }
                allowed.add(s);
            }
            if (allowed.isEmpty()) throw error(n, "'status' must not be an empty list");
            return new Assertion.Status(allowed);
        }

        List<Predicate> predicates(Node n, String what) {
            if (n.isList()) throw error(n, what + " must be a value or a mapping of tests, got a list");
            if (!n.isMap()) return List.of(new Predicate(Predicate.Kind.EQUALS, n.value()));
            List<Predicate> out = new ArrayList<>();
            for (Map.Entry<String, Node> e : n.map().entrySet()) {
                Predicate.Kind kind = Predicate.Kind.of(e.getKey()).orElseThrow(() -> error(n, e.getKey(),
                        "unknown test '" + e.getKey() + "' for " + what + " (expected one of: equals, not-equals, contains,"
                                + " matches, starts-with, ends-with, exists, less-than, greater-than)"));
                Node v = e.getValue();
                if (v.isMap() || v.isList()) throw error(v, "'" + e.getKey() + "' of " + what + " takes a single value, got " + v.kind());
                if (kind == Predicate.Kind.EXISTS && !(v.value() instanceof Boolean)) {
                    throw error(v, "'exists' takes true or false");
                }
                if (kind == Predicate.Kind.MATCHES) {
                    try {
                        Pattern.compile(String.valueOf(v.value()));
                    } catch (PatternSyntaxException ex) {
                        throw error(v, "bad regex for " + what + ": " + ex.getDescription());
                    }
                }
                out.add(new Predicate(kind, v.value()));
            }
            if (out.isEmpty()) throw error(n, what + " has no tests");
            return out;
        }

        List<Capture> captures(Node n, String where) {
            where = "'capture' of " + where;
            mapping(n, where);
            List<Capture> out = new ArrayList<>();
            for (Map.Entry<String, Node> e : n.map().entrySet()) {
                String name = e.getKey();
                if (!NAME.matcher(name).matches() || name.contains(".")) {
                    throw error(n, name, "capture name '" + name + "' may hold only letters, digits, '_' and '-'");
                }
                Node spec = e.getValue();
                if (spec.isScalar() && spec.value() instanceof String s && s.startsWith("$")) {
                    out.add(jsonpathCapture(spec, name, s, false));
                    continue;
                }
                mapping(spec, "capture '" + name + "'");
                onlyKeys(spec, "capture '" + name + "'", "jsonpath", "header", "regex", "cookie", "status", "secret");
                Capture.Source source = null;
                String expr = null;
                for (Map.Entry<String, Node> f : spec.map().entrySet()) {
                    if (f.getKey().equals("secret")) continue;
                    if (source != null) throw error(spec, f.getKey(), "capture '" + name + "' takes one source, not both " + source.name().toLowerCase(Locale.ROOT) + " and " + f.getKey());
                    source = Capture.source(f.getKey()).orElseThrow();
                    expr = source == Capture.Source.STATUS ? "" : string(f.getValue(), "'" + f.getKey() + "'");
                }
                if (source == null) throw error(spec, "capture '" + name + "' needs one of jsonpath, header, regex, cookie, status");
                boolean secret = spec.map().containsKey("secret") && bool(spec.map().get("secret"), "'secret'");
                if (source == Capture.Source.JSONPATH) {
                    out.add(jsonpathCapture(spec.map().get("jsonpath"), name, expr, secret));
                } else {
                    if (source == Capture.Source.REGEX) {
                        try {
                            Pattern.compile(expr);
                        } catch (PatternSyntaxException ex) {
                            throw error(spec.map().get("regex"), "bad regex for capture '" + name + "': " + ex.getDescription());
                        }
                    }
                    out.add(new Capture(name, source, expr, secret));
                }
            }
            return out;
        }

        private Capture jsonpathCapture(Node at, String name, String expr, boolean secret) {
            try {
                JsonPath.compile(expr);
            } catch (IllegalArgumentException ex) {
                throw error(at, "capture '" + name + "': " + ex.getMessage());
            }
            return new Capture(name, Capture.Source.JSONPATH, expr, secret);
        }

        List<SoakTarget> soak(Node n, List<Check> checks) {
            mapping(n, "'soak'");
            onlyKeys(n, "'soak'", "targets", "weights", "errors", "writes");
            boolean writes = n.map().containsKey("writes");
            Node t = n.map().get("targets");
            if (t == null || !t.isList() || t.list().isEmpty()) {
                throw error(t == null ? n : t, "'soak' needs 'targets': a non-empty list of check names");
            }
            Node w = n.map().get("weights");
            if (w != null && (!w.isList() || w.list().size() != t.list().size())) {
                throw error(w, "'weights' must be a list with one whole number per target (" + t.list().size() + ")");
            }
            List<SoakTarget> out = new ArrayList<>();
            for (int i = 0; i < t.list().size(); i++) {
                Node tn = t.list().get(i);
                String name = string(tn, "a soak target");
                Check c = checks.stream().filter(x -> x.name().equals(name)).findFirst()
                        .orElseThrow(() -> error(tn, "soak target '" + name + "' is not a check in this file"));
                if (!c.request().isSafe() && !writes) {
                    throw error(tn, "soak target '" + name + "' is a " + c.request().method()
                            + "; the soak repeats a write only when 'writes:' allows it (with 'max:' and 'cleanup:')");
                }
                int weight = 1;
                if (w != null) {
                    Node wn = w.list().get(i);
                    if (!(wn.value() instanceof Integer || wn.value() instanceof Long) || ((Number) wn.value()).longValue() < 1
                            || ((Number) wn.value()).longValue() > 1000) {
                        throw error(wn, "a soak weight must be a whole number from 1 to 1000 (got " + wn.value() + ")");
                    }
                    weight = ((Number) wn.value()).intValue();
                }
                out.add(new SoakTarget(name, weight));
            }
            return out;
        }

        /** The soak section's {@code errors:} and {@code writes:} (for the smoke-test soak). */
        SoakOptions soakOptions(Node n, List<Check> checks, List<SoakTarget> targets) {
            Map<String, Node> m = n.map();
            Assertion.Status errors = m.containsKey("errors") ? status(m.get("errors")) : null;
            boolean anyWrite = targets.stream().anyMatch(t -> !checkNamed(checks, t.check()).request().isSafe());
            Node w = m.get("writes");
            if (w == null) return new SoakOptions(errors, 0, null);
            mapping(w, "'writes' of 'soak'");
            onlyKeys(w, "'writes' of 'soak'", "max", "cleanup");
            if (!anyWrite) throw error(w, "'writes' is set, but no soak target writes (name the POST, PUT, PATCH or DELETE checks under 'targets')");
            Node max = w.map().get("max");
            if (max == null) throw error(w, "'writes' needs 'max': the most write requests the soak may send (1 to " + SoakOptions.MAX_WRITES + ")");
            if (!(max.value() instanceof Integer || max.value() instanceof Long) || ((Number) max.value()).longValue() < 1
                    || ((Number) max.value()).longValue() > SoakOptions.MAX_WRITES) {
                throw error(max, "'max' of 'writes' must be a whole number from 1 to " + SoakOptions.MAX_WRITES + " (got " + max.value() + ")");
            }
            Node cleanup = w.map().get("cleanup");
            if (cleanup == null) {
                throw error(w, "'writes' needs 'cleanup': the check that undoes one write (it gets that write's captures),"
                        + " or 'none' when the writes leave nothing behind");
            }
            String name = string(cleanup, "'cleanup'");
            if (name.equals("none")) return new SoakOptions(errors, ((Number) max.value()).intValue(), null);
            Check c = checks.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> error(cleanup, "'cleanup' names '" + name + "', which is not a check in this file (or write 'none')"));
            if (targets.stream().anyMatch(t -> t.check().equals(c.name()))) {
                throw error(cleanup, "'cleanup' check '" + name + "' is also a soak target");
            }
            return new SoakOptions(errors, ((Number) max.value()).intValue(), name);
        }

        private static Check checkNamed(List<Check> checks, String name) {
            return checks.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        }
    }
}
