package dev.gantry.prismagate.db;

import org.postgresql.core.BaseConnection;
import org.postgresql.core.TransactionState;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Runs a migration script the way Prisma's native schema engine does ({@code simple_query(script)}): the whole
 * file as ONE simple-protocol Query message, which PostgreSQL runs as one implicit transaction unless the file
 * has its own {@code BEGIN}/{@code COMMIT}. So a file either applies completely or not at all, and a statement
 * that cannot run in a transaction block ({@code CREATE INDEX CONCURRENTLY}) works only alone in its file.
 * The connection must use {@code preferQueryMode=simple}.
 */
public final class ScriptRunner {
    private ScriptRunner() {
    }

    /**
     * Runs the script; on failure rolls back whatever transaction the script left open and rethrows. A leading
     * UTF-8 byte order mark is not sent (the server's scanner would reject it; Prisma applies such files), though
     * it stays part of the checksum.
     */
    public static void run(Connection c, String script) throws SQLException {
        String sql = script.startsWith("\uFEFF") ? script.substring(1) : script;
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            resetTransaction(c);
            throw e;
        }
        if (c.isWrapperFor(BaseConnection.class)
                && c.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
            resetTransaction(c);
            throw new SQLException("The migration opened a transaction (BEGIN) and did not commit it; it was rolled"
                    + " back", "25001");
        }
    }

    private static void resetTransaction(Connection c) {
        try {
            if (c.isWrapperFor(BaseConnection.class)
                    && c.unwrap(BaseConnection.class).getTransactionState() != TransactionState.IDLE) {
                try (Statement st = c.createStatement()) {
                    st.execute("ROLLBACK");
                }
            }
        } catch (SQLException ignored) {
            // the connection is gone; the server rolls back on its own
        }
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

    /** The 1-based line of the script the server's error position points at, or 0. */
    public static int errorLine(SQLException e, String script) {
        ServerErrorMessage m = e instanceof PSQLException p ? p.getServerErrorMessage() : null;
        if (m == null || m.getPosition() <= 0) return 0;
        int pos = Math.min(m.getPosition() - 1, script.length());
        int line = 1;
        for (int i = 0; i < pos; i++) {
            if (script.charAt(i) == '\n') line++;
        }
        return line;
    }
}
