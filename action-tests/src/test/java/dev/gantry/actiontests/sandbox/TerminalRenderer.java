package dev.gantry.actiontests.sandbox;

import dev.gantry.actiontests.harness.ActionResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shows an action run in a terminal the way a runner's log page shows it: groups as headers with indented
 * bodies, annotations as {@code Error:}/{@code Warning:} lines with their file and line, mask and debug commands
 * hidden, outputs listed, and the step summary's Markdown rendered as aligned plain text.
 */
public final class TerminalRenderer {
    private static final Pattern TABLE_SEPARATOR = Pattern.compile("^\\|(\\s*:?-{3,}:?\\s*\\|)+\\s*$");
    private static final Pattern TAG = Pattern.compile("<[^>]+>");
    private final boolean color;

    public TerminalRenderer(boolean color) {
        this.color = color;
    }

    private String paint(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }

    /** The log as the runner would display it. */
    public String log(String rawLog) {
        StringBuilder b = new StringBuilder();
        String indent = "";
        String stopToken = null;
        for (String line : rawLog.split("\n")) {
            if (stopToken != null) {
                if (line.trim().equals("::" + stopToken + "::")) stopToken = null;
                else b.append(indent).append(line).append('\n');
                continue;
            }
            if (!line.startsWith("::")) {
                b.append(indent).append(line).append('\n');
                continue;
            }
            int end = line.indexOf("::", 2);
            if (end < 0) {
                b.append(indent).append(line).append('\n');
                continue;
            }
            String head = line.substring(2, end);
            String data = unescape(line.substring(end + 2));
            String name = head.contains(" ") ? head.substring(0, head.indexOf(' ')) : head;
            Map<String, String> props = props(head);
            switch (name) {
                case "group" -> {
                    b.append(paint("1", "▾ " + data)).append('\n');
                    indent = "  ";
                }
                case "endgroup" -> indent = "";
                case "stop-commands" -> stopToken = data;
                case "add-mask", "debug" -> {
                }
                case "error", "warning", "notice" -> {
                    String label = Character.toUpperCase(name.charAt(0)) + name.substring(1);
                    String where = props.containsKey("file")
                            ? " (" + props.get("file") + (props.containsKey("line") ? ":" + props.get("line") : "") + ")" : "";
                    String title = props.containsKey("title") ? props.get("title") + ": " : "";
                    String c = name.equals("error") ? "31" : name.equals("warning") ? "33" : "36";
                    b.append(indent).append(paint(c, label + ": " + title + data.replace("\n", "\n" + indent + "  ") + where)).append('\n');
                }
                default -> b.append(indent).append(line).append('\n');
            }
        }
        return b.toString();
    }

    /** Outputs, one per line (long values cut). */
    public String outputs(ActionResult r) {
        StringBuilder b = new StringBuilder();
        r.outputs().forEach((k, v) -> {
            String shown = v.length() > 160 ? v.substring(0, 157) + "…" : v;
            b.append("  ").append(paint("2", k)).append(" = ").append(shown.replace("\n", "⏎")).append('\n');
        });
        return b.toString();
    }

    /** The step summary's Markdown as plain text: headings, aligned tables, collapsed details opened. */
    public String markdown(String md) {
        List<String> lines = List.of(md.split("\n"));
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("|")) {
                List<List<String>> rows = new ArrayList<>();
                while (i < lines.size() && lines.get(i).startsWith("|")) {
                    if (!TABLE_SEPARATOR.matcher(lines.get(i)).matches()) rows.add(cells(lines.get(i)));
                    i++;
                }
                i--;
                b.append(table(rows));
                continue;
            }
            if (line.startsWith("#")) {
                b.append(paint("1", line.replaceAll("^#+\\s*", ""))).append('\n');
                continue;
            }
            if (line.startsWith("```")) continue;
            String text = line.replace("<details><summary>", "▸ ").replace("</summary>", "")
                    .replace("<br>", " / ").replace("**", "");
            text = TAG.matcher(text).replaceAll("").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
            if (text.isBlank() && (b.length() == 0 || b.toString().endsWith("\n\n"))) continue;
            b.append(text).append('\n');
        }
        return b.toString();
    }

    private static List<String> cells(String row) {
        List<String> out = new ArrayList<>();
        String r = row.trim();
        if (r.startsWith("|")) r = r.substring(1);
        if (r.endsWith("|")) r = r.substring(0, r.length() - 1);
        StringBuilder cell = new StringBuilder();
        for (int i = 0; i < r.length(); i++) {
            char c = r.charAt(i);
            if (c == '\\' && i + 1 < r.length() && r.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                out.add(clean(cell.toString()));
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        out.add(clean(cell.toString()));
        return out;
    }

    private static String clean(String s) {
        return TAG.matcher(s.trim().replace("<br>", " / ").replace("`", "").replace("**", "")).replaceAll("");
    }

    private String table(List<List<String>> rows) {
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] w = new int[cols];
        for (List<String> r : rows) for (int c = 0; c < r.size(); c++) w[c] = Math.max(w[c], Math.min(60, r.get(c).length()));
        StringBuilder b = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            List<String> r = rows.get(n);
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < cols; c++) {
                String v = c < r.size() ? r.get(c) : "";
                if (v.length() > 60) v = v.substring(0, 59) + "…";
                line.append(v).append(" ".repeat(w[c] - v.length())).append(c < cols - 1 ? "  " : "");
            }
            b.append(n == 0 ? paint("1", line.toString().stripTrailing()) : line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private static Map<String, String> props(String head) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        int sp = head.indexOf(' ');
        if (sp < 0) return p;
        for (String kv : head.substring(sp + 1).split(",")) {
            int eq = kv.indexOf('=');
            if (eq > 0) p.put(kv.substring(0, eq), unescape(kv.substring(eq + 1)).replace("%3A", ":").replace("%2C", ","));
        }
        return p;
    }

    private static String unescape(String s) {
        return s.replace("%0D", "").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%");
    }
}
