package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.net.HttpCookie;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A value taken from a response for later checks: {@code jsonpath}, {@code header}, {@code regex} (over the
 * body; group 1 when the pattern has a group) or {@code cookie} (from {@code Set-Cookie}), or {@code status}.
 * A {@code secret} capture is masked before anything can print it.
 */
public record Capture(String name, Source source, String expression, boolean secret) {

    public enum Source { JSONPATH, HEADER, REGEX, COOKIE, STATUS }

    /** The captured value, or a reason it could not be taken. */
    public sealed interface Result {
    }

    public record Value(JsonNode value) implements Result {
    }

    public record Missing(String reason) implements Result {
    }

    public Result take(Response r) {
        switch (source) {
            case JSONPATH -> {
                JsonNode root = r.json();
                if (root.isMissingNode()) return new Missing(r.jsonError());
                JsonPath p = JsonPath.compile(expression);
                JsonNode v = p.evaluate(root);
                if (v.isMissingNode() || (!p.isDefinite() && v.isEmpty())) return new Missing("jsonpath " + expression + " matched nothing");
                return new Value(v);
            }
            case HEADER -> {
                String v = r.header(expression);
                return v == null ? new Missing("no " + expression + " header") : new Value(TextNode.valueOf(v));
            }
            case REGEX -> {
                Matcher m = Pattern.compile(expression).matcher(r.text());
                if (!m.find()) return new Missing("regex " + expression + " found nothing in the body");
                return new Value(TextNode.valueOf(m.groupCount() >= 1 ? m.group(1) : m.group()));
            }
            case COOKIE -> {
                for (String h : r.headerValues("set-cookie")) {
                    try {
                        for (HttpCookie c : HttpCookie.parse(h)) {
                            if (c.getName().equals(expression)) return new Value(TextNode.valueOf(c.getValue()));
                        }
                    } catch (IllegalArgumentException ignored) {
                        // a malformed Set-Cookie is not ours to judge here
                    }
                }
                return new Missing("no cookie " + expression + " was set");
            }
            case STATUS -> {
                return new Value(IntNode.valueOf(r.status()));
            }
            default -> throw new IllegalStateException();
        }
    }

    static Optional<Source> source(String key) {
        for (Source s : Source.values()) if (s.name().equalsIgnoreCase(key)) return Optional.of(s);
        return Optional.empty();
    }
}
