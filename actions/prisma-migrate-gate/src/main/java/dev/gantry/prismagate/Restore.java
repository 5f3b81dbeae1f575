package dev.gantry.prismagate;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.action.Summary;
import dev.gantry.prismagate.backup.Restorer;
import dev.gantry.prismagate.backup.Snapshot;
import dev.gantry.prismagate.db.DatabaseErrors;
import dev.gantry.prismagate.db.Deadline;
import dev.gantry.prismagate.db.Session;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Mode restore: puts the data of a snapshot ({@code backup-id}) back, under Prisma's advisory lock so that no
 * deploy runs meanwhile, in one transaction, and checks every copied row afterwards ({@link Restorer}).
 */
final class Restore {
    private final ActionContext ctx;
    private final Log log;
    private final Settings s;
    private final Deadline deadline;

    Restore(ActionContext ctx, Settings s) {
        this.ctx = ctx;
        this.log = ctx.log();
        this.s = s;
        this.deadline = Deadline.in(s.timeout());
    }

    void run() {
        String id = s.backupId();
        String doing = "connecting";
        boolean verified;
        try (Session session = Session.open(s.database(), deadline)) {
            Connection c = session.connection();
            doing = "waiting for Prisma's advisory lock";
            new Locking(c, log, s, deadline, ctx).acquire();
            doing = "reading snapshot " + id;
            List<Snapshot.Entry> entries = manifest(c, id);
            Restorer restorer = new Restorer(c);
            List<String> missing = restorer.missing(id, entries);
            if (!missing.isEmpty()) throw refused(id, missing);
            doing = "restoring snapshot " + id;
            session.timeouts(Duration.ZERO, s.lockTimeout());
            execute(c, "BEGIN");
            List<Restorer.Restored> done;
            try {
                done = restorer.restore(id, entries);
                execute(c, "COMMIT");
            } catch (SQLException | RuntimeException e) {
                execute(c, "ROLLBACK");
                throw e;
            }
            verified = report(id, done);
        } catch (SQLException e) {
            ActionException x = DatabaseErrors.of(doing, e, s.database(), deadline);
            summaryOfFailure(id, x);
            throw x;
        } catch (ActionException e) {
            summaryOfFailure(id, e);
            throw e;
        }
        if (!verified) {
            throw new ActionException(ExitCode.FAILED, "Restored, but not every copied row equals what the table now"
                    + " holds (a trigger, a default or a check changed values?): see the summary.", "restored-differs",
                    null, null);
        }
        ctx.result("success");
    }

    private static List<Snapshot.Entry> manifest(Connection c, String id) throws SQLException {
        try {
            List<Snapshot.Entry> entries = Snapshot.manifest(c, id);
            if (entries.isEmpty()) throw new ActionException(ExitCode.FAILED, "Snapshot " + id + " is empty.",
                    "restore-failed", null, null);
            return entries;
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                throw new ActionException(ExitCode.FAILED, "There is no snapshot " + id + " in this database (its"
                        + " schema or manifest is missing): check backup-id and database-url.", "restore-failed",
                        null, null);
            }
            throw e;
        }
    }

    private ActionException refused(String id, List<String> missing) {
        return new ActionException(ExitCode.FAILED, "Snapshot " + id + " cannot be restored into the database as it is"
                + " now; nothing was changed. Bring the schema back first (a migration that re-creates what was"
                + " dropped), then restore: " + String.join("; ", missing) + ".", "restore-failed", null, null);
    }

    /** Outputs and summary; whether every copied row is now in its table as it was copied. */
    private boolean report(String id, List<Restorer.Restored> done) {
        long rows = 0;
        List<List<Object>> table = new ArrayList<>();
        boolean allVerified = true;
        for (Restorer.Restored r : done) {
            Snapshot.Entry e = r.entry();
            rows += r.updated() + r.inserted();
            allVerified &= r.verified() == e.rows();
            table.add(List.of(Markdown.code(e.source().display()), e.whole() ? "table" : String.join(", ", e.columns()),
                    Long.toString(e.rows()), Long.toString(r.updated()), Long.toString(r.inserted()),
                    r.verified() + " of " + e.rows()));
            log.info("Restored " + e.source().display() + (e.whole() ? "" : " " + e.columns()) + ": " + r.updated()
                    + " updated, " + r.inserted() + " inserted; " + r.verified() + " of " + e.rows() + " copied rows"
                    + " now equal");
        }
        ctx.setOutput("restored-rows", Long.toString(rows));
        Summary sum = ctx.summary();
        sum.paragraph(Markdown.format("%s%s: %s, %s written in one transaction.",
                Markdown.of(allVerified ? "✅ **Snapshot restored**" : "⚠️ **Snapshot restored, with differences**"),
                s.environment().isEmpty() ? Markdown.of("") : Markdown.format(" on **%s**", s.environment()),
                Markdown.code(id), Report.plural(rows, "row")));
        sum.table(List.of("Table", "What", "Copied rows", "Updated", "Inserted", "Equal now"), table);
        sum.paragraph(Markdown.format("The snapshot stays in the database; drop it when no longer needed: %s.",
                Markdown.code("DROP SCHEMA \"" + id + "\" CASCADE")));
        return allVerified;
    }

    private void summaryOfFailure(String id, ActionException e) {
        ctx.summary().paragraph(Markdown.format("❌ **Restore of %s failed**%s.", Markdown.code(id),
                s.environment().isEmpty() ? Markdown.of("") : Markdown.format(" on **%s**", s.environment())));
        ctx.summary().paragraph(e.getMessage());
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
