package dev.gantry.prismagate;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.Annotation;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.action.Summary;
import dev.gantry.prismagate.change.Change;
import dev.gantry.prismagate.change.ChangeReader;
import dev.gantry.prismagate.data.DataCheck;
import dev.gantry.prismagate.db.DatabaseErrors;
import dev.gantry.prismagate.db.DatabaseUrl;
import dev.gantry.prismagate.db.Deadline;
import dev.gantry.prismagate.db.Session;
import dev.gantry.prismagate.lint.Finding;
import dev.gantry.prismagate.lint.Impact;
import dev.gantry.prismagate.lint.MigrationLinter;
import dev.gantry.prismagate.lint.Rule;
import dev.gantry.prismagate.lint.Severity;
import dev.gantry.prismagate.sql.Statement;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The gate: read the migrations folder, lint it, compare it with the database (waiting out a deploy that still
 * holds Prisma's lock, judging unfinished rows from the catalog), check the pending migrations against the data,
 * report the plan and its hash, and (mode apply, only when everything passed and the plan is the approved one)
 * snapshot what will be dropped and apply the pending migrations with Prisma's own bookkeeping ({@link Deploy}).
 */
public final class Gate {
    private final ActionContext ctx;
    private final Log log;
    private final Settings s;
    private final Deadline deadline;
    /** The same {@code timeout} for the PR comment's GitHub calls (a stalling GitHub cannot hold the step past it). */
    private final dev.gantry.common.http.Deadline stepDeadline;
    private final Assessment a = new Assessment();
    private final Map<String, MigrationLinter.Result> lint = new LinkedHashMap<>();
    private final Paths paths;
    private MigrationsFolder folder;
    /** What the gate is doing, for a database error's message. */
    private String doing = "connecting";

    public Gate(ActionContext ctx, Settings settings) {
        this.ctx = ctx;
        this.log = ctx.log();
        this.s = settings;
        this.deadline = Deadline.in(settings.timeout());
        this.stepDeadline = dev.gantry.common.http.Deadline.after(settings.timeout(), ctx.time(),
                "timeout: " + dev.gantry.common.action.Durations.human(settings.timeout()));
        this.paths = new Paths(settings.workspace(), log);
    }

    public void run() throws IOException {
        Deploy.Failure failure = null;
        try {
            readAndLint();
            if (s.database() == null) {
                log.info("No database-url: linting every migration, the database state is not checked");
                for (LocalMigration m : folder.migrations()) {
                    a.entries.add(new History.Entry(m.name(), m, MigrationState.UNKNOWN, null));
                }
                assess();
            } else {
                failure = withDatabase();
            }
        } catch (ActionException e) {
            report().failureSummary(ctx.summary(), e);
            throw e;
        } catch (RuntimeException e) {
            report().failureSummary(ctx.summary(), new ActionException(ExitCode.FAILED, "Unexpected error: " + e));
            throw e;
        }
        finish(failure);
    }

    private void readAndLint() throws IOException {
        a.dir = paths.locate(s.migrationsDir(), s.defaultDir());
        try {
            folder = MigrationsFolder.read(a.dir, s.workspace()); // no file in it may lead out of the workspace
        } catch (MigrationsFolder.MigrationsException e) {
            throw InputException.invalid("migrations-dir", e.getMessage());
        }
        folder.warnings().forEach(log::warning);
        long t0 = System.nanoTime();
        List<LocalMigration> migrations = folder.migrations();
        // the checksums are needed only later (plan, history): a spare core computes them while this one lints
        CompletableFuture.runAsync(() -> migrations.forEach(LocalMigration::checksum));
        List<MigrationLinter.Result> results = new MigrationLinter().lintAll(
                migrations.stream().map(LocalMigration::script).toList());
        int statements = 0;
        for (int i = 0; i < migrations.size(); i++) {
            lint.put(migrations.get(i).name(), results.get(i));
            statements += results.get(i).statements();
        }
        log.info("Read and linted " + migrations.size() + " migrations (" + statements + " statements) from "
                + paths.rel(a.dir) + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }

    /** Checks against the database and, mode apply, deploys; returns how the deploy failed, or null. */
    private Deploy.Failure withDatabase() {
        DatabaseUrl db = s.database();
        log.info("Database: " + db.display());
        if (!db.ignoredParameters().isEmpty()) {
            log.info("URL parameters for Prisma Client, not used here: " + String.join(", ", db.ignoredParameters()));
        }
        if (db.pgbouncer()) {
            log.warning("The URL has pgbouncer=true: Prisma's advisory lock is session-level and does not work"
                    + " through a transaction-mode pooler; use a direct connection for migrations");
        }
        try (Session session = Session.open(db, deadline)) {
            a.serverVersion = HistoryReader.serverVersion(session.connection());
            log.info("Connected: PostgreSQL " + a.serverVersion);
            Connection c = session.connection();
            Locking locking = new Locking(c, log, s, deadline, ctx);
            doing = "waiting for Prisma's advisory lock";
            if (s.apply()) locking.acquire();
            else a.lockHolder = locking.awaitRelease();
            doing = "reading the migration history";
            new HistoryReader(c, s, a, paths, log).read(folder);
            assess();
            if (s.dataCheck()) dataCheck(c);
            a.planHash = PlanHash.of(pending());
            a.planSize = pending().size();
            if (!s.apply() || blocked()) return null;
            return new Deploy(s, a, paths, session, log, this::setDoing).run(pending(), pendingChanges());
        } catch (SQLException e) {
            throw DatabaseErrors.of(doing, e, db, deadline);
        }
    }

    private void setDoing(String what) {
        doing = what;
    }

    /** The migrations the next deploy runs, in order. */
    private List<LocalMigration> pending() {
        return a.entries.stream().filter(e -> e.state() == MigrationState.PENDING).map(History.Entry::local).toList();
    }

    private Map<String, List<Change>> pendingChanges() {
        Map<String, List<Change>> out = new LinkedHashMap<>();
        for (LocalMigration m : pending()) out.put(m.name(), ChangeReader.read(m.script()));
        return out;
    }

    private boolean blocked() {
        return !a.historyInSync() || failingIssues() > 0;
    }

    // ---- assessing -------------------------------------------------------------------------------------------

    private void assess() {
        a.issues.clear();
        for (History.Entry e : a.entries) {
            if (e.state() == MigrationState.PENDING || e.state() == MigrationState.UNKNOWN) {
                a.issues.put(e.name(), issuesOf(e.local(), lint.get(e.name()).findings()));
            }
        }
        if (s.database() == null) return;
        String lastApplied = null;
        for (History.Entry e : a.entries) {
            if (e.local() != null && (e.state() == MigrationState.APPLIED || e.state() == MigrationState.MODIFIED)) {
                lastApplied = e.name();
            }
        }
        for (History.Entry e : a.entries) {
            if (e.state() == MigrationState.PENDING && lastApplied != null && e.name().compareTo(lastApplied) < 0) {
                log.warning("Migration " + e.name() + " is pending but sorts before the applied " + lastApplied
                        + ": Prisma applies it anyway, after the newer ones (was it added by a late merge?)",
                        Annotation.at(paths.rel(e.local().file()), 1));
            }
        }
    }

    private List<Plan.Issue> issuesOf(LocalMigration m, List<Finding> findings) {
        List<Finding> found = new ArrayList<>(findings);
        if (!m.validUtf8()) found.add(0, new Finding(Rule.INVALID_ENCODING, 1, 1, "bytes that are not UTF-8"));
        List<Plan.Issue> out = new ArrayList<>();
        for (Finding f : found) {
            Severity sev = s.rules().severity(f.rule());
            if (sev == Severity.OFF) continue;
            if (f.rule().impact() == Impact.CONTRACT && s.allowedBy() != null) sev = Severity.NOTICE;
            out.add(Plan.Issue.of(f, sev, paths.rel(m.file())));
        }
        return out;
    }

    /** Reads the rows of the pending migrations' tables (read-only) and adds what would fail as findings. */
    private void dataCheck(Connection c) throws SQLException {
        if (pending().isEmpty()) return;
        doing = "checking the pending migrations against the data";
        long t0 = System.nanoTime();
        int[] skipped = {0};
        DataCheck check = new DataCheck(c, deadline, s.database().schema(), line -> {
            skipped[0]++;
            log.info(line);
        });
        Map<String, List<Finding>> found = check.check(pendingChanges());
        int n = 0;
        for (Map.Entry<String, List<Finding>> e : found.entrySet()) {
            if (e.getValue().isEmpty()) continue;
            LocalMigration m = a.entries.stream().filter(x -> x.name().equals(e.getKey())).findFirst().orElseThrow()
                    .local();
            List<Statement> statements = Statement.split(m.script());
            List<Finding> kept = e.getValue().stream()
                    .filter(f -> !MigrationLinter.suppressed(statements, f.line(), f.rule().id())).toList();
            List<Plan.Issue> merged = new ArrayList<>(a.issues.get(e.getKey()));
            merged.addAll(issuesOf(m, kept).stream().filter(i -> !i.rule().equals(Rule.INVALID_ENCODING.id()))
                    .toList());
            merged.sort(Comparator.comparingInt(Plan.Issue::line));
            a.issues.put(e.getKey(), merged);
            n += e.getValue().size();
        }
        a.dataChecked = true;
        a.dataSkipped = skipped[0];
        log.info("Checked " + pending().size() + " pending migration(s) against the data in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms: " + n + " statement(s) would fail on today's rows");
    }

    private long failingIssues() {
        return a.issues.values().stream().flatMap(List::stream).filter(this::fails).count();
    }

    boolean fails(Plan.Issue i) {
        return i.severity() == Severity.ERROR || (s.failOnWarning() && i.severity() == Severity.WARNING);
    }

    // ---- reporting -------------------------------------------------------------------------------------------

    private Report report() {
        return new Report(a, s, paths, this::fails);
    }

    /** Writes outputs, annotations, the summary and the PR comment; then exits as the verdict says. */
    void finish(Deploy.Failure failure) {
        Report report = report();
        report.annotate(log);
        Plan plan = report.plan(failure != null);
        ctx.setOutput("pending-count", Integer.toString(plan.pendingCount()));
        ctx.setOutput("destructive", Boolean.toString(plan.destructive()));
        ctx.setOutput("applied-count", Long.toString(a.applied.values().stream().filter("applied"::equals).count()));
        ctx.setOutput("plan", plan.toJson());
        if (a.planHash != null) ctx.setOutput("plan-hash", a.planHash);
        if (a.backup != null) {
            ctx.setOutput("backup-id", a.backup.id());
            ctx.setOutput("backup-restore", Report.restoreHint(a.backup.id()));
        }
        if (a.restorePoint != null) ctx.setOutput("restore-point", Report.PITR.format(a.restorePoint));
        report.summary(ctx.summary(), plan, failure == null ? null : failure.message());
        report.notice(ctx.notice(), plan);
        comment(report, plan, failure == null ? null : failure.message());
        if (failure != null) {
            throw new ActionException(ExitCode.FAILED, failure.message(), failure.result(), failure.where(), null);
        }
        if (!a.historyInSync()) {
            throw ActionException.failed("The migration history in the database does not match the repository ("
                    + (a.problems.size() + (a.notManaged == null ? 0 : 1)) + " problem(s), see above)", "out-of-sync");
        }
        if (blocked()) throw ActionException.failed(report.blockMessage(), "blocked");
        ctx.result("success");
    }

    /** On a pull request: the same report in one sticky comment per environment, updated in place. */
    private void comment(Report report, Plan plan, String failure) {
        if (ctx.github().pullRequestNumber().isEmpty()) return;
        GitHubReporter github = GitHubReporters.forStep(ctx, GitHubReporters.Settings.of(ctx.github(), s.githubToken(),
                true), stepDeadline);
        String env = s.environment().isEmpty() ? "default" : s.environment();
        Summary body = new Summary(Map.of(), log);
        body.heading("Prisma migrations" + (s.environment().isEmpty() ? "" : " for " + s.environment()), 3);
        report.summary(body, plan, failure);
        github.stickyComment("prisma-migrate-gate:" + env, body.toMarkdown())
                .ifPresent(url -> log.info("The plan is on the pull request: " + url));
    }

    Path dir() {
        return a.dir;
    }
}
