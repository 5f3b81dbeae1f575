package dev.gantry.prismagate;

import dev.gantry.prismagate.lint.Finding;
import dev.gantry.prismagate.lint.Impact;
import dev.gantry.prismagate.lint.Severity;

import java.util.List;
import java.util.Locale;

/** What the gate found, per migration; serialised as the {@code plan} output. */
public record Plan(String environment, String database, String mode, int pendingCount, boolean destructive,
                   String verdict, String planHash, String backupId, List<Item> migrations) {

    /**
     * The plan as compact JSON, written by hand: on a cold JVM even Jackson's streaming generator costs more than
     * this (and data binding more than the whole lint of a 400-migration history).
     */
    public String toJson() {
        StringBuilder b = new StringBuilder(256 + migrations.size() * 256);
        b.append("{\"environment\":");
        string(b, environment);
        b.append(",\"database\":");
        string(b, database);
        b.append(",\"mode\":");
        string(b, mode);
        b.append(",\"pendingCount\":").append(pendingCount);
        b.append(",\"destructive\":").append(destructive);
        b.append(",\"verdict\":");
        string(b, verdict);
        b.append(",\"planHash\":");
        string(b, planHash);
        b.append(",\"backupId\":");
        string(b, backupId);
        b.append(",\"migrations\":[");
        for (int m = 0; m < migrations.size(); m++) {
            Item item = migrations.get(m);
            if (m > 0) b.append(',');
            b.append("{\"name\":");
            string(b, item.name());
            b.append(",\"state\":");
            string(b, item.state());
            b.append(",\"migrationClass\":");
            string(b, item.migrationClass());
            b.append(",\"checksum\":");
            string(b, item.checksum());
            b.append(",\"findings\":[");
            for (int f = 0; f < item.findings().size(); f++) {
                Issue i = item.findings().get(f);
                if (f > 0) b.append(',');
                b.append("{\"rule\":");
                string(b, i.rule());
                b.append(",\"severity\":");
                string(b, i.severity().label());
                b.append(",\"impact\":");
                string(b, i.impact().label());
                b.append(",\"file\":");
                string(b, i.file());
                b.append(",\"line\":").append(i.line());
                b.append(",\"message\":");
                string(b, i.message());
                b.append('}');
            }
            b.append("],\"problem\":");
            string(b, item.problem());
            b.append(",\"recovery\":");
            string(b, item.recovery());
            b.append('}');
        }
        return b.append("]}").toString();
    }

    /** A JSON string (RFC 8259: quote, backslash and control characters escaped), or {@code null}. */
    static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        int plain = 0;
        while (plain < s.length() && s.charAt(plain) >= 0x20 && s.charAt(plain) != '"' && s.charAt(plain) != '\\') plain++;
        b.append(s, 0, plain);
        for (int k = plain; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** A migration's class: what deploying it does to a live database. */
    public enum MigrationClass {
        EXPAND, RISKY, CONTRACT, NONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static MigrationClass of(List<Issue> issues) {
            if (issues.stream().anyMatch(i -> i.impact == Impact.CONTRACT)) return CONTRACT;
            if (!issues.isEmpty()) return RISKY;
            return EXPAND;
        }
    }

    /** A finding with the severity it got after configuration ({@code description} is the rule's, not in the JSON). */
    public record Issue(String rule, Severity severity, Impact impact, String file, int line, String message,
                        String description) {
        public static Issue of(Finding f, Severity severity, String file) {
            return new Issue(f.rule().id(), severity, f.rule().impact(), file, f.line(), f.message(),
                    f.rule().description());
        }
    }

    /**
     * One migration: where it stands, its class (for migrations that will run), its findings, and for an
     * unfinished row what the gate judged of it ({@code applied}, {@code not-applied}, {@code partly-applied},
     * {@code interrupted-index}, {@code in-progress}, {@code unknown}).
     */
    public record Item(String name, String state, String migrationClass, String checksum, List<Issue> findings,
                       String problem, String recovery) {
    }
}
