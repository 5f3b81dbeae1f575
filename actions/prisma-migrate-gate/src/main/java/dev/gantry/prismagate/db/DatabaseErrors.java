package dev.gantry.prismagate.db;

import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.Durations;
import dev.gantry.common.action.ExitCode;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * A database error as a person needs to read it: which host, what went wrong in words, what to try. The
 * password never appears (pgjdbc does not print it, and neither do we); the host and user do.
 */
public final class DatabaseErrors {
    private DatabaseErrors() {
    }

    /** Exit 3 (infrastructure), result {@code error}. */
    public static ActionException of(String doing, SQLException e, DatabaseUrl url, Deadline deadline) {
        return new ActionException(ExitCode.PROVIDER_ERROR, describe(doing, e, url, deadline), "error", null, e);
    }

    public static String describe(String doing, SQLException e, DatabaseUrl url, Deadline deadline) {
        String where = url.address() + " (database " + url.database() + ")";
        Throwable cause = rootCause(e);
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String what;
        if (cause instanceof UnknownHostException) {
            what = "the database host '" + url.host() + "' cannot be resolved (DNS). Check the host in database-url;"
                    + " a private host name needs a runner inside that network.";
        } else if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            what = "nothing accepts connections at " + url.address() + " (" + cause.getMessage() + "). Check the host"
                    + " and port, and that the database allows connections from this runner (trusted sources).";
        } else if (cause instanceof SocketTimeoutException || message(e).contains("timed out")) {
            what = url.address() + " accepted the connection but did not answer within the time left of the step's"
                    + " timeout (" + human(deadline) + "): a stalled server, pooler or proxy.";
        } else if (state.equals("28P01") || state.equals("28000")) {
            what = "the server at " + where + " refused the login of user '" + url.user() + "': " + firstLine(e)
                    + (url.passwordHasSpecialCharacters() || state.equals("28P01")
                    ? ". If the password is right, note that " + DatabaseUrl.PERCENT_ENCODE_HINT + "." : ".");
        } else if (state.equals("3D000")) {
            what = "the database '" + url.database() + "' does not exist on " + url.address() + ".";
        } else if (state.startsWith("08")) {
            what = "the connection to " + where + " failed: " + firstLine(e) + " (SQLSTATE " + state + ").";
        } else {
            what = firstLine(e) + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")") + " on " + where + ".";
        }
        return "Database error while " + doing + ": " + what;
    }

    static Throwable rootCause(Throwable t) {
        Throwable c = t;
        for (int i = 0; i < 10 && c.getCause() != null && c.getCause() != c; i++) c = c.getCause();
        return c;
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    public static String firstLine(SQLException e) {
        String m = message(e);
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static String human(Deadline d) {
        return Durations.human(d.timeout());
    }
}
