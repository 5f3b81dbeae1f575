package dev.gantry.prismagate;

import dev.gantry.common.action.Log;
import dev.gantry.prismagate.db.MigrationRow;
import dev.gantry.prismagate.db.MigrationsTable;
import dev.gantry.prismagate.recovery.CatalogProbe;
import dev.gantry.prismagate.recovery.Judge;
import dev.gantry.prismagate.recovery.Verdict;
import dev.gantry.prismagate.sql.Statement;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Reads {@code _prisma_migrations} and sets it against the repository ({@link History}); explains every history
 * problem, and judges each unfinished row ({@link Judge}) unless a deploy still holds the lock.
 */
final class HistoryReader {
    static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'");

    private final Connection c;
    private final Settings s;
    private final Assessment a;
    private final Paths paths;
    private final Log log;

    HistoryReader(Connection c, Settings s, Assessment a, Paths paths, Log log) {
        this.c = c;
        this.s = s;
        this.a = a;
        this.paths = paths;
        this.log = log;
    }

    static String serverVersion(Connection c) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW server_version")) {
            rs.next();
            String v = rs.getString(1);
            int space = v.indexOf(' ');
            return space < 0 ? v : v.substring(0, space);
        }
    }

    void read(MigrationsFolder folder) throws SQLException {
        MigrationsTable table = new MigrationsTable(c, s.database().schema());
        a.notManaged = null;
        a.problems.clear();
        a.verdicts.clear();
        a.remaining.clear();
        if (!table.schemaExists()) {
            log.info("Schema " + s.database().schema() + " does not exist yet: every migration is pending");
            a.entries = History.classify(folder.migrations(), List.of());
            return;
        }
        List<String> tables = table.tables();
        if (!tables.contains("_prisma_migrations")) {
            if (!tables.isEmpty()) {
                a.notManaged = "The database schema `" + s.database().schema() + "` has " + tables.size() + " table(s)"
                        + " but no _prisma_migrations table: it is not managed by Prisma Migrate, and deploy would stop"
                        + " with P3005. Baseline it: mark the migrations already reflected in it as applied, e.g. `"
                        + paths.resolveCommand(a.dir, "--applied", folder.migrations().isEmpty() ? "<first migration>"
                        : folder.migrations().get(0).name()) + "`.";
            } else {
                log.info("No _prisma_migrations table yet: every migration is pending");
            }
            a.entries = History.classify(folder.migrations(), List.of());
            return;
        }
        a.entries = History.classify(folder.migrations(), table.rows());
        Judge judge = new Judge(new CatalogProbe(c), (flag, name) -> paths.resolveCommand(a.dir, flag, name));
        for (History.Entry e : a.entries) {
            switch (e.state()) {
                case FAILED -> failed(e, judge);
                case MODIFIED -> a.problems.put(e.name(), modified(e));
                case MISSING_LOCALLY -> a.problems.put(e.name(), missing(e));
                default -> {
                }
            }
        }
    }

    private void failed(History.Entry e, Judge judge) throws SQLException {
        MigrationRow r = e.row();
        Verdict v = a.lockHolder != null
                ? new Verdict(Verdict.State.IN_PROGRESS, "Another session holds Prisma's advisory lock (" + a.lockHolder
                + "): a deploy may still be running it.", "Wait for it to end, then run the gate again; it will tell"
                + " what is in the database.", List.of())
                : judge.judge(r, e.local());
        a.verdicts.put(e.name(), v);
        if (!v.remaining().isEmpty() && e.local() != null && v.state() == Verdict.State.PARTLY_APPLIED) {
            List<Statement> ss = Statement.split(e.local().script());
            a.remaining.put(e.name(), v.remaining().stream().map(ss::get).toList());
        }
        String when = r.startedAt() == null ? "" : " started at " + TS.format(r.startedAt()) + " and";
        a.problems.put(e.name(), "Migration `" + e.name() + "`" + when + " did not finish (Prisma applies nothing more"
                + " until it is resolved, P3009). " + v.text()
                + (e.local() == null ? " (The repository does not have this migration either.)" : ""));
    }

    private String modified(History.Entry e) {
        MigrationRow r = e.row();
        return "Migration `" + e.name() + "` was applied" + (r.finishedAt() == null ? "" : " at "
                + TS.format(r.finishedAt())) + ", but its migration.sql has changed since (checksum in the database "
                + abbrev(r.checksum()) + ", file " + abbrev(e.local().checksum()) + "). Prisma silently ignores this, so"
                + " this environment does not have what the file now says. Restore the file as it was applied (git log -p"
                + " -- " + paths.rel(e.local().file()) + ") and put the change in a new migration.";
    }

    private String missing(History.Entry e) {
        MigrationRow r = e.row();
        return "The database has migration `" + e.name() + "`" + (r.finishedAt() == null ? "" : " (applied "
                + TS.format(r.finishedAt()) + ")") + " that the repository does not: it was deployed from another"
                + " branch, or renamed or deleted here. Merge the branch that has it, or restore the folder under its"
                + " recorded name; Prisma itself ignores this (migrate status and deploy say nothing).";
    }

    private static String abbrev(String checksum) {
        return checksum == null ? "none" : checksum.length() > 12 ? checksum.substring(0, 12) + "…" : checksum;
    }
}
