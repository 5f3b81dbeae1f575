package dev.gantry.common.action;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The step log: plain lines and workflow commands, as {@code @actions/core} writes them. Everything printed
 * goes through {@link #mask(String)} first, so a registered secret never reaches the log even where no runner
 * is there to mask it (local runs, tests).
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

    public void info(String message) {
        println(mask(message));
    }

    /** {@code ::debug::}; the runner shows it only when {@code RUNNER_DEBUG=1}, and so do we. */
    public void debug(String message) {
        if (debugEnabled) {
            println("::debug::" + escapeData(mask(message)));
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
     * Registers a secret: the whole value and each of its lines (trimmed), as the runner does. The value itself
     * is never printed; the runner's masker replaces it in every later line and in the step summary.
     */
    public void addMask(String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        parts.add(secret);
        for (String line : secret.split("\r?\n")) {
            String t = line.trim();
            if (!t.isEmpty()) parts.add(t);
        }
        for (String part : parts) {
            if (!secrets.contains(part)) {
                println("::add-mask::" + escapeData(part));
                secrets.add(part);
            }
        }
        secrets.sort(Comparator.comparingInt(String::length).reversed());
    }

    /** Replaces every registered secret with {@code ***}. */
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

    public void group(String title) {
        if (inGroup) {
            endGroup();
        }
        println("::group::" + escapeData(mask(title)));
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
     * a line in it cannot register masks, annotations or outputs.
     */
    public void untrusted(String text) {
        if (text == null || text.isEmpty()) {
            return;
        }
        String token = "gantry-" + UUID.randomUUID();
        println("::stop-commands::" + token);
        String masked = mask(text);
        out.print(masked.endsWith("\n") ? masked : masked + "\n");
        println("::" + token + "::");
    }

    private void command(String name, Annotation where, String message) {
        StringBuilder b = new StringBuilder("::").append(name);
        Map<String, String> props = (where == null ? Annotation.NONE : where).properties();
        boolean first = true;
        for (Map.Entry<String, String> e : props.entrySet()) {
            b.append(first ? ' ' : ',').append(e.getKey()).append('=').append(escapeProperty(mask(e.getValue())));
            first = false;
        }
        b.append("::").append(escapeData(mask(message)));
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
