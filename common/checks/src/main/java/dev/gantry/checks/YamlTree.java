package dev.gantry.checks;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * YAML read into a tree that remembers where every value and key stands, so that a configuration error can
 * name the line. Jackson's own tree drops locations; this walks its streaming parser instead.
 */
final class YamlTree {
    private static final YAMLFactory YAML = new YAMLFactory();

    /** A value: a {@code Map<String, Node>}, a {@code List<Node>}, a String, Number, Boolean, or null. */
    record Node(Object value, int line, int column, Map<String, int[]> keyLocations) {
        boolean isMap() {
            return value instanceof Map;
        }

        boolean isList() {
            return value instanceof List;
        }

        boolean isScalar() {
            return !isMap() && !isList();
        }

        @SuppressWarnings("unchecked")
        Map<String, Node> map() {
            return (Map<String, Node>) value;
        }

        @SuppressWarnings("unchecked")
        List<Node> list() {
            return (List<Node>) value;
        }

        int[] keyLocation(String key) {
            int[] l = keyLocations == null ? null : keyLocations.get(key);
            return l == null ? new int[]{line, column} : l;
        }

        /** The value as plain Java objects (maps, lists, scalars), locations dropped. */
        Object plain() {
            if (isMap()) {
                Map<String, Object> m = new LinkedHashMap<>();
                map().forEach((k, v) -> m.put(k, v.plain()));
                return m;
            }
            if (isList()) {
                List<Object> l = new ArrayList<>();
                for (Node n : list()) l.add(n.plain());
                return l;
            }
            return value;
        }

        String kind() {
            if (isMap()) return "a mapping";
            if (isList()) return "a list";
            if (value == null) return "empty";
            if (value instanceof String) return "a string";
            if (value instanceof Boolean) return "a boolean";
            return "a number";
        }
    }

    private YamlTree() {
    }

    static Node parse(String yaml, String source) {
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new CheckFileException(source, 1, 1, "the checks are empty");
            }
            Node root = read(p);
            if (p.nextToken() != null) {
                JsonLocation l = p.currentTokenLocation();
                throw new CheckFileException(source, l.getLineNr(), l.getColumnNr(), "more than one YAML document");
            }
            return root;
        } catch (CheckFileException e) {
            if (!e.source().isEmpty()) throw e;
            throw new CheckFileException(source, e.line(), e.column(), e.problem());
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new CheckFileException(source, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(),
                    "not valid YAML: " + yamlProblem(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new CheckFileException(source, 0, 0, "cannot read: " + e.getMessage());
        }
    }

    /** SnakeYAML's message without its own positions and source excerpts: "while parsing ...; expected ...". */
    static String yamlProblem(String message) {
        List<String> parts = new ArrayList<>();
        for (String line : message.split("\n")) {
            if (line.startsWith(" ") || line.startsWith("\t") || line.startsWith(" at [")) continue;
            String t = line.replaceAll("\\s*in 'reader', line \\d+, column \\d+:?", "").strip();
            if (!t.isEmpty()) parts.add(t);
        }
        return parts.isEmpty() ? message.strip() : String.join("; ", parts);
    }

    private static Node read(JsonParser p) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int col = at.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                Map<String, Node> m = new LinkedHashMap<>();
                Map<String, int[]> keys = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    JsonLocation kl = p.currentTokenLocation();
                    String name = p.currentName();
                    p.nextToken();
                    Node v = read(p);
                    if (m.containsKey(name)) {
                        throw new CheckFileException("", kl.getLineNr(), kl.getColumnNr(), "duplicate key '" + name + "'");
                    }
                    m.put(name, v);
                    keys.put(name, new int[]{kl.getLineNr(), kl.getColumnNr()});
                }
                return new Node(m, line, col, keys);
            }
            case START_ARRAY -> {
                List<Node> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p));
                }
                return new Node(l, line, col, null);
            }
            case VALUE_STRING -> {
                return new Node(p.getText(), line, col, null);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new Node(p.getNumberValue(), line, col, null);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(p.getBooleanValue(), line, col, null);
            }
            case VALUE_NULL -> {
                return new Node(null, line, col, null);
            }
            default -> throw new CheckFileException("", line, col, "unexpected YAML token " + t);
        }
    }
}
