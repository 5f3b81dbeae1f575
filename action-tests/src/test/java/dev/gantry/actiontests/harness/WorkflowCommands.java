package dev.gantry.actiontests.harness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runner's reading of workflow commands on stdout ({@code ActionCommand.TryParseV2} and the command
 * manager): annotations, masks, groups, debug lines, and {@code ::stop-commands::} sections in which nothing is
 * a command.
 */
public final class WorkflowCommands {

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
    }

    private WorkflowCommands() {
    }

    public static Parsed parse(String log) {
        List<Command> commands = new ArrayList<>();
        List<String> masks = new ArrayList<>();
        List<String> plain = new ArrayList<>();
        List<String> untrusted = new ArrayList<>();
        String stopToken = null;
        String[] lines = log.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String raw = lines[n];
            String line = raw.stripLeading();
            if (stopToken != null) {
                if (line.equals("::" + stopToken + "::")) {
                    stopToken = null;
                } else {
                    untrusted.add(raw);
                    plain.add(raw);
                }
                continue;
            }
            if (!line.startsWith("::")) {
                if (!raw.isEmpty() || n < lines.length - 1) plain.add(raw);
                continue;
            }
            int end = line.indexOf("::", 2);
            if (end < 0) {
                plain.add(raw);
                continue;
            }
            String head = line.substring(2, end);
            String data = unescapeData(line.substring(end + 2));
            String name = head;
            Map<String, String> props = new LinkedHashMap<>();
            int sp = head.indexOf(' ');
            if (sp >= 0) {
                name = head.substring(0, sp);
                for (String kv : head.substring(sp + 1).split(",")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) props.put(kv.substring(0, eq).trim(), unescapeProperty(kv.substring(eq + 1)));
                }
            }
            if (name.equals("stop-commands")) {
                stopToken = data;
            } else if (name.equals("add-mask")) {
                masks.add(data);
            }
            commands.add(new Command(name, props, data, n + 1));
        }
        return new Parsed(commands, masks, plain, untrusted);
    }

    static String unescapeData(String s) {
        return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    }

    static String unescapeProperty(String s) {
        return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%");
    }
}
