package dev.gantry.rollback;

import dev.gantry.common.action.Durations;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.action.Notice;
import dev.gantry.common.action.Summary;
import dev.gantry.rollback.RollbackProvider.Condition;
import dev.gantry.rollback.RollbackProvider.Execution;
import dev.gantry.rollback.RollbackProvider.Operation;
import dev.gantry.rollback.RollbackProvider.Plan;
import dev.gantry.checks.CheckOutcome;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run did, gathered as it goes, and the two texts made from it: the step summary and the incident issue
 * (or comment). Both start with the verdict line, then a table, then details.
 */
final class Report {
    String provider;
    String environment;
    String reason;
    String trigger;
    String runUrl;
    boolean dryRun;
    Instant started;
    Instant finished;
    Plan plan;
    List<Condition> conditions = List.of();
    String rejected;
    /** The deployment serving when the move was refused (no plan then). */
    String servingWhenRejected;
    Execution execution;
    String error;
    Verification.Result verification;
    final List<String> notes = new ArrayList<>();
    String incidentUrl;
    /** The live URL of what serves after a switch, when known. */
    String liveUrl;
    /** The commit the restored deployment serves, when the provider says. */
    String restoredCommit;

    /** Whether this run ended badly: refused, failed, timed out, or the verification failed. */
    boolean failed() {
        return rejected != null || error != null || execution != null && !execution.succeeded()
                || verification != null && !verification.passed();
    }

    Markdown verdict() {
        String op = plan == null ? "rollback" : plan.operation().word;
        String where = environment == null ? "" : " of " + environment;
        if (rejected != null) return Markdown.format("❌ No %s%s: %s", op, where, rejected);
        if (error != null) return Markdown.format("❌ The %s%s failed: %s", op, where, error);
        if (dryRun) {
            Markdown what = switch (plan.operation()) {
                case ROLLBACK -> Markdown.format("roll back%s from %s to %s", environment == null ? "" : " " + environment,
                        code(plan.from()), code(plan.to()));
                case REVERT -> Markdown.format("revert the pinned rollback%s (%s)", where, code(plan.from()));
                case UNDO -> Markdown.format("undo the rollback%s: promote %s again", where, code(plan.to()));
                case COMMIT -> Markdown.format("commit the pinned rollback%s to %s", where, code(plan.to()));
                case NONE -> Markdown.format("do nothing: %s serves already", code(plan.to()));
            };
            return Markdown.of("🔎 Dry run: would ").append(what).append("; nothing was changed.");
        }
        if (plan.operation() == Operation.NONE) return Markdown.format("✅ Nothing to do%s: %s serves already.", where, code(plan.to()));
        if (execution.status() == RollbackProvider.Status.TIMED_OUT) {
            return Markdown.format("⏱️ The %s%s timed out: %s", op, where, execution.detail());
        }
        if (!execution.succeeded()) return Markdown.format("❌ The %s%s failed: %s", op, where, execution.detail());
        if (plan.operation() == Operation.COMMIT) return Markdown.format("✅ Committed the rollback%s to %s.", where, code(plan.to()));
        Markdown moved = switch (plan.operation()) {
            case REVERT -> Markdown.format("Reverted the rollback%s: %s → %s", where, code(plan.from()), code(restored()));
            case UNDO -> Markdown.format("Undid the rollback%s: %s → %s", where, code(plan.from()), code(plan.to()));
            default -> Markdown.format("Rolled back%s: %s → %s", environment == null ? "" : " " + environment,
                    code(plan.from()), code(plan.to()));
        };
        if (verification == null) return Markdown.of("✅ ").append(moved).append(" (not verified: no verify-url).");
        return verification.passed() ? Markdown.of("✅ ").append(moved).append("; verification passed.")
                : Markdown.of("❌ ").append(moved).append(", but the verification failed.");
    }

    /** The deployment serving after the run. */
    String restored() {
        if (execution != null && execution.restored() != null) return execution.restored();
        return plan == null ? null : plan.to();
    }

    private List<List<Object>> rows() {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(List.of("Environment", nz(environment)));
        rows.add(List.of("Provider", provider + (plan == null ? "" : ", " + plan.subject())));
        if (plan != null) {
            rows.add(List.of("Operation", plan.operation().word + (plan.operation() == Operation.ROLLBACK
                    ? (plan.automatic() ? " (target found automatically)" : " (target given)") : "")));
            boolean back = plan.operation() == Operation.ROLLBACK;
            if (plan.from() != null) {
                rows.add(List.of(back ? "From (bad)" : "From", plan.fromDescription() == null ? plan.from() : plan.fromDescription()));
            }
            if (plan.to() != null || restored() != null) {
                rows.add(List.of(back ? "To (restored)" : "To", plan.to() == null ? nz(restored()) : plan.toDescription()));
            }
        }
        if (plan == null && servingWhenRejected != null) rows.add(List.of("Serving (unchanged)", servingWhenRejected));
        if (execution != null && execution.deploymentId() != null) {
            rows.add(List.of("New deployment", code(execution.deploymentId())));
        }
        rows.add(List.of("Reason", reason == null || reason.isBlank() ? "(none given)" : reason));
        if (started != null) rows.add(List.of("Started", started.truncatedTo(ChronoUnit.SECONDS).toString()));
        if (finished != null) {
            rows.add(List.of("Finished", finished.truncatedTo(ChronoUnit.SECONDS).toString()));
            rows.add(List.of("Duration", Durations.human(Duration.between(started, finished))));
        }
        if (execution != null) {
            rows.add(List.of("Provider job", execution.status().name().toLowerCase().replace('_', ' ') + ": "
                    + execution.detail() + " (" + Durations.human(execution.elapsed()) + ")"));
        }
        rows.add(List.of("Verification", verification == null ? (dryRun ? "not run (dry run)" : "not run")
                : verification.line() + " (" + Durations.human(verification.elapsed()) + ")"));
        if (trigger != null) rows.add(List.of("Triggered by", trigger));
        if (runUrl != null && !runUrl.isBlank()) rows.add(List.of("Workflow run", Markdown.link(runUrl)));
        if (incidentUrl != null) rows.add(List.of("Incident", Markdown.link(incidentUrl)));
        return rows;
    }

    /** The step summary. */
    void write(Summary summary) {
        summary.paragraph(Markdown.of("**").append(verdict()).append("**"));
        summary.table(List.of("", ""), rows());
        if (!conditions.isEmpty()) {
            summary.heading("Validation conditions", 3);
            summary.table(List.of("level", "code", "message", "components"), conditionRows());
        }
        if (!notes.isEmpty()) summary.bullets(notes);
        if (execution != null && !execution.timeline().isEmpty()) {
            Markdown t = Markdown.of("");
            for (String line : execution.timeline()) t = t.append("- ").append(Markdown.text(line)).append("\n");
            summary.details("Timeline", t);
        }
        if (verification != null && !verification.outcomes().isEmpty()) {
            summary.details("Verification checks", checksTable());
        }
        if (execution != null && !execution.logs().isBlank()) {
            summary.details("Logs of the failed deployment", logs(execution.logs()));
        }
    }

    private List<List<Object>> conditionRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (Condition c : conditions) {
            rows.add(List.of(c.error() ? "error" : "warning", c.code(), c.message(),
                    c.components() == null ? "" : String.join(", ", c.components())));
        }
        return rows;
    }

    /** Provider text in a fence it cannot leave, cut to {@link #MAX_LOGS} characters. */
    static Markdown logs(String text) {
        String t = text.length() > MAX_LOGS ? "…" + text.substring(text.length() - MAX_LOGS) : text;
        return Markdown.codeBlock(t, "text");
    }

    static final int MAX_LOGS = 16_000;

    private Markdown checksTable() {
        List<List<Object>> rows = new ArrayList<>();
        for (CheckOutcome o : verification.outcomes()) {
            rows.add(List.of(o.name(), Markdown.code(o.method() + " " + o.target()), o.status().name().toLowerCase()
                    + (o.httpStatus() > 0 ? " " + o.httpStatus() : "") + (o.failed() ? ": " + o.message() : "")));
        }
        return Markdown.table(List.of("check", "request", "result"), rows);
    }

    /** The incident issue body (or the comment added to the open one). */
    Markdown incidentMarkdown() {
        Markdown b = Markdown.of("### ").append(verdict()).append("\n\n");
        List<List<Object>> rows = new ArrayList<>(rows());
        rows.removeIf(row -> row.get(0).equals("Incident"));
        b = b.append(Markdown.table(List.of("", ""), rows));
        if (!conditions.isEmpty()) {
            b = b.append("**Validation conditions**\n\n");
            for (Condition c : conditions) b = b.append("- ").append(Markdown.text(c.describe())).append("\n");
            b = b.append("\n");
        }
        for (String n : notes) b = b.append("- ").append(Markdown.text(n)).append("\n");
        if (verification != null && !verification.outcomes().isEmpty()) {
            b = b.append("\n").append(Markdown.details("Verification checks", checksTable()));
        }
        if (execution != null && !execution.logs().isBlank()) {
            b = b.append("\n").append(Markdown.details("Logs of the failed deployment", logs(execution.logs())));
        }
        return b;
    }

    /** The issue title: one line, whatever the environment name holds. */
    String incidentTitle() {
        String env = environment == null ? "" : Log.clean(environment).replace('\n', ' ').strip();
        if (failed()) return "Incident: rollback of " + env + " failed";
        return "Incident: " + env + " rolled back on " + provider;
    }

    /** What the team is told (the Slack message): from → to, the reason, the verification, the incident. */
    void notice(Notice n) {
        n.environment(environment).subject(provider == null ? "What" : provider, plan == null ? null : plan.subject());
        // the commit that serves now, never the workflow's (in an on-failure job that is the bad one)
        n.commit(restoredCommit != null ? restoredCommit : "not known");
        String op = plan == null ? "rollback" : plan.operation().word;
        String where = environment == null ? "" : " of " + environment;
        String headline;
        if (rejected != null) {
            headline = "No " + op + where + ": " + rejected;
        } else if (error != null) {
            headline = "The " + op + where + " failed: " + error;
        } else if (plan == null) {
            headline = null;
        } else if (dryRun) {
            headline = "Dry run: would " + (plan.operation() == Operation.ROLLBACK ? "roll back" : plan.operation().word)
                    + where + (plan.from() == null ? "" : " from " + plan.from()) + (plan.to() == null ? "" : " to "
                    + plan.to()) + "; nothing was changed";
        } else if (plan.operation() == Operation.NONE) {
            headline = "Nothing to do" + where + ": " + plan.to() + " serves already";
        } else if (execution == null) {
            headline = null;
        } else if (execution.status() == RollbackProvider.Status.TIMED_OUT) {
            headline = "The " + op + where + " timed out: " + execution.detail();
        } else if (!execution.succeeded()) {
            headline = "The " + op + where + " failed: " + execution.detail();
        } else if (plan.operation() == Operation.COMMIT) {
            headline = "Committed the rollback" + where + " to " + plan.to();
        } else {
            String moved = (plan.operation() == Operation.ROLLBACK ? "Rolled back" + (environment == null ? "" : " " + environment)
                    : (plan.operation() == Operation.REVERT ? "Reverted the rollback" : "Undid the rollback") + where)
                    + ": " + plan.from() + " → " + restored();
            headline = moved + (verification == null ? " (not verified: no verify-url)"
                    : verification.passed() ? "; verification passed" : ", but the verification failed");
        }
        n.headline(headline);
        if (plan != null && (plan.from() != null || restored() != null)) {
            n.fact("From → to", (plan.fromDescription() != null ? plan.fromDescription() : nz(plan.from())) + " → "
                    + (plan.toDescription() != null && plan.to() != null ? plan.toDescription() : nz(restored())));
        } else if (servingWhenRejected != null) {
            n.fact("Serving (unchanged)", servingWhenRejected);
        }
        n.fact("Reason", reason == null || reason.isBlank() ? "(none given)" : reason);
        if (execution != null && execution.deploymentId() != null) n.fact("New deployment", execution.deploymentId());
        n.fact("Verification", verification == null ? (dryRun ? "not run (dry run)" : "not run") : verification.line());
        n.link("Incident", incidentUrl);
        n.link("Live URL", liveUrl);
        List<String> blocking = conditions.stream().filter(Condition::error).map(Condition::describe).toList();
        n.items("Why the provider refused", blocking);
        if (verification != null && !verification.passed()) {
            n.items("Failed verification checks", verification.outcomes().stream().filter(CheckOutcome::failed)
                    .map(o -> o.name() + ": " + o.method() + " " + o.target() + (o.httpStatus() > 0 ? " → " + o.httpStatus()
                            : "") + ": " + o.message()).toList());
        }
    }

    private static Markdown code(String id) {
        return id == null ? Markdown.of("?") : Markdown.code(id);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
