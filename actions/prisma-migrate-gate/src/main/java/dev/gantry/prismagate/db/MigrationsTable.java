package dev.gantry.prismagate.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Prisma's bookkeeping table, read and written with exactly the statements Prisma's schema engine uses
 * (prisma-engines {@code sql_migration_persistence.rs}, {@code flavour/postgres.rs}). Every statement here runs
 * in autocommit, never inside a migration's transaction.
 */
public final class MigrationsTable {
    /** The DDL of {@code create_migrations_table}, byte for byte in meaning. */
    public static final String CREATE_TABLE = """
            CREATE TABLE _prisma_migrations (
                id                      VARCHAR(36) PRIMARY KEY NOT NULL,
                checksum                VARCHAR(64) NOT NULL,
                finished_at             TIMESTAMPTZ,
                migration_name          VARCHAR(255) NOT NULL,
                logs                    TEXT,
                rolled_back_at          TIMESTAMPTZ,
                started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
                applied_steps_count     INTEGER NOT NULL DEFAULT 0
            );""";

    private final Connection connection;
    private final String schema;
    /** The table, qualified: a migration that changes the search path cannot send the bookkeeping elsewhere. */
    private final String table;

    public MigrationsTable(Connection connection, String schema) {
        this.connection = connection;
        this.schema = schema;
        this.table = "\"" + schema.replace("\"", "\"\"") + "\".\"_prisma_migrations\"";
    }

    public boolean schemaExists() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT EXISTS(SELECT 1 FROM pg_namespace WHERE nspname = ?)")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** Prisma creates the schema of {@code ?schema=} when it does not exist. */
    public void createSchema() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS \"" + schema.replace("\"", "\"\"") + "\"");
        }
    }

    /** The ordinary tables of the schema (relkind 'r' and partitioned), as Prisma lists them. */
    public List<String> tables() throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("SELECT c.relname FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p') ORDER BY c.relname")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    public boolean exists() throws SQLException {
        return tables().contains("_prisma_migrations");
    }

    public void create() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(CREATE_TABLE);
        }
    }

    public List<MigrationRow> rows() throws SQLException {
        List<MigrationRow> out = new ArrayList<>();
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT \"id\", \"checksum\", \"finished_at\", \"migration_name\", \"logs\","
                     + " \"rolled_back_at\", \"started_at\", \"applied_steps_count\" FROM " + table + ""
                     + " ORDER BY \"started_at\" ASC")) {
            while (rs.next()) {
                out.add(new MigrationRow(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class),
                        rs.getString(4), rs.getString(5), rs.getObject(6, OffsetDateTime.class),
                        rs.getObject(7, OffsetDateTime.class), rs.getInt(8)));
            }
        }
        return out;
    }

    /** A new row's id: a random UUID v4, as Prisma's engine draws it. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** {@code record_migration_started}: {@code INSERT (id, checksum, started_at, migration_name)}. */
    public void recordStarted(String id, String name, String checksum, OffsetDateTime startedAt) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO " + table + " (\"id\","
                + "\"checksum\",\"started_at\",\"migration_name\") VALUES (?,?,?,?)")) {
            ps.setString(1, id);
            ps.setString(2, checksum);
            ps.setObject(3, startedAt);
            ps.setString(4, name);
            ps.executeUpdate();
        }
    }

    /** {@code record_successful_step}. */
    public void recordSuccessfulStep(String id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table + " SET"
                + " \"applied_steps_count\" = (\"applied_steps_count\" + ?) WHERE \"id\" = ?")) {
            ps.setInt(1, 1);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** {@code record_migration_finished}. */
    public void recordFinished(String id) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table + " SET \"finished_at\" = ?"
                + " WHERE \"id\" = ?")) {
            ps.setObject(1, now());
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /**
     * {@code record_failed_step}: the error goes into {@code logs}; the row stays unfinished (failed). Also the
     * progress note of a file with transaction blocks while it runs (null clears it).
     */
    public void recordLogs(String id, String logs) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("UPDATE " + table + " SET \"logs\" = ?"
                + " WHERE \"id\" = ?")) {
            ps.setString(1, logs);
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** The engine's clock in UTC, at the microsecond precision of the native engine. */
    public static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
