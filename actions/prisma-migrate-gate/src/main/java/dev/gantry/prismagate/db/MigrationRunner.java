package dev.gantry.prismagate.db;

import dev.gantry.prismagate.sql.Statement;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Applies one migration with Prisma's bookkeeping, so that a kill at any instant leaves the database telling the
 * truth:
 * <ul>
 *   <li>{@link Execution.Kind#TRANSACTIONAL} (a file without transaction control, the usual Prisma migration): the row
 *   ({@code INSERT}), every statement, {@code applied_steps_count + 1} and {@code finished_at} in ONE transaction.
 *   Either the migration is applied and recorded as applied, or nothing of it exists, row included. On an error
 *   the transaction is rolled back and the failed row Prisma leaves is written (same values: no
 *   {@code finished_at}, the error in {@code logs}), so {@code migrate resolve} works as usual.</li>
 *   <li>{@link Execution.Kind#NON_TRANSACTIONAL_STATEMENT} (one statement that cannot run in a transaction block,
 *   {@code CREATE INDEX CONCURRENTLY}): Prisma's order, the row first; the next run judges an unfinished one
 *   from the catalog.</li>
 *   <li>{@link Execution.Kind#TRANSACTION_BLOCKS} (a file with its own BEGIN/COMMIT, as Prisma writes enum changes):
 *   the blocks PostgreSQL would commit one by one when the file is sent as one message, each committed together
 *   with a progress note in the row's {@code logs}, which is cleared when the migration finishes. The next run
 *   knows exactly which statements ran.</li>
 * </ul>
 * Statements go out one by one (each one Query message, in the simple protocol), so a failure names its
 * statement, and the error's position points at a line of the file.
 */
public final class MigrationRunner {
    /** The progress note this runner writes into {@code logs} while a file with transaction blocks runs. */
    public static final String PROGRESS = "gantry-prisma-migrate-gate: committed %d of %d transaction blocks"
            + " (statements 1-%d of %d)";

    private final Connection c;
    private final MigrationsTable table;

    public MigrationRunner(Connection connection, MigrationsTable table) {
        this.c = connection;
        this.table = table;
    }

    /** How a migration failed: the statement (index), its line in the file, the error. */
    public record Failure(int statement, int line, SQLException error) {
    }

    /**
     * Applies the migration; null when applied, else how it failed (the row then records the failure).
     * {@code progress} hears the index of each statement about to run.
     */
    public Failure apply(String name, String checksum, Execution plan, IntConsumer progress) throws SQLException {
        String id = MigrationsTable.newId();
        OffsetDateTime started = MigrationsTable.now();
        return switch (plan.kind()) {
            case TRANSACTIONAL -> transactional(id, name, checksum, started, plan, progress);
            case NON_TRANSACTIONAL_STATEMENT -> alone(id, name, checksum, started, plan, progress);
            case TRANSACTION_BLOCKS -> blocks(id, name, checksum, started, plan, progress);
        };
    }

    private Failure transactional(String id, String name, String checksum, OffsetDateTime started, Execution plan,
                                  IntConsumer progress) throws SQLException {
        List<Statement> ss = plan.statements();
        int i = 0;
        try {
            execute("BEGIN");
            table.recordStarted(id, name, checksum, started);
            for (; i < ss.size(); i++) {
                progress.accept(i);
                execute(ss.get(i).text());
            }
            table.recordSuccessfulStep(id);
            table.recordFinished(id);
            execute("COMMIT");
            return null;
        } catch (SQLException e) {
            rollback();
            if (broken(e)) throw e;
            Failure f = failure(ss, Math.min(i, ss.size() - 1), e);
            execute("BEGIN");
            table.recordStarted(id, name, checksum, started);
            table.recordLogs(id, describe(e));
            execute("COMMIT");
            return f;
        }
    }

    private Failure alone(String id, String name, String checksum, OffsetDateTime started, Execution plan,
                          IntConsumer progress) throws SQLException {
        table.recordStarted(id, name, checksum, started);
        try {
            progress.accept(0);
            execute(plan.statements().get(0).text());
        } catch (SQLException e) {
            if (broken(e)) throw e;
            table.recordLogs(id, describe(e));
            return failure(plan.statements(), 0, e);
        }
        finish(id);
        return null;
    }

    private Failure blocks(String id, String name, String checksum, OffsetDateTime started, Execution plan,
                           IntConsumer progress) throws SQLException {
        table.recordStarted(id, name, checksum, started);
        List<Statement> ss = plan.statements();
        List<Execution.Block> blocks = plan.blocks();
        int done = 0;
        int i = 0;
        try {
            for (Execution.Block b : blocks) {
                if (!b.opensItself()) execute("BEGIN");
                int end = b.closing() < 0 ? ss.size() : b.closing();
                for (i = b.first(); i < end; i++) {
                    progress.accept(i);
                    execute(ss.get(i).text());
                }
                if (b.unclosed()) {
                    i = ss.size() - 1;
                    throw new SQLException("The migration opens a transaction (BEGIN) that it does not commit; it was"
                            + " rolled back", "25001");
                }
                String note = String.format(PROGRESS, done + 1, blocks.size(), b.last() + 1, ss.size());
                if (b.rollsBack()) {
                    i = b.closing();
                    execute(ss.get(i).text());
                    table.recordLogs(id, note);
                } else {
                    table.recordLogs(id, note);
                    i = Math.max(b.closing(), i - 1);
                    execute(b.closing() < 0 ? "COMMIT" : ss.get(b.closing()).text());
                }
                done++;
            }
        } catch (SQLException e) {
            rollback();
            if (broken(e)) throw e;
            String note = done == 0 ? "" : String.format(PROGRESS, done, blocks.size(), blocks.get(done - 1).last() + 1,
                    ss.size()) + "\n";
            table.recordLogs(id, note + describe(e));
            return failure(ss, Math.max(0, Math.min(i, ss.size() - 1)), e);
        }
        execute("BEGIN");
        table.recordLogs(id, null);
        finish(id);
        execute("COMMIT");
        return null;
    }

    private void finish(String id) throws SQLException {
        table.recordSuccessfulStep(id);
        table.recordFinished(id);
    }

    private void execute(String sql) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(sql.startsWith("\uFEFF") ? sql.substring(1) : sql);
        }
    }

    private void rollback() {
        try {
            if (!c.isClosed()) execute("ROLLBACK");
        } catch (SQLException ignored) {
            // the connection is gone: the server rolls back on its own
        }
    }

    /** The connection itself failed (class 08, or the socket read timed out): nothing can be recorded. */
    private boolean broken(SQLException e) {
        try {
            return c.isClosed() || (e.getSQLState() != null && e.getSQLState().startsWith("08"));
        } catch (SQLException x) {
            return true;
        }
    }

    private static Failure failure(List<Statement> ss, int i, SQLException e) {
        if (ss.isEmpty()) return new Failure(0, 1, e);
        return new Failure(i, errorLine(e, ss.get(i)), e);
    }

    /** The error as Prisma writes it into {@code logs} and P3018: SQLSTATE, message, and where. */
    public static String describe(SQLException e) {
        StringBuilder b = new StringBuilder();
        String state = e.getSQLState();
        if (state != null) b.append("Database error code: ").append(state).append("\n\n");
        b.append("Database error:\n");
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (m != null) {
            b.append(m.getSeverity() == null ? "ERROR" : m.getSeverity()).append(": ").append(m.getMessage());
            if (m.getDetail() != null) b.append("\nDETAIL: ").append(m.getDetail());
            if (m.getHint() != null) b.append("\nHINT: ").append(m.getHint());
            if (m.getPosition() > 0) b.append("\nPosition: ").append(m.getPosition());
        } else {
            b.append(e.getMessage());
        }
        return b.append('\n').toString();
    }

    /** The line of the file the error points at: the error's position in its statement, else the statement's start. */
    public static int errorLine(SQLException e, Statement s) {
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        int line = s.startLine();
        if (m == null || m.getPosition() <= 0) return line;
        String text = s.text();
        int pos = Math.min(m.getPosition() - 1, text.length());
        for (int k = 0; k < pos; k++) {
            if (text.charAt(k) == '\n') line++;
        }
        return line;
    }
}
