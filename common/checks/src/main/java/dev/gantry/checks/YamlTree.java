package dev.gantry.checks;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLAnchorReplayingParser;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * YAML read into a tree that remembers where every value and key stands, so that a configuration error can name
 * the line, and what every scalar looked like in the file, so that a value stays what the user wrote.
 *
 * <p>YAML 1.1 (what the parser implements) reads unquoted {@code no}, {@code on}, {@code 0123} and {@code 1.10} as
 * {@code false}, {@code true}, {@code 83} and {@code 1.1}. Here every scalar keeps its text: where the checks expect a
 * string (a header, a query value, a path, a name) the text is taken as written; where a typed value is expected
 * (JSON bodies, expected values) a plain scalar whose YAML meaning differs from its text is refused with its line
 * ({@link Node#typed}). Aliases ({@code *anchor}) and merge keys ({@code <<: *anchor}) are resolved to the anchored
 * value, within the parser's limits on anchors and expansions (so an alias bomb is refused, not expanded).
 */
final class YamlTree {
    private static final YAMLFactory YAML = new YAMLFactory() {
        @Override
        protected YAMLParser _createParser(Reader r, IOContext ctxt) {
            return new YAMLAnchorReplayingParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, r);
        }
    };

    /**
     * A value: a {@code Map<String, Node>}, a {@code List<Node>}, or a scalar ({@code String}, {@code Number},
     * {@code Boolean} or null, as YAML resolved it) with {@code text} as written and {@code plain} when unquoted.
     */
    record Node(Object value, String text, boolean plain, int line, int column, Map<String, int[]> keyLocations) {
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

        /**
         * The scalar as a typed value: strings as written; {@code true}/{@code false}, {@code null}/{@code ~}/empty,
         * and numbers only when YAML's reading is the text itself ({@code 12}, {@code 1.5}, {@code -3}).
         *
         * @throws CheckFileException when YAML would read the unquoted text as something else ({@code no} → false,
         *                            {@code 0123} → 83, {@code 1.10} → 1.1)
         */
        Object typed(String source) {
            if (!isScalar() || !plain || value instanceof String) return value;
            if (value == null) {
                if (text.isEmpty() || text.equals("null") || text.equals("~")) return null;
            } else if (value instanceof Boolean b) {
                if (text.equalsIgnoreCase(b.toString())) return b;
            } else if (value instanceof Number n && canonical(n).equals(text)) {
                return n;
            }
            throw new CheckFileException(source, line, column, "unquoted " + text + " is ambiguous: YAML reads it as "
                    + (value == null ? "null" : value) + "; quote it (\"" + text + "\") to keep the text, or write "
                    + (value == null ? "null" : canonical(value)) + " for the " + kind());
        }

        private static String canonical(Object v) {
            return String.valueOf(v);
        }

        /** The value as plain Java objects (maps, lists, typed scalars), locations dropped. */
        Object plain(String source) {
            if (isMap()) {
                Map<String, Object> m = new LinkedHashMap<>();
                map().forEach((k, v) -> m.put(k, v.plain(source)));
                return m;
            }
            if (isList()) {
                List<Object> l = new ArrayList<>();
                for (Node n : list()) l.add(n.plain(source));
                return l;
            }
            return typed(source);
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
        try (JsonParser p = YAML.createParser(new StringReader(yaml))) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new CheckFileException(source, 1, 1, "the checks are empty");
            }
            Node root = read((YAMLParser) p);
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
        } catch (IOException | IllegalStateException e) {
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

    private static Node read(YAMLParser p) throws IOException {
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
                    int[] before = keys.get(name);
                    // an entry merged from an anchor (<<: *x) stands before this mapping; the mapping's own wins
                    boolean merged = before != null && (before[0] < line || (before[0] == line && before[1] < col));
                    if (before != null && !merged) {
                        throw new CheckFileException("", kl.getLineNr(), kl.getColumnNr(), "duplicate key '" + name + "'");
                    }
                    m.put(name, v);
                    keys.put(name, new int[]{kl.getLineNr(), kl.getColumnNr()});
                }
                return new Node(m, null, false, line, col, keys);
            }
            case START_ARRAY -> {
                List<Node> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(read(p));
                }
                return new Node(l, null, false, line, col, null);
            }
            case VALUE_STRING -> {
                return new Node(p.getText(), p.getText(), false, line, col, null);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                Number n;
                try {
                    n = p.getNumberValue();
                } catch (IOException | RuntimeException e) {
                    n = null;
                }
                return new Node(n == null ? p.getText() : n, p.getText(), true, line, col, null);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(p.getBooleanValue(), p.getText(), true, line, col, null);
            }
            case VALUE_NULL -> {
                return new Node(null, p.getText() == null ? "" : p.getText(), true, line, col, null);
            }
            default -> throw new CheckFileException("", line, col, "unexpected YAML token " + t);
        }
    }
}
