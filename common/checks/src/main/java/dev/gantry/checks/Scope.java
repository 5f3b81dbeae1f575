package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values {@code {{...}}} templates can name, in the order they are looked up: {@code {{secrets.NAME}}} a
 * secret, {@code {{github.NAME}}} the GitHub context (run_id, sha, repository, ...), and {@code {{name}}} a
 * capture of an earlier check, else a variable. Captures keep their JSON type, so {@code json: {id: "{{id}}"}}
 * sends a number when the captured id was one.
 */
public final class Scope {
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

    private final Map<String, String> variables;
    private final Map<String, String> secrets;
    private final Map<String, String> github;
    private final Map<String, JsonNode> captures = new LinkedHashMap<>();
    private final Set<String> secretValues = new LinkedHashSet<>();

    public Scope(Map<String, String> variables, Map<String, String> secrets, Map<String, String> github) {
        this.variables = Map.copyOf(variables);
        this.secrets = Map.copyOf(secrets);
        this.github = Map.copyOf(github);
        secrets.values().stream().filter(v -> !v.isEmpty()).forEach(secretValues::add);
    }

    /** A reference to a value no one defined (or a capture that an earlier, failed check did not make). */
    public static final class UnknownVariableException extends RuntimeException {
        private final String name;

        UnknownVariableException(String name) {
            super("{{" + name + "}} is not defined");
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    public void capture(String name, JsonNode value, boolean secret) {
        captures.put(name, value);
        if (secret) secretValues.add(text(value));
    }

    /** A copy of this scope with {@code extra} captured on top (the soak's cleanup of one write); secrets stay secret. */
    public Scope withCaptures(Map<String, JsonNode> extra) {
        Scope s = new Scope(variables, secrets, github);
        s.captures.putAll(captures);
        s.secretValues.addAll(secretValues);
        s.captures.putAll(extra);
        return s;
    }

    public Map<String, JsonNode> captures() {
        return Map.copyOf(captures);
    }

    /** Every secret value known so far: secret inputs and secret captures. */
    public Set<String> secretValues() {
        return Set.copyOf(secretValues);
    }

    public Optional<JsonNode> lookup(String name) {
        if (name.startsWith("secrets.")) {
            String v = secrets.get(name.substring(8));
            return v == null ? Optional.empty() : Optional.of(TextNode.valueOf(v));
        }
        if (name.startsWith("github.")) {
            String v = github.get(name.substring(7));
            return v == null ? Optional.empty() : Optional.of(TextNode.valueOf(v));
        }
        String key = name.startsWith("vars.") ? name.substring(5) : name;
        if (!name.startsWith("vars.") && captures.containsKey(name)) return Optional.of(captures.get(name));
        String v = variables.get(key);
        return v == null ? Optional.empty() : Optional.of(TextNode.valueOf(v));
    }

    /** Replaces every {@code {{name}}} in {@code text}. */
    public String render(String text) {
        if (text == null || !text.contains("{{")) return text;
        Matcher m = TEMPLATE.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            JsonNode v = lookup(m.group(1)).orElseThrow(() -> new UnknownVariableException(m.group(1)));
            m.appendReplacement(b, Matcher.quoteReplacement(text(v)));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * Renders a value for a JSON body: a string that is exactly one template becomes the named value with its
     * JSON type; other strings are rendered as text; maps and lists recursively.
     */
    public Object renderJson(Object value) {
        if (value instanceof String s) {
            Matcher m = TEMPLATE.matcher(s.strip());
            if (m.matches()) {
                return lookup(m.group(1)).orElseThrow(() -> new UnknownVariableException(m.group(1)));
            }
            return render(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(render(String.valueOf(k)), renderJson(v)));
            return out;
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(this::renderJson).toList();
        }
        return value;
    }

    /** The names {@code text} refers to. */
    public static Set<String> references(String text) {
        Set<String> out = new LinkedHashSet<>();
        if (text == null) return out;
        Matcher m = TEMPLATE.matcher(text);
        while (m.find()) out.add(m.group(1));
        return out;
    }

    /** A JSON value as text: strings unquoted, everything else as JSON. */
    public static String text(JsonNode v) {
        if (v == null || v.isMissingNode()) return "";
        return v.isTextual() ? v.textValue() : v.toString();
    }
}
