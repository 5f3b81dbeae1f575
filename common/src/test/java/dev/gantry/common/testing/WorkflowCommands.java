package dev.gantry.common.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The runner's reading of a step's stdout, as {@code actions/runner} does it: the output is split into lines on
 * {@code \n}, {@code \r} and {@code \r\n} (.NET's {@code ReadLine}); a line is a command when, after leading white
 * space, it is {@code ::name props::data} with a registered name ({@code ActionCommand.TryParseV2}), or when it
 * holds {@code ##[name props]data} anywhere ({@code ActionCommand.TryParse}, the legacy form); between
 * {@code ::stop-commands::TOKEN} and {@code ::TOKEN::} nothing is a command. Tests use it to count the live
 * commands a step printed and to tell our own from any a provider planted.
 */
public final class WorkflowCommands {
    /** The commands the runner registers (ActionCommandManager's extensions). */
    public static final Set<String> REGISTERED = Set.of("add-mask", "add-path", "echo", "error", "warning", "notice",
            "debug", "group", "endgroup", "save-state", "set-env", "set-output", "stop-commands", "add-matcher",
            "remove-matcher", "internal-set-repo-path");

    public record Command(String name, Map<String, String> properties, String data, int lineNumber) {
        public String property(String key) {
            return properties.get(key);
        }
    }

    public record Parsed(List<Command> commands, List<String> masks, List<String> plainLines,
                         List<String> untrustedLines) {
        public List<Command> named(String name) {
            return commands.stream().filter(c -> c.name().equals(name)).toList();
        }

        /** Live commands whose data or properties contain {@code marker} (a provider's planted text). */
        public List<Command> carrying(String marker) {
            return commands.stream().filter(c -> c.data().contains(marker)
                    || c.properties().values().stream().anyMatch(v -> v.contains(marker))).toList();
        }
    }

    private WorkflowCommands() {
    }

    /** The runner's line split: {@code \r\n}, {@code \n} and {@code \r} each end a line. */
    public static List<String> lines(String log) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < log.length(); i++) {
            char c = log.charAt(i);
            if (c == '\n' || c == '\r') {
                out.add(log.substring(start, i));
                if (c == '\r' && i + 1 < log.length() && log.charAt(i + 1) == '\n') i++;
                start = i + 1;
            }
        }
        if (start < log.length()) out.add(log.substring(start));
        return out;
    }

    public static Parsed parse(String log) {
        List<Command> commands = new ArrayList<>();
        List<String> masks = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        List<String> untrusted = new ArrayList<>();
        String stopToken = null;
        List<String> lines = lines(log);
        for (int n = 0; n < lines.size(); n++) {
            String raw = lines.get(n);
            Command c = parseV2(raw, n + 1, stopToken);
            if (c == null) c = parseV1(raw, n + 1, stopToken);
            if (stopToken != null) {
                if (c != null && c.name().equalsIgnoreCase(stopToken)) {
                    stopToken = null;
                } else {
                    untrusted.add(raw);
                    plain.add(raw);
                }
                continue;
            }
            if (c == null) {
                plain.add(raw);
                continue;
            }
            if (c.name().equals("stop-commands")) {
                stopToken = c.data();
            } else if (c.name().equals("add-mask")) {
                masks.add(c.data());
            }
            commands.add(c);
        }
        return new Parsed(commands, masks, plain, untrusted);
    }

    private static boolean registered(String name, String stopToken) {
        return REGISTERED.contains(name) || (stopToken != null && name.equalsIgnoreCase(stopToken));
    }

    private static Command parseV2(String raw, int lineNumber, String stopToken) {
        String line = raw.stripLeading();
        if (!line.startsWith("::")) return null;
        int end = line.indexOf("::", 2);
        if (end < 0) return null;
        String head = line.substring(2, end);
        int sp = head.indexOf(' ');
        String name = sp < 0 ? head : head.substring(0, sp);
        if (!registered(name, stopToken)) return null;
        Map<String, String> props = new LinkedHashMap<>();
        if (sp >= 0) {
            for (String kv : head.substring(sp + 1).trim().split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0) props.put(kv.substring(0, eq), unescapeProperty(kv.substring(eq + 1)));
            }
        }
        return new Command(name, props, unescapeData(line.substring(end + 2)), lineNumber);
    }

    private static Command parseV1(String raw, int lineNumber, String stopToken) {
        int at = raw.indexOf("##[");
        if (at < 0) return null;
        int rb = raw.indexOf(']', at);
        if (rb < 0) return null;
        String info = raw.substring(at + 3, rb);
        int sp = info.indexOf(' ');
        String name = sp < 0 ? info : info.substring(0, sp);
        if (!registered(name.toLowerCase(Locale.ROOT), stopToken) && !registered(name, stopToken)) return null;
        Map<String, String> props = new LinkedHashMap<>();
        if (sp > 0) {
            for (String kv : info.substring(sp + 1).split(";")) {
                int eq = kv.indexOf('=');
                if (eq > 0) props.put(kv.substring(0, eq), unescapeV1(kv.substring(eq + 1)));
            }
        }
        return new Command(name, props, unescapeV1(raw.substring(rb + 1)), lineNumber);
    }

    static String unescapeData(String s) {
        return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    }

    static String unescapeProperty(String s) {
        return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%");
    }

    static String unescapeV1(String s) {
        return s.replace("%3B", ";").replace("%0D", "\r").replace("%0A", "\n").replace("%5D", "]").replace("%25", "%");
    }
}
