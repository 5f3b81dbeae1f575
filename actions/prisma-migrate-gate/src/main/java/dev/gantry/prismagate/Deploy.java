package dev.gantry.prismagate;

import dev.gantry.common.action.Annotation;
import dev.gantry.common.action.Log;
import dev.gantry.prismagate.backup.Snapshot;
import dev.gantry.prismagate.backup.Targets;
import dev.gantry.prismagate.change.Change;
import dev.gantry.prismagate.db.DatabaseErrors;
import dev.gantry.prismagate.db.Execution;
import dev.gantry.prismagate.db.MigrationRow;
import dev.gantry.prismagate.db.MigrationRunner;
import dev.gantry.prismagate.db.MigrationsTable;
import dev.gantry.prismagate.db.Session;
import dev.gantry.prismagate.recovery.CatalogProbe;
import dev.gantry.prismagate.recovery.Judge;
import dev.gantry.prismagate.recovery.Verdict;
import dev.gantry.prismagate.sql.Statement;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Mode apply, once the gate passed: hold the approved plan, take the snapshot ({@code backup: true}), note the
 * point-in-time restore point (DigitalOcean), then apply each pending migration with {@link MigrationRunner}.
 * Runs on the session that holds Prisma's advisory lock.
 */
final class Deploy {
    /** How the deploy failed: the message, the annotation's place, the {@code result} output. */
    record Failure(String message, Annotation where, String result) {
    }

    private final Settings s;
    private final Assessment a;
    private final Paths paths;
    private final Session session;
    private final Connection c;
    private final Log log;
    private final Consumer<String> doing;

    Deploy(Settings s, Assessment a, Paths paths, Session session, Log log, Consumer<String> doing) {
        this.s = s;
        this.a = a;
        this.paths = paths;
        this.session = session;
        this.c = session.connection();
        this.log = log;
        this.doing = doing;
    }

    Failure run(List<LocalMigration> pending, Map<String, List<Change>> changes) throws SQLException {
        if (s.planHash() != null && !s.planHash().equals(a.planHash)) return planChanged(pending);
        if (s.planHash() != null) log.info("The pending migrations are the approved plan (plan-hash " + a.planHash + ")");
        log.group("Applying migrations to " + s.database().display());
        try {
            MigrationsTable table = new MigrationsTable(c, s.database().schema());
            doing.accept("creating Prisma's bookkeeping");
            if (!table.schemaExists()) {
                log.info("Creating schema " + s.database().schema());
                table.createSchema();
            }
            if (!table.exists()) {
                log.info("Creating the _prisma_migrations table");
                table.create();
            }
            if (pending.isEmpty()) {
                log.info("No pending migrations to apply.");
                return null;
            }
            if (s.backup()) snapshot(changes);
            if (s.database().digitalOceanManaged()) restorePoint();
            MigrationRunner runner = new MigrationRunner(c, table);
            for (int n = 0; n < pending.size(); n++) {
                Failure f = apply(runner, table, pending.get(n), n + 1, pending.size());
                if (f != null) return f;
            }
            return null;
        } finally {
            log.endGroup();
        }
    }

    private Failure planChanged(List<LocalMigration> pending) {
        String now = pending.isEmpty() ? "none" : String.join(", ", pending.stream().map(LocalMigration::name).toList());
        return new Failure("The pending migrations are not the approved plan: plan-hash " + s.planHash() + " was"
                + " approved, the database and repository now give " + a.planHash + " (pending now: " + now + ")."
                + " Nothing was applied. Run the plan again and approve what it shows.", null, "plan-changed");
    }

    private void snapshot(Map<String, List<Change>> changes) throws SQLException {
        doing.accept("taking the snapshot");
        List<String> schemas = new ArrayList<>();
        List<Targets.Target> targets = Targets.of(changes, s.database().schema(), schemas);
        if (targets.isEmpty() && schemas.isEmpty()) {
            a.backupSkipped = "the pending migrations drop or rewrite no data of existing tables";
            log.info("backup: no snapshot needed, " + a.backupSkipped);
            return;
        }
        session.timeouts(java.time.Duration.ZERO, s.lockTimeout());
        long t0 = System.nanoTime();
        a.backup = new Snapshot(c).take(targets, schemas);
        log.info("Snapshot " + a.backup.id() + ": " + a.backup.entries().size() + " table(s), " + a.backup.rows()
                + " row(s) in " + (System.nanoTime() - t0) / 1_000_000 + " ms (" + Report.restoreHint(a.backup.id()) + ")");
    }

    private void restorePoint() throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            a.restorePoint = rs.getObject(1, OffsetDateTime.class);
        }
        log.info("DigitalOcean Managed PostgreSQL: point-in-time restore point before this deploy: "
                + Report.PITR.format(a.restorePoint));
    }

    private Failure apply(MigrationRunner runner, MigrationsTable table, LocalMigration m, int n, int of)
            throws SQLException {
        List<Statement> statements = Statement.split(m.script());
        Execution exec = Execution.of(statements);
        log.info("Applying migration `" + m.name() + "` (" + n + "/" + of + ", " + describe(exec) + ")");
        doing.accept("applying migration " + m.name());
        session.timeouts(s.statementTimeout(), s.lockTimeout());
        long t0 = System.nanoTime();
        MigrationRunner.Failure f = runner.apply(m.name(), m.checksum(), exec, i -> {
            if (statements.size() > 1 && System.nanoTime() - t0 > 2_000_000_000L) {
                log.info("  statement " + (i + 1) + "/" + statements.size() + " (line " + statements.get(i).startLine() + ")");
            }
        });
        if (f == null) {
            a.applied.put(m.name(), "applied");
            log.info("  applied in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            return null;
        }
        a.applied.put(m.name(), "failed");
        log.endGroup();
        log.untrusted(MigrationRunner.describe(f.error()));
        return new Failure(failureMessage(table, m, f), Annotation.at(paths.rel(m.file()), f.line())
                .withTitle("migration failed"), "apply-failed");
    }

    private String failureMessage(MigrationsTable table, LocalMigration m, MigrationRunner.Failure f)
            throws SQLException {
        String head = "Migration `" + m.name() + "` failed to apply (P3018) at line " + f.line() + " (statement "
                + (f.statement() + 1) + "): " + DatabaseErrors.firstLine(f.error()) + ".";
        MigrationRow row = table.rows().stream().filter(r -> r.name().equals(m.name()) && r.failed()).reduce((x, y) -> y)
                .orElse(null);
        if (row == null) return head;
        Verdict v = new Judge(new CatalogProbe(c), (flag, name) -> paths.resolveCommand(a.dir, flag, name))
                .judge(row, m);
        a.verdicts.put(m.name(), v);
        if (v.state() == Verdict.State.PARTLY_APPLIED) {
            List<Statement> ss = Statement.split(m.script());
            a.remaining.put(m.name(), v.remaining().stream().map(ss::get).toList());
        }
        return head + " " + v.text();
    }

    private static String describe(Execution exec) {
        return switch (exec.kind()) {
            case TRANSACTIONAL -> "one transaction with its bookkeeping";
            case NON_TRANSACTIONAL_STATEMENT -> "a statement that runs outside a transaction";
            case TRANSACTION_BLOCKS -> exec.blocks().size() + " transaction block(s) of its own";
        };
    }
}
