package dev.gantry.prismagate.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Prisma Migrate's session-level advisory lock: {@code pg_advisory_lock(72707369)}, held for the whole session
 * (prisma-engines {@code flavour/postgres.rs}: "72707369 is a unique number we chose to identify Migrate"), and
 * released only when the session ends. A deploy whose client was killed leaves its server session, and with it
 * the lock, until the server notices: whoever holds it may still be running a migration.
 */
public final class AdvisoryLock {
    public static final long KEY = 72707369L;

    private final Connection connection;

    public AdvisoryLock(Connection connection) {
        this.connection = connection;
    }

    /** {@code pg_try_advisory_lock}: true when this session now holds it. */
    public boolean tryAcquire() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Who else holds it, if anyone (bigint keys are split into classid/objid, objsubid 1). */
    public Optional<Holder> holder() throws SQLException {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT l.pid, a.application_name, a.state,"
                     + " extract(epoch FROM now() - coalesce(a.state_change, a.backend_start))::bigint"
                     + " FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid"
                     + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid = " + KEY
                     + " AND l.objsubid = 1 AND l.pid <> pg_backend_pid() LIMIT 1")) {
            if (!rs.next()) return Optional.empty();
            return Optional.of(new Holder(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
        }
    }

    /** The session that holds the lock, as far as the server shows it (another role's session shows less). */
    public record Holder(int pid, String application, String state, long secondsInState) {
        public String describe() {
            StringBuilder b = new StringBuilder("session ").append(pid);
            if (application != null && !application.isEmpty()) b.append(" (").append(application).append(')');
            if (state != null) b.append(", ").append(state).append(" for ").append(secondsInState).append(" s");
            return b.toString();
        }
    }
}
