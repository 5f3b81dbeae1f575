package dev.gantry.checks;

import dev.gantry.common.action.Inputs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a Hurl file into a {@link CheckSuite}, with Hurl's semantics for the subset Gantry runs: entries (a request,
 * an optional response); request headers; {@code [Query]}, {@code [Form]}, {@code [Multipart]}, {@code [Cookies]},
 * {@code [BasicAuth]} and {@code [Options]} sections; JSON, multiline, oneline, base64, hex and file bodies;
 * {@code HTTP <status>} with implicit header and body asserts; {@code [Captures]} (with {@code redact}) and
 * {@code [Asserts]} with filters and predicates; {@code {{variables}}}. Anything else stops with the construct and its
 * line ({@link CheckFileException}, exit 2), never runs differently from Hurl.
 *
 * <p>Gantry's additions live in comments, which Hurl ignores: {@code # @name login} names the next entry (else
 * {@code entry-N}); {@code # @wait} makes it a wait check; {@code # @always} a cleanup check; {@code # @soak} (or
 * {@code # @soak 3}, a weight) a soak target. Two file-wide directives carry the rest of the checks YAML's
 * {@code soak:} section: {@code # @soak-errors 5xx 429} (the statuses the soak counts as errors) and
 * {@code # @soak-writes max=200 cleanup=delete-item} (the soak may repeat {@code @soak} entries that write, at
 * most {@code max} requests, and runs the entry named by {@code cleanup}, or {@code none}, once per write with
 * that write's captures). A URL may be a path ({@code GET /health}), appended to the action's
 * {@code url}, which is also the variable {@code base_url}.
 */
final class HurlFile {
    private static final Pattern REQUEST = Pattern.compile("([A-Z]+)\\s+(\\S.*)");
    private static final Pattern RESPONSE = Pattern.compile("HTTP(/1\\.0|/1\\.1|/2|/3)?\\s+(\\d{3}|\\*)\\s*(#.*)?");
    private static final Pattern SECTION = Pattern.compile("\\[([A-Za-z]+)]\\s*(#.*)?");
    private static final Pattern DIRECTIVE = Pattern.compile("#\\s*@(name|wait|always|soak)\\b\\s*(\\S*)\\s*");
    private static final Pattern SOAK_DIRECTIVE = Pattern.compile("#\\s*@soak-(errors|writes)\\b(.*)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Set<String> REQUEST_SECTIONS = Set.of("Query", "QueryStringParams", "Form", "FormParams",
            "Multipart", "MultipartFormData", "Cookies", "BasicAuth", "Options");
    private static final Set<String> RESPONSE_SECTIONS = Set.of("Captures", "Asserts");

    private final String source;
    private final FileResolver files;
    private final String[] lines;
    private int i;

    private HurlFile(String text, String source, FileResolver files) {
        this.source = source;
        this.files = files;
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.lines = t.split("\r?\n", -1);
    }

    static CheckSuite parse(String text, String source, FileResolver files) {
        return new HurlFile(text, source, files).suite();
    }

    private CheckFileException error(int line, int column, String problem) {
        return new CheckFileException(source, line + 1, column + 1, problem);
    }

    /** The file-wide soak directives, with the line (0-based) each was found on; -1 when absent. */
    private Assertion.Status soakErrors;
    private int soakErrorsLine = -1;
    private int soakMaxWrites;
    private String soakCleanup;
    private int soakWritesLine = -1;

    private CheckSuite suite() {
        List<Check> checks = new ArrayList<>();
        List<CheckSuite.SoakTarget> soak = new ArrayList<>();
        List<Check> writeTargets = new ArrayList<>();
        Directives d = new Directives();
        while (i < lines.length) {
            String l = lines[i].strip();
            if (l.isEmpty()) {
                i++;
                continue;
            }
            if (l.startsWith("#")) {
                if (!soakDirective(l)) directive(l, d);
                i++;
                continue;
            }
            Matcher m = REQUEST.matcher(l);
            if (!m.matches()) throw error(i, indent(lines[i]), "expected a request (METHOD URL), got '" + l + "'");
            Check c = entry(checks.size() + 1, d);
            for (Check other : checks) {
                if (other.name().equals(c.name())) throw error(c.line() - 1, 0, "duplicate entry name '" + c.name() + "'");
            }
            checks.add(c);
            if (d.soakWeight > 0) {
                if (!c.request().isSafe()) writeTargets.add(c);
                soak.add(new CheckSuite.SoakTarget(c.name(), d.soakWeight));
            }
            d = new Directives();
        }
        if (checks.isEmpty()) throw new CheckFileException(source, 1, 1, "the Hurl file has no entries");
        CheckSuite.SoakOptions options = soakOptions(checks, soak, writeTargets);
        return CheckSuite.validated(new CheckSuite(source, checks, soak, CheckSuite.Language.HURL, options), this::error);
    }

    /** A Gantry directive: it ends the entry before it (it belongs to the next entry, or to the file). */
    private static boolean isDirective(String l) {
        return DIRECTIVE.matcher(l).matches() || SOAK_DIRECTIVE.matcher(l).matches();
    }

    /** {@code # @soak-errors ...} or {@code # @soak-writes ...}: read and true, else false (another comment). */
    private boolean soakDirective(String l) {
        Matcher m = SOAK_DIRECTIVE.matcher(l);
        if (!m.matches()) return false;
        List<String> words = new ArrayList<>();
        for (String w : m.group(2).strip().split("[\\s,]+")) if (!w.isEmpty()) words.add(w);
        if (m.group(1).equals("errors")) {
            if (soakErrorsLine >= 0) throw error(i, 0, "a second @soak-errors (the first is on line " + (soakErrorsLine + 1) + ")");
            try {
                soakErrors = CheckSuite.soakErrors(words);
            } catch (IllegalArgumentException e) {
                throw error(i, 0, "@soak-errors takes status codes and classes such as 5xx 429: " + e.getMessage());
            }
            soakErrorsLine = i;
            return true;
        }
        if (soakWritesLine >= 0) throw error(i, 0, "a second @soak-writes (the first is on line " + (soakWritesLine + 1) + ")");
        Integer max = null;
        String cleanup = null;
        for (String w : words) {
            int eq = w.indexOf('=');
            String key = eq < 0 ? w : w.substring(0, eq);
            String value = eq < 0 ? "" : w.substring(eq + 1);
            switch (key) {
                case "max" -> {
                    max = value.matches("\\d{1,9}") ? Integer.parseInt(value) : -1;
                    if (max < 1 || max > CheckSuite.SoakOptions.MAX_WRITES) {
                        throw error(i, 0, "max of @soak-writes must be a whole number from 1 to "
                                + CheckSuite.SoakOptions.MAX_WRITES + " (got '" + value + "')");
                    }
                }
                case "cleanup" -> {
                    if (!value.equals("none") && !NAME.matcher(value).matches()) {
                        throw error(i, 0, "cleanup of @soak-writes names an entry (its @name) or is none (got '" + value + "')");
                    }
                    cleanup = value;
                }
                default -> throw error(i, 0, "@soak-writes takes max=N and cleanup=NAME (or cleanup=none), got '" + w + "'");
            }
        }
        if (max == null) {
            throw error(i, 0, "@soak-writes needs max=N: the most write requests the soak may send (1 to "
                    + CheckSuite.SoakOptions.MAX_WRITES + ")");
        }
        if (cleanup == null) {
            throw error(i, 0, "@soak-writes needs cleanup=NAME: the entry that undoes one write (it gets that write's"
                    + " captures), or cleanup=none when the writes leave nothing behind");
        }
        soakMaxWrites = max;
        soakCleanup = cleanup.equals("none") ? null : cleanup;
        soakWritesLine = i;
        return true;
    }

    /** The soak's options, with the same rules as the checks YAML's {@code soak:} section. */
    private CheckSuite.SoakOptions soakOptions(List<Check> checks, List<CheckSuite.SoakTarget> soak, List<Check> writeTargets) {
        if (soakWritesLine < 0) {
            if (!writeTargets.isEmpty()) {
                Check c = writeTargets.get(0);
                throw error(c.line() - 1, 0, "@soak on a " + c.request().method() + " entry; the soak repeats a write only"
                        + " when the file allows it with # @soak-writes max=N cleanup=NAME (or cleanup=none)");
            }
            return new CheckSuite.SoakOptions(soakErrors, 0, null);
        }
        if (writeTargets.isEmpty()) {
            throw error(soakWritesLine, 0, "@soak-writes is set, but no @soak entry writes (put @soak on the POST, PUT,"
                    + " PATCH or DELETE entries to repeat)");
        }
        if (soakCleanup != null) {
            if (checks.stream().noneMatch(c -> c.name().equals(soakCleanup))) {
                throw error(soakWritesLine, 0, "cleanup of @soak-writes names '" + soakCleanup + "', which is not an entry"
                        + " of this file (name one with # @name, or write cleanup=none)");
            }
            if (soak.stream().anyMatch(t -> t.check().equals(soakCleanup))) {
                throw error(soakWritesLine, 0, "cleanup entry '" + soakCleanup + "' of @soak-writes is also a @soak entry");
            }
        }
        return new CheckSuite.SoakOptions(soakErrors, soakMaxWrites, soakCleanup);
    }

    private CheckFileException error(Check c, String problem) {
        return new CheckFileException(source, c.line(), 1, problem);
    }

    private static final class Directives {
        String name;
        boolean waitFor;
        boolean always;
        int soakWeight;
    }

    private void directive(String l, Directives d) {
        Matcher m = DIRECTIVE.matcher(l);
        if (!m.matches()) return;
        switch (m.group(1)) {
            case "name" -> {
                if (!NAME.matcher(m.group(2)).matches()) {
                    throw error(i, 0, "@name takes a name of letters, digits, '_', '.' and '-' (got '" + m.group(2) + "')");
                }
                d.name = m.group(2);
            }
            case "wait" -> d.waitFor = true;
            case "always" -> d.always = true;
            case "soak" -> {
                try {
                    d.soakWeight = m.group(2).isEmpty() ? 1 : Integer.parseInt(m.group(2));
                } catch (NumberFormatException e) {
                    d.soakWeight = -1;
                }
                if (d.soakWeight < 1 || d.soakWeight > 1000) throw error(i, 0, "@soak takes a weight from 1 to 1000");
            }
            default -> {
            }
        }
        if (d.waitFor && d.always) throw error(i, 0, "an entry cannot be both @wait and @always");
    }

    // ---- one entry

    private Check entry(int number, Directives d) {
        int start = i;
        Matcher m = REQUEST.matcher(lines[i].strip());
        m.matches();
        String method = m.group(1);
        String url = valueString(m.group(2), i, lines[i].indexOf(m.group(2)));
        i++;
        String name = d.name != null ? d.name : "entry-" + number;
        Set<String> refs = new LinkedHashSet<>();
        Request req = new Request(method, url);
        refs.addAll(Scope.references(url));
        CheckOptions opts = CheckOptions.DEFAULT;
        // request headers, sections, body
        while (i < lines.length) {
            String raw = lines[i];
            String l = raw.strip();
            if (isDirective(l)) break;
            if (l.isEmpty() || l.startsWith("#")) {
                i++;
                continue;
            }
            if (startsEntryOrResponse(l)) break;
            Matcher s = SECTION.matcher(l);
            if (s.matches()) {
                String section = s.group(1);
                if (RESPONSE_SECTIONS.contains(section)) throw error(i, indent(raw), "[" + section + "] must follow an HTTP status line");
                if (!REQUEST_SECTIONS.contains(section)) throw error(i, indent(raw), "unknown section [" + section + "]");
                i++;
                if (section.equals("Options")) opts = options(opts, req, refs);
                else requestSection(section, req, refs);
                continue;
            }
            if (isBodyStart(l)) {
                req.body = body(refs, true);
                continue;
            }
            if (req.sectionSeen) throw error(i, indent(raw), "headers must come right after the request line, before any section");
            RequestSpec.NameValue h = keyValue(raw, refs);
            if (Exchange.RESTRICTED.contains(h.name().toLowerCase(Locale.ROOT))) {
                throw error(i, indent(raw), "header '" + h.name() + "' cannot be set: the HTTP client sets it from the URL"
                        + " and the body (Gantry refuses it rather than send something else than the file says)");
            }
            req.headers.add(h);
            i++;
        }
        List<Assertion> assertions = new ArrayList<>();
        List<Capture> captures = new ArrayList<>();
        boolean hasResponse = false;
        if (i < lines.length && RESPONSE.matcher(lines[i].strip()).matches()) {
            hasResponse = true;
            response(assertions, captures, refs);
        }
        RequestSpec spec = new RequestSpec(method, url, req.headers, req.query, req.form != null ? new RequestSpec.Form(req.form)
                : req.multipart != null ? new RequestSpec.Multipart(req.multipart) : req.body, req.basicAuth, req.cookies);
        if (req.body != null && (req.form != null || req.multipart != null)) spec = withBody(spec, req.body);
        return new Check(name, start + 1, spec, assertions, captures, d.waitFor, d.always, opts, false, refs);
    }

    /** Hurl: when a body and a form are both given, only the body is sent. */
    private static RequestSpec withBody(RequestSpec s, RequestSpec.Body body) {
        return new RequestSpec(s.method(), s.target(), s.headers(), s.query(), body, s.basicAuth(), s.cookies());
    }

    private static final class Request {
        final String method;
        final String url;
        final List<RequestSpec.NameValue> headers = new ArrayList<>();
        final List<RequestSpec.NameValue> query = new ArrayList<>();
        List<RequestSpec.NameValue> form;
        List<RequestSpec.Part> multipart;
        final List<RequestSpec.NameValue> cookies = new ArrayList<>();
        RequestSpec.NameValue basicAuth;
        RequestSpec.Body body;
        boolean sectionSeen;

        Request(String method, String url) {
            this.method = method;
            this.url = url;
        }
    }

    /** A request line ({@code GET url}: upper-case letters, then a space; a header has ':' right after its name). */
    private static boolean startsEntryOrResponse(String l) {
        return RESPONSE.matcher(l).matches() || REQUEST.matcher(l).matches();
    }

    private static boolean isBodyStart(String l) {
        return (l.startsWith("{") && !l.startsWith("{{")) || (l.startsWith("[") && !SECTION.matcher(l).matches())
                || l.startsWith("<") || l.startsWith("`") || l.startsWith("base64,") || l.startsWith("hex,")
                || l.startsWith("file,");
    }

    private void requestSection(String section, Request req, Set<String> refs) {
        req.sectionSeen = true;
        switch (section) {
            case "Query", "QueryStringParams" -> req.query.addAll(keyValues(refs));
            case "Form", "FormParams" -> {
                if (req.form == null) req.form = new ArrayList<>();
                req.form.addAll(keyValues(refs));
            }
            case "Cookies" -> req.cookies.addAll(keyValues(refs));
            case "BasicAuth" -> {
                List<RequestSpec.NameValue> kv = keyValues(refs);
                if (kv.size() != 1) throw error(i - 1, 0, "[BasicAuth] takes one 'user: password' line");
                req.basicAuth = kv.get(0);
            }
            case "Multipart", "MultipartFormData" -> {
                if (req.multipart == null) req.multipart = new ArrayList<>();
                while (i < lines.length && isSectionLine(lines[i])) {
                    String raw = lines[i];
                    if (raw.strip().isEmpty() || raw.strip().startsWith("#")) {
                        i++;
                        continue;
                    }
                    RequestSpec.NameValue kv = keyValue(raw, refs);
                    String v = kv.value();
                    if (v.startsWith("file,")) {
                        int semi = v.indexOf(';');
                        if (semi < 0) throw error(i, indent(raw), "a file part is written file,name; [content type]");
                        String fname = v.substring(5, semi).strip();
                        String type = v.substring(semi + 1).strip();
                        req.multipart.add(new RequestSpec.FilePart(kv.name(), resolve(fname, i, raw),
                                java.nio.file.Path.of(fname).getFileName().toString(), type.isEmpty() ? null : type));
                    } else {
                        req.multipart.add(new RequestSpec.Field(kv.name(), v));
                    }
                    i++;
                }
            }
            default -> throw new IllegalStateException(section);
        }
    }

    private java.nio.file.Path resolve(String name, int line, String raw) {
        if (name.contains("{{")) throw error(line, indent(raw), "a file name cannot hold a {{template}}");
        try {
            return files.resolve(name);
        } catch (IllegalArgumentException e) {
            throw error(line, indent(raw), e.getMessage());
        }
    }

    /** Whether a line still belongs to the current section (not a new section, body, response or entry). */
    private boolean isSectionLine(String raw) {
        String l = raw.strip();
        if (isDirective(l)) return false; // it belongs to the next entry
        if (l.isEmpty() || l.startsWith("#")) return true;
        return !SECTION.matcher(l).matches() && !startsEntryOrResponse(l) && !isBodyStart(l);
    }

    private List<RequestSpec.NameValue> keyValues(Set<String> refs) {
        List<RequestSpec.NameValue> out = new ArrayList<>();
        while (i < lines.length && isSectionLine(lines[i])) {
            String raw = lines[i];
            if (!raw.strip().isEmpty() && !raw.strip().startsWith("#")) out.add(keyValue(raw, refs));
            i++;
        }
        return out;
    }

    /** {@code key: value}: the key up to the first unescaped ':', the value to the end (or a {@code #} comment). */
    private RequestSpec.NameValue keyValue(String raw, Set<String> refs) {
        int col = indent(raw);
        String l = raw.strip();
        int colon = -1;
        for (int k = 0; k < l.length(); k++) {
            char c = l.charAt(k);
            if (c == '\\') {
                k++;
                continue;
            }
            if (c == '{' && l.startsWith("{{", k)) {
                int end = l.indexOf("}}", k);
                if (end > 0) {
                    k = end + 1;
                    continue;
                }
            }
            if (c == ':') {
                colon = k;
                break;
            }
        }
        if (colon <= 0) throw error(i, col, "expected 'name: value', got '" + l + "'");
        String key = unescape(l.substring(0, colon).strip(), i, col);
        String value = valueString(l.substring(colon + 1), i, col + colon + 1);
        refs.addAll(Scope.references(key));
        refs.addAll(Scope.references(value));
        return new RequestSpec.NameValue(key, value);
    }

    /** A value to the end of the line: a {@code #} (unless escaped {@code \#}) starts a comment; escapes decoded. */
    private String valueString(String v, int line, int col) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c == '#' ) break;
            if (c == '\\' && k + 1 < v.length()) {
                b.append(c).append(v.charAt(++k));
                continue;
            }
            b.append(c);
        }
        return unescape(b.toString().strip(), line, col);
    }

    private String unescape(String s, int line, int col) {
        if (!s.contains("\\")) return s;
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c != '\\' || k + 1 >= s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++k);
            switch (e) {
                case '#', ':', '\\', '"' -> b.append(e);
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    int close = s.indexOf('}', k);
                    if (k + 1 >= s.length() || s.charAt(k + 1) != '{' || close < 0) throw error(line, col, "a \\u escape is written \\u{hex}");
                    b.appendCodePoint(Integer.parseInt(s.substring(k + 2, close), 16));
                    k = close;
                }
                default -> throw error(line, col, "unknown escape \\" + e);
            }
        }
        return b.toString();
    }

    // ---- [Options]

    private CheckOptions options(CheckOptions o, Request req, Set<String> refs) {
        req.sectionSeen = true;
        Duration timeout = o.timeout();
        CheckOptions.Redirects redirects = o.redirects();
        int maxRedirects = o.maxRedirects();
        CheckOptions.HttpVersion version = o.version();
        java.nio.file.Path ca = o.tls().ca();
        java.nio.file.Path cert = o.tls().cert();
        java.nio.file.Path key = o.tls().key();
        boolean insecure = o.tls().insecure();
        int retry = o.retry();
        Duration retryInterval = o.retryInterval();
        Duration delay = o.delay();
        int repeat = o.repeat();
        boolean skip = o.skip();
        boolean compressed = o.compressed();
        while (i < lines.length && isSectionLine(lines[i])) {
            String raw = lines[i];
            if (raw.strip().isEmpty() || raw.strip().startsWith("#")) {
                i++;
                continue;
            }
            RequestSpec.NameValue kv = keyValue(raw, refs);
            String v = kv.value();
            int col = indent(raw);
            switch (kv.name()) {
                case "location" -> redirects = bool(v, col) ? CheckOptions.Redirects.FOLLOW : CheckOptions.Redirects.NONE;
                case "location-trusted" -> redirects = bool(v, col) ? CheckOptions.Redirects.TRUSTED : CheckOptions.Redirects.NONE;
                case "max-redirs" -> maxRedirects = integer(v, col, 0);
                case "retry" -> retry = integer(v, col, -1);
                case "retry-interval" -> retryInterval = duration(v, col, "retry-interval");
                case "delay" -> delay = duration(v, col, "delay");
                case "repeat" -> repeat = Math.max(1, integer(v, col, 1));
                case "skip" -> skip = bool(v, col);
                case "max-time" -> timeout = duration(v, col, "max-time");
                case "insecure" -> insecure = bool(v, col);
                case "cacert" -> ca = resolve(v, i, raw);
                case "cert" -> cert = resolve(v, i, raw);
                case "key" -> key = resolve(v, i, raw);
                case "http1.1" -> version = bool(v, col) ? CheckOptions.HttpVersion.HTTP_1_1 : version;
                case "http2" -> version = bool(v, col) ? CheckOptions.HttpVersion.HTTP_2 : version;
                case "compressed" -> compressed = bool(v, col);
                case "user" -> {
                    int c = v.indexOf(':');
                    if (c < 0) throw error(i, col, "user takes 'name:password'");
                    req.basicAuth = new RequestSpec.NameValue(v.substring(0, c), v.substring(c + 1));
                }
                case "verbose", "very-verbose" -> bool(v, col); // only what Hurl prints: nothing to run differently
                case "variable" -> throw error(i, col, "variable in [Options] is not supported; pass it in the action's"
                        + " variables input");
                case "http1.0", "http3" -> throw error(i, col, kv.name() + " is not supported (the JDK HTTP client speaks"
                        + " HTTP/1.1 and HTTP/2)");
                case "proxy" -> throw error(i, col, "proxy in [Options] is not supported; smoke-test takes the proxy from"
                        + " https_proxy / http_proxy / no_proxy");
                default -> throw error(i, col, "the option '" + kv.name() + "' is not supported by Gantry (supported:"
                        + " location, location-trusted, max-redirs, retry, retry-interval, delay, repeat, skip, max-time,"
                        + " insecure, cacert, cert, key, http1.1, http2, compressed, user, verbose)");
            }
            i++;
        }
        if (cert != null && key == null) key = cert;
        return new CheckOptions(timeout, redirects, maxRedirects, version, new CheckOptions.Tls(ca, cert, key, insecure),
                retry, retryInterval, delay, repeat, skip, compressed);
    }

    private boolean bool(String v, int col) {
        if (v.equals("true")) return true;
        if (v.equals("false")) return false;
        throw error(i, col, "expected true or false, got '" + v + "'");
    }

    private int integer(String v, int col, int min) {
        try {
            int n = Integer.parseInt(v);
            if (n < min) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw error(i, col, "expected a whole number" + (min < 0 ? " (-1 for no limit)" : "") + ", got '" + v + "'");
        }
    }

    /** Hurl durations: a number of milliseconds, or with a unit ({@code 500ms}, {@code 2s}, {@code 1m}). */
    private Duration duration(String v, int col, String what) {
        if (v.matches("\\d+")) return Duration.ofMillis(Long.parseLong(v));
        Duration d = Inputs.parseDuration(v);
        if (d == null) throw error(i, col, what + " takes a duration such as 500ms or 2s, got '" + v + "'");
        return d;
    }

    // ---- bodies

    /** A body starting at line {@code i}; leaves {@code i} after it. */
    private RequestSpec.Body body(Set<String> refs, boolean request) {
        String raw = lines[i];
        String l = raw.strip();
        int col = indent(raw);
        if (l.startsWith("```")) {
            String lang = l.substring(3).strip();
            if (l.length() > 3 && l.endsWith("```") && l.length() >= 6 && !l.substring(3, l.length() - 3).isBlank()
                    && lang.endsWith("```")) {
                i++;
                String t = l.substring(3, l.length() - 3);
                refs.addAll(Scope.references(t));
                return new RequestSpec.Text(t, null);
            }
            if (!lang.isEmpty() && !lang.equals("json") && !lang.equals("xml")) {
                throw error(i, col, "multiline bodies in " + lang + " are not supported (json, xml or plain text)");
            }
            int open = i++;
            StringBuilder b = new StringBuilder();
            while (i < lines.length && !lines[i].strip().equals("```")) b.append(lines[i++]).append('\n');
            if (i >= lines.length) throw error(open, col, "a ``` body is not closed");
            i++;
            refs.addAll(Scope.references(b.toString()));
            return lang.equals("json") ? new RequestSpec.JsonText(b.toString())
                    : new RequestSpec.Text(b.toString(), lang.equals("xml") ? "application/xml" : null);
        }
        if (l.startsWith("`")) {
            int end = l.indexOf('`', 1);
            if (end < 0) throw error(i, col, "a `oneline` body is not closed");
            i++;
            String t = l.substring(1, end);
            refs.addAll(Scope.references(t));
            return new RequestSpec.Text(t, null);
        }
        if (l.startsWith("base64,") || l.startsWith("hex,")) {
            int open = i;
            StringBuilder b = new StringBuilder();
            while (i < lines.length) {
                String s = lines[i++];
                int semi = s.indexOf(';');
                if (semi >= 0) {
                    b.append(s, 0, semi);
                    break;
                }
                b.append(s);
                if (i >= lines.length) throw error(open, col, "a base64/hex body must end with ';'");
            }
            String all = b.toString().strip();
            try {
                return new RequestSpec.Bytes(all.startsWith("hex,") ? HexFormat.of().parseHex(all.substring(4).replaceAll("\\s", ""))
                        : Base64.getMimeDecoder().decode(all.substring(7)));
            } catch (IllegalArgumentException e) {
                throw error(open, col, "bad " + (all.startsWith("hex,") ? "hex" : "base64") + " body: " + e.getMessage());
            }
        }
        if (l.startsWith("file,")) {
            int semi = l.indexOf(';');
            if (semi < 0) throw error(i, col, "a file body is written file,name;");
            String name = l.substring(5, semi).strip();
            java.nio.file.Path p = resolve(name, i, raw);
            i++;
            return new RequestSpec.FileBody(p, name);
        }
        if (l.startsWith("<")) {
            StringBuilder b = new StringBuilder();
            while (i < lines.length && !lines[i].isBlank() && !startsEntryOrResponse(lines[i].strip())
                    && !SECTION.matcher(lines[i].strip()).matches()) {
                b.append(lines[i++]).append('\n');
            }
            return new RequestSpec.Text(b.toString().stripTrailing(), null);
        }
        // JSON: until the brackets balance
        int open = i;
        StringBuilder b = new StringBuilder();
        int depth = 0;
        boolean inString = false;
        do {
            String s = lines[i++];
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                if (inString) {
                    if (c == '\\') k++;
                    else if (c == '"') inString = false;
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' && s.startsWith("{{", k)) {
                    int end = s.indexOf("}}", k);
                    if (end > 0) k = end + 1;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
            }
            b.append(s).append('\n');
        } while (depth > 0 && i < lines.length);
        if (depth != 0) throw error(open, col, "a JSON body is not closed");
        refs.addAll(Scope.references(b.toString()));
        return new RequestSpec.JsonText(b.toString().strip());
    }

    // ---- the response

    private void response(List<Assertion> assertions, List<Capture> captures, Set<String> refs) {
        Matcher m = RESPONSE.matcher(lines[i].strip());
        m.matches();
        String version = m.group(1);
        if ("/1.0".equals(version) || "/3".equals(version)) {
            throw error(i, 0, "HTTP" + version + " is not supported (the JDK HTTP client speaks HTTP/1.1 and HTTP/2)");
        }
        if (!m.group(2).equals("*")) assertions.add(new Assertion.Status(List.of(m.group(2))));
        if (version != null) {
            assertions.add(new Assertion.Test(new Query.Version(), List.of(),
                    Predicate.of(Predicate.Kind.EQUALS, Values.text(version.substring(1)))));
        }
        i++;
        List<Assertion> explicit = new ArrayList<>();
        boolean sectionSeen = false;
        while (i < lines.length) {
            String raw = lines[i];
            String l = raw.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                if (isDirective(l)) break;
                i++;
                continue;
            }
            if (REQUEST.matcher(l).matches()) break;
            Matcher s = SECTION.matcher(l);
            if (s.matches()) {
                String section = s.group(1);
                if (!RESPONSE_SECTIONS.contains(section)) {
                    throw error(i, indent(raw), REQUEST_SECTIONS.contains(section)
                            ? "[" + section + "] belongs to the request, before the HTTP status line"
                            : "unknown section [" + section + "]");
                }
                sectionSeen = true;
                i++;
                while (i < lines.length && isSectionLine(lines[i])) {
                    String r = lines[i];
                    String t = r.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        if (section.equals("Asserts")) {
                            HurlLine hl = new HurlLine(t, source, i + 1, indent(r) + 1, files);
                            explicit.add(hl.assertion());
                            refs.addAll(Scope.references(t));
                        } else {
                            captures.add(capture(r, refs));
                        }
                    }
                    i++;
                }
                continue;
            }
            if (isBodyStart(l)) {
                RequestSpec.Body b = body(refs, false);
                explicit.add(bodyAssertion(b));
                break;
            }
            if (sectionSeen) throw error(i, indent(raw), "headers must come right after the HTTP status line");
            RequestSpec.NameValue h = keyValue(raw, refs);
            assertions.add(new Assertion.Test(new Query.Header(h.name()), List.of(), new Predicate(Predicate.Kind.HAS_VALUE,
                    false, h.value().contains("{{") ? new Predicate.Template(h.value(), false) : new Predicate.Literal(Values.text(h.value())))));
            i++;
        }
        assertions.addAll(explicit);
    }

    private Capture capture(String raw, Set<String> refs) {
        String t = raw.strip();
        int colon = t.indexOf(':');
        if (colon <= 0) throw error(i, indent(raw), "a capture is written 'name: query'");
        String name = t.substring(0, colon).strip();
        if (!NAME.matcher(name).matches() || name.contains(".")) {
            throw error(i, indent(raw), "capture name '" + name + "' may hold only letters, digits, '_' and '-'");
        }
        refs.addAll(Scope.references(t.substring(colon + 1)));
        return new HurlLine(t.substring(colon + 1), source, i + 1, indent(raw) + colon + 2, files).capture(name, false);
    }

    /** Hurl's implicit body assert: the whole body equals the one in the file (JSON compared as JSON). */
    private static Assertion bodyAssertion(RequestSpec.Body b) {
        return switch (b) {
            case RequestSpec.JsonText j -> new Assertion.Test(new Query.Json("$", JsonPath.compile("$")), List.of(),
                    new Predicate(Predicate.Kind.EQUALS, false, new JsonOperand(j.text())));
            case RequestSpec.Text t -> new Assertion.Test(new Query.Body(), List.of(),
                    new Predicate(Predicate.Kind.EQUALS, false, t.text().contains("{{")
                            ? new Predicate.Template(t.text(), false) : new Predicate.Literal(Values.text(t.text()))));
            case RequestSpec.Bytes x -> new Assertion.Test(new Query.Bytes(false), List.of(),
                    Predicate.of(Predicate.Kind.EQUALS, Values.bytes(x.data())));
            case RequestSpec.FileBody f -> new Assertion.Test(new Query.Bytes(false), List.of(),
                    new Predicate(Predicate.Kind.EQUALS, false, new FileOperand(f.path())));
            default -> throw new IllegalStateException("not a response body: " + b);
        };
    }

    private static int indent(String raw) {
        int k = 0;
        while (k < raw.length() && Character.isWhitespace(raw.charAt(k))) k++;
        return k;
    }

    /** An expected JSON body, rendered with Hurl's JSON templating and parsed when judged. */
    record JsonOperand(String text) implements Predicate.Operand {
        public com.fasterxml.jackson.databind.JsonNode value(Scope scope) {
            try {
                return dev.gantry.common.http.HttpApi.JSON.readTree(CheckRunner.renderJsonText(text, scope));
            } catch (java.io.IOException e) {
                throw new Values.EvalException("the expected JSON body is not JSON: " + e.getMessage());
            }
        }

        public String describe() {
            return "the JSON body in the file";
        }
    }

    /** An expected body read from a file when judged. */
    record FileOperand(java.nio.file.Path path) implements Predicate.Operand {
        public com.fasterxml.jackson.databind.JsonNode value(Scope scope) {
            try {
                return Values.bytes(java.nio.file.Files.readAllBytes(path));
            } catch (java.io.IOException e) {
                throw new Values.EvalException("cannot read " + path.getFileName() + ": " + e.getMessage());
            }
        }

        public String describe() {
            return "the bytes of " + path.getFileName();
        }
    }
}
