package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.checks.YamlTree.Node;
import dev.gantry.common.action.Inputs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads checks YAML into a {@link CheckSuite}. The language is Hurl's in YAML clothes: the same queries, filters
 * and predicates (see the smoke-test README for the table), and {@code asserts:} lines in Hurl's own syntax.
 * Scalars stay what the user wrote: where a string is expected the text is taken as written ({@code no},
 * {@code 0123} and {@code 1.10} stay text); where a typed value is expected an ambiguous unquoted scalar is refused
 * with its line.
 */
final class YamlChecks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern DURATION = Pattern.compile("\\s*(<=|<)?\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s)?\\s*");
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    private static final List<String> BODIES = List.of("json", "form", "body", "multipart", "file", "base64");
    /** Capture sources written as keys, and the Hurl query each is. */
    private static final List<String> SOURCES = List.of("jsonpath", "header", "regex", "cookie", "status", "body",
            "bytes", "url", "duration", "certificate", "version", "variable", "sha256", "md5", "redirects");

    private final String source;
    private final FileResolver files;

    YamlChecks(String source, FileResolver files) {
        this.source = source;
        this.files = files;
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

    /** A scalar as the text written in the file (a string is expected here, whatever YAML would make of it). */
    private String string(Node n, String what) {
        if (!n.isScalar() || (n.value() == null && n.text().isEmpty())) throw error(n, what + " must be a value, got " + n.kind());
        return n.text();
    }

    private boolean bool(Node n, String what) {
        if (n.value() instanceof Boolean b && n.text().equalsIgnoreCase(b.toString())) return b;
        throw error(n, what + " must be true or false, got " + n.kind() + (n.isScalar() ? " '" + n.text() + "'" : ""));
    }

    private int integer(Node n, String what, int min, int max) {
        if (n.isScalar() && n.text().matches("-?\\d{1,9}")) {
            int v = Integer.parseInt(n.text());
            if (v >= min && v <= max) return v;
        }
        throw error(n, what + " must be a whole number from " + min + " to " + max + " (got " + (n.isScalar() ? n.text() : n.kind()) + ")");
    }

    private Duration duration(Node n, String what) {
        String t = string(n, what);
        Duration d = t.matches("\\d+") ? Duration.ofMillis(Long.parseLong(t)) : Inputs.parseDuration(t);
        if (d == null) throw error(n, what + " must be a duration such as 500ms, 10s or 2m (got '" + t + "')");
        return d;
    }

    private Path file(Node n, String what) {
        String name = string(n, what);
        if (name.contains("{{")) throw error(n, what + " cannot hold a {{template}}");
        try {
            return files.resolve(name);
        } catch (IllegalArgumentException e) {
            throw error(n, e.getMessage());
        }
    }

    // ---- the suite

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
        Map<String, Node> nodes = new java.util.HashMap<>();
        for (Node c : checksNode.list()) {
            Check check = check(c, checks.size() + 1);
            if (!names.add(check.name())) throw error(c, "duplicate check name '" + check.name() + "'");
            checks.add(check);
            nodes.put(check.name(), c);
        }
        List<CheckSuite.SoakTarget> targets = soakNode == null ? List.of() : soak(soakNode, checks);
        CheckSuite.SoakOptions options = soakNode == null ? CheckSuite.SoakOptions.DEFAULT : soakOptions(soakNode, checks, targets);
        return CheckSuite.validated(new CheckSuite(source, checks, targets, CheckSuite.Language.YAML, options),
                (c, problem) -> error(nodes.get(c.name()), problem));
    }

    Check check(Node n, int position) {
        mapping(n, "check #" + position);
        Map<String, Node> m = n.map();
        Node nameNode = m.get("name");
        String label = nameNode != null && nameNode.isScalar() ? "check '" + nameNode.text() + "'" : "check #" + position;
        onlyKeys(n, label, "name", "request", "expect", "capture", "wait", "always", "retry", "retry-interval", "delay",
                "repeat", "skip");
        if (!m.containsKey("name")) throw error(n, "check #" + position + " needs a 'name'");
        String name = string(m.get("name"), "'name'");
        if (!NAME.matcher(name).matches()) {
            throw error(m.get("name"), "check name '" + name + "' may hold only letters, digits, '_', '.' and '-'");
        }
        String where = "check '" + name + "'";
        if (!m.containsKey("request")) throw error(n, where + " needs a 'request'");
        Set<String> refs = new LinkedHashSet<>();
        references(n, refs);
        Node reqNode = mapping(m.get("request"), "the request of " + where);
        RequestSpec request = request(reqNode, where);
        List<Assertion> assertions = m.containsKey("expect") ? expect(m.get("expect"), where) : List.of();
        List<Capture> captures = m.containsKey("capture") ? captures(m.get("capture"), where) : List.of();
        boolean wait = m.containsKey("wait") && bool(m.get("wait"), "'wait' of " + where);
        boolean always = m.containsKey("always") && bool(m.get("always"), "'always' of " + where);
        if (wait && always) throw error(m.get("always"), where + " cannot be both 'wait' and 'always'");
        CheckOptions options = options(reqNode, m, where);
        return new Check(name, n.line(), request, assertions, captures, wait, always, options, true, refs);
    }

    /** Every {@code {{name}}} in the check's text. */
    private static void references(Node n, Set<String> out) {
        if (n.isMap()) {
            n.map().forEach((k, v) -> {
                out.addAll(Scope.references(k));
                references(v, out);
            });
        } else if (n.isList()) {
            n.list().forEach(v -> references(v, out));
        } else if (n.text() != null) {
            out.addAll(Scope.references(n.text()));
        }
    }

    // ---- the request

    RequestSpec request(Node n, String where) {
        where = "the request of " + where;
        onlyKeys(n, where, "method", "path", "url", "headers", "query", "json", "form", "body", "multipart", "file",
                "base64", "basic-auth", "cookies", "timeout", "follow-redirects", "max-redirects", "http-version", "tls",
                "compressed");
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
        long bodies = BODIES.stream().filter(m::containsKey).count();
        if (bodies > 1) throw error(n, where + " may have only one of " + String.join(", ", BODIES));
        List<RequestSpec.NameValue> headers = m.containsKey("headers") ? pairs(m.get("headers"), "'headers' of " + where) : List.of();
        for (RequestSpec.NameValue h : headers) {
            if (Exchange.RESTRICTED.contains(h.name().toLowerCase(Locale.ROOT))) {
                throw error(m.get("headers"), h.name(), "header '" + h.name() + "' cannot be set: the HTTP client sets it"
                        + " from the URL and the body (Gantry refuses it rather than send something else)");
            }
        }
        RequestSpec.NameValue basic = m.containsKey("basic-auth") ? basicAuth(m.get("basic-auth")) : null;
        return new RequestSpec(method, target, headers,
                m.containsKey("query") ? pairs(m.get("query"), "'query' of " + where) : List.of(),
                body(m, where), basic,
                m.containsKey("cookies") ? pairs(m.get("cookies"), "'cookies' of " + where) : List.of());
    }

    private RequestSpec.Body body(Map<String, Node> m, String where) {
        if (m.containsKey("json")) return new RequestSpec.Json(m.get("json").plain(source));
        if (m.containsKey("form")) return new RequestSpec.Form(pairs(m.get("form"), "'form' of " + where));
        if (m.containsKey("body")) return new RequestSpec.Text(string(m.get("body"), "'body'"), null);
        if (m.containsKey("file")) {
            Node f = m.get("file");
            return new RequestSpec.FileBody(file(f, "'file'"), f.text());
        }
        if (m.containsKey("base64")) {
            try {
                return new RequestSpec.Bytes(Base64.getMimeDecoder().decode(string(m.get("base64"), "'base64'")));
            } catch (IllegalArgumentException e) {
                throw error(m.get("base64"), "'base64' is not Base64: " + e.getMessage());
            }
        }
        if (m.containsKey("multipart")) return multipart(m.get("multipart"), where);
        return null;
    }

    private RequestSpec.Multipart multipart(Node n, String where) {
        mapping(n, "'multipart' of " + where);
        List<RequestSpec.Part> parts = new ArrayList<>();
        n.map().forEach((name, v) -> {
            if (v.isMap()) {
                onlyKeys(v, "multipart part '" + name + "'", "file", "content-type", "filename");
                Node f = v.map().get("file");
                if (f == null) throw error(v, "multipart part '" + name + "' needs 'file' (or give a plain value)");
                Path p = file(f, "'file'");
                String filename = v.map().containsKey("filename") ? string(v.map().get("filename"), "'filename'")
                        : Path.of(f.text()).getFileName().toString();
                String type = v.map().containsKey("content-type") ? string(v.map().get("content-type"), "'content-type'") : null;
                parts.add(new RequestSpec.FilePart(name, p, filename, type));
            } else {
                parts.add(new RequestSpec.Field(name, string(v, "'" + name + "' in 'multipart'")));
            }
        });
        return new RequestSpec.Multipart(parts);
    }

    private RequestSpec.NameValue basicAuth(Node n) {
        if (n.isScalar()) {
            String s = string(n, "'basic-auth'");
            int colon = s.indexOf(':');
            if (colon < 0) throw error(n, "'basic-auth' is 'user:password' or { user: ..., password: ... }");
            return new RequestSpec.NameValue(s.substring(0, colon), s.substring(colon + 1));
        }
        mapping(n, "'basic-auth'");
        onlyKeys(n, "'basic-auth'", "user", "password");
        if (!n.map().containsKey("user")) throw error(n, "'basic-auth' needs 'user'");
        return new RequestSpec.NameValue(string(n.map().get("user"), "'user'"),
                n.map().containsKey("password") ? string(n.map().get("password"), "'password'") : "");
    }

    /** A mapping of text values; a list value repeats the name. */
    private List<RequestSpec.NameValue> pairs(Node n, String what) {
        mapping(n, what);
        List<RequestSpec.NameValue> out = new ArrayList<>();
        n.map().forEach((k, v) -> {
            if (v.isList()) {
                for (Node item : v.list()) out.add(new RequestSpec.NameValue(k, string(item, "'" + k + "' in " + what)));
            } else {
                out.add(new RequestSpec.NameValue(k, string(v, "'" + k + "' in " + what)));
            }
        });
        return out;
    }

    private CheckOptions options(Node req, Map<String, Node> check, String where) {
        Map<String, Node> m = req.map();
        CheckOptions d = CheckOptions.DEFAULT;
        Duration timeout = null;
        if (m.containsKey("timeout")) {
            timeout = duration(m.get("timeout"), "'timeout'");
            if (timeout.isZero()) throw error(m.get("timeout"), "'timeout' must be longer than 0");
        }
        CheckOptions.Redirects redirects = CheckOptions.Redirects.NONE;
        if (m.containsKey("follow-redirects")) {
            Node f = m.get("follow-redirects");
            if (f.isScalar() && f.text().equals("trusted")) redirects = CheckOptions.Redirects.TRUSTED;
            else redirects = bool(f, "'follow-redirects' (true, false or trusted)") ? CheckOptions.Redirects.FOLLOW : CheckOptions.Redirects.NONE;
        }
        int maxRedirects = m.containsKey("max-redirects") ? integer(m.get("max-redirects"), "'max-redirects'", 0, 50) : d.maxRedirects();
        CheckOptions.HttpVersion version = CheckOptions.HttpVersion.AUTO;
        if (m.containsKey("http-version")) {
            version = switch (string(m.get("http-version"), "'http-version'")) {
                case "1.1" -> CheckOptions.HttpVersion.HTTP_1_1;
                case "2" -> CheckOptions.HttpVersion.HTTP_2;
                case "auto" -> CheckOptions.HttpVersion.AUTO;
                default -> throw error(m.get("http-version"), "'http-version' is \"1.1\", \"2\" or auto (HTTP/2 over TLS"
                        + " when offered, HTTP/1.1 on plain http)");
            };
        }
        CheckOptions.Tls tls = m.containsKey("tls") ? tls(m.get("tls")) : CheckOptions.Tls.DEFAULT;
        boolean compressed = m.containsKey("compressed") && bool(m.get("compressed"), "'compressed'");
        int retry = check.containsKey("retry") ? integer(check.get("retry"), "'retry' of " + where, -1, 1000) : 0;
        Duration retryInterval = check.containsKey("retry-interval") ? duration(check.get("retry-interval"), "'retry-interval'") : d.retryInterval();
        Duration delay = check.containsKey("delay") ? duration(check.get("delay"), "'delay'") : Duration.ZERO;
        int repeat = check.containsKey("repeat") ? integer(check.get("repeat"), "'repeat' of " + where, 1, 1000) : 1;
        boolean skip = check.containsKey("skip") && bool(check.get("skip"), "'skip' of " + where);
        return new CheckOptions(timeout, redirects, maxRedirects, version, tls, retry, retryInterval, delay, repeat, skip,
                compressed);
    }

    private CheckOptions.Tls tls(Node n) {
        mapping(n, "'tls'");
        onlyKeys(n, "'tls'", "ca", "cert", "key", "insecure");
        Map<String, Node> m = n.map();
        Path ca = m.containsKey("ca") ? file(m.get("ca"), "'ca'") : null;
        Path cert = m.containsKey("cert") ? file(m.get("cert"), "'cert'") : null;
        Path key = m.containsKey("key") ? file(m.get("key"), "'key'") : cert;
        if (m.containsKey("key") && cert == null) throw error(m.get("key"), "'key' goes with 'cert'");
        boolean insecure = m.containsKey("insecure") && bool(m.get("insecure"), "'insecure'");
        return new CheckOptions.Tls(ca, cert, key, insecure);
    }

    // ---- expectations

    List<Assertion> expect(Node n, String where) {
        where = "'expect' of " + where;
        mapping(n, where);
        onlyKeys(n, where, "status", "version", "headers", "jsonpath", "body", "duration", "url", "cookies",
                "certificate", "asserts");
        List<Assertion> out = new ArrayList<>();
        for (Map.Entry<String, Node> e : n.map().entrySet()) {
            Node v = e.getValue();
            switch (e.getKey()) {
                case "status" -> {
                    if (v.isMap()) out.addAll(tests(v, new Query.Status(), false, "'status'"));
                    else out.add(status(v));
                }
                case "version" -> out.addAll(tests(v, new Query.Version(), true, "'version'"));
                case "headers" -> mapping(v, "'headers' of " + where).map().forEach((name, p) ->
                        out.addAll(tests(p, new Query.Header(name), true, "header '" + name + "'")));
                case "jsonpath" -> {
                    mapping(v, "'jsonpath' of " + where);
                    for (Map.Entry<String, Node> j : v.map().entrySet()) {
                        Query q;
                        try {
                            q = Query.Json.of(j.getKey());
                        } catch (IllegalArgumentException ex) {
                            throw error(v, j.getKey(), ex.getMessage());
                        }
                        out.addAll(tests(j.getValue(), q, false, "jsonpath '" + j.getKey() + "'"));
                    }
                }
                case "body" -> out.addAll(tests(v, new Query.Body(), true, "'body'"));
                case "url" -> out.addAll(tests(v, new Query.Url(), true, "'url'"));
                case "duration" -> out.addAll(duration(v));
                case "cookies" -> mapping(v, "'cookies' of " + where).map().forEach((name, p) ->
                        out.addAll(tests(p, new Query.Cookie(name), !name.toLowerCase(Locale.ROOT).contains("[max-age]"),
                                "cookie '" + name + "'")));
                case "certificate" -> mapping(v, "'certificate' of " + where).map().forEach((attr, p) -> {
                    if (!Query.Certificate.ATTRIBUTES.contains(attr)) {
                        throw error(v, attr, "unknown certificate attribute '" + attr + "' (expected one of "
                                + String.join(", ", Query.Certificate.ATTRIBUTES) + ")");
                    }
                    out.addAll(tests(p, new Query.Certificate(attr), !attr.endsWith("-Date"), "certificate '" + attr + "'"));
                });
                case "asserts" -> {
                    if (!v.isList()) throw error(v, "'asserts' must be a list of assert lines in Hurl's syntax");
                    for (Node a : v.list()) {
                        String line = string(a, "an assert");
                        out.add(new HurlLine(line, source, a.line(), a.column(), files).assertion());
                    }
                }
                default -> throw new IllegalStateException(e.getKey());
            }
        }
        return out;
    }

    private Assertion.Status status(Node n) {
        List<Node> items = n.isList() ? n.list() : List.of(n);
        List<String> allowed = new ArrayList<>();
        for (Node i : items) {
            String s = string(i, "'status'").toLowerCase(Locale.ROOT);
            if (!s.matches("[1-5]\\d\\d|[1-5]xx|\\*")) {
                throw error(i, "'status' must be a code such as 200, a class such as 2xx, a list of them, or tests"
                        + " such as { \"<\": 500 } (got '" + s + "')");
            }
            allowed.add(s);
        }
        if (allowed.isEmpty()) throw error(n, "'status' must not be an empty list");
        return new Assertion.Status(allowed);
    }

    /** {@code duration: "<500ms"} (or {@code <=}, {@code s}, a bare number of ms), or tests on the milliseconds. */
    private List<Assertion> duration(Node d) {
        if (d.isMap()) return tests(d, new Query.Duration(), false, "'duration'");
        String text = string(d, "'duration'");
        Matcher dm = DURATION.matcher(text);
        if (!dm.matches()) {
            throw error(d, "'duration' must look like \"<500ms\", \"<=2s\" or 800 (milliseconds), or be tests such as"
                    + " { \"<\": 500 }, got '" + text + "'");
        }
        double v = Double.parseDouble(dm.group(2));
        long ms = Math.round("s".equals(dm.group(3)) ? v * 1000 : v);
        return List.of(new Assertion.Test(new Query.Duration(), List.of(),
                Predicate.of("<=".equals(dm.group(1)) ? Predicate.Kind.LESS_OR_EQUAL : Predicate.Kind.LESS, Values.NODES.numberNode(ms))));
    }

    /**
     * The tests on one query: a value (equality), or a mapping of predicates with optional {@code filters} and a
     * nested {@code not}. {@code textual}: the query gives text, so expected values without filters are taken as
     * written (a header {@code 0123} stays "0123").
     */
    List<Assertion> tests(Node n, Query q, boolean textual, String what) {
        List<Assertion> out = new ArrayList<>();
        if (n.isList()) throw error(n, what + " must be a value or a mapping of tests, got a list");
        if (!n.isMap()) {
            out.add(new Assertion.Test(q, List.of(), new Predicate(Predicate.Kind.EQUALS, false, operand(n, textual))));
            return out;
        }
        List<Filter> filters = List.of();
        Node f = n.map().containsKey("filters") ? n.map().get("filters") : n.map().get("filter");
        if (f != null) filters = filters(f);
        boolean text = textual && filters.isEmpty();
        predicates(n, q, filters, text, false, what, out);
        if (out.isEmpty()) throw error(n, what + " has no tests");
        return out;
    }

    private void predicates(Node n, Query q, List<Filter> filters, boolean textual, boolean negated, String what,
                            List<Assertion> out) {
        for (Map.Entry<String, Node> e : n.map().entrySet()) {
            String key = e.getKey();
            Node v = e.getValue();
            if (key.equals("filters") || key.equals("filter")) continue;
            if (key.equals("not")) {
                mapping(v, "'not' of " + what);
                predicates(v, q, filters, textual, !negated, what, out);
                continue;
            }
            Predicate.Kind kind = kind(key);
            if (kind == null) {
                throw error(n, key, "unknown test '" + key + "' for " + what + " (expected ==, !=, <, <=, >, >=,"
                        + " contains, matches, starts-with, ends-with, exists, is-empty, is: <type>, not, filters; or"
                        + " Hurl's names such as startsWith, isInteger)");
            }
            if (kind == Predicate.Kind.IS_STRING && key.equals("is")) {
                for (Node t : v.isList() ? v.list() : List.of(v)) {
                    Predicate.Kind k = typeTest(t);
                    out.add(new Assertion.Test(q, filters, new Predicate(k, negated, null)));
                }
                continue;
            }
            if (!kind.takesValue()) {
                boolean want = bool(v, "'" + key + "' of " + what);
                out.add(new Assertion.Test(q, filters, new Predicate(kind, negated == want, null)));
                continue;
            }
            if ((v.isMap() || v.isList()) && kind != Predicate.Kind.EQUALS && kind != Predicate.Kind.NOT_EQUALS
                    && kind != Predicate.Kind.CONTAINS) {
                throw error(v, "'" + key + "' of " + what + " takes a single value, got " + v.kind());
            }
            boolean asText = textual || kind == Predicate.Kind.STARTS_WITH || kind == Predicate.Kind.ENDS_WITH;
            Predicate.Operand operand = kind == Predicate.Kind.MATCHES ? regexOperand(v) : operand(v, asText);
            out.add(new Assertion.Test(q, filters, new Predicate(kind, negated, operand)));
        }
    }

    /** The YAML spelling of a predicate (kebab or Hurl's camel case), or null. {@code is} maps to IS_STRING here. */
    private static Predicate.Kind kind(String key) {
        return switch (key) {
            case "equals", "==", "eq" -> Predicate.Kind.EQUALS;
            case "not-equals", "!=", "ne" -> Predicate.Kind.NOT_EQUALS;
            case "less-than", "<", "lt" -> Predicate.Kind.LESS;
            case "less-or-equal", "<=", "le" -> Predicate.Kind.LESS_OR_EQUAL;
            case "greater-than", ">", "gt" -> Predicate.Kind.GREATER;
            case "greater-or-equal", ">=", "ge" -> Predicate.Kind.GREATER_OR_EQUAL;
            case "contains", "includes" -> Predicate.Kind.CONTAINS;
            case "matches" -> Predicate.Kind.MATCHES;
            case "starts-with", "startsWith" -> Predicate.Kind.STARTS_WITH;
            case "ends-with", "endsWith" -> Predicate.Kind.ENDS_WITH;
            case "exists" -> Predicate.Kind.EXISTS;
            case "is-empty", "isEmpty" -> Predicate.Kind.IS_EMPTY;
            case "is" -> Predicate.Kind.IS_STRING;
            default -> {
                Predicate.Kind k = Predicate.Kind.ofHurl(key);
                if (k == null && key.startsWith("is-")) k = Predicate.Kind.ofHurl("is" + camel(key.substring(3)));
                yield k;
            }
        };
    }

    private Predicate.Kind typeTest(Node t) {
        String s = string(t, "'is'");
        Predicate.Kind k = Predicate.Kind.ofHurl("is" + camel(s));
        if (k == null || k.takesValue() || k == Predicate.Kind.IS_EMPTY) {
            throw error(t, "'is' takes a type: integer, float, number, boolean, string, collection, list, object, date,"
                    + " iso-date, uuid, ipv4 or ipv6 (got '" + s + "')");
        }
        return k;
    }

    private static String camel(String kebab) {
        StringBuilder b = new StringBuilder();
        boolean up = true;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                up = true;
                continue;
            }
            b.append(up ? Character.toUpperCase(c) : c);
            up = false;
        }
        return b.toString();
    }

    /**
     * An expected value: text as written when {@code textual}; else typed (with ambiguous scalars refused). A
     * string that is exactly one {@code {{name}}} takes the named value's type.
     */
    private Predicate.Operand operand(Node v, boolean textual) {
        if (!v.isScalar()) {
            // a mapping or a list: the JSON value it spells (compared with ==, !=, contains)
            return new Predicate.Literal(dev.gantry.common.http.HttpApi.JSON.valueToTree(v.plain(source)));
        }
        String text = v.text();
        if (text != null && text.contains("{{")) return new Predicate.Template(text, !textual && Scope.isSingleTemplate(text));
        if (textual) return new Predicate.Literal(Values.text(text == null ? "" : text));
        Object typed = v.typed(source);
        JsonNode node;
        if (typed == null) node = Values.NODES.nullNode();
        else if (typed instanceof String s) node = Values.text(s);
        else if (typed instanceof Boolean b) node = Values.NODES.booleanNode(b);
        else if (typed instanceof Double || typed instanceof Float || typed instanceof java.math.BigDecimal) {
            node = Values.NODES.numberNode(((Number) typed).doubleValue());
        } else node = Values.NODES.numberNode(new java.math.BigInteger(typed.toString()));
        return new Predicate.Literal(node);
    }

    private Predicate.Operand regexOperand(Node v) {
        String s = string(v, "'matches'");
        if (s.contains("{{")) return new Predicate.Template(s, false);
        try {
            return new Predicate.RegexOperand(Regex.compile(s));
        } catch (IllegalArgumentException e) {
            throw error(v, e.getMessage());
        }
    }

    /** {@code [count, {nth: 0}, {split: ","}, {replace: [a, b]}, toInt]}. */
    private List<Filter> filters(Node n) {
        List<Node> items = n.isList() ? n.list() : List.of(n);
        List<Filter> out = new ArrayList<>();
        for (Node item : items) {
            String name;
            List<Node> args;
            if (item.isScalar()) {
                name = string(item, "a filter");
                args = List.of();
            } else if (item.isMap() && item.map().size() == 1) {
                Map.Entry<String, Node> e = item.map().entrySet().iterator().next();
                name = e.getKey();
                args = e.getValue().isList() ? e.getValue().list() : List.of(e.getValue());
            } else {
                throw error(item, "a filter is a name (count) or a one-key mapping ({ nth: 0 }, { replace: [a, b] })");
            }
            int arity = Filter.arity(name);
            if (arity < 0) {
                throw error(item, name.equals("xpath") ? "the xpath filter is not supported (Gantry reads JSON and text)"
                        : "unknown filter '" + name + "' (expected one of " + String.join(", ", Filter.NAMES) + ")");
            }
            if (args.size() != arity) throw error(item, "filter '" + name + "' takes " + arity + " argument(s), got " + args.size());
            out.add(filter(name, args, item));
        }
        return out;
    }

    private Filter filter(String name, List<Node> args, Node at) {
        if (args.isEmpty()) return Filter.simple(name);
        String a = string(args.get(0), "the argument of " + name);
        try {
            return switch (name) {
                case "nth" -> new Filter.Nth(integer(args.get(0), "nth", Integer.MIN_VALUE + 1, Integer.MAX_VALUE), "nth");
                case "split" -> new Filter.Split(a);
                case "replace" -> new Filter.Replace(a, string(args.get(1), "the replacement"));
                case "replaceRegex" -> new Filter.ReplaceRegex(Regex.compile(a), string(args.get(1), "the replacement"));
                case "regex" -> new Filter.RegexFilter(Regex.compile(a));
                case "toDate" -> {
                    Strftime.check(a);
                    yield new Filter.ToDate(a);
                }
                case "dateFormat", "format" -> {
                    Strftime.check(a);
                    yield new Filter.DateFormat(a);
                }
                case "urlQueryParam" -> new Filter.UrlQueryParam(a);
                case "decode" -> new Filter.Decode(a);
                case "jsonpath" -> new Filter.JsonPathFilter(JsonPath.compile(a));
                default -> throw new IllegalArgumentException("unknown filter " + name);
            };
        } catch (IllegalArgumentException e) {
            throw error(at, e.getMessage());
        }
    }

    // ---- captures

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
            if (spec.isScalar()) {
                String s = string(spec, "capture '" + name + "'");
                if (s.startsWith("$")) {
                    out.add(new Capture(name, jsonpath(spec, s), List.of(), false));
                } else {
                    out.add(new HurlLine(s, source, spec.line(), spec.column(), files).capture(name, false));
                }
                continue;
            }
            mapping(spec, "capture '" + name + "'");
            List<String> allowed = new ArrayList<>(SOURCES);
            allowed.addAll(List.of("secret", "filters", "filter"));
            onlyKeys(spec, "capture '" + name + "'", allowed.toArray(String[]::new));
            Query q = null;
            for (Map.Entry<String, Node> f : spec.map().entrySet()) {
                if (!SOURCES.contains(f.getKey())) continue;
                if (q != null) throw error(spec, f.getKey(), "capture '" + name + "' takes one source, not two");
                q = source(f.getKey(), f.getValue());
            }
            if (q == null) throw error(spec, "capture '" + name + "' needs one of " + String.join(", ", SOURCES));
            Node fl = spec.map().containsKey("filters") ? spec.map().get("filters") : spec.map().get("filter");
            boolean secret = spec.map().containsKey("secret") && bool(spec.map().get("secret"), "'secret'");
            out.add(new Capture(name, q, fl == null ? List.of() : filters(fl), secret));
        }
        return out;
    }

    private Query source(String key, Node v) {
        return switch (key) {
            case "jsonpath" -> jsonpath(v, string(v, "'jsonpath'"));
            case "header" -> new Query.Header(string(v, "'header'"));
            case "cookie" -> new Query.Cookie(string(v, "'cookie'"));
            case "variable" -> new Query.Variable(string(v, "'variable'"));
            case "regex" -> {
                try {
                    yield new Query.RegexQ(Regex.compile(string(v, "'regex'")));
                } catch (IllegalArgumentException e) {
                    throw error(v, e.getMessage());
                }
            }
            case "certificate" -> {
                String attr = string(v, "'certificate'");
                if (!Query.Certificate.ATTRIBUTES.contains(attr)) {
                    throw error(v, "unknown certificate attribute '" + attr + "' (expected one of "
                            + String.join(", ", Query.Certificate.ATTRIBUTES) + ")");
                }
                yield new Query.Certificate(attr);
            }
            default -> {
                // sources without an argument: status: true, body: true, ...
                if (!(v.isScalar() && (v.value() == null || Boolean.TRUE.equals(v.value()) || v.text().isEmpty()))) {
                    throw error(v, "'" + key + "' takes no argument (write " + key + ": true)");
                }
                yield switch (key) {
                    case "status" -> new Query.Status();
                    case "body" -> new Query.Body();
                    case "bytes" -> new Query.Bytes(false);
                    case "url" -> new Query.Url();
                    case "duration" -> new Query.Duration();
                    case "version" -> new Query.Version();
                    case "sha256", "md5" -> new Query.Digest(key);
                    case "redirects" -> new Query.Redirects();
                    default -> throw new IllegalStateException(key);
                };
            }
        };
    }

    private Query jsonpath(Node at, String expr) {
        try {
            return Query.Json.of(expr);
        } catch (IllegalArgumentException ex) {
            throw error(at, ex.getMessage());
        }
    }

    // ---- soak

    List<CheckSuite.SoakTarget> soak(Node n, List<Check> checks) {
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
        List<CheckSuite.SoakTarget> out = new ArrayList<>();
        for (int i = 0; i < t.list().size(); i++) {
            Node tn = t.list().get(i);
            String name = string(tn, "a soak target");
            Check c = checks.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> error(tn, "soak target '" + name + "' is not a check in this file"));
            if (!c.request().isSafe() && !writes) {
                throw error(tn, "soak target '" + name + "' is a " + c.request().method()
                        + "; the soak repeats a write only when 'writes:' allows it (with 'max:' and 'cleanup:')");
            }
            int weight = w == null ? 1 : integer(w.list().get(i), "a soak weight", 1, 1000);
            out.add(new CheckSuite.SoakTarget(name, weight));
        }
        return out;
    }

    /** The soak section's {@code errors:} and {@code writes: {max, cleanup}} (for the smoke-test soak). */
    CheckSuite.SoakOptions soakOptions(Node n, List<Check> checks, List<CheckSuite.SoakTarget> targets) {
        Map<String, Node> m = n.map();
        Assertion.Status errors = m.containsKey("errors") ? soakErrors(m.get("errors")) : null;
        Node w = m.get("writes");
        if (w == null) return new CheckSuite.SoakOptions(errors, 0, null);
        mapping(w, "'writes' of 'soak'");
        onlyKeys(w, "'writes' of 'soak'", "max", "cleanup");
        boolean anyWrite = targets.stream().anyMatch(t -> !checkNamed(checks, t.check()).request().isSafe());
        if (!anyWrite) {
            throw error(w, "'writes' is set, but no soak target writes (name the POST, PUT, PATCH or DELETE checks under 'targets')");
        }
        Node max = w.map().get("max");
        if (max == null) {
            throw error(w, "'writes' needs 'max': the most write requests the soak may send (1 to "
                    + CheckSuite.SoakOptions.MAX_WRITES + ")");
        }
        int maxWrites = integer(max, "'max' of 'writes'", 1, CheckSuite.SoakOptions.MAX_WRITES);
        Node cleanup = w.map().get("cleanup");
        if (cleanup == null) {
            throw error(w, "'writes' needs 'cleanup': the check that undoes one write (it gets that write's captures),"
                    + " or 'none' when the writes leave nothing behind");
        }
        String name = string(cleanup, "'cleanup'");
        if (name.equals("none")) return new CheckSuite.SoakOptions(errors, maxWrites, null);
        Check c = checks.stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> error(cleanup, "'cleanup' names '" + name + "', which is not a check in this file (or write 'none')"));
        if (targets.stream().anyMatch(t -> t.check().equals(c.name()))) {
            throw error(cleanup, "'cleanup' check '" + name + "' is also a soak target");
        }
        return new CheckSuite.SoakOptions(errors, maxWrites, name);
    }

    private Assertion.Status soakErrors(Node n) {
        List<Node> items = n.isList() ? n.list() : List.of(n);
        List<String> codes = new ArrayList<>();
        for (Node i : items) {
            String code = string(i, "'errors' of 'soak'");
            try {
                CheckSuite.soakErrors(List.of(code));
            } catch (IllegalArgumentException e) {
                throw error(i, "'errors' of 'soak' must be a code such as 200, a class such as 2xx, or a list of them"
                        + " (got '" + code + "')");
            }
            codes.add(code);
        }
        if (codes.isEmpty()) throw error(n, "'errors' of 'soak' must not be an empty list");
        return CheckSuite.soakErrors(codes);
    }

    private static Check checkNamed(List<Check> checks, String name) {
        return checks.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
    }
}
