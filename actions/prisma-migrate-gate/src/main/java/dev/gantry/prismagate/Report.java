package dev.gantry.prismagate;

import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.Annotation;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.action.Notice;
import dev.gantry.common.action.Summary;
import dev.gantry.prismagate.lint.Impact;
import dev.gantry.prismagate.lint.Severity;
import dev.gantry.prismagate.recovery.Verdict;
import dev.gantry.prismagate.sql.Statement;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Annotations, the plan output and the step summary of one gate run. */
final class Report {
    /** The timestamp format doctl's {@code --restore-from-timestamp} takes. */
    static final DateTimeFormatter PITR = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000 UTC'")
            .withZone(ZoneOffset.UTC);

    private final Assessment a;
    private final Settings s;
    private final Paths paths;
    private final Predicate<Plan.Issue> fails;

    Report(Assessment a, Settings s, Paths paths, Predicate<Plan.Issue> fails) {
        this.a = a;
        this.s = s;
        this.paths = paths;
        this.fails = fails;
    }

    /** How to put a snapshot back, in one line (also the {@code backup-restore} output). */
    static String restoreHint(String id) {
        return "bring the dropped tables and columns back with a migration, then run this action with mode: restore"
                + " and backup-id: " + id + "; when no longer needed: DROP SCHEMA \"" + id + "\" CASCADE";
    }

    /** One annotation per finding on its migration.sql line; one per history problem. */
    void annotate(Log log) {
        for (History.Entry e : a.entries) {
            String problem = a.problems.get(e.name());
            if (problem != null) {
                log.error(problem, e.local() == null ? Annotation.titled("migration " + e.state().label())
                        : Annotation.at(paths.rel(e.local().file()), 1).withTitle("migration " + e.state().label()));
                if (e.state() == MigrationState.FAILED && e.row() != null && e.row().logs() != null
                        && !e.row().logs().isEmpty()) {
                    log.info("Logs recorded for " + e.name() + ":");
                    log.untrusted(e.row().logs());
                }
            }
            for (Plan.Issue i : a.issues.getOrDefault(e.name(), List.of())) {
                Annotation where = new Annotation(i.rule(), i.file(), i.line(), null, null, null);
                String msg = i.message() + ". " + i.description();
                switch (i.severity()) {
                    case ERROR -> log.error(msg, where);
                    case WARNING -> log.warning(msg, where);
                    default -> log.notice(msg + (s.allowedBy() != null && i.impact() == Impact.CONTRACT
                            ? " (allowed by " + s.allowedBy() + ")" : ""), where);
                }
            }
        }
        if (a.notManaged != null) log.error(a.notManaged);
    }

    String blockMessage() {
        return "The gate blocked the deploy: " + blockReason();
    }

    private String blockReason() {
        long errors = count(Severity.ERROR);
        long warnings = count(Severity.WARNING);
        StringBuilder b = new StringBuilder(plural(errors, "error"));
        if (s.failOnWarning()) b.append(" and ").append(plural(warnings, "warning")).append(" (fail-on: warning)");
        b.append(" in the migrations to deploy.");
        boolean contract = a.issues.values().stream().flatMap(List::stream)
                .anyMatch(i -> i.impact() == Impact.CONTRACT && fails.test(i));
        if (contract) {
            b.append(" Destructive changes need allow-destructive: true").append(s.allowedBy() == null
                    ? " or the allow-label on the pull request" : "").append('.');
        }
        return b.toString();
    }

    static String plural(long n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private long count(Severity sev) {
        return a.issues.values().stream().flatMap(List::stream).filter(i -> i.severity() == sev).count();
    }

    /** The {@code plan} output. */
    Plan plan(boolean failed) {
        List<Plan.Item> items = new ArrayList<>();
        int pending = 0;
        boolean destructive = false;
        for (History.Entry e : a.entries) {
            List<Plan.Issue> is = a.issues.getOrDefault(e.name(), List.of());
            String state = a.applied.getOrDefault(e.name(), e.state().label());
            boolean toDeploy = e.state() == MigrationState.PENDING || e.state() == MigrationState.UNKNOWN;
            String cls = toDeploy ? Plan.MigrationClass.of(is).label() : null;
            if (toDeploy && !a.applied.containsKey(e.name())) pending++;
            if ("contract".equals(cls)) destructive = true;
            Verdict v = a.verdicts.get(e.name());
            items.add(new Plan.Item(e.name(), state, cls, e.local() == null ? null : e.local().checksum(), is,
                    problemOf(e), v == null ? null : v.state().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
        }
        String verdict = failed ? "apply-failed" : !a.historyInSync() ? "out-of-sync"
                : a.issues.values().stream().flatMap(List::stream).anyMatch(fails) ? "blocked" : "success";
        return new Plan(s.environment().isEmpty() ? null : s.environment(),
                s.database() == null ? null : s.database().display(), s.mode().label(), pending, destructive, verdict,
                a.planHash, a.backup == null ? null : a.backup.id(), items);
    }

    private String problemOf(History.Entry e) {
        return switch (e.state()) {
            case FAILED -> {
                Verdict v = a.verdicts.get(e.name());
                yield v == null ? "did not finish" : v.text();
            }
            case MODIFIED -> "modified after it was applied";
            case MISSING_LOCALLY -> "in the database, missing from the repository";
            default -> null;
        };
    }

    void summary(Summary sum, Plan plan, String failure) {
        sum.markdown(verdictLine(plan));
        if (failure != null) sum.paragraph(failure);
        migrationsTable(sum, plan);
        if (a.planHash != null) {
            sum.paragraph(Markdown.format("Plan hash: %s (%s%s; pass it to apply as plan-hash to apply exactly this plan)",
                    Markdown.code(a.planHash), plural(a.planSize, "pending migration"),
                    s.apply() ? " when this run started" : ""));
        }
        snapshotSection(sum);
        problemsSection(sum);
        findingsSection(sum);
        howChecked(sum);
    }

    private Markdown verdictLine(Plan plan) {
        String env = s.environment().isEmpty() ? "" : " on **" + Markdown.escape(s.environment()) + "**";
        return Markdown.of(switch (plan.verdict()) {
            case "success" -> s.apply()
                    ? "✅ **Migrations applied**" + env + ": " + a.applied.size() + " applied, history in sync."
                    : "✅ **Migration gate passed**" + env + ": " + plan.pendingCount() + " migration(s) to deploy"
                    + (plan.destructive() ? " (destructive, allowed by " + s.allowedBy() + ")" : "") + ".";
            case "blocked" -> "❌ **Migration gate blocked the deploy**" + env + ": " + Markdown.escape(blockReason());
            case "out-of-sync" -> "❌ **Migration history out of sync**" + env + ": the database and the repository"
                    + " disagree; nothing was applied.";
            default -> "❌ **A migration failed to apply**" + env + ".";
        });
    }

    private void migrationsTable(Summary sum, Plan plan) {
        List<List<Object>> rows = new ArrayList<>();
        int inSync = 0;
        for (Plan.Item item : plan.migrations()) {
            if (item.state().equals("applied") && !a.applied.containsKey(item.name())) {
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
            if (item.recovery() != null) state += " (" + item.recovery() + ")";
            rows.add(List.of(Markdown.code(item.name()), state, item.migrationClass() == null ? "–"
                    : item.migrationClass(), parts.isEmpty() ? "–" : String.join(", ", parts)));
        }
        if (!rows.isEmpty()) sum.table(List.of("Migration", "Status", "Class", "Findings"), rows);
        if (inSync > 0) sum.paragraph(inSync + " earlier migration(s) applied and unchanged.");
    }

    private void snapshotSection(Summary sum) {
        if (a.backup != null) {
            Markdown b = Markdown.of("");
            for (var e : a.backup.entries()) {
                b = b.append(Markdown.format("- %s: %s%s%s, %s (%s)\n", Markdown.code(e.copy()),
                        e.whole() ? "table " : "columns ", e.source().display(), e.whole() ? "" : " " + e.columns(),
                        plural(e.rows(), "row"), e.reason()));
            }
            sum.paragraph(Markdown.format("💾 **Snapshot** %s taken at %s: %s, %s. To restore: %s.",
                    Markdown.code(a.backup.id()), PITR.format(a.backup.at()), plural(a.backup.entries().size(), "table"),
                    plural(a.backup.rows(), "row"), restoreHint(a.backup.id())));
            sum.details("What the snapshot holds", b);
        } else if (a.backupSkipped != null) {
            sum.paragraph("💾 No snapshot taken: " + a.backupSkipped + ".");
        }
        if (a.restorePoint != null) {
            sum.paragraph(Markdown.format("⏱️ **Point-in-time restore point** (DigitalOcean Managed PostgreSQL): %s, right "
                    + "before the first migration ran. To get the whole database as it was: %s (within the cluster's "
                    + "backup retention).", Markdown.code(PITR.format(a.restorePoint)),
                    Markdown.code("doctl databases fork <new-cluster-name> --restore-from-cluster-id <cluster-id> "
                            + "--restore-from-timestamp \"" + PITR.format(a.restorePoint) + "\"")));
        }
    }

    private void problemsSection(Summary sum) {
        if (a.historyInSync()) return;
        Markdown b = Markdown.of("");
        if (a.notManaged != null) b = b.append("- ").append(Markdown.text(a.notManaged)).append("\n");
        for (String p : a.problems.values()) b = b.append("- ").append(Markdown.text(p)).append("\n");
        for (Map.Entry<String, List<Statement>> r : a.remaining.entrySet()) {
            StringBuilder sql = new StringBuilder();
            for (Statement st : r.getValue()) sql.append(st.text()).append(";\n");
            b = b.append(Markdown.format("\nThe statements of %s that did not run:\n\n", Markdown.code(r.getKey())))
                    .append(Markdown.codeBlock(sql.toString(), "sql"));
        }
        sum.details("History problems (" + (a.problems.size() + (a.notManaged == null ? 0 : 1)) + ")", b);
    }

    private void findingsSection(Summary sum) {
        Markdown details = Markdown.of("");
        int count = 0;
        for (Map.Entry<String, List<Plan.Issue>> e : a.issues.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            details = details.append(Markdown.format("**%s**\n\n", e.getKey()));
            for (Plan.Issue i : e.getValue()) {
                details = details.append(Markdown.format("- %s %s line %s: %s\n", i.severity().label(),
                        Markdown.code(i.rule()), i.line(), i.message()));
                count++;
            }
            details = details.append("\n");
        }
        if (count > 0) sum.details("Findings (" + count + ")", details);
    }

    private void howChecked(Summary sum) {
        List<Markdown> facts = new ArrayList<>();
        if (a.dir != null) facts.add(Markdown.format("Migrations folder: %s", Markdown.code(paths.rel(a.dir))));
        facts.add(s.database() == null ? Markdown.of("Database: none (lint only)")
                : Markdown.format("Database: %s%s", Markdown.code(s.database().display()),
                a.serverVersion == null ? "" : ", PostgreSQL " + a.serverVersion));
        if (a.dataChecked) {
            facts.add(Markdown.text("Data check: read-only queries (statement_timeout, LIMIT/EXISTS) over the tables the"
                    + " pending migrations change" + (a.dataSkipped > 0 ? "; " + a.dataSkipped + " statement(s) could not"
                    + " be predicted (see the log)" : "")));
        }
        facts.add(Markdown.text("Execution model: each migration.sql runs as PostgreSQL runs it in one simple-query"
                + " message (Prisma's classic semantics); a file without BEGIN/COMMIT is one transaction together with"
                + " its bookkeeping row."));
        Markdown f = Markdown.of("");
        for (Markdown x : facts) f = f.append("- ").append(x).append("\n");
        sum.details("How this was checked", f);
    }

    /**
     * What the team is told (the Slack message): the verdict in words, the plan (pending, destructive, blocked and
     * why) and the history problems, as plain text.
     */
    void notice(Notice n, Plan plan) {
        String env = s.environment().isEmpty() ? "" : " on " + s.environment();
        n.headline(switch (plan.verdict()) {
            case "success" -> s.apply() ? "Migrations applied" + env + ": " + a.applied.size() + " applied, history in sync"
                    : "Migration gate passed" + env + ": " + plural(plan.pendingCount(), "migration") + " to deploy"
                    + (plan.destructive() ? " (destructive, allowed by " + s.allowedBy() + ")" : "");
            case "blocked" -> "Migration gate blocked the deploy" + env + ": " + blockReason();
            case "out-of-sync" -> "Migration history out of sync" + env + ": the database and the repository disagree; "
                    + "nothing was applied";
            default -> "A migration failed to apply" + env;
        });
        n.fact("Mode", s.mode().label());
        n.fact("Pending", Integer.toString(plan.pendingCount()));
        n.fact("Destructive", plan.destructive() ? "yes" + (s.allowedBy() == null ? "" : ", allowed by " + s.allowedBy())
                : "no");
        if (s.apply()) n.fact("Applied", Long.toString(a.applied.values().stream().filter("applied"::equals).count()));
        if (a.planHash != null) n.fact("Plan hash", a.planHash.length() > 16 ? a.planHash.substring(0, 16) + "…" : a.planHash);
        if (a.backup != null) n.fact("Snapshot", a.backup.id());
        List<String> items = new ArrayList<>();
        for (Plan.Item item : plan.migrations()) {
            if (item.state().equals("applied") && !a.applied.containsKey(item.name())) continue;
            long e = item.findings().stream().filter(i -> i.severity() == Severity.ERROR).count();
            long w = item.findings().stream().filter(i -> i.severity() == Severity.WARNING).count();
            items.add(item.name() + ": " + (item.state().equals("unknown") ? "lint only" : item.state())
                    + (item.migrationClass() == null ? "" : ", " + item.migrationClass())
                    + (e + w == 0 ? "" : ", " + (e > 0 ? plural(e, "error") : "") + (e > 0 && w > 0 ? ", " : "")
                    + (w > 0 ? plural(w, "warning") : ""))
                    + (item.problem() == null ? "" : " (" + item.problem() + ")"));
        }
        n.items("Plan", items);
        List<String> blocking = new ArrayList<>();
        for (Map.Entry<String, List<Plan.Issue>> e : a.issues.entrySet()) {
            for (Plan.Issue i : e.getValue()) {
                if (fails.test(i)) {
                    blocking.add(e.getKey() + " line " + i.line() + ": " + i.rule() + ": " + i.message());
                }
            }
        }
        n.items("Why it is blocked", blocking);
        List<String> problems = new ArrayList<>();
        if (a.notManaged != null) problems.add(a.notManaged);
        problems.addAll(a.problems.values());
        n.items("History problems", problems);
    }

    /** The summary of a run that ended before its report: what failed, and what was known by then. */
    void failureSummary(Summary sum, ActionException e) {
        String env = s.environment().isEmpty() ? "" : " on **" + Markdown.escape(s.environment()) + "**";
        String head = switch (e.exitCode()) {
            case BAD_INPUT -> "❌ **Migration gate could not start**" + env + ": an input is wrong.";
            case PROVIDER_ERROR -> "❌ **Database error**" + env + (a.applied.isEmpty() ? ": nothing was applied." : ".");
            default -> "❌ **Migration gate stopped**" + env + ".";
        };
        sum.markdown(Markdown.of(head));
        sum.paragraph(e.getMessage());
        if (!a.applied.isEmpty()) sum.paragraph("Applied in this run before that: " + String.join(", ", a.applied.keySet()) + ".");
        howChecked(sum);
    }

    /** The summary of a run whose inputs were refused before anything else happened. */
    static void inputError(Summary sum, InputException e) {
        sum.markdown(e.input() == null ? Markdown.of("❌ **Migration gate could not start**: the configuration is wrong.")
                : Markdown.format("❌ **Migration gate could not start**: input %s is wrong.", Markdown.code(e.input())));
        sum.paragraph(e.getMessage());
    }
}
