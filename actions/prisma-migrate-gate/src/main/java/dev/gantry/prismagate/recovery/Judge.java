package dev.gantry.prismagate.recovery;

import dev.gantry.prismagate.Checksums;
import dev.gantry.prismagate.LocalMigration;
import dev.gantry.prismagate.change.Change;
import dev.gantry.prismagate.change.ChangeReader;
import dev.gantry.prismagate.db.Execution;
import dev.gantry.prismagate.db.MigrationRow;
import dev.gantry.prismagate.sql.Name;
import dev.gantry.prismagate.sql.Statement;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Tells the truth about an unfinished row of {@code _prisma_migrations} (a deploy that failed or was killed):
 * <ol>
 *   <li>the gate's own progress note ({@link dev.gantry.prismagate.db.MigrationRunner#PROGRESS}) in {@code logs} (files with transaction blocks) says exactly which blocks
 *   committed;</li>
 *   <li>an error recorded in {@code logs} for a file without transaction control means the file's one
 *   transaction rolled back;</li>
 *   <li>otherwise the catalog is compared with what the file leaves after each of its statements
 *   ({@link Facts}): tables, columns, indexes (an INVALID one: an interrupted CONCURRENTLY build),
 *   constraints, types, enum values, NOT NULL.</li>
 * </ol>
 * The advice never runs a statement that already ran: applied means {@code resolve --applied}; partly applied
 * means running the rest by hand, then {@code resolve --applied}.
 */
public final class Judge {
    private static final Pattern PROGRESS = Pattern.compile("gantry-prisma-migrate-gate: committed (\\d+) of (\\d+)"
            + " transaction blocks");

    private final CatalogProbe catalog;
    /** (flag, name) → the {@code prisma migrate resolve} command line. */
    private final BiFunction<String, String, String> resolve;

    public Judge(CatalogProbe catalog, BiFunction<String, String, String> resolve) {
        this.catalog = catalog;
        this.resolve = resolve;
    }

    public Verdict judge(MigrationRow row, LocalMigration local) throws SQLException {
        String name = row.name();
        if (local == null) {
            return new Verdict(Verdict.State.UNKNOWN, "The repository does not have this migration, so the gate cannot"
                    + " tell how much of it ran.", "Restore its folder from the branch that deployed it, or check by"
                    + " hand, then run `" + resolve.apply("--rolled-back", name) + "` or `"
                    + resolve.apply("--applied", name) + "`.", List.of());
        }
        List<Statement> statements = Statement.split(local.script());
        Execution exec = Execution.of(statements);
        boolean sameFile = Checksums.matches(local.script(), row.checksum());
        String logs = row.logs() == null ? "" : row.logs();
        Matcher progress = PROGRESS.matcher(logs);
        boolean error = !logs.replaceFirst("(?m)^gantry-prisma-migrate-gate: committed .*$", "").isBlank();
        if (!sameFile) return edited(name, error);
        if (progress.find() && exec.kind() == Execution.Kind.TRANSACTION_BLOCKS
                && Integer.parseInt(progress.group(2)) == exec.blocks().size()) {
            int k = Integer.parseInt(progress.group(1));
            return byBlocks(name, exec, k == 0 ? 0 : exec.blocks().get(k - 1).last() + 1, "the gate's progress note");
        }
        if (exec.kind() == Execution.Kind.TRANSACTIONAL && error) {
            return notApplied(name, "It failed and the error is recorded; the file ran as one transaction, which"
                    + " PostgreSQL rolled back, so none of it is in the database.", true);
        }
        if (exec.kind() == Execution.Kind.NON_TRANSACTIONAL_STATEMENT) {
            Verdict v = index(name, statements.get(0));
            if (v != null) return v;
        }
        return fromCatalog(name, exec, ChangeReader.read(statements));
    }

    private Verdict edited(String name, boolean error) {
        String finding = "Its migration.sql has changed since that attempt, so the gate cannot compare it with the"
                + " database." + (error ? " Prisma recorded an error: unless the file as it ran had its own COMMIT or"
                + " CONCURRENTLY statements, none of it is in the database." : "");
        return new Verdict(Verdict.State.UNKNOWN, finding, "If none of it is in the database, run `"
                + resolve.apply("--rolled-back", name) + "` and deploy again; if you completed it by hand, run `"
                + resolve.apply("--applied", name) + "`.", List.of());
    }

    private Verdict notApplied(String name, String why, boolean fix) {
        return new Verdict(Verdict.State.NOT_APPLIED, why, (fix ? "Fix the migration, then run `" : "Run `")
                + resolve.apply("--rolled-back", name) + "` and deploy again.", List.of());
    }

    private Verdict applied(String name, String why) {
        return new Verdict(Verdict.State.APPLIED, why + " Only the bookkeeping is missing: run `"
                + resolve.apply("--applied", name) + "`.", "Do not deploy it again: that would run it twice.", List.of());
    }

    /** {@code ran} statements committed (block boundaries), the rest did not. */
    private Verdict byBlocks(String name, Execution exec, int ran, String source) {
        int n = exec.statements().size();
        if (ran >= n) return applied(name, "Every transaction block of it committed (" + source + ").");
        if (ran == 0) return notApplied(name, "None of its transaction blocks committed (" + source + "), so none of"
                + " it is in the database.", false);
        return partly(name, exec, ran, ran, source);
    }

    /**
     * Statements 1..ran committed for sure; ran+1..upTo may have (no trace either way); upTo+1..n did not run.
     */
    private Verdict partly(String name, Execution exec, int ran, int upTo, String source) {
        List<Statement> ss = exec.statements();
        int n = ss.size();
        StringBuilder f = new StringBuilder("Statements 1-" + ran + " (lines " + ss.get(0).startLine() + "-"
                + ss.get(ran - 1).endLine() + ") ran and are committed");
        if (upTo > ran) {
            f.append("; statements ").append(range(ss, ran, upTo)).append(" left no trace the gate can read");
        }
        if (upTo < n) f.append("; statements ").append(range(ss, upTo, n)).append(" did not run");
        f.append(" (").append(source).append(").");
        String check = upTo > ran ? " Check by hand whether statements " + (ran + 1) + "-" + upTo + " ran." : "";
        return new Verdict(Verdict.State.PARTLY_APPLIED, f.toString(), "Do not deploy it again: that would run"
                + " statements 1-" + ran + " twice." + check + " Run the statements that did not run yourself (they are"
                + " in the step summary), then `" + resolve.apply("--applied", name) + "`.",
                IntStream.range(upTo > ran ? ran : upTo, n).boxed().toList());
    }

    /** "i-j (lines a-b)" for statements from index {@code from} (inclusive) to {@code to} (exclusive). */
    private static String range(List<Statement> ss, int from, int to) {
        return (from + 1) + "-" + to + " (lines " + ss.get(from).startLine() + "-" + ss.get(to - 1).endLine() + ")";
    }

    private Verdict index(String name, Statement s) throws SQLException {
        for (Change c : ChangeReader.read(List.of(s))) {
            if (c instanceof Change.CreateIndex ci && ci.name() != null) {
                Name index = new Name(ci.table().schema(), ci.name());
                return switch (catalog.index(index)) {
                    case VALID -> applied(name, "Index " + index.display() + " exists and is valid.");
                    case ABSENT -> notApplied(name, "Index " + index.display() + " does not exist: the build did not"
                            + " start or was rolled back.", false);
                    case INVALID -> new Verdict(Verdict.State.INTERRUPTED_INDEX, "The CONCURRENTLY build did not"
                            + " finish (it failed or was interrupted) and left index " + index.display() + " INVALID (it"
                            + " is not used, and the statement cannot run again while it exists).",
                            "Drop it with `DROP INDEX CONCURRENTLY "
                            + index.sql() + ";`, then run `" + resolve.apply("--rolled-back", name) + "` and deploy"
                            + " again, which builds it anew.", List.of(0));
                };
            }
            if (c instanceof Change.DropIndex di && di.indexes().size() == 1) {
                Name index = di.indexes().get(0);
                return switch (catalog.index(index)) {
                    case ABSENT -> applied(name, "Index " + index.display() + " no longer exists.");
                    case VALID -> notApplied(name, "Index " + index.display() + " still exists and is valid.", false);
                    case INVALID -> new Verdict(Verdict.State.INTERRUPTED_INDEX, "The CONCURRENTLY drop was interrupted"
                            + " and left index " + index.display() + " INVALID.", "Run `" + resolve.apply(
                            "--rolled-back", name) + "` and deploy again, which finishes the drop.", List.of(0));
                };
            }
        }
        String k = s.keyword();
        if (k.equals("VACUUM") || k.equals("REINDEX")) {
            return applied(name, k + " changes neither schema nor data, so nothing is half-done (run it again by hand"
                    + " if it was cut short).");
        }
        return null;
    }

    /** The prefixes of the file the catalog agrees with decide. */
    private Verdict fromCatalog(String name, Execution exec, List<Change> changes) throws SQLException {
        int n = exec.statements().size();
        Facts facts = Facts.replay(changes, n);
        List<Integer> allowed = exec.kind() == Execution.Kind.TRANSACTION_BLOCKS
                ? blockEnds(exec) : IntStream.rangeClosed(0, n).boxed().toList();
        Map<Fact, Boolean> seen = new LinkedHashMap<>();
        List<Integer> consistent = new ArrayList<>();
        for (int k : allowed) {
            boolean ok = true;
            for (Map.Entry<Fact, Boolean> e : facts.expectedAfter(k).entrySet()) {
                Boolean actual = seen.get(e.getKey());
                if (actual == null) seen.put(e.getKey(), actual = catalog.holds(e.getKey()));
                if (!actual.equals(e.getValue())) {
                    ok = false;
                    break;
                }
            }
            if (ok) consistent.add(k);
        }
        String evidence = evidence(facts, seen, n);
        if (consistent.isEmpty()) {
            return new Verdict(Verdict.State.UNKNOWN, "The database matches neither the state before this migration"
                    + " nor after any of its statements (" + evidence + "): it was changed by hand since.",
                    "Check by hand which of its changes are in the database, complete them, then run `"
                    + resolve.apply("--applied", name) + "`.", List.of());
        }
        int min = consistent.get(0);
        int max = consistent.get(consistent.size() - 1);
        if (min == n) return applied(name, "The catalog shows all of its changes (" + evidence + ").");
        if (max == 0) return notApplied(name, "The catalog shows none of its changes (" + evidence + ").", false);
        if (min > 0 && max == n && exec.kind() == Execution.Kind.TRANSACTIONAL) {
            return applied(name, "The catalog shows its changes (" + evidence + "), and the file ran as one"
                    + " transaction, so all of it committed.");
        }
        if (min > 0) return partly(name, exec, min, max, "read from the catalog: " + evidence);
        if (exec.kind() == Execution.Kind.TRANSACTIONAL && max < n) {
            return notApplied(name, "The catalog does not show all of its changes (" + evidence + "), and the file ran"
                    + " as one transaction, so none of it committed.", false);
        }
        return new Verdict(Verdict.State.UNKNOWN, "Its statements leave no trace in the catalog the gate can read"
                + (seen.isEmpty() ? "" : " (" + evidence + ")") + ", so it cannot tell whether they ran.",
                "Check by hand whether its changes are in the database: if they are, run `" + resolve.apply("--applied",
                name) + "`; if not, run `" + resolve.apply("--rolled-back", name) + "` and deploy again.", List.of());
    }

    private static List<Integer> blockEnds(Execution exec) {
        List<Integer> out = new ArrayList<>(List.of(0));
        for (Execution.Block b : exec.blocks()) out.add(b.last() + 1);
        return out;
    }

    private static String evidence(Facts facts, Map<Fact, Boolean> seen, int n) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<Fact, Boolean> e : seen.entrySet()) {
            Boolean before = facts.expectedAfter(0).get(e.getKey());
            Boolean after = facts.expectedAfter(n).get(e.getKey());
            if (before != null && before.equals(after)) continue;
            parts.add(e.getKey().describe() + (e.getValue() ? " exists" : " does not exist"));
            if (parts.size() == 3) break;
        }
        return parts.isEmpty() ? "nothing it can check" : String.join(", ", parts);
    }
}
