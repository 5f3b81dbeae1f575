package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A small JSONPath evaluator for the subset checks need:
 * <ul>
 *   <li>{@code $} the document; {@code .name} or {@code ['name']} / {@code ["name"]} a member;</li>
 *   <li>{@code [2]} an array element ({@code [-1]} the last); {@code [*]} or {@code .*} every element or member;</li>
 *   <li>{@code ..name} every member called {@code name} at any depth;</li>
 *   <li>{@code .length()} at the end: the size of the array, object or string selected.</li>
 * </ul>
 * Filters ({@code [?(...)]}), slices and unions are not supported and are rejected when the path is parsed.
 * A definite path (no wildcard, no {@code ..}) yields one node or nothing; other paths yield an array of matches.
 */
public final class JsonPath {
    private sealed interface Step permits Member, Index, Wildcard, Descend, Length {
    }

    private record Member(String name) implements Step {
    }

    private record Index(int index) implements Step {
    }

    private record Wildcard() implements Step {
    }

    private record Descend(String name) implements Step {
    }

    private record Length() implements Step {
    }

    private final String expression;
    private final List<Step> steps;
    private final boolean definite;

    private JsonPath(String expression, List<Step> steps) {
        this.expression = expression;
        this.steps = steps;
        this.definite = steps.stream().noneMatch(s -> s instanceof Wildcard || s instanceof Descend);
    }

    /** Parses {@code expression}; throws {@link IllegalArgumentException} saying what is unsupported. */
    public static JsonPath compile(String expression) {
        String e = expression.strip();
        if (!e.startsWith("$")) throw new IllegalArgumentException("a JSONPath starts with '$' (got '" + expression + "')");
        List<Step> steps = new ArrayList<>();
        int i = 1;
        while (i < e.length()) {
            char c = e.charAt(i);
            if (!steps.isEmpty() && steps.get(steps.size() - 1) instanceof Length) {
                throw new IllegalArgumentException("length() must be the last step of '" + expression + "'");
            }
            if (e.startsWith("..", i)) {
                int j = i + 2;
                int end = nameEnd(e, j);
                if (end == j) throw new IllegalArgumentException("'..' needs a member name in '" + expression + "'");
                steps.add(new Descend(e.substring(j, end)));
                i = end;
            } else if (c == '.') {
                int j = i + 1;
                if (e.startsWith("*", j)) {
                    steps.add(new Wildcard());
                    i = j + 1;
                } else if (e.startsWith("length()", j) && j + 8 == e.length()) {
                    steps.add(new Length());
                    i = j + 8;
                } else {
                    int end = nameEnd(e, j);
                    if (end == j) throw new IllegalArgumentException("empty member name at position " + j + " of '" + expression + "'");
                    steps.add(new Member(e.substring(j, end)));
                    i = end;
                }
            } else if (c == '[') {
                int close;
                if (i + 1 < e.length() && (e.charAt(i + 1) == '\'' || e.charAt(i + 1) == '"')) {
                    char q = e.charAt(i + 1);
                    int endQuote = e.indexOf(q, i + 2);
                    if (endQuote < 0 || endQuote + 1 >= e.length() || e.charAt(endQuote + 1) != ']') {
                        throw new IllegalArgumentException("unterminated ['name'] in '" + expression + "'");
                    }
                    steps.add(new Member(e.substring(i + 2, endQuote)));
                    i = endQuote + 2;
                    continue;
                }
                close = e.indexOf(']', i);
                if (close < 0) throw new IllegalArgumentException("unterminated '[' in '" + expression + "'");
                String inside = e.substring(i + 1, close).strip();
                if (inside.equals("*")) {
                    steps.add(new Wildcard());
                } else if (inside.matches("-?\\d+")) {
                    steps.add(new Index(Integer.parseInt(inside)));
                } else {
                    throw new IllegalArgumentException("unsupported selector [" + inside + "] in '" + expression
                            + "' (supported: [n], [*], ['name'])");
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("unexpected '" + c + "' at position " + i + " of '" + expression + "'");
            }
        }
        return new JsonPath(e, List.copyOf(steps));
    }

    private static int nameEnd(String e, int from) {
        int j = from;
        while (j < e.length() && e.charAt(j) != '.' && e.charAt(j) != '[') j++;
        return j;
    }

    public String expression() {
        return expression;
    }

    public boolean isDefinite() {
        return definite;
    }

    /**
     * Evaluates against {@code root}: for a definite path the node or {@link MissingNode}; otherwise an array of
     * every match (possibly empty).
     */
    public JsonNode evaluate(JsonNode root) {
        List<JsonNode> current = List.of(root);
        for (Step s : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : current) {
                switch (s) {
                    case Member m -> {
                        if (n.isObject() && n.has(m.name())) next.add(n.get(m.name()));
                    }
                    case Index ix -> {
                        if (n.isArray()) {
                            int k = ix.index() < 0 ? n.size() + ix.index() : ix.index();
                            if (k >= 0 && k < n.size()) next.add(n.get(k));
                        }
                    }
                    case Wildcard w -> {
                        if (n.isArray() || n.isObject()) n.elements().forEachRemaining(next::add);
                    }
                    case Descend d -> descend(n, d.name(), next);
                    case Length l -> {
                        if (n.isArray() || n.isObject()) next.add(JsonNodeFactory.instance.numberNode(n.size()));
                        else if (n.isTextual()) next.add(JsonNodeFactory.instance.numberNode(n.textValue().length()));
                    }
                }
            }
            current = next;
        }
        if (definite) return current.isEmpty() ? MissingNode.getInstance() : current.get(0);
        return JsonNodeFactory.instance.arrayNode().addAll(current);
    }

    private static void descend(JsonNode n, String name, List<JsonNode> out) {
        if (n.isObject()) {
            if (n.has(name)) out.add(n.get(name));
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) descend(it.next(), name, out);
        } else if (n.isArray()) {
            for (JsonNode c : n) descend(c, name, out);
        }
    }

    @Override
    public String toString() {
        return expression;
    }
}
