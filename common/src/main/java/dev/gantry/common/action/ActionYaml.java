package dev.gantry.common.action;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the YAML subset an {@code action.yml} is written in: block mappings by indentation, block sequences of
 * scalars, plain, {@code '...'} and {@code "..."} scalars on one line, {@code |} and {@code >} block scalars (with
 * {@code -}/{@code +} chomping), and comments. Anything else (flow collections, anchors, tags, multi-line flow
 * scalars, tabs for indentation) is refused with its line number rather than read differently than a full YAML
 * parser would; {@code ActionMetadataTest} in action-tests checks that every Gantry {@code action.yml} reads the
 * same here as with a full parser.
 *
 * <p>Why not a YAML library: the runtime reads {@code action.yml} at every start, and on a cold JVM a YAML
 * parser with data binding costs more than the rest of a lint-only gate run.
 *
 * <p>Values are {@code Map<String, Object>} (in file order), {@code List<Object>} and {@code String}; an empty
 * value ({@code key:} with nothing nested) is the empty string.
 */
final class ActionYaml {
    private final String[] lines;
    private int i;

    private ActionYaml(String text) {
        this.lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    }

    /** @throws IllegalArgumentException naming the line of a construct outside the subset */
    static Map<String, Object> parse(String text) {
        ActionYaml y = new ActionYaml(text.startsWith("\uFEFF") ? text.substring(1) : text);
        y.skipBlank();
        if (y.i < y.lines.length && y.lines[y.i].strip().equals("---")) {
            y.i++;
            y.skipBlank();
        }
        if (y.i >= y.lines.length) return Map.of();
        int indent = indentOf(y.lines[y.i]);
        if (indent != 0) throw y.error("the document must start at column 1");
        Object root = y.block(0);
        y.skipBlank();
        if (y.i < y.lines.length) throw y.error("unexpected indentation");
        if (!(root instanceof Map<?, ?>)) throw new IllegalArgumentException("action.yml: the document is not a mapping");
        @SuppressWarnings("unchecked") Map<String, Object> m = (Map<String, Object>) root;
        return m;
    }

    /** A mapping or sequence whose entries start at column {@code indent}, from the current line. */
    private Object block(int indent) {
        String first = content(lines[i]);
        if (first.startsWith("- ") || first.equals("-")) return sequence(indent);
        Map<String, Object> map = new LinkedHashMap<>();
        while (entryAt(indent)) {
            String line = content(lines[i]);
            if (line.startsWith("- ")) throw error("a sequence entry where a mapping key was expected");
            int colon = keyEnd(line);
            if (colon < 0) throw error("expected 'key: value'");
            String key = key(line.substring(0, colon));
            if (map.containsKey(key)) throw error("duplicate key '" + key + "'");
            String rest = stripComment(line.substring(colon + 1)).strip();
            i++;
            map.put(key, value(rest, indent));
        }
        return map;
    }

    /** Whether another entry of the block at {@code indent} follows (blank lines skipped); deeper is an error. */
    private boolean entryAt(int indent) {
        skipBlank();
        if (i >= lines.length) return false;
        int ind = indentOf(lines[i]);
        if (ind > indent) throw error("unexpected indentation");
        return ind == indent;
    }

    private List<Object> sequence(int indent) {
        List<Object> list = new ArrayList<>();
        while (entryAt(indent)) {
            String line = content(lines[i]);
            if (!(line.startsWith("- ") || line.equals("-"))) break;
            String rest = stripComment(line.substring(1)).strip();
            if (keyEnd(rest) >= 0) throw error("mappings inside sequences are not supported");
            i++;
            list.add(value(rest, indent));
        }
        return list;
    }

    /** The value after {@code key:} (or {@code -}), {@code rest} being the text after it on the same line. */
    private Object value(String rest, int parentIndent) {
        if (rest.isEmpty()) {
            skipBlank();
            if (i < lines.length && indentOf(lines[i]) > parentIndent) return block(indentOf(lines[i]));
            if (i < lines.length && indentOf(lines[i]) == parentIndent && content(lines[i]).startsWith("- ")) {
                return sequence(parentIndent);
            }
            return "";
        }
        char c = rest.charAt(0);
        if (c == '|' || c == '>') return blockScalar(rest, parentIndent);
        String scalar = scalar(rest);
        if (i < lines.length && !isBlank(lines[i]) && indentOf(lines[i]) > parentIndent) {
            throw error("multi-line scalars are supported only as | or > blocks");
        }
        return scalar;
    }

    private String scalar(String s) {
        char c = s.charAt(0);
        if (c == '\'') return singleQuoted(s);
        if (c == '"') return doubleQuoted(s);
        if ("[{&*!%@`".indexOf(c) >= 0) throw error("'" + c + "' (flow collections, anchors, tags) is not supported", -1);
        return s;
    }

    private String singleQuoted(String s) {
        StringBuilder b = new StringBuilder();
        int k = 1;
        while (k < s.length()) {
            char c = s.charAt(k);
            if (c == '\'') {
                if (k + 1 < s.length() && s.charAt(k + 1) == '\'') {
                    b.append('\'');
                    k += 2;
                    continue;
                }
                if (k != s.length() - 1) throw error("text after a closing quote", -1);
                return b.toString();
            }
            b.append(c);
            k++;
        }
        throw error("unterminated quoted scalar (multi-line scalars are supported only as | or > blocks)", -1);
    }

    private String doubleQuoted(String s) {
        StringBuilder b = new StringBuilder();
        int k = 1;
        while (k < s.length()) {
            char c = s.charAt(k++);
            if (c == '"') {
                if (k != s.length()) throw error("text after a closing quote", -1);
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (k >= s.length()) break;
            char e = s.charAt(k++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't', '\t' -> b.append('\t');
                case 'r' -> b.append('\r');
                case '0' -> b.append('\0');
                case 'a' -> b.append('\u0007');
                case 'b' -> b.append('\b');
                case 'e' -> b.append('\u001B');
                case 'f' -> b.append('\f');
                case 'v' -> b.append('\u000B');
                case ' ', '"', '/', '\\' -> b.append(e);
                case 'N' -> b.append('\u0085');
                case '_' -> b.append('\u00A0');
                case 'L' -> b.append('\u2028');
                case 'P' -> b.append('\u2029');
                case 'x', 'u', 'U' -> {
                    int n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (k + n > s.length()) throw error("bad escape \\" + e, -1);
                    b.appendCodePoint(Integer.parseInt(s.substring(k, k + n), 16));
                    k += n;
                }
                default -> throw error("unknown escape \\" + e, -1);
            }
        }
        throw error("unterminated quoted scalar (multi-line scalars are supported only as | or > blocks)", -1);
    }

    /** {@code |} keeps line breaks, {@code >} folds them; {@code -} strips the final break, {@code +} keeps all. */
    private String blockScalar(String header, int parentIndent) {
        boolean literal = header.charAt(0) == '|';
        char chomp = ' ';
        int explicitIndent = 0;
        for (int k = 1; k < header.length(); k++) {
            char c = header.charAt(k);
            if (c == '-' || c == '+') chomp = c;
            else if (c >= '1' && c <= '9') explicitIndent = c - '0';
            else throw error("bad block scalar header '" + header + "'", -1);
        }
        int start = i;
        int indent = explicitIndent > 0 ? parentIndent + explicitIndent : -1;
        List<String> body = new ArrayList<>();
        while (i < lines.length) {
            String l = lines[i];
            if (l.isBlank()) {
                body.add("");
                i++;
                continue;
            }
            int ind = indentOf(l);
            if (indent < 0) {
                if (ind <= parentIndent) break;
                indent = ind;
            }
            if (ind < indent) break;
            body.add(l.substring(indent));
            i++;
        }
        if (indent < 0 && start == i) return "";
        int trailing = 0;
        while (trailing < body.size() && body.get(body.size() - 1 - trailing).isEmpty()) trailing++;
        // blank lines that belong to the next key are given back
        List<String> content = body.subList(0, body.size() - trailing);
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < content.size(); k++) {
            String l = content.get(k);
            if (k > 0) {
                String prev = content.get(k - 1);
                boolean fold = !literal && !prev.isEmpty() && !l.isEmpty() && !prev.startsWith(" ") && !l.startsWith(" ");
                if (fold) {
                    b.append(' ');
                } else if (!literal && prev.isEmpty()) {
                    // an empty line in a folded block is the line break itself
                } else {
                    b.append('\n');
                }
            }
            b.append(l);
        }
        if (!content.isEmpty()) {
            if (chomp == '+') b.append("\n".repeat(trailing + 1));
            else if (chomp != '-') b.append('\n');
        } else if (chomp == '+') {
            b.append("\n".repeat(trailing));
        }
        return b.toString();
    }

    /** Where the {@code :} that ends a key is, or -1: a colon followed by a space or the end of the line. */
    private int keyEnd(String line) {
        if (line.startsWith("'") || line.startsWith("\"")) {
            char q = line.charAt(0);
            int close = line.indexOf(q, 1);
            while (q == '\'' && close > 0 && close + 1 < line.length() && line.charAt(close + 1) == '\'') {
                close = line.indexOf(q, close + 2);
            }
            if (close < 0) return -1;
            return close + 1 < line.length() && line.charAt(close + 1) == ':'
                    && (close + 2 == line.length() || line.charAt(close + 2) == ' ') ? close + 1 : -1;
        }
        for (int k = 0; k < line.length(); k++) {
            if (line.charAt(k) == ':' && (k + 1 == line.length() || line.charAt(k + 1) == ' ')) return k;
            if (line.charAt(k) == '#' && k > 0 && line.charAt(k - 1) == ' ') return -1;
        }
        return -1;
    }

    private String key(String raw) {
        String k = raw.strip();
        if (k.isEmpty()) throw error("empty key");
        return k.charAt(0) == '\'' || k.charAt(0) == '"' ? scalar(k) : k;
    }

    /** The line without its indentation (comments are dropped later, by {@link #stripComment}, once it is split). */
    private static String content(String line) {
        return line.strip();
    }

    /** Drops {@code # comment} (a {@code #} at the start or after a space, outside quotes). */
    private static String stripComment(String s) {
        char quote = 0;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (quote != 0) {
                if (c == '\\' && quote == '"') k++;
                else if (c == '\'' && quote == '\'' && k + 1 < s.length() && s.charAt(k + 1) == '\'') k++;
                else if (c == quote) quote = 0;
            } else if ((c == '\'' || c == '"') && s.substring(0, k).isBlank()) {
                quote = c;
            } else if (c == '#' && (k == 0 || s.charAt(k - 1) == ' ' || s.charAt(k - 1) == '\t')) {
                return s.substring(0, k);
            }
        }
        return s;
    }

    private void skipBlank() {
        while (i < lines.length && isBlank(lines[i])) i++;
    }

    private static boolean isBlank(String line) {
        String s = line.strip();
        return s.isEmpty() || s.startsWith("#");
    }

    private static int indentOf(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') n++;
        if (n < line.length() && line.charAt(n) == '\t') {
            throw new IllegalArgumentException("action.yml: a tab in the indentation (YAML allows only spaces)");
        }
        return n;
    }

    private IllegalArgumentException error(String what) {
        return error(what, 0);
    }

    /** {@code offset} 0: the current line; -1: the line just read. */
    private IllegalArgumentException error(String what, int offset) {
        int line = Math.min(i + offset, lines.length - 1) + 1;
        return new IllegalArgumentException("action.yml line " + line + ": " + what);
    }
}
