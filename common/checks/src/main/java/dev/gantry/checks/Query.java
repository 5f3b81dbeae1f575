package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.net.HttpCookie;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an assertion or a capture reads from a response, as Hurl names it: {@code status}, {@code version},
 * {@code url}, {@code header}, {@code cookie}, {@code body}, {@code bytes}, {@code rawbytes}, {@code jsonpath},
 * {@code regex}, {@code sha256}, {@code md5}, {@code variable}, {@code duration}, {@code certificate},
 * {@code redirects}. The result is a value, or none ({@link Values#none()}) when there is nothing to read.
 * Arguments may hold {@code {{templates}}}, filled in when the query runs.
 */
public sealed interface Query {

    JsonNode eval(Response r, Scope scope);

    /** How it reads in a message: {@code jsonpath "$.id"}. */
    String describe();

    /** Whether it reads the response body (it cannot be judged when the body was over the cap). */
    default boolean readsBody() {
        return false;
    }

    record Status() implements Query {
        public JsonNode eval(Response r, Scope scope) {
            return Values.NODES.numberNode(r.status());
        }

        public String describe() {
            return "status";
        }
    }

    record Version() implements Query {
        public JsonNode eval(Response r, Scope scope) {
            return Values.text(r.version());
        }

        public String describe() {
            return "version";
        }
    }

    record Url() implements Query {
        public JsonNode eval(Response r, Scope scope) {
            return Values.text(r.url());
        }

        public String describe() {
            return "url";
        }
    }

    /** One value, or a list when the header is repeated. */
    record Header(String name) implements Query {
        public JsonNode eval(Response r, Scope scope) {
            List<String> v = r.headerValues(scope.render(name));
            if (v.isEmpty()) return Values.none();
            if (v.size() == 1) return Values.text(v.get(0));
            return Values.list(v.stream().map(Values::text).toList());
        }

        public String describe() {
            return "header \"" + name + "\"";
        }
    }

    /** {@code name} or {@code name[Attribute]} of a {@code Set-Cookie} of this response. */
    record Cookie(String spec) implements Query {
        public JsonNode eval(Response r, Scope scope) {
            String s = scope.render(spec);
            String name = s;
            String attr = "Value";
            int open = s.indexOf('[');
            if (open > 0 && s.endsWith("]")) {
                name = s.substring(0, open);
                attr = s.substring(open + 1, s.length() - 1);
            }
            for (String h : r.headerValues("set-cookie")) {
                List<HttpCookie> cookies;
                try {
                    cookies = HttpCookie.parse(h);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                for (HttpCookie c : cookies) {
                    if (c.getName().equals(name)) return attribute(c, h, attr);
                }
            }
            return Values.none();
        }

        private static JsonNode attribute(HttpCookie c, String header, String attr) {
            return switch (attr.toLowerCase(Locale.ROOT)) {
                case "value" -> Values.text(c.getValue());
                case "domain" -> c.getDomain() == null ? Values.none() : Values.text(c.getDomain());
                case "path" -> c.getPath() == null ? Values.none() : Values.text(c.getPath());
                case "max-age" -> raw(header, "max-age") == null ? Values.none()
                        : Values.NODES.numberNode(Long.parseLong(raw(header, "max-age").strip()));
                case "expires" -> raw(header, "expires") == null ? Values.none() : Values.text(raw(header, "expires"));
                case "samesite" -> raw(header, "samesite") == null ? Values.none() : Values.text(raw(header, "samesite"));
                case "secure" -> c.getSecure() ? Values.NODES.nullNode() : Values.none();
                case "httponly" -> c.isHttpOnly() ? Values.NODES.nullNode() : Values.none();
                default -> throw new Values.EvalException("unknown cookie attribute [" + attr + "] (Value, Expires, Max-Age,"
                        + " Domain, Path, Secure, HttpOnly, SameSite)");
            };
        }

        /** An attribute as written in the header (HttpCookie turns Expires into seconds and drops SameSite). */
        private static String raw(String header, String name) {
            for (String part : header.split(";")) {
                int eq = part.indexOf('=');
                String k = (eq < 0 ? part : part.substring(0, eq)).strip();
                if (k.equalsIgnoreCase(name)) return eq < 0 ? "" : part.substring(eq + 1).strip();
            }
            return null;
        }

        public String describe() {
            return "cookie \"" + spec + "\"";
        }
    }

    record Body() implements Query {
        public JsonNode eval(Response r, Scope scope) {
            return Values.text(r.text());
        }

        public String describe() {
            return "body";
        }

        public boolean readsBody() {
            return true;
        }
    }

    record Bytes(boolean raw) implements Query {
        public JsonNode eval(Response r, Scope scope) {
            return Values.bytes(raw ? r.rawBytes() : r.bytes());
        }

        public String describe() {
            return raw ? "rawbytes" : "bytes";
        }

        public boolean readsBody() {
            return true;
        }
    }

    /** JSONPath over the body parsed as JSON; a template in the expression is filled in first. */
    record Json(String expression, JsonPath compiled) implements Query {
        public static Json of(String expression) {
            return new Json(expression, expression.contains("{{") ? null : JsonPath.compile(expression));
        }

        public JsonNode eval(Response r, Scope scope) {
            JsonNode root = r.json();
            if (root.isMissingNode()) throw new Values.EvalException(r.jsonError());
            return path(scope).evaluate(root);
        }

        JsonPath path(Scope scope) {
            if (compiled != null) return compiled;
            try {
                return JsonPath.compile(scope.render(expression));
            } catch (IllegalArgumentException e) {
                throw new Values.EvalException(e.getMessage());
            }
        }

        public String describe() {
            return "jsonpath \"" + expression + "\"";
        }

        public boolean readsBody() {
            return true;
        }
    }

    /** Group 1 of a regex over the body text (the whole match when the pattern has no group). */
    record RegexQ(Regex regex) implements Query {
        public JsonNode eval(Response r, Scope scope) {
            String v = regex.firstGroup(r.text());
            return v == null ? Values.none() : Values.text(v);
        }

        public String describe() {
            return "regex " + regex;
        }

        public boolean readsBody() {
            return true;
        }
    }

    record Digest(String algorithm) implements Query {
        public JsonNode eval(Response r, Scope scope) {
            try {
                return Values.bytes(MessageDigest.getInstance(algorithm.equals("sha256") ? "SHA-256" : "MD5").digest(r.bytes()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        public String describe() {
            return algorithm;
        }

        public boolean readsBody() {
            return true;
        }
    }

    record Variable(String name) implements Query {
        public JsonNode eval(Response r, Scope scope) {
            return scope.lookup(scope.render(name)).orElse(Values.none());
        }

        public String describe() {
            return "variable \"" + name + "\"";
        }
    }

    /** The whole exchange in milliseconds (redirects included). */
    record Duration() implements Query {
        public JsonNode eval(Response r, Scope scope) {
            return Values.NODES.numberNode(r.durationMillis());
        }

        public String describe() {
            return "duration";
        }
    }

    /** {@code Subject}, {@code Issuer}, {@code Start-Date}, {@code Expire-Date}, {@code Serial-Number}, {@code Subject-Alt-Name}. */
    record Certificate(String attribute) implements Query {
        static final List<String> ATTRIBUTES = List.of("Subject", "Issuer", "Start-Date", "Expire-Date", "Serial-Number",
                "Subject-Alt-Name");

        public JsonNode eval(Response r, Scope scope) {
            X509Certificate c = r.certificate();
            if (c == null) return Values.none();
            return switch (attribute) {
                case "Subject" -> Values.text(Names.distinguished(c.getSubjectX500Principal().getName()));
                case "Issuer" -> Values.text(Names.distinguished(c.getIssuerX500Principal().getName()));
                case "Start-Date" -> Values.date(OffsetDateTime.ofInstant(c.getNotBefore().toInstant(), ZoneOffset.UTC));
                case "Expire-Date" -> Values.date(OffsetDateTime.ofInstant(c.getNotAfter().toInstant(), ZoneOffset.UTC));
                case "Serial-Number" -> Values.text(serial(c.getSerialNumber()));
                case "Subject-Alt-Name" -> Values.text(altNames(c));
                default -> throw new Values.EvalException("unknown certificate attribute " + attribute);
            };
        }

        private static String serial(BigInteger n) {
            String hex = n.toString(16);
            if (hex.length() % 2 == 1) hex = "0" + hex;
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < hex.length(); i += 2) {
                if (i > 0) b.append(':');
                b.append(hex, i, i + 2);
            }
            return b.toString();
        }

        private static String altNames(X509Certificate c) {
            try {
                var names = c.getSubjectAlternativeNames();
                if (names == null) return "";
                List<String> out = new ArrayList<>();
                for (List<?> n : names) {
                    int type = (Integer) n.get(0);
                    String prefix = switch (type) {
                        case 1 -> "email:";
                        case 2 -> "DNS:";
                        case 6 -> "URI:";
                        case 7 -> "IP:";
                        default -> "other:";
                    };
                    out.add(prefix + n.get(1));
                }
                return String.join(", ", out);
            } catch (CertificateParsingException e) {
                return "";
            }
        }

        public String describe() {
            return "certificate \"" + attribute + "\"";
        }
    }

    /** The redirects followed, each an object with its {@code location} (see the {@code location} filter). */
    record Redirects() implements Query {
        public JsonNode eval(Response r, Scope scope) {
            List<JsonNode> out = new ArrayList<>();
            for (String location : r.redirects()) {
                ObjectNode o = Values.NODES.objectNode();
                o.put("location", location);
                out.add(o);
            }
            return Values.list(out);
        }

        public String describe() {
            return "redirects";
        }
    }

    /** Distinguished names as Hurl prints them: {@code C=US, O=Let's Encrypt, CN=R3} (the certificate's order). */
    final class Names {
        private Names() {
        }

        static String distinguished(String rfc2253) {
            try {
                var rdns = new javax.naming.ldap.LdapName(rfc2253).getRdns();
                List<String> parts = new ArrayList<>();
                for (var rdn : rdns) parts.add(rdn.toString());
                return String.join(", ", parts);
            } catch (javax.naming.InvalidNameException e) {
                return rfc2253;
            }
        }
    }
}
