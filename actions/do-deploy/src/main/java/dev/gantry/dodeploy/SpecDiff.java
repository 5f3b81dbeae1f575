package dev.gantry.dodeploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a new spec changes against the live one, field by field ({@code services[web].image.tag: v1 → v2}). Lists
 * of named things (components, envs, domains) are matched by name, key or domain, not by position. Values of
 * secret envs are never shown, and since the live spec holds them encrypted, a secret counts as changed only when
 * it is added or removed.
 */
final class SpecDiff {
    static final int MAX_CHANGES = 200;

    /** One change: {@code kind} is {@code +} (added), {@code -} (removed) or {@code ~} (changed). */
    record Change(String kind, String path, String before, String after) {
        String describe() {
            return switch (kind) {
                case "+" -> "+ " + path + " = " + after;
                case "-" -> "- " + path + " (was " + before + ")";
                default -> "~ " + path + ": " + before + " → " + after;
            };
        }
    }

    private SpecDiff() {
    }

    static List<Change> between(JsonNode live, JsonNode proposed) {
        List<Change> out = new ArrayList<>();
        walk("", live, proposed, out, false);
        return out.size() > MAX_CHANGES ? out.subList(0, MAX_CHANGES) : out;
    }

    private static void walk(String path, JsonNode a, JsonNode b, List<Change> out, boolean secret) {
        if (out.size() > MAX_CHANGES) return;
        boolean aMissing = a == null || a.isMissingNode() || a.isNull();
        boolean bMissing = b == null || b.isMissingNode() || b.isNull();
        if (aMissing && bMissing) return;
        if (aMissing) {
            out.add(new Change("+", path, null, show(b, secret)));
            return;
        }
        if (bMissing) {
            out.add(new Change("-", path, show(a, secret), null));
            return;
        }
        if (a.isObject() && b.isObject()) {
            boolean isSecret = secret || "SECRET".equals(a.path("type").asText()) || "SECRET".equals(b.path("type").asText());
            Set<String> keys = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(keys::add);
            b.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (isSecret && k.equals("value")) continue; // encrypted on one side: not comparable
                walk(path.isEmpty() ? k : path + "." + k, a.get(k), b.get(k), out, isSecret && k.equals("value"));
            }
            return;
        }
        if (a.isArray() && b.isArray() && keyOf(a, b) != null) {
            String key = keyOf(a, b);
            Map<String, JsonNode> left = byKey(a, key);
            Map<String, JsonNode> right = byKey(b, key);
            Set<String> names = new LinkedHashSet<>(left.keySet());
            names.addAll(right.keySet());
            for (String n : names) walk(path + "[" + n + "]", left.get(n), right.get(n), out, false);
            return;
        }
        if (!a.equals(b)) out.add(new Change("~", path, show(a, secret), show(b, secret)));
    }

    /** The field that names the elements of both arrays, when there is one. */
    private static String keyOf(JsonNode a, JsonNode b) {
        for (String key : List.of("name", "key", "domain")) {
            if (allHave(a, key) && allHave(b, key) && (a.size() + b.size() > 0)) return key;
        }
        return null;
    }

    private static boolean allHave(JsonNode arr, String key) {
        for (JsonNode e : arr) if (!e.isObject() || !e.path(key).isTextual()) return false;
        return true;
    }

    private static Map<String, JsonNode> byKey(JsonNode arr, String key) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode e : arr) m.put(e.path(key).asText(), e);
        return m;
    }

    private static String show(JsonNode n, boolean secret) {
        if (secret) return "(secret)";
        if (n.isObject() && "SECRET".equals(n.path("type").asText())) {
            return "{key: " + n.path("key").asText() + ", type: SECRET, value: (secret)}";
        }
        String s = n.isValueNode() ? n.asText() : n.toString();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

}
