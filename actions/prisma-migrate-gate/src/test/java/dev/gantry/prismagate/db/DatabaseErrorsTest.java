package dev.gantry.prismagate.db;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseErrorsTest {
    private static final DatabaseUrl URL = DatabaseUrl.parse("postgresql://app:p%40ss@db.example.com:6543/shop");
    private static final Deadline DEADLINE = Deadline.in(Duration.ofSeconds(90));

    private static String describe(SQLException e) {
        return DatabaseErrors.describe("connecting", e, URL, DEADLINE);
    }

    @Test
    void theHostIsNamedAndThePasswordNever() {
        String dns = describe(new SQLException("The connection attempt failed.", "08001",
                new UnknownHostException("db.example.com")));
        assertThat(dns).contains("the database host 'db.example.com' cannot be resolved (DNS)").doesNotContain("p@ss");
        String refused = describe(new SQLException("Connection refused", "08001", new ConnectException("Connection refused")));
        assertThat(refused).contains("nothing accepts connections at db.example.com:6543");
        String stalled = describe(new SQLException("The connection attempt failed.", "08001",
                new SocketTimeoutException("Read timed out")));
        assertThat(stalled).contains("db.example.com:6543 accepted the connection but did not answer").contains("1m30s");
    }

    @Test
    void aRefusedLoginHintsAtPercentEncoding() {
        String auth = describe(new SQLException("FATAL: password authentication failed for user \"app\"", "28P01"));
        assertThat(auth).contains("refused the login of user 'app'").contains("percent-encoded").contains("@ → %40")
                .doesNotContain("p@ss");
        assertThat(describe(new SQLException("FATAL: database \"shop\" does not exist", "3D000")))
                .contains("the database 'shop' does not exist on db.example.com:6543");
    }
}
