package dev.gantry.prismagate.lint;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The severity of each rule: defaults, overridden by the {@code rules} input. Entries are separated by commas,
 * spaces or new lines: {@code rule} or {@code +rule} (on at its default), {@code -rule} or {@code rule=off} (off),
 * {@code rule=error|warning|notice}.
 */
public final class RuleConfig {
    private final Map<Rule, Severity> severities = new EnumMap<>(Rule.class);

    private RuleConfig() {
        for (Rule r : Rule.values()) severities.put(r, r.defaultSeverity());
    }

    public static RuleConfig defaults() {
        return new RuleConfig();
    }

    /** @throws IllegalArgumentException naming the bad entry */
    public static RuleConfig parse(String spec) {
        RuleConfig c = new RuleConfig();
        for (String raw : spec.split("[,\\s]+")) {
            String e = raw.trim();
            if (e.isEmpty()) continue;
            Severity sev = null;
            String id = e;
            if (e.startsWith("-")) {
                id = e.substring(1);
                sev = Severity.OFF;
            } else if (e.startsWith("+")) {
                id = e.substring(1);
            }
            int eq = id.indexOf('=');
            if (eq >= 0) {
                String level = id.substring(eq + 1).toLowerCase(Locale.ROOT);
                id = id.substring(0, eq);
                sev = switch (level) {
                    case "off" -> Severity.OFF;
                    case "notice" -> Severity.NOTICE;
                    case "warning" -> Severity.WARNING;
                    case "error" -> Severity.ERROR;
                    default -> throw new IllegalArgumentException("'" + e + "': the level must be off, notice, warning"
                            + " or error");
                };
            }
            String ruleId = id;
            Rule rule = Rule.byId(ruleId).orElseThrow(() -> new IllegalArgumentException("'" + e + "': there is no"
                    + " rule named '" + ruleId + "' (rules: " + String.join(", ", java.util.Arrays.stream(Rule.values())
                    .map(Rule::id).toList()) + ")"));
            c.severities.put(rule, sev == null ? rule.defaultSeverity() : sev);
        }
        return c;
    }

    public Severity severity(Rule rule) {
        return severities.get(rule);
    }
}
