package dev.gantry.common.action;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The step log: plain lines and workflow commands, as {@code @actions/core} writes them.
 *
 * <p>What leaves here is safe whatever its source, because the rule is enforced here, where text leaves, and not
 * at each call site:
 * <ul>
 *   <li>every text is masked ({@link #mask}) for every registered secret, also in its JSON-escaped and URL-encoded
 *       forms, even where no runner is there to mask it (local runs, tests);</li>
 *   <li>terminal escapes and control characters are removed ({@link #clean});</li>
 *   <li>a plain line can never become a workflow command: the runner treats a line as a command when, after
 *       leading white space, it starts with {@code ::}, or when it contains {@code ##[} anywhere (the legacy form).
 *       Text with such a line is printed inside a {@code ::stop-commands::} block with a fresh random token, so
 *       it shows as written and does nothing. Only this class's own command methods emit live commands, and their
 *       messages and properties are escaped as the runner expects.</li>
 * </ul>
 */
public final class Log {
    private static final String MASK = "***";
    private final PrintStream out;
    private final boolean debugEnabled;
    private final List<String> secrets = new CopyOnWriteArrayList<>();
    private boolean inGroup;

    public Log(PrintStream out, boolean debugEnabled) {
        this.out = out;
        this.debugEnabled = debugEnabled;
    }

    public boolean isDebug() {
        return debugEnabled;
    }

    /** A line (or lines) of ours, which may quote provider or user text: printed inert. */
    public void info(String message) {
        emit(mask(clean(message == null ? "null" : message)));
    }

    /** {@code ::debug::}; the runner shows it only when {@code RUNNER_DEBUG=1}, and so do we. */
    public void debug(String message) {
        if (debugEnabled) {
            println("::debug::" + escapeData(mask(clean(message))));
        }
    }

    public void notice(String message, Annotation where) {
        command("notice", where, message);
    }

    public void warning(String message) {
        command("warning", Annotation.NONE, message);
    }

    public void warning(String message, Annotation where) {
        command("warning", where, message);
    }

    public void error(String message) {
        command("error", Annotation.NONE, message);
    }

    public void error(String message, Annotation where) {
        command("error", where, message);
    }

    /**
     * Registers a secret: the whole value and each of its lines (trimmed), as the runner does, and the forms it
     * takes inside a JSON string and a URL (where a provider may echo it back). The value itself is never printed;
     * the runner's masker replaces it in every later line and in the step summary.
     */
    public void addMask(String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        Set<String> parts = new LinkedHashSet<>();
        parts.add(secret);
        for (String line : secret.split("\r?\n")) {
            String t = line.trim();
            if (!t.isEmpty()) parts.add(t);
        }
        for (String p : List.copyOf(parts)) {
            parts.add(jsonEscaped(p));
            parts.add(URLEncoder.encode(p, StandardCharsets.UTF_8));
            parts.add(URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        List<String> added = new ArrayList<>();
        for (String part : parts) {
            if (!part.isEmpty() && !secrets.contains(part)) added.add(part);
        }
        if (added.isEmpty()) return;
        secrets.addAll(added);
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        for (String part : added) println("::add-mask::" + escapeData(part));
    }

    /** The body of a JSON string holding {@code s}: how an API echoes a value back inside JSON. */
    static String jsonEscaped(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    /** Replaces every registered secret (in every registered form) with {@code ***}. */
    public String mask(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String r = text;
        for (String s : secrets) {
            r = r.replace(s, MASK);
        }
        return r;
    }

    /** Whether {@code text} contains a registered secret. */
    public boolean containsSecret(String text) {
        if (text == null) return false;
        for (String s : secrets) {
            if (text.contains(s)) return true;
        }
        return false;
    }

    public void group(String title) {
        if (inGroup) {
            endGroup();
        }
        println("::group::" + escapeData(mask(clean(title))));
        inGroup = true;
    }

    public void endGroup() {
        if (inGroup) {
            println("::endgroup::");
            inGroup = false;
        }
    }

    public <T> T group(String title, Supplier<T> body) {
        group(title);
        try {
            return body.get();
        } finally {
            endGroup();
        }
    }

    /**
     * Prints text we do not control (response bodies, provider logs) with command processing stopped, so that
     * a line in it cannot register masks, annotations or outputs, whatever it holds.
     */
    public void untrusted(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        printStopped(mask(clean(text)));
    }

    private void emit(String text) {
        if (hasCommandLine(text)) {
            printStopped(text);
        } else {
            println(text);
        }
    }

    private synchronized void printStopped(String text) {
        String token = "gantry-" + UUID.randomUUID();
        out.print("::stop-commands::" + token + "\n");
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.print("::" + token + "::\n");
        out.flush();
    }

    /**
     * Whether a line of {@code text}, as the runner splits it (on {@code \n} and {@code \r}), would be read as a
     * workflow command: {@code ::} after leading white space, or {@code ##[} anywhere.
     */
    public static boolean hasCommandLine(String text) {
        if (text.contains("##[")) return true;
        int i = 0;
        int n = text.length();
        while (i < n) {
            int j = i;
            while (j < n && isLeadingSpace(text.charAt(j))) j++;
            if (text.startsWith("::", j)) return true;
            while (j < n && text.charAt(j) != '\n' && text.charAt(j) != '\r') j++;
            i = j + 1;
        }
        return false;
    }

    /** What .NET's {@code TrimStart()} removes: Unicode white space (and the byte-order mark, to be safe). */
    private static boolean isLeadingSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF' || c == '\u200B';
    }

    /**
     * Text as it may reach a terminal or a log viewer: ANSI/VT escape sequences removed, other control characters
     * (C0 but tab and line breaks, DEL, C1) and Unicode bidirectional overrides removed, a lone {@code \r} made a
     * line break (it would overwrite the line on a terminal).
     */
    public static String clean(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '\u001B') { // ESC: skip the whole sequence
                b = copy(b, s, i);
                i = skipEscape(s, i);
                continue;
            }
            if (c == '\r') {
                b = copy(b, s, i);
                if (i + 1 < n && s.charAt(i + 1) == '\n') continue; // CRLF -> LF
                b.append('\n');
                continue;
            }
            if (isUnsafeControl(c)) {
                b = copy(b, s, i);
                continue;
            }
            if (b != null) b.append(c);
        }
        return b == null ? s : b.toString();
    }

    private static StringBuilder copy(StringBuilder b, String s, int upTo) {
        if (b != null) return b;
        StringBuilder nb = new StringBuilder(s.length());
        nb.append(s, 0, upTo);
        return nb;
    }

    static boolean isUnsafeControl(char c) {
        if (c == '\n' || c == '\t') return false;
        return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }

    /** The index of the last character of the escape sequence starting at {@code i} (an ESC). */
    private static int skipEscape(String s, int i) {
        int n = s.length();
        if (i + 1 >= n) return i;
        char k = s.charAt(i + 1);
        if (k == '[') { // CSI: parameters and intermediates, then a final byte 0x40-0x7E
            int j = i + 2;
            while (j < n && (s.charAt(j) < 0x40 || s.charAt(j) > 0x7E)) j++;
            return Math.min(j, n - 1);
        }
        if (k == ']' || k == 'P' || k == '_' || k == '^') { // OSC, DCS, APC, PM: up to BEL or ESC \
            int j = i + 2;
            while (j < n) {
                if (s.charAt(j) == '\u0007') return j;
                if (s.charAt(j) == '\u001B' && j + 1 < n && s.charAt(j + 1) == '\\') return j + 1;
                j++;
            }
            return n - 1;
        }
        return i + 1; // a two-character escape
    }

    private void command(String name, Annotation where, String message) {
        StringBuilder b = new StringBuilder("::").append(name);
        Map<String, String> props = (where == null ? Annotation.NONE : where).properties();
        boolean first = true;
        for (Map.Entry<String, String> e : props.entrySet()) {
            b.append(first ? ' ' : ',').append(e.getKey()).append('=')
                    .append(escapeProperty(mask(clean(e.getValue()))));
            first = false;
        }
        b.append("::").append(escapeData(mask(clean(message))));
        println(b.toString());
    }

    private synchronized void println(String line) {
        out.print(line + "\n");
        out.flush();
    }

    /** The runner's escaping of a command's message ({@code escapeData} in @actions/core). */
    public static String escapeData(String s) {
        return s == null ? "" : s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** The runner's escaping of a command property value ({@code escapeProperty} in @actions/core). */
    public static String escapeProperty(String s) {
        return escapeData(s).replace(":", "%3A").replace(",", "%2C");
    }
}
