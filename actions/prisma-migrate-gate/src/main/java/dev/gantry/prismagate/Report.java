package dev.gantry.prismagate;

import dev.gantry.common.action.Annotation;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.action.Summary;
import dev.gantry.prismagate.lint.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Annotations and the step summary of one gate run. */
final class Report {
    private final Gate gate;

    Report(Gate gate) {
        this.gate = gate;
    }

    /** One annotation per finding on its migration.sql line; one per history problem. */
    void annotate(Log log) {
        for (History.Entry e : gate.entries()) {
            String problem = switch (e.state()) {
                case FAILED, MODIFIED, MISSING_LOCALLY -> gate.problems().stream()
                        .filter(p -> p.contains("`" + e.name() + "`")).findFirst().orElse(null);
                default -> null;
            };
            if (problem != null) {
                log.error(problem, e.local() == null ? Annotation.titled("migration " + e.state().label())
                        : Annotation.at(gate.rel(e.local().file()), 1).withTitle("migration " + e.state().label()));
                if (e.state() == MigrationState.FAILED && e.row() != null && e.row().logs() != null
                        && !e.row().logs().isEmpty()) {
                    log.info("Logs Prisma recorded for " + e.name() + ":");
                    log.untrusted(e.row().logs());
                }
            }
            for (Plan.Issue i : gate.issues().getOrDefault(e.name(), List.of())) {
                Annotation where = new Annotation(i.rule(), i.file(), i.line(), null, null, null);
                String msg = i.message() + ". " + i.description();
                switch (i.severity()) {
                    case ERROR -> log.error(msg, where);
                    case WARNING -> log.warning(msg, where);
                    default -> log.notice(msg + (gate.settings().allowedBy() != null
                            && i.impact() == dev.gantry.prismagate.lint.Impact.CONTRACT
                            ? " (allowed by " + gate.settings().allowedBy() + ")" : ""), where);
                }
            }
        }
        if (gate.notManaged() != null) log.error(gate.notManaged());
    }

    String blockMessage() {
        return "The gate blocked the deploy: " + blockReason();
    }

    private String blockReason() {
        long errors = count(Severity.ERROR);
        long warnings = count(Severity.WARNING);
        StringBuilder b = new StringBuilder();
        b.append(plural(errors, "error"));
        if (gate.settings().failOnWarning()) b.append(" and ").append(plural(warnings, "warning")).append(" (fail-on: warning)");
        b.append(" in the migrations to deploy.");
        boolean contract = gate.issues().values().stream().flatMap(List::stream)
                .anyMatch(i -> i.impact() == dev.gantry.prismagate.lint.Impact.CONTRACT && gate.failsGate(i));
        if (contract) {
            b.append(" Destructive changes need allow-destructive: true").append(gate.settings().allowedBy() == null
                    ? " or the allow-label on the pull request" : "").append('.');
        }
        return b.toString();
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private long count(Severity sev) {
        return gate.issues().values().stream().flatMap(List::stream).filter(i -> i.severity() == sev).count();
    }

    void summary(Summary sum, Plan plan, String failure) {
        String env = gate.settings().environment().isEmpty() ? "" : " on **" + Markdown.escape(gate.settings().environment()) + "**";
        String verdict = switch (plan.verdict()) {
            case "success" -> gate.settings().apply()
                    ? "✅ **Migrations applied**" + env + ": " + gate.applied().size() + " applied, history in sync."
                    : "✅ **Migration gate passed**" + env + ": " + plan.pendingCount() + " migration(s) to deploy"
                    + (plan.destructive() ? " (destructive, allowed by " + gate.settings().allowedBy() + ")" : "") + ".";
            case "blocked" -> "❌ **Migration gate blocked the deploy**" + env + ": " + Markdown.escape(blockReason());
            case "out-of-sync" -> "❌ **Migration history out of sync**" + env + ": the database and the repository"
                    + " disagree; nothing was applied.";
            default -> "❌ **A migration failed to apply**" + env + ".";
        };
        sum.markdown(Markdown.of(verdict));
        if (failure != null) sum.paragraph(failure);
        List<List<Object>> rows = new ArrayList<>();
        int inSync = 0;
        for (Plan.Item item : plan.migrations()) {
            if (item.state().equals("applied") && !gate.applied().containsKey(item.name())) {
                inSync++;
                continue;
            }
            long e = item.findings().stream().filter(i -> i.severity() == Severity.ERROR).count();
            long w = item.findings().stream().filter(i -> i.severity() == Severity.WARNING).count();
            long n = item.findings().size() - e - w;
            List<String> parts = new ArrayList<>();
            if (e > 0) parts.add(plural(e, "error"));
            if (w > 0) parts.add(plural(w, "warning"));
            if (n > 0) parts.add(plural(n, "notice"));
            String state = item.state().equals("unknown") ? "lint only" : item.state();
            rows.add(List.of(Markdown.code(item.name()), state, item.migrationClass() == null ? "–"
                    : item.migrationClass(), parts.isEmpty() ? "–" : String.join(", ", parts)));
        }
        if (!rows.isEmpty()) {
            sum.table(List.of("Migration", "Status", "Class", "Findings"), rows);
        }
        if (inSync > 0) sum.paragraph(inSync + " earlier migration(s) applied and unchanged.");
        if (!gate.problems().isEmpty() || gate.notManaged() != null) {
            StringBuilder b = new StringBuilder();
            if (gate.notManaged() != null) b.append("- ").append(Markdown.escape(gate.notManaged())).append('\n');
            for (String p : gate.problems()) b.append("- ").append(Markdown.escape(p)).append('\n');
            sum.details("History problems (" + (gate.problems().size() + (gate.notManaged() == null ? 0 : 1)) + ")",
                    Markdown.of(b.toString()));
        }
        StringBuilder details = new StringBuilder();
        int count = 0;
        for (Map.Entry<String, List<Plan.Issue>> e : gate.issues().entrySet()) {
            if (e.getValue().isEmpty()) continue;
            details.append("**").append(Markdown.escape(e.getKey())).append("**\n\n");
            for (Plan.Issue i : e.getValue()) {
                details.append("- ").append(i.severity().label()).append(' ').append(Markdown.code(i.rule())).append(" line ")
                        .append(i.line()).append(": ").append(Markdown.escape(i.message())).append('\n');
                count++;
            }
            details.append('\n');
        }
        if (count > 0) sum.details("Findings (" + count + ")", Markdown.of(details.toString()));
        List<Markdown> facts = new ArrayList<>();
        facts.add(Markdown.format("Migrations folder: %s", Markdown.code(gate.rel(gate.dir()))));
        facts.add(gate.settings().database() == null ? Markdown.of("Database: none (lint only)")
                : Markdown.format("Database: %s", Markdown.code(gate.settings().database().display())));
        facts.add(Markdown.of("Execution model: each migration.sql runs as one implicit transaction (Prisma's simple-query"
                + " semantics); a CONCURRENTLY statement must be alone in its file."));
        Markdown f = Markdown.of("");
        for (Markdown x : facts) f = f.append("- ").append(x).append("\n");
        sum.details("How this was checked", f);
    }
}
