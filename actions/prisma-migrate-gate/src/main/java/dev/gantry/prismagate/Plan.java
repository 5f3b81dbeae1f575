package dev.gantry.prismagate;

import dev.gantry.prismagate.lint.Finding;
import dev.gantry.prismagate.lint.Impact;
import dev.gantry.prismagate.lint.Severity;

import java.util.List;
import java.util.Locale;

/** What the gate found, per migration; serialised as the {@code plan} output. */
public record Plan(String environment, String database, String mode, int pendingCount, boolean destructive,
                   String verdict, List<Item> migrations) {

    /** A migration's class: what deploying it does to a live database. */
    public enum MigrationClass {
        EXPAND, RISKY, CONTRACT, NONE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        static MigrationClass of(List<Issue> issues) {
            if (issues.stream().anyMatch(i -> i.impact == Impact.CONTRACT)) return CONTRACT;
            if (!issues.isEmpty()) return RISKY;
            return EXPAND;
        }
    }

    /** A finding with the severity it got after configuration. */
    public record Issue(String rule, Severity severity, Impact impact, String file, int line, String message,
                        String description) {
        static Issue of(Finding f, Severity severity, String file) {
            return new Issue(f.rule().id(), severity, f.rule().impact(), file, f.line(), f.message(),
                    f.rule().description());
        }
    }

    /** One migration: where it stands, its class (for migrations that will run), its findings. */
    public record Item(String name, String state, String migrationClass, String checksum, List<Issue> findings,
                       String problem) {
    }
}
