package dev.gantry.prismagate.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * One connection to the target database with every wait bounded: TCP connect ({@code connectTimeout}), the
 * whole login including TLS ({@code loginTimeout}), every read ({@code socketTimeout}), all within what is left of
 * the step's deadline, and on the server {@code statement_timeout}, {@code lock_timeout} and
 * {@code idle_in_transaction_session_timeout}. A server or pooler that accepts the connection and then stalls
 * cannot hold the step past its timeout by more than a few seconds.
 *
 * <p>Scripts go out in the simple query protocol ({@code preferQueryMode=simple}), as Prisma's engine sends them.
 */
public final class Session implements AutoCloseable {
    /** Prisma's own connect timeout default (5 s) is short for a cold managed database; ours is 10 s. */
    static final int DEFAULT_CONNECT_SECONDS = 10;
    /** The read timeout runs this much longer than the server-side statement timeout, so the server speaks first. */
    static final int READ_SLACK_SECONDS = 2;
    /** A session left idle inside a transaction (a client that vanished behind a NAT) is ended by the server. */
    static final Duration IDLE_IN_TRANSACTION = Duration.ofSeconds(60);

    private final Connection connection;
    private final DatabaseUrl url;
    private final Deadline deadline;

    private Session(Connection connection, DatabaseUrl url, Deadline deadline) {
        this.connection = connection;
        this.url = url;
        this.deadline = deadline;
    }

    /** @throws SQLException as the driver reports it; {@link DatabaseErrors} turns it into a message */
    public static Session open(DatabaseUrl url, Deadline deadline) throws SQLException {
        if (deadline.passed()) throw new SQLException("the step's timeout ran out before connecting", "57014");
        Properties p = new Properties();
        p.putAll(url.properties());
        int left = deadline.seconds();
        int connect = Math.min(url.connectTimeoutSeconds() == null || url.connectTimeoutSeconds() == 0
                ? DEFAULT_CONNECT_SECONDS : url.connectTimeoutSeconds(), left);
        p.setProperty("connectTimeout", Integer.toString(connect));
        p.setProperty("loginTimeout", Integer.toString(Math.min(left, Math.max(connect, 30))));
        p.setProperty("socketTimeout", Integer.toString(left + READ_SLACK_SECONDS));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("preferQueryMode", "simple");
        Connection c = DriverManager.getConnection(url.jdbcUrl(), p);
        try {
            c.setAutoCommit(true);
            Session s = new Session(c, url, deadline);
            s.set("idle_in_transaction_session_timeout", IDLE_IN_TRANSACTION);
            s.timeouts(Duration.ZERO, Duration.ZERO);
            return s;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public Connection connection() {
        return connection;
    }

    public DatabaseUrl url() {
        return url;
    }

    public Deadline deadline() {
        return deadline;
    }

    /**
     * Sets the session's {@code statement_timeout} to {@code statement} (zero: none of its own) and
     * {@code lock_timeout} to {@code lock} (zero: none), both cut to what is left of the step, less a second so
     * that the server cancels before the client stops reading.
     */
    public void timeouts(Duration statement, Duration lock) throws SQLException {
        Duration left = deadline.remaining().minusSeconds(1);
        if (left.isNegative() || left.isZero()) left = Duration.ofMillis(1);
        Duration st = statement.isZero() || statement.compareTo(left) > 0 ? left : statement;
        set("statement_timeout", st);
        set("lock_timeout", lock.isZero() ? Duration.ZERO : lock.compareTo(st) > 0 ? st : lock);
    }

    private void set(String setting, Duration d) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET " + setting + " = '" + d.toMillis() + "ms'");
        }
    }

    /** The server's version as {@code server_version_num} (e.g. 170002). */
    public int serverVersion() throws SQLException {
        try (Statement st = connection.createStatement();
             var rs = st.executeQuery("SELECT current_setting('server_version_num')::int")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // the server ends the session (and its locks) on its own
        }
    }
}
