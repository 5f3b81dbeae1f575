package dev.gantry.prismagate;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.Annotation;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Summary;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.http.Poller;
import dev.gantry.prismagate.db.DatabaseUrl;
import dev.gantry.prismagate.db.MigrationRow;
import dev.gantry.prismagate.db.MigrationsTable;
import dev.gantry.prismagate.db.ScriptRunner;
import dev.gantry.prismagate.lint.Finding;
import dev.gantry.prismagate.lint.Impact;
import dev.gantry.prismagate.lint.MigrationLinter;
import dev.gantry.prismagate.lint.Rule;
import dev.gantry.prismagate.lint.RuleConfig;
import dev.gantry.prismagate.lint.Severity;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

/**
 * The gate: read the migrations folder, lint it, compare it with the database, report the plan, and (mode
 * apply, only when everything passed) apply the pending migrations with Prisma's own bookkeeping.
 */
public final class Gate {
    /** "72707369 is a unique number we chose to identify Migrate" (prisma-engines, flavour/postgres.rs). */
    public static final long ADVISORY_LOCK_KEY = 72707369L;
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'");

    /** Everything the inputs decided. */
    public record Settings(Path workspace, String migrationsDir, boolean defaultDir, boolean apply, String environment,
                           DatabaseUrl database, String allowedBy, RuleConfig rules, boolean failOnWarning,
                           Duration lockTimeout, Duration statementTimeout, String githubToken) {
    }

    private final ActionContext ctx;
    private final Log log;
    private final Settings s;
    private Path dir;
    private MigrationsFolder folder;
    private final Map<String, MigrationLinter.Result> lint = new LinkedHashMap<>();
    private List<History.Entry> entries = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, List<Plan.Issue>> issues = new LinkedHashMap<>();
    private final Map<String, String> applied = new LinkedHashMap<>();
    private String notManaged;
    private boolean deployRunning;
    /** The workspace, absolute and normalised (paths in annotations and the plan are relative to it). */
    private Path workspace;

    public Gate(ActionContext ctx, Settings settings) {
        this.ctx = ctx;
        this.log = ctx.log();
        this.s = settings;
    }

    public void run() throws IOException {
        dir = locate();
        try {
            folder = MigrationsFolder.read(dir);
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
        log.info("Read and linted " + folder.migrations().size() + " migrations (" + statements + " statements) from "
                + rel(dir) + " in " + (System.nanoTime() - t0) / 1_000_000 + " ms");

        if (s.database() == null) {
            log.info("No database-url: linting every migration, the database state is not checked");
            for (LocalMigration m : folder.migrations()) {
                entries.add(new History.Entry(m.name(), m, MigrationState.UNKNOWN, null));
            }
        } else {
            log.info("Database: " + s.database().display());
            if (!s.database().ignoredParameters().isEmpty()) {
                log.info("URL parameters for Prisma Client, not used here: " + String.join(", ", s.database().ignoredParameters()));
            }
            if (s.database().pgbouncer()) {
                log.warning("The URL has pgbouncer=true: Prisma's advisory lock is session-level and does not work"
                        + " through a transaction-mode pooler; use a direct connection for migrations");
            }
            try (Connection c = connect()) {
                entries = readStatus(c);
            } catch (SQLException e) {
                throw databaseError("reading the migration history", e);
            }
        }
        assess();
        boolean waitForRunningDeploy = s.apply() && deployRunning
                && problems.size() == entries.stream().filter(e -> e.state() == MigrationState.FAILED).count();
        if (waitForRunningDeploy) {
            log.info("Another deploy holds Prisma's advisory lock with a migration in progress: waiting for it, then"
                    + " deciding again");
        }
        boolean blocked = (!problems.isEmpty() && !waitForRunningDeploy) || notManaged != null || failingIssues() > 0;
        if (blocked || !s.apply()) {
            finish(blocked, null);
            return;
        }
        try (Connection c = connect()) {
            apply(c);
        } catch (SQLException e) {
            throw databaseError("applying migrations", e);
        }
        finish(false, null);
    }

    // ---- locating and reading --------------------------------------------------------------------------------

    private Path locate() throws IOException {
        Path p = s.workspace().resolve(s.migrationsDir()).normalize();
        if (Files.isDirectory(p)) return p;
        if (!s.defaultDir()) {
            throw InputException.invalid("migrations-dir", "points to " + rel(p) + ", which is not a folder");
        }
        List<Path> found = new ArrayList<>();
        // node_modules and hidden folders are skipped: a Prisma package ships schema.prisma files of its own
        Files.walkFileTree(s.workspace(), EnumSet.noneOf(FileVisitOption.class), 6, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                String n = d.getFileName() == null ? "" : d.getFileName().toString();
                boolean skip = n.equals("node_modules") || (n.startsWith(".") && !d.equals(s.workspace()));
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                if (f.getFileName().toString().equals("schema.prisma") && Files.isDirectory(f.resolveSibling("migrations"))) {
                    found.add(f.resolveSibling("migrations"));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        if (found.isEmpty()) {
            throw InputException.invalid("migrations-dir", "is not set and neither prisma/migrations nor a"
                    + " migrations folder beside a schema.prisma exists in the workspace");
        }
        if (found.size() > 1) {
            log.warning("Several migrations folders beside schema.prisma files: " + found.stream().map(this::rel)
                    .toList() + "; using the first. Set migrations-dir to choose.");
        }
        log.info("Found the migrations folder beside schema.prisma: " + rel(found.get(0)));
        return found.get(0);
    }

    String rel(Path p) {
        Path ws = workspace;
        if (ws == null) workspace = ws = s.workspace().toAbsolutePath().normalize();
        Path a = p.toAbsolutePath().normalize();
        return (a.startsWith(ws) ? ws.relativize(a) : a).toString().replace('\\', '/');
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        p.putAll(s.database().properties());
        // one Query message per script: Prisma's simple_query semantics (see ScriptRunner)
        p.setProperty("preferQueryMode", "simple");
        Connection c = DriverManager.getConnection(s.database().jdbcUrl(), p);
        c.setAutoCommit(true);
        return c;
    }

    private ActionException databaseError(String doing, SQLException e) {
        String msg = e.getMessage() == null ? e.toString() : e.getMessage();
        return new ActionException(ExitCode.PROVIDER_ERROR, "Database error while " + doing + " on "
                + s.database().display() + ": " + msg + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState()
                + ")"), "error", null, e);
    }

    private List<History.Entry> readStatus(Connection c) throws SQLException {
        MigrationsTable table = new MigrationsTable(c, s.database().schema());
        notManaged = null;
        if (!table.schemaExists()) {
            log.info("Schema " + s.database().schema() + " does not exist yet: every migration is pending");
            return History.classify(folder.migrations(), List.of());
        }
        List<String> tables = table.tables();
        if (!tables.contains("_prisma_migrations")) {
            if (!tables.isEmpty()) {
                notManaged = "The database schema `" + s.database().schema() + "` has " + tables.size() + " table(s) but"
                        + " no _prisma_migrations table: it is not managed by Prisma Migrate, and deploy would stop"
                        + " with P3005. Baseline it: mark the migrations already reflected in it as applied, e.g. `"
                        + resolveCommand("--applied", folder.migrations().isEmpty() ? "<first migration>"
                        : folder.migrations().get(0).name()) + "`.";
            } else {
                log.info("No _prisma_migrations table yet: every migration is pending");
            }
            return History.classify(folder.migrations(), List.of());
        }
        List<History.Entry> out = History.classify(folder.migrations(), table.rows());
        deployRunning = out.stream().anyMatch(e -> e.state() == MigrationState.FAILED) && lockHeldElsewhere(c);
        if (deployRunning && !s.apply()) {
            log.warning("Another session holds Prisma's advisory lock " + ADVISORY_LOCK_KEY + ": a deploy may be"
                    + " running right now, and an unfinished migration may still be in progress rather than failed.");
        }
        return out;
    }

    /** Whether another backend holds the session advisory lock on Prisma's key (bigint keys: objsubid 1). */
    private static boolean lockHeldElsewhere(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                     + " AND classid = 0 AND objid = " + ADVISORY_LOCK_KEY + " AND objsubid = 1"
                     + " AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    // ---- assessing -------------------------------------------------------------------------------------------

    private void assess() {
        problems.clear();
        issues.clear();
        for (History.Entry e : entries) {
            switch (e.state()) {
                case PENDING, UNKNOWN -> issues.put(e.name(), issuesOf(e.local()));
                case FAILED -> problems.add(failedProblem(e));
                case MODIFIED -> problems.add(modifiedProblem(e));
                case MISSING_LOCALLY -> problems.add(missingProblem(e));
                default -> {
                }
            }
        }
        if (s.database() != null) {
            String lastApplied = null;
            for (History.Entry e : entries) {
                if (e.local() == null) continue;
                if (e.state() == MigrationState.APPLIED || e.state() == MigrationState.MODIFIED) lastApplied = e.name();
            }
            for (History.Entry e : entries) {
                if (e.state() == MigrationState.PENDING && lastApplied != null && e.name().compareTo(lastApplied) < 0) {
                    log.warning("Migration " + e.name() + " is pending but sorts before the applied " + lastApplied
                            + ": Prisma applies it anyway, after the newer ones (was it added by a late merge?)",
                            Annotation.at(rel(e.local().file()), 1));
                }
            }
        }
    }

    private List<Plan.Issue> issuesOf(LocalMigration m) {
        List<Finding> found = new ArrayList<>(lint.get(m.name()).findings());
        if (!m.validUtf8()) found.add(0, new Finding(Rule.INVALID_ENCODING, 1, 1, "bytes that are not UTF-8"));
        List<Plan.Issue> out = new ArrayList<>();
        for (Finding f : found) {
            Severity sev = s.rules().severity(f.rule());
            if (sev == Severity.OFF) continue;
            if (f.rule().impact() == Impact.CONTRACT && s.allowedBy() != null) sev = Severity.NOTICE;
            out.add(Plan.Issue.of(f, sev, rel(m.file())));
        }
        return out;
    }

    private long failingIssues() {
        return issues.values().stream().flatMap(List::stream).filter(this::fails).count();
    }

    private boolean fails(Plan.Issue i) {
        return i.severity() == Severity.ERROR || (s.failOnWarning() && i.severity() == Severity.WARNING);
    }

    String resolveCommand(String flag, String name) {
        String cmd = "npx prisma migrate resolve " + flag + " \"" + name + "\"";
        Path schema = dir.getParent() == null ? null : dir.getParent().resolve("schema.prisma");
        if (schema != null && Files.isRegularFile(schema) && !rel(schema).equals("prisma/schema.prisma")) {
            cmd += " --schema " + rel(schema);
        }
        return cmd;
    }

    private String failedProblem(History.Entry e) {
        MigrationRow r = e.row();
        String when = r.startedAt() == null ? "" : " started at " + TS.format(r.startedAt()) + " and";
        return "Migration `" + e.name() + "`" + when + " did not finish: it failed, or the deploy was stopped while it"
                + " ran. Prisma applies nothing more until it is resolved (P3009). Prisma runs a migration file as one"
                + " transaction, so unless the file has its own COMMIT or CONCURRENTLY statements none of it is in the"
                + " database: fix the migration, then run `" + resolveCommand("--rolled-back", e.name())
                + "` and deploy again. If you completed its changes by hand instead, run `"
                + resolveCommand("--applied", e.name()) + "`."
                + (e.local() == null ? " (The repository does not have this migration either.)" : "");
    }

    private String modifiedProblem(History.Entry e) {
        MigrationRow r = e.row();
        return "Migration `" + e.name() + "` was applied" + (r.finishedAt() == null ? "" : " at "
                + TS.format(r.finishedAt())) + ", but its migration.sql has changed since (checksum in the database "
                + abbrev(r.checksum()) + ", file " + abbrev(e.local().checksum()) + "). Prisma silently ignores this, so"
                + " this environment does not have what the file now says. Restore the file as it was applied (git log -p"
                + " -- " + rel(e.local().file()) + ") and put the change in a new migration.";
    }

    private String missingProblem(History.Entry e) {
        MigrationRow r = e.row();
        return "The database has migration `" + e.name() + "`" + (r.finishedAt() == null ? "" : " (applied "
                + TS.format(r.finishedAt()) + ")") + " that the repository does not: it was deployed from another"
                + " branch, or renamed or deleted here. Merge the branch that has it, or restore the folder under its"
                + " recorded name; Prisma itself ignores this (migrate status and deploy say nothing).";
    }

    private static String abbrev(String checksum) {
        return checksum == null ? "none" : checksum.length() > 12 ? checksum.substring(0, 12) + "…" : checksum;
    }

    // ---- applying --------------------------------------------------------------------------------------------

    private void apply(Connection c) throws SQLException {
        log.group("Applying migrations to " + s.database().display());
        try {
            lock(c);
            MigrationsTable table = new MigrationsTable(c, s.database().schema());
            if (!table.schemaExists()) {
                log.info("Creating schema " + s.database().schema());
                table.createSchema();
            }
            // another deploy may have run while we waited: decide again, under the lock
            entries = readStatus(c);
            assess();
            if (!problems.isEmpty() || notManaged != null || failingIssues() > 0) {
                log.endGroup();
                finish(true, null);
                return;
            }
            if (!table.exists()) {
                log.info("Creating the _prisma_migrations table");
                table.create();
            }
            setTimeouts(c);
            List<History.Entry> pending = entries.stream().filter(e -> e.state() == MigrationState.PENDING).toList();
            if (pending.isEmpty()) log.info("No pending migrations to apply.");
            int n = 0;
            for (History.Entry e : pending) {
                n++;
                LocalMigration m = e.local();
                log.info("Applying migration `" + m.name() + "` (" + n + "/" + pending.size() + ")");
                long t0 = System.nanoTime();
                String id = table.recordStarted(m.name(), m.checksum());
                try {
                    ScriptRunner.run(c, m.script());
                } catch (SQLException ex) {
                    String logs = ScriptRunner.describe(ex);
                    try {
                        table.recordFailed(id, logs);
                    } catch (SQLException ignored) {
                        log.warning("Could not record the error in _prisma_migrations.logs: " + ignored.getMessage());
                    }
                    applied.put(m.name(), "failed");
                    int line = Math.max(1, ScriptRunner.errorLine(ex, m.script()));
                    log.endGroup();
                    log.untrusted(logs);
                    String msg = "Migration `" + m.name() + "` failed to apply (P3018): " + firstLine(ex)
                            + ". Nothing of it was kept unless the file commits on its own. Fix it, then run `"
                            + resolveCommand("--rolled-back", m.name()) + "` and deploy again.";
                    finish(true, new Failure(msg, Annotation.at(rel(m.file()), line).withTitle("migration failed")));
                    return;
                }
                table.recordSuccessfulStep(id);
                table.recordFinished(id);
                applied.put(m.name(), "applied");
                log.info("  applied in " + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms");
            }
        } finally {
            log.endGroup();
        }
    }

    private static String firstLine(SQLException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private void lock(Connection c) {
        if ("1".equals(ctx.env("PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK"))
                || "true".equalsIgnoreCase(ctx.env("PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK"))) {
            log.warning("PRISMA_SCHEMA_DISABLE_ADVISORY_LOCK is set: applying without Prisma's advisory lock");
            return;
        }
        Poller.waitingFor("Prisma's advisory lock (pg_advisory_lock(" + ADVISORY_LOCK_KEY + "), P1002)")
                .timeout(s.lockTimeout()).interval(Duration.ofMillis(100), Duration.ofSeconds(1), 1.5)
                .heartbeat(Duration.ofSeconds(10)).log(log)
                .build().until(() -> tryLock(c), Boolean::booleanValue,
                        ok -> ok ? "holding Prisma's advisory lock " + ADVISORY_LOCK_KEY
                                : "another session (a deploy) holds Prisma's advisory lock " + ADVISORY_LOCK_KEY);
    }

    private static boolean tryLock(Connection c) {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + ADVISORY_LOCK_KEY + ")")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the advisory lock: " + e.getMessage(), e);
        }
    }

    private void setTimeouts(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (!s.lockTimeout().isZero()) st.execute("SET lock_timeout = '" + s.lockTimeout().toMillis() + "ms'");
            if (!s.statementTimeout().isZero()) {
                st.execute("SET statement_timeout = '" + s.statementTimeout().toMillis() + "ms'");
            }
        }
    }

    // ---- reporting -------------------------------------------------------------------------------------------

    private record Failure(String message, Annotation where) {
    }

    private void finish(boolean blocked, Failure failure) {
        Report report = new Report(this);
        report.annotate(log);
        Plan plan = plan(blocked, failure);
        ctx.setOutput("pending-count", Integer.toString(plan.pendingCount()));
        ctx.setOutput("destructive", Boolean.toString(plan.destructive()));
        ctx.setOutput("applied-count", Long.toString(applied.values().stream().filter("applied"::equals).count()));
        ctx.setOutput("plan", plan.toJson());
        report.summary(ctx.summary(), plan, failure == null ? null : failure.message());
        comment(report, plan, failure == null ? null : failure.message());
        if (failure != null) {
            throw new ActionException(ExitCode.FAILED, failure.message(), "apply-failed", failure.where(), null);
        }
        if (!problems.isEmpty() || notManaged != null) {
            throw ActionException.failed("The migration history in the database does not match the repository ("
                    + (problems.size() + (notManaged == null ? 0 : 1)) + " problem(s), see above)", "out-of-sync");
        }
        if (blocked) {
            throw ActionException.failed(report.blockMessage(), "blocked");
        }
        ctx.result("success");
    }

    /** On a pull request: the same report in one sticky comment per environment, updated in place. */
    private void comment(Report report, Plan plan, String failure) {
        if (ctx.github().pullRequestNumber().isEmpty()) return;
        GitHubReporter github = GitHubReporters.forStep(ctx, GitHubReporters.Settings.of(ctx.github(), s.githubToken(),
                true), dev.gantry.common.http.Deadline.none(ctx.time()));
        String env = s.environment().isEmpty() ? "default" : s.environment();
        Summary body = new Summary(Map.of(), log);
        body.heading("Prisma migrations" + (s.environment().isEmpty() ? "" : " for " + s.environment()), 3);
        report.summary(body, plan, failure);
        github.stickyComment("prisma-migrate-gate:" + env, body.render())
                .ifPresent(url -> log.info("The plan is on the pull request: " + url));
    }

    private Plan plan(boolean blocked, Failure failure) {
        List<Plan.Item> items = new ArrayList<>();
        int pending = 0;
        boolean destructive = false;
        for (History.Entry e : entries) {
            List<Plan.Issue> is = issues.getOrDefault(e.name(), List.of());
            String state = applied.getOrDefault(e.name(), e.state().label());
            String cls = e.state() == MigrationState.PENDING || e.state() == MigrationState.UNKNOWN
                    ? Plan.MigrationClass.of(is).label() : null;
            if (e.state() == MigrationState.PENDING && !applied.containsKey(e.name())) pending++;
            if (e.state() == MigrationState.UNKNOWN) pending++;
            if ("contract".equals(cls)) destructive = true;
            items.add(new Plan.Item(e.name(), state, cls, e.local() == null ? null : e.local().checksum(), is,
                    problemOf(e)));
        }
        String verdict = failure != null ? "apply-failed" : !problems.isEmpty() || notManaged != null ? "out-of-sync"
                : blocked ? "blocked" : "success";
        return new Plan(s.environment().isEmpty() ? null : s.environment(),
                s.database() == null ? null : s.database().display(), s.apply() ? "apply" : "check", pending,
                destructive, verdict, items);
    }

    private String problemOf(History.Entry e) {
        return switch (e.state()) {
            case FAILED -> "failed: resolve with " + resolveCommand("--rolled-back", e.name()) + " or "
                    + resolveCommand("--applied", e.name());
            case MODIFIED -> "modified after it was applied";
            case MISSING_LOCALLY -> "in the database, missing from the repository";
            default -> null;
        };
    }

    // accessors for Report
    Settings settings() {
        return s;
    }

    List<History.Entry> entries() {
        return entries;
    }

    List<String> problems() {
        return problems;
    }

    String notManaged() {
        return notManaged;
    }

    Map<String, List<Plan.Issue>> issues() {
        return issues;
    }

    Map<String, String> applied() {
        return applied;
    }

    Map<String, MigrationLinter.Result> lint() {
        return lint;
    }

    boolean failsGate(Plan.Issue i) {
        return fails(i);
    }

    Path dir() {
        return dir;
    }
}
