package dev.gantry.common.vercel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which paths a deploy leaves out, with gitignore semantics as the CLI applies them (the {@code ignore} npm
 * package): the last matching rule wins, {@code !} re-includes, a trailing {@code /} matches directories only,
 * a pattern with a {@code /} before its end is anchored to the root, {@code *} and {@code ?} stay within one path
 * segment, {@code **} spans segments. A directory that is ignored is not entered (as in git).
 */
public final class IgnoreRules {
    /** The CLI's default ignore list for a source deploy (research §2.2); {@code .env} is not in it. */
    public static final List<String> CLI_DEFAULTS = List.of(
            ".hg", ".git", ".gitmodules", ".svn", "CVS",
            ".cache", ".next", ".now", ".vercel", ".npmignore", ".dockerignore", ".gitignore", ".*.swp",
            ".DS_Store", ".wafpicke-*", ".lock-wscript", ".yarn/cache", ".pnp*",
            ".env.local", ".env.*.local", ".venv", "venv",
            "npm-debug.log", "config.gypi", "node_modules", "__pycache__");

    private record Rule(String source, Pattern pattern, boolean negated, boolean directoryOnly) {
    }

    private final List<Rule> rules = new ArrayList<>();

    public IgnoreRules add(String line) {
        String l = line.replaceAll("(?<!\\\\)\\s+$", "");
        if (l.isEmpty() || l.startsWith("#")) return this;
        boolean negated = false;
        if (l.startsWith("!")) {
            negated = true;
            l = l.substring(1);
        } else if (l.startsWith("\\!") || l.startsWith("\\#")) {
            l = l.substring(1);
        }
        if (l.startsWith("./")) l = l.substring(2); // the CLI strips a leading ./
        boolean dirOnly = l.endsWith("/");
        if (dirOnly) l = l.substring(0, l.length() - 1);
        if (l.isEmpty()) return this;
        boolean anchored = l.contains("/");
        if (l.startsWith("/")) l = l.substring(1);
        String regex = (anchored ? "^" : "^(?:.*/)?") + translate(l) + "$";
        rules.add(new Rule(line, Pattern.compile(regex), negated, dirOnly));
        return this;
    }

    public IgnoreRules addAll(List<String> lines) {
        lines.forEach(this::add);
        return this;
    }

    /** Whether {@code relativePath} (POSIX separators, no leading slash) is ignored. */
    public boolean ignores(String relativePath, boolean directory) {
        boolean ignored = false;
        for (Rule r : rules) {
            if (r.negated == ignored) {
                if (r.directoryOnly && !directory) continue;
                if (r.pattern.matcher(relativePath).matches()) ignored = !r.negated;
            }
        }
        return ignored;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    private static String translate(String glob) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    boolean slashAfter = i + 2 < glob.length() && glob.charAt(i + 2) == '/';
                    if (slashAfter) {
                        b.append("(?:.*/)?");
                        i += 2;
                    } else {
                        b.append(".*");
                        i += 1;
                    }
                } else {
                    b.append("[^/]*");
                }
            } else if (c == '?') {
                b.append("[^/]");
            } else if (c == '[') {
                int end = glob.indexOf(']', i + 1);
                if (end < 0) {
                    b.append("\\[");
                } else {
                    String set = glob.substring(i + 1, end);
                    if (set.startsWith("!")) set = "^" + set.substring(1);
                    b.append('[').append(set.replace("\\", "\\\\")).append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < glob.length()) {
                b.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else {
                b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return b.toString();
    }
}
