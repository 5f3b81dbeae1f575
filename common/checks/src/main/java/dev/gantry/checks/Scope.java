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
 * sends a number when the captured id was one. {@code {{newUuid}}} and {@code {{newDate}}} (Hurl's functions) give a
 * random UUID and the current time in RFC 3339, unless a variable or capture has that name.
 */
public final class Scope {
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}}");

    private final Map<String, String> variables;
    private final Map<String, String> secrets;
    private final Map<String, String> github;
    private final Map<String, JsonNode> captures = new LinkedHashMap<>();
    private final Set<String> secretValues = new LinkedHashSet<>();
    private final boolean typedVariables;

    public Scope(Map<String, String> variables, Map<String, String> secrets, Map<String, String> github) {
        this(variables, secrets, github, false);
    }

    /**
     * {@code typedVariables}: Hurl's reading of injected variables, {@code true}/{@code false}, {@code null} and
     * numbers typed ({@code {{count}}} in a JSON body sends 42, not "42"); otherwise every variable is text.
     */
    public Scope(Map<String, String> variables, Map<String, String> secrets, Map<String, String> github,
                 boolean typedVariables) {
        this.typedVariables = typedVariables;
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

    /**
     * A copy of this scope with {@code extra} captured on top (the soak's cleanup of one write); secrets stay secret,
     * and so do the names in {@code secretNames} among {@code extra}.
     */
    public Scope withCaptures(Map<String, JsonNode> extra, Set<String> secretNames) {
        Scope s = new Scope(variables, secrets, github, typedVariables);
        s.captures.putAll(captures);
        s.secretValues.addAll(secretValues);
        extra.forEach((name, value) -> s.capture(name, value, secretNames.contains(name)));
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
        if (name.equals("newUuid") && !captures.containsKey(name) && !variables.containsKey(name)) {
            return Optional.of(TextNode.valueOf(java.util.UUID.randomUUID().toString()));
        }
        if (name.equals("newDate") && !captures.containsKey(name) && !variables.containsKey(name)) {
            return Optional.of(TextNode.valueOf(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                    .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME)));
        }
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
        if (v == null) return Optional.empty();
        return Optional.of(typedVariables ? hurlValue(v) : TextNode.valueOf(v));
    }

    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

    /** How Hurl types a variable given on its command line. */
    static JsonNode hurlValue(String v) {
        if (v.equals("true") || v.equals("false")) return com.fasterxml.jackson.databind.node.BooleanNode.valueOf(v.equals("true"));
        if (v.equals("null")) return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        if (NUMBER.matcher(v).matches() && v.length() < 30) {
            return v.contains(".") || v.contains("e") || v.contains("E") ? Values.NODES.numberNode(Double.parseDouble(v))
                    : Values.NODES.numberNode(new java.math.BigInteger(v));
        }
        return TextNode.valueOf(v);
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

    /** A value as text: strings unquoted, dates in RFC 3339, everything else as JSON. */
    public static String text(JsonNode v) {
        return Values.render(v);
    }

    /** The value of a template that is exactly one {@code {{name}}}, with its type; null when it is not one. */
    public JsonNode typed(String template) {
        if (template == null) return null;
        Matcher m = TEMPLATE.matcher(template.strip());
        if (!m.matches()) return null;
        return lookup(m.group(1)).orElseThrow(() -> new UnknownVariableException(m.group(1)));
    }

    /** Whether {@code text} is exactly one {@code {{name}}} template. */
    public static boolean isSingleTemplate(String text) {
        return text != null && TEMPLATE.matcher(text.strip()).matches();
    }
}
