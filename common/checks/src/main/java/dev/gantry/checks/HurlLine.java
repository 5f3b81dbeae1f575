package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Hurl's query, filter and predicate syntax on one line: {@code jsonpath "$.books" count >= 2},
 * {@code header "Location" regex /items\/(\d+)/}, {@code body not contains "error"}. Used for Hurl files and for the
 * {@code asserts:} strings of checks YAML, so both read an assert line the same way. Errors carry the column.
 */
final class HurlLine {
    /** Queries Hurl has that Gantry does not run, and why. */
    private static final java.util.Map<String, String> REFUSED_QUERIES = java.util.Map.of(
            "xpath", "xpath queries are not supported (Gantry reads JSON and text, not XML/HTML documents)",
            "ip", "the ip query is not supported (the JDK HTTP client does not expose the peer address)");
    private static final Set<String> NO_ARG_QUERIES = Set.of("status", "version", "url", "body", "bytes", "rawbytes",
            "sha256", "md5", "duration", "redirects");

    private final String text;
    private final String source;
    private final int line;
    private final int column;
    private final FileResolver files;
    int pos;

    HurlLine(String text, String source, int line, int column, FileResolver files) {
        this.text = text;
        this.source = source;
        this.line = line;
        this.column = column;
        this.files = files;
    }

    CheckFileException error(String problem) {
        return new CheckFileException(source, line, column + pos, problem);
    }

    CheckFileException errorAt(int at, String problem) {
        return new CheckFileException(source, line, column + at, problem);
    }

    // ---- the three shapes

    /** {@code query filters* predicate}. */
    Assertion.Test assertion() {
        Query q = query();
        List<Filter> f = filters();
        Predicate p = predicate();
        end();
        return new Assertion.Test(q, f, p);
    }

    /** {@code query filters* [redact]} of a capture named {@code name}. */
    Capture capture(String name, boolean secretAlready) {
        Query q = query();
        List<Filter> f = filters();
        skipSpaces();
        boolean redact = false;
        if (word("redact")) redact = true;
        end();
        return new Capture(name, q, f, redact || secretAlready);
    }

    void end() {
        skipSpaces();
        if (!eol()) throw error("unexpected '" + rest() + "'");
    }

    // ---- queries

    Query query() {
        skipSpaces();
        int start = pos;
        String w = identifier();
        if (w.isEmpty()) throw error("expected a query (status, header, jsonpath, body, ...), got '" + rest() + "'");
        if (REFUSED_QUERIES.containsKey(w)) throw errorAt(start, REFUSED_QUERIES.get(w));
        if (NO_ARG_QUERIES.contains(w)) {
            return switch (w) {
                case "status" -> new Query.Status();
                case "version" -> new Query.Version();
                case "url" -> new Query.Url();
                case "body" -> new Query.Body();
                case "bytes" -> new Query.Bytes(false);
                case "rawbytes" -> new Query.Bytes(true);
                case "sha256", "md5" -> new Query.Digest(w);
                case "duration" -> new Query.Duration();
                default -> new Query.Redirects();
            };
        }
        skipSpaces();
        return switch (w) {
            case "header" -> new Query.Header(quoted("a header name"));
            case "cookie" -> new Query.Cookie(quoted("a cookie name"));
            case "variable" -> new Query.Variable(quoted("a variable name"));
            case "jsonpath" -> jsonpathQuery();
            case "regex" -> new Query.RegexQ(regexArg());
            case "certificate" -> {
                int at = pos;
                String attr = quoted("a certificate attribute");
                if (!Query.Certificate.ATTRIBUTES.contains(attr)) {
                    throw errorAt(at, "unknown certificate attribute \"" + attr + "\" (expected one of "
                            + String.join(", ", Query.Certificate.ATTRIBUTES) + ")");
                }
                yield new Query.Certificate(attr);
            }
            default -> throw errorAt(start, "unknown query '" + w + "' (expected status, version, url, header, cookie,"
                    + " body, bytes, rawbytes, jsonpath, regex, sha256, md5, variable, duration, certificate, redirects)");
        };
    }

    private Query jsonpathQuery() {
        int at = pos;
        String expr = quoted("a JSONPath");
        try {
            return Query.Json.of(expr);
        } catch (IllegalArgumentException e) {
            throw errorAt(at, e.getMessage());
        }
    }

    // ---- filters

    List<Filter> filters() {
        List<Filter> out = new ArrayList<>();
        while (true) {
            skipSpaces();
            int at = pos;
            String w = identifier();
            if (w.isEmpty()) return out;
            if (w.equals("xpath")) throw errorAt(at, "the xpath filter is not supported (Gantry reads JSON and text)");
            int arity = Filter.arity(w);
            if (arity < 0) {
                pos = at;
                return out;
            }
            out.add(filter(w, at));
        }
    }

    private Filter filter(String name, int at) {
        skipSpaces();
        Filter simple = Filter.simple(name);
        if (simple != null) return simple;
        return switch (name) {
            case "nth" -> {
                JsonNode n = number();
                if (n == null || !n.isIntegralNumber()) throw error("nth takes a whole number");
                yield new Filter.Nth(n.intValue(), "nth");
            }
            case "split" -> new Filter.Split(quoted("a separator"));
            case "replace" -> {
                String old = quoted("the text to replace");
                skipSpaces();
                yield new Filter.Replace(old, quoted("the replacement"));
            }
            case "replaceRegex" -> {
                Regex r = regexArg();
                skipSpaces();
                yield new Filter.ReplaceRegex(r, quoted("the replacement"));
            }
            case "regex" -> new Filter.RegexFilter(regexArg());
            case "toDate" -> new Filter.ToDate(format());
            case "dateFormat", "format" -> new Filter.DateFormat(format());
            case "urlQueryParam" -> new Filter.UrlQueryParam(quoted("a parameter name"));
            case "decode" -> new Filter.Decode(quoted("an encoding"));
            case "jsonpath" -> {
                int p = pos;
                String expr = quoted("a JSONPath");
                try {
                    yield new Filter.JsonPathFilter(JsonPath.compile(expr));
                } catch (IllegalArgumentException e) {
                    throw errorAt(p, e.getMessage());
                }
            }
            default -> throw errorAt(at, "unknown filter '" + name + "'");
        };
    }

    private String format() {
        int at = pos;
        String f = quoted("a date format");
        try {
            Strftime.check(f);
        } catch (IllegalArgumentException e) {
            throw errorAt(at, e.getMessage());
        }
        return f;
    }

    // ---- predicates

    Predicate predicate() {
        skipSpaces();
        boolean not = false;
        int at = pos;
        if (word("not")) {
            not = true;
            skipSpaces();
            at = pos;
        }
        String op = operator();
        if (op.isEmpty()) op = identifier();
        if (op.isEmpty()) throw error("expected a predicate (==, !=, <, contains, matches, exists, isInteger, ...), got '" + rest() + "'");
        Predicate.Kind kind = Predicate.Kind.ofHurl(op);
        if (kind == null) throw errorAt(at, "unknown predicate '" + op + "'");
        if (!kind.takesValue()) return new Predicate(kind, not, null);
        skipSpaces();
        if (eol()) throw error("'" + op + "' needs a value");
        if (kind == Predicate.Kind.MATCHES) return new Predicate(kind, not, matchesValue());
        return new Predicate(kind, not, value());
    }

    private String operator() {
        for (String op : List.of("==", "!=", ">=", "<=", ">", "<")) {
            if (text.startsWith(op, pos)) {
                pos += op.length();
                return op;
            }
        }
        return "";
    }

    private Predicate.Operand matchesValue() {
        if (peek() == '/') return new Predicate.RegexOperand(regexLiteral());
        if (peek() == '"') {
            int at = pos;
            String s = quotedRaw();
            if (s.contains("{{")) return new Predicate.Template(s, false);
            try {
                return new Predicate.RegexOperand(Regex.compile(s));
            } catch (IllegalArgumentException e) {
                throw errorAt(at, e.getMessage());
            }
        }
        if (text.startsWith("{{", pos)) return new Predicate.Template(template(), false);
        throw error("matches takes a \"pattern\" or a /pattern/");
    }

    /** A predicate value: string, number, boolean, null, bytes, a template, a oneline string. */
    Predicate.Operand value() {
        char c = peek();
        if (c == '"') {
            String s = quotedRaw();
            return s.contains("{{") ? new Predicate.Template(s, false) : new Predicate.Literal(Values.text(s));
        }
        if (c == '`') {
            int end = text.indexOf('`', pos + 1);
            if (end < 0) throw error("a `string` is not closed");
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return s.contains("{{") ? new Predicate.Template(s, false) : new Predicate.Literal(Values.text(s));
        }
        if (text.startsWith("{{", pos)) return new Predicate.Template(template(), true);
        if (text.startsWith("```", pos)) throw error("multiline string values in predicates are not supported; use \"...\" with \\n");
        for (String kw : List.of("true", "false", "null")) {
            if (word(kw)) {
                return new Predicate.Literal(kw.equals("null") ? Values.NODES.nullNode() : Values.NODES.booleanNode(kw.equals("true")));
            }
        }
        if (text.startsWith("hex,", pos) || text.startsWith("base64,", pos) || text.startsWith("file,", pos)) {
            return new Predicate.Literal(Values.bytes(bytesLiteral()));
        }
        JsonNode n = number();
        if (n != null) return new Predicate.Literal(n);
        throw error("expected a value (\"text\", 12, 1.5, true, null, {{name}}, hex,...;), got '" + rest() + "'");
    }

    private String template() {
        int end = text.indexOf("}}", pos);
        if (end < 0) throw error("a {{template}} is not closed");
        String t = text.substring(pos, end + 2);
        pos = end + 2;
        return t;
    }

    /** {@code hex,...;}, {@code base64,...;} or {@code file,name;}. */
    byte[] bytesLiteral() {
        int at = pos;
        int end = text.indexOf(';', pos);
        if (end < 0) throw error("a bytes value must end with ';'");
        String kind = text.substring(pos, text.indexOf(',', pos));
        String body = text.substring(text.indexOf(',', pos) + 1, end).strip();
        pos = end + 1;
        try {
            return switch (kind) {
                case "hex" -> HexFormat.of().parseHex(body.replaceAll("\\s", ""));
                case "base64" -> Base64.getMimeDecoder().decode(body);
                default -> {
                    if (files == null) throw new IllegalArgumentException("files cannot be named here");
                    java.nio.file.Path p = files.resolve(body);
                    yield Files.readAllBytes(p);
                }
            };
        } catch (IllegalArgumentException e) {
            throw errorAt(at, "bad " + kind + " value: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw errorAt(at, "cannot read " + body + ": " + e.getMessage());
        }
    }

    /** An integer or a float, or null when the text is not a number. */
    JsonNode number() {
        int start = pos;
        int i = pos;
        if (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == '+')) i++;
        int digits = i;
        while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
        if (i == digits) return null;
        boolean dot = false;
        if (i < text.length() && text.charAt(i) == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
            dot = true;
            i++;
            while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
        }
        if (i < text.length() && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            dot = true;
            i++;
            if (i < text.length() && (text.charAt(i) == '-' || text.charAt(i) == '+')) i++;
            while (i < text.length() && Character.isDigit(text.charAt(i))) i++;
        }
        if (i < text.length() && !Character.isWhitespace(text.charAt(i)) && text.charAt(i) != '#') return null;
        String n = text.substring(start, i);
        pos = i;
        if (dot) return Values.NODES.numberNode(Double.parseDouble(n));
        return Values.NODES.numberNode(new java.math.BigInteger(n.startsWith("+") ? n.substring(1) : n));
    }

    // ---- lexical pieces

    /** A "quoted string" (escapes: backslash before quote, backslash, b, f, n, r, t, and u{hex}); templates kept as written. */
    String quoted(String what) {
        skipSpaces();
        if (peek() != '"') throw error("expected " + what + " in double quotes, got '" + rest() + "'");
        return quotedRaw();
    }

    String quotedRaw() {
        StringBuilder b = new StringBuilder();
        int i = pos + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                pos = i + 1;
                return b.toString();
            }
            if (c == '\\' && i + 1 < text.length()) {
                char e = text.charAt(i + 1);
                i += 2;
                switch (e) {
                    case '"' -> b.append('"');
                    case '\\' -> b.append('\\');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case '#' -> b.append('#');
                    case 'u' -> {
                        int close = text.indexOf('}', i);
                        if (i >= text.length() || text.charAt(i) != '{' || close < 0) {
                            pos = i;
                            throw error("a \\u escape is written \\u{hex}");
                        }
                        b.appendCodePoint(Integer.parseInt(text.substring(i + 1, close), 16));
                        i = close + 1;
                    }
                    default -> {
                        pos = i - 2;
                        throw error("unknown escape \\" + e + " in a string");
                    }
                }
                continue;
            }
            b.append(c);
            i++;
        }
        throw error("a string is not closed (missing \")");
    }

    /** A regex argument: {@code /pattern/} or {@code "pattern"}. */
    Regex regexArg() {
        skipSpaces();
        if (peek() == '/') return regexLiteral();
        int at = pos;
        String s = quoted("a regex (\"...\" or /.../)");
        try {
            return Regex.compile(s);
        } catch (IllegalArgumentException e) {
            throw errorAt(at, e.getMessage());
        }
    }

    Regex regexLiteral() {
        int at = pos;
        StringBuilder b = new StringBuilder();
        int i = pos + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                b.append('/');
                i += 2;
                continue;
            }
            if (c == '/') {
                pos = i + 1;
                try {
                    return Regex.compile(b.toString());
                } catch (IllegalArgumentException e) {
                    throw errorAt(at, e.getMessage());
                }
            }
            b.append(c);
            i++;
        }
        throw error("a /regex/ is not closed");
    }

    String identifier() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
        return text.substring(start, pos);
    }

    boolean word(String w) {
        if (text.startsWith(w, pos) && (pos + w.length() == text.length() || !Character.isLetterOrDigit(text.charAt(pos + w.length())))) {
            pos += w.length();
            return true;
        }
        return false;
    }

    void skipSpaces() {
        while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) pos++;
    }

    char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    boolean eol() {
        return pos >= text.length() || text.charAt(pos) == '#';
    }

    String rest() {
        return text.substring(Math.min(pos, text.length())).strip();
    }
}
