package dev.gantry.rollback;

import dev.gantry.common.action.Summary;
import dev.gantry.rollback.RollbackProvider.Condition;
import dev.gantry.rollback.RollbackProvider.Execution;
import dev.gantry.rollback.RollbackProvider.Operation;
import dev.gantry.rollback.RollbackProvider.Plan;
import dev.gantry.smoketest.engine.CheckOutcome;

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

    /** Whether this run ended badly: refused, failed, timed out, or the verification failed. */
    boolean failed() {
        return rejected != null || error != null || execution != null && !execution.succeeded()
                || verification != null && !verification.passed();
    }

    String verdict() {
        String op = plan == null ? "rollback" : plan.operation().word;
        String where = environment == null ? "" : " of " + environment;
        if (rejected != null) return "❌ No " + op + where + ": " + Summary.html(rejected);
        if (error != null) return "❌ The " + op + where + " failed: " + Summary.html(error);
        if (dryRun) {
            return "🔎 Dry run: would " + switch (plan.operation()) {
                case ROLLBACK -> "roll back" + (environment == null ? "" : " " + environment) + " from " + code(plan.from()) + " to " + code(plan.to());
                case REVERT -> "revert the pinned rollback" + where + " (" + code(plan.from()) + ")";
                case UNDO -> "undo the rollback" + where + ": promote " + code(plan.to()) + " again";
                case COMMIT -> "commit the pinned rollback" + where + " to " + code(plan.to());
                case NONE -> "do nothing: " + code(plan.to()) + " serves already";
            } + "; nothing was changed.";
        }
        if (plan.operation() == Operation.NONE) return "✅ Nothing to do" + where + ": " + code(plan.to()) + " serves already.";
        if (execution.status() == RollbackProvider.Status.TIMED_OUT) {
            return "⏱️ The " + op + where + " timed out: " + Summary.html(execution.detail());
        }
        if (!execution.succeeded()) return "❌ The " + op + where + " failed: " + Summary.html(execution.detail());
        if (plan.operation() == Operation.COMMIT) return "✅ Committed the rollback" + where + " to " + code(plan.to()) + ".";
        String moved = switch (plan.operation()) {
            case REVERT -> "Reverted the rollback" + where + ": " + code(plan.from()) + " → " + code(restored());
            case UNDO -> "Undid the rollback" + where + ": " + code(plan.from()) + " → " + code(plan.to());
            default -> "Rolled back" + (environment == null ? "" : " " + environment) + ": " + code(plan.from()) + " → " + code(plan.to());
        };
        if (verification == null) return "✅ " + moved + " (not verified: no verify-url).";
        return verification.passed() ? "✅ " + moved + "; verification passed."
                : "❌ " + moved + ", but the verification failed.";
    }

    /** The deployment serving after the run. */
    String restored() {
        if (execution != null && execution.restored() != null) return execution.restored();
        return plan == null ? null : plan.to();
    }

    private List<List<String>> rows() {
        List<List<String>> rows = new ArrayList<>();
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
            rows.add(List.of("New deployment", execution.deploymentId()));
        }
        rows.add(List.of("Reason", reason == null || reason.isBlank() ? "(none given)" : reason));
        if (started != null) rows.add(List.of("Started", started.truncatedTo(ChronoUnit.SECONDS).toString()));
        if (finished != null) {
            rows.add(List.of("Finished", finished.truncatedTo(ChronoUnit.SECONDS).toString()));
            rows.add(List.of("Duration", RollbackFlow.human(Duration.between(started, finished))));
        }
        if (execution != null) {
            rows.add(List.of("Provider job", execution.status().name().toLowerCase().replace('_', ' ') + ": "
                    + execution.detail() + " (" + RollbackFlow.human(execution.elapsed()) + ")"));
        }
        rows.add(List.of("Verification", verification == null ? (dryRun ? "not run (dry run)" : "not run")
                : verification.line() + " (" + RollbackFlow.human(verification.elapsed()) + ")"));
        if (trigger != null) rows.add(List.of("Triggered by", trigger));
        if (runUrl != null && !runUrl.isBlank()) rows.add(List.of("Workflow run", runUrl));
        if (incidentUrl != null) rows.add(List.of("Incident", incidentUrl));
        return rows;
    }

    /** The step summary. */
    void write(Summary summary) {
        summary.paragraph("**" + Summary.inline(verdict()) + "**");
        summary.table(List.of("", ""), rows());
        if (!conditions.isEmpty()) {
            summary.heading("Validation conditions", 3);
            List<List<String>> rows = new ArrayList<>();
            for (Condition c : conditions) {
                rows.add(List.of(c.error() ? "error" : "warning", c.code(), c.message(),
                        c.components() == null ? "" : String.join(", ", c.components())));
            }
            summary.table(List.of("level", "code", "message", "components"), rows);
        }
        if (!notes.isEmpty()) summary.bullets(notes);
        if (execution != null && !execution.timeline().isEmpty()) {
            summary.details("Timeline", "- " + String.join("\n- ", execution.timeline()) + "\n");
        }
        if (verification != null && !verification.outcomes().isEmpty()) {
            summary.details("Verification checks", checksTable());
        }
        if (execution != null && !execution.logs().isBlank()) {
            summary.details("Logs of the failed deployment", fenced(execution.logs()));
        }
    }

    /** Provider text in a fence longer than any backtick run inside it, cut to {@link #MAX_LOGS} characters. */
    static String fenced(String text) {
        String t = text.length() > MAX_LOGS ? "…" + text.substring(text.length() - MAX_LOGS) : text;
        String fence = "```";
        while (t.contains(fence)) fence += "`";
        return fence + "text\n" + t + (t.endsWith("\n") ? "" : "\n") + fence + "\n";
    }

    static final int MAX_LOGS = 16_000;

    private String checksTable() {
        StringBuilder b = new StringBuilder("| check | request | result |\n| --- | --- | --- |\n");
        for (CheckOutcome o : verification.outcomes()) {
            b.append("| ").append(Summary.cell(o.name())).append(" | ").append(Summary.cell(o.method() + " " + o.target()))
                    .append(" | ").append(Summary.cell(o.status().name().toLowerCase()
                            + (o.httpStatus() > 0 ? " " + o.httpStatus() : "") + (o.failed() ? ": " + o.message() : "")))
                    .append(" |\n");
        }
        return b.toString();
    }

    /** The incident issue body (or the comment added to the open one). */
    String incidentMarkdown() {
        StringBuilder b = new StringBuilder();
        b.append("### ").append(Summary.inline(verdict())).append("\n\n");
        b.append("| | |\n| --- | --- |\n");
        for (List<String> row : rows()) {
            if (row.get(0).equals("Incident")) continue;
            b.append("| ").append(Summary.cell(row.get(0))).append(" | ").append(Summary.cell(row.get(1))).append(" |\n");
        }
        b.append('\n');
        if (!conditions.isEmpty()) {
            b.append("**Validation conditions**\n\n");
            for (Condition c : conditions) b.append("- ").append(Summary.inline(c.describe())).append('\n');
            b.append('\n');
        }
        for (String n : notes) b.append("- ").append(Summary.inline(n)).append('\n');
        if (verification != null && !verification.outcomes().isEmpty()) {
            b.append("\n<details><summary>Verification checks</summary>\n\n").append(checksTable()).append("\n</details>\n");
        }
        if (execution != null && !execution.logs().isBlank()) {
            b.append("\n<details><summary>Logs of the failed deployment</summary>\n\n").append(fenced(execution.logs()))
                    .append("\n</details>\n");
        }
        return b.toString();
    }

    String incidentTitle() {
        String env = environment == null ? "" : environment;
        if (failed()) return "Incident: rollback of " + env + " failed";
        return "Incident: " + env + " rolled back on " + provider;
    }

    private static String code(String id) {
        return id == null ? "?" : "`" + id + "`";
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
