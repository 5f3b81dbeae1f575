package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.http.HttpApi;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A step that transforms what a query returned, before the predicate or the capture: Hurl's filters, chained left
 * to right. A filter given a value of the wrong type fails the assertion (an {@link Values.EvalException}) with a
 * message naming both. A filter that finds nothing ({@code nth} past the end, {@code regex} without a match) gives
 * none.
 */
public sealed interface Filter {

    JsonNode apply(JsonNode in, Scope scope);

    String describe();

    /** Every filter name this language knows, as Hurl spells it. */
    List<String> NAMES = List.of("count", "nth", "first", "last", "split", "replace", "replaceRegex", "regex", "toInt",
            "toFloat", "toString", "toDate", "dateFormat", "format", "daysAfterNow", "daysBeforeNow", "base64Decode",
            "base64Encode", "base64UrlSafeDecode", "base64UrlSafeEncode", "toHex", "urlDecode", "urlEncode",
            "urlQueryParam", "htmlEscape", "htmlUnescape", "utf8Decode", "utf8Encode", "decode", "jsonpath", "location");

    /** Filters that take no argument, by name. */
    static Filter simple(String name) {
        return switch (name) {
            case "count" -> new Count();
            case "first" -> new Nth(0, "first");
            case "last" -> new Nth(-1, "last");
            case "toInt" -> new ToInt();
            case "toFloat" -> new ToFloat();
            case "toString" -> new ToStr();
            case "daysAfterNow" -> new Days(true);
            case "daysBeforeNow" -> new Days(false);
            case "base64Decode" -> new Base64Decode(false);
            case "base64UrlSafeDecode" -> new Base64Decode(true);
            case "base64Encode" -> new Base64Encode(false);
            case "base64UrlSafeEncode" -> new Base64Encode(true);
            case "toHex" -> new ToHex();
            case "urlDecode" -> new UrlDecode();
            case "urlEncode" -> new UrlEncode();
            case "htmlEscape" -> new HtmlEscape();
            case "htmlUnescape" -> new HtmlUnescape();
            case "utf8Decode" -> new Decode("utf-8");
            case "utf8Encode" -> new Utf8Encode();
            case "location" -> new Location();
            default -> null;
        };
    }

    /** How many arguments a filter takes (0, 1 or 2), or -1 for an unknown name. */
    static int arity(String name) {
        return switch (name) {
            case "nth", "split", "regex", "toDate", "dateFormat", "format", "urlQueryParam", "decode", "jsonpath" -> 1;
            case "replace", "replaceRegex" -> 2;
            default -> simple(name) != null ? 0 : -1;
        };
    }

    record Count() implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            if (in.isArray() || in.isObject()) return Values.NODES.numberNode(in.size());
            if (in.isBinary()) return Values.NODES.numberNode(Values.asBytes(in).length);
            throw new Values.EvalException("count takes a list, an object or bytes, got a " + Values.type(in) + " ("
                    + Values.show(in) + ")");
        }

        public String describe() {
            return "count";
        }
    }

    /** {@code nth N} (negative from the end), {@code first}, {@code last}. */
    record Nth(int index, String name) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            if (!in.isArray()) throw new Values.EvalException(name + " takes a list, got a " + Values.type(in));
            int i = index < 0 ? in.size() + index : index;
            return i >= 0 && i < in.size() ? in.get(i) : Values.none();
        }

        public String describe() {
            return name.equals("nth") ? "nth " + index : name;
        }
    }

    record Split(String separator) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            String s = Values.string(in, "split");
            String sep = scope.render(separator);
            List<JsonNode> parts = new ArrayList<>();
            if (sep.isEmpty()) {
                s.codePoints().forEach(cp -> parts.add(Values.text(new String(Character.toChars(cp)))));
            } else {
                int from = 0;
                while (true) {
                    int at = s.indexOf(sep, from);
                    if (at < 0) {
                        parts.add(Values.text(s.substring(from)));
                        break;
                    }
                    parts.add(Values.text(s.substring(from, at)));
                    from = at + sep.length();
                }
            }
            return Values.list(parts);
        }

        public String describe() {
            return "split \"" + separator + "\"";
        }
    }

    record Replace(String old, String replacement) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            return Values.text(Values.string(in, "replace").replace(scope.render(old), scope.render(replacement)));
        }

        public String describe() {
            return "replace \"" + old + "\" \"" + replacement + "\"";
        }
    }

    record ReplaceRegex(Regex regex, String replacement) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            return Values.text(regex.replaceAll(Values.string(in, "replaceRegex"), scope.render(replacement)));
        }

        public String describe() {
            return "replaceRegex " + regex + " \"" + replacement + "\"";
        }
    }

    /** Group 1 of the first match (the whole match without a group), or none. */
    record RegexFilter(Regex regex) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            String v = regex.firstGroup(Values.string(in, "regex"));
            return v == null ? Values.none() : Values.text(v);
        }

        public String describe() {
            return "regex " + regex;
        }
    }

    record ToInt() implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            if (in.isIntegralNumber()) return in;
            if (in.isNumber()) return Values.NODES.numberNode(Values.decimal(in).toBigInteger());
            if (in.isTextual()) {
                try {
                    return Values.NODES.numberNode(new java.math.BigInteger(in.textValue().strip()));
                } catch (NumberFormatException e) {
                    throw new Values.EvalException("toInt: '" + in.textValue() + "' is not an integer");
                }
            }
            throw new Values.EvalException("toInt takes a string or a number, got a " + Values.type(in));
        }

        public String describe() {
            return "toInt";
        }
    }

    record ToFloat() implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            if (in.isNumber()) return Values.NODES.numberNode(Values.decimal(in).doubleValue());
            if (in.isTextual()) {
                try {
                    return Values.NODES.numberNode(Double.parseDouble(in.textValue().strip()));
                } catch (NumberFormatException e) {
                    throw new Values.EvalException("toFloat: '" + in.textValue() + "' is not a number");
                }
            }
            throw new Values.EvalException("toFloat takes a string or a number, got a " + Values.type(in));
        }

        public String describe() {
            return "toFloat";
        }
    }

    record ToStr() implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            return Values.text(Values.render(in));
        }

        public String describe() {
            return "toString";
        }
    }

    record ToDate(String format) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            return Values.date(Strftime.parse(Values.string(in, "toDate"), format));
        }

        public String describe() {
            return "toDate \"" + format + "\"";
        }
    }

    record DateFormat(String format) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            if (!Values.isDate(in)) throw new Values.EvalException("dateFormat takes a date, got a " + Values.type(in));
            return Values.text(Strftime.format(Values.asDate(in), format));
        }

        public String describe() {
            return "dateFormat \"" + format + "\"";
        }
    }

    /** Whole days between now and a date in the future ({@code daysAfterNow}) or the past ({@code daysBeforeNow}). */
    record Days(boolean after) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            if (!Values.isDate(in)) throw new Values.EvalException(describe() + " takes a date, got a " + Values.type(in));
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            long days = after ? ChronoUnit.DAYS.between(now, Values.asDate(in)) : ChronoUnit.DAYS.between(Values.asDate(in), now);
            return Values.NODES.numberNode(days);
        }

        public String describe() {
            return after ? "daysAfterNow" : "daysBeforeNow";
        }
    }

    record Base64Decode(boolean urlSafe) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            String s = Values.string(in, describe()).replaceAll("\\s", "");
            try {
                return Values.bytes(urlSafe ? Base64.getUrlDecoder().decode(s.replace("=", "")) : Base64.getDecoder().decode(s));
            } catch (IllegalArgumentException e) {
                throw new Values.EvalException(describe() + ": not Base64 (" + e.getMessage() + ")");
            }
        }

        public String describe() {
            return urlSafe ? "base64UrlSafeDecode" : "base64Decode";
        }
    }

    record Base64Encode(boolean urlSafe) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            byte[] b = in.isBinary() ? Values.asBytes(in) : Values.utf8(Values.string(in, describe()));
            return Values.text(urlSafe ? Base64.getUrlEncoder().withoutPadding().encodeToString(b) : Base64.getEncoder().encodeToString(b));
        }

        public String describe() {
            return urlSafe ? "base64UrlSafeEncode" : "base64Encode";
        }
    }

    record ToHex() implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            if (!in.isBinary()) throw new Values.EvalException("toHex takes bytes, got a " + Values.type(in));
            return Values.text(HexFormat.of().formatHex(Values.asBytes(in)));
        }

        public String describe() {
            return "toHex";
        }
    }

    record UrlDecode() implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            try {
                return Values.text(URLDecoder.decode(Values.string(in, "urlDecode").replace("+", "%2B"), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new Values.EvalException("urlDecode: " + e.getMessage());
            }
        }

        public String describe() {
            return "urlDecode";
        }
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters and {@code /}. */
    record UrlEncode() implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            StringBuilder b = new StringBuilder();
            for (byte x : Values.utf8(Values.string(in, "urlEncode"))) {
                int c = x & 0xff;
                if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                        || c == '_' || c == '~' || c == '/') {
                    b.append((char) c);
                } else {
                    b.append('%').append(String.format(Locale.ROOT, "%02X", c));
                }
            }
            return Values.text(b.toString());
        }

        public String describe() {
            return "urlEncode";
        }
    }

    record UrlQueryParam(String name) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            String url = Values.string(in, "urlQueryParam");
            int q = url.indexOf('?');
            if (q < 0) return Values.none();
            String query = url.substring(q + 1);
            int hash = query.indexOf('#');
            if (hash >= 0) query = query.substring(0, hash);
            String want = scope.render(name);
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                if (k.equals(want)) return Values.text(eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return Values.none();
        }

        public String describe() {
            return "urlQueryParam \"" + name + "\"";
        }
    }

    record HtmlEscape() implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            return Values.text(Values.string(in, "htmlEscape").replace("&", "&amp;").replace("<", "&lt;")
                    .replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#x27;"));
        }

        public String describe() {
            return "htmlEscape";
        }
    }

    /** Numeric references and the named references that matter in practice. */
    record HtmlUnescape() implements Filter {
        private static final java.util.Map<String, String> NAMED = java.util.Map.ofEntries(
                java.util.Map.entry("amp", "&"), java.util.Map.entry("lt", "<"), java.util.Map.entry("gt", ">"),
                java.util.Map.entry("quot", "\""), java.util.Map.entry("apos", "'"), java.util.Map.entry("nbsp", "\u00a0"),
                java.util.Map.entry("copy", "©"), java.util.Map.entry("reg", "®"), java.util.Map.entry("trade", "™"),
                java.util.Map.entry("hellip", "…"), java.util.Map.entry("mdash", "—"), java.util.Map.entry("ndash", "–"),
                java.util.Map.entry("laquo", "«"), java.util.Map.entry("raquo", "»"), java.util.Map.entry("euro", "€"),
                java.util.Map.entry("eacute", "é"), java.util.Map.entry("egrave", "è"), java.util.Map.entry("agrave", "à"),
                java.util.Map.entry("ccedil", "ç"), java.util.Map.entry("uuml", "ü"), java.util.Map.entry("ouml", "ö"),
                java.util.Map.entry("auml", "ä"), java.util.Map.entry("szlig", "ß"));

        public JsonNode apply(JsonNode in, Scope scope) {
            String s = Values.string(in, "htmlUnescape");
            StringBuilder b = new StringBuilder();
            int i = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                int semi = c == '&' ? s.indexOf(';', i) : -1;
                if (semi > i && semi - i <= 12) {
                    String ref = s.substring(i + 1, semi);
                    String rep = null;
                    try {
                        if (ref.startsWith("#x") || ref.startsWith("#X")) rep = Character.toString(Integer.parseInt(ref.substring(2), 16));
                        else if (ref.startsWith("#")) rep = Character.toString(Integer.parseInt(ref.substring(1)));
                        else rep = NAMED.get(ref);
                    } catch (IllegalArgumentException ignored) {
                        // not a reference: kept as written
                    }
                    if (rep != null) {
                        b.append(rep);
                        i = semi + 1;
                        continue;
                    }
                }
                b.append(c);
                i++;
            }
            return Values.text(b.toString());
        }

        public String describe() {
            return "htmlUnescape";
        }
    }

    record Decode(String charset) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            if (!in.isBinary()) throw new Values.EvalException(describe() + " takes bytes, got a " + Values.type(in));
            try {
                return Values.text(new String(Values.asBytes(in), Charset.forName(scope.render(charset))));
            } catch (IllegalArgumentException e) {
                throw new Values.EvalException("decode: unknown encoding '" + charset + "'");
            }
        }

        public String describe() {
            return charset.equals("utf-8") ? "utf8Decode" : "decode \"" + charset + "\"";
        }
    }

    record Utf8Encode() implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            return Values.bytes(Values.utf8(Values.string(in, "utf8Encode")));
        }

        public String describe() {
            return "utf8Encode";
        }
    }

    /** Parses a string as JSON and evaluates a JSONPath on it. */
    record JsonPathFilter(JsonPath path) implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            JsonNode doc = in;
            if (in.isTextual()) {
                try {
                    doc = HttpApi.JSON.readTree(in.textValue());
                } catch (IOException e) {
                    throw new Values.EvalException("jsonpath: the value is not JSON");
                }
            }
            return path.evaluate(doc);
        }

        public String describe() {
            return "jsonpath \"" + path + "\"";
        }
    }

    /** The {@code location} of a {@code redirects} item. */
    record Location() implements Filter {
        public JsonNode apply(JsonNode in, Scope scope) {
            if (in.isObject() && in.has("location")) return in.get("location");
            throw new Values.EvalException("location takes an item of redirects, got a " + Values.type(in));
        }

        public String describe() {
            return "location";
        }
    }
}
