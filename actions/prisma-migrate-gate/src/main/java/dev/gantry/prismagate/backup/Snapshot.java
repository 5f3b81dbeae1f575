package dev.gantry.prismagate.backup;

import dev.gantry.prismagate.sql.Name;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy, inside the same database, of what the pending migrations will drop or rewrite, taken in one
 * transaction right before they run: a schema {@code gantry_backup_<yyyyMMdd_HHmmss>} (server time, UTC) with one
 * table per source ({@code CREATE TABLE … AS SELECT}: the whole table, or its primary key and the affected
 * columns) and a manifest ({@code _gantry_manifest}) that {@link Restorer} reads. Values of types the migration
 * may drop (enums, domains, any type outside {@code pg_catalog}) are kept as text, so the copy never depends on
 * what the migration removes.
 *
 * <p>Why a copy in the database rather than {@code pg_dump}: it works with any server version (a
 * {@code pg_dump} refuses servers newer than itself, and the image has none), no data leaves the database, and
 * it is one transaction with the migration's bookkeeping close behind.
 */
public final class Snapshot {
    public static final String MANIFEST = "_gantry_manifest";
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");

    private final Connection c;

    public Snapshot(Connection c) {
        this.c = c;
    }

    /** One copied table, as the manifest records it. */
    public record Entry(int n, Name source, String copy, List<String> keyColumns, List<String> columns,
                        List<String> types, boolean whole, long rows, String reason) {
    }

    /** A snapshot taken: its schema ({@code backup-id}), when (server clock), and what it holds. */
    public record Taken(String id, OffsetDateTime at, List<Entry> entries) {
        public long rows() {
            return entries.stream().mapToLong(Entry::rows).sum();
        }
    }

    /** Copies the targets (and every table of a dropped schema) in one transaction. */
    public Taken take(List<Targets.Target> targets, List<String> droppedSchemas) throws SQLException {
        execute("BEGIN");
        try {
            OffsetDateTime at = serverTime();
            String id = freeSchemaName("gantry_backup_" + ID.format(at.withOffsetSameInstant(ZoneOffset.UTC)));
            execute("CREATE SCHEMA " + Name.quote(id));
            execute("CREATE TABLE " + Name.quote(id) + "." + Name.quote(MANIFEST) + " (n int PRIMARY KEY, source_schema"
                    + " text NOT NULL, source_table text NOT NULL, copy text NOT NULL, key_columns text[] NOT NULL,"
                    + " columns text[] NOT NULL, types text[] NOT NULL, whole boolean NOT NULL, rows bigint NOT NULL,"
                    + " reason text NOT NULL, taken_at timestamptz NOT NULL)");
            List<Targets.Target> all = new ArrayList<>(targets);
            for (String s : droppedSchemas) {
                for (Name t : tablesOf(s)) all.add(new Targets.Target(t, List.of(), List.of("DROP SCHEMA " + s)));
            }
            List<Entry> entries = new ArrayList<>();
            for (Targets.Target t : all) {
                Entry e = copy(id, entries.size() + 1, t, at);
                if (e != null) entries.add(e);
            }
            execute("COMMIT");
            return new Taken(id, at, List.copyOf(entries));
        } catch (SQLException | RuntimeException e) {
            execute("ROLLBACK");
            throw e;
        }
    }

    private Entry copy(String id, int n, Targets.Target t, OffsetDateTime at) throws SQLException {
        Name source = resolve(t.table());
        if (source == null) return null; // not in the database: the migration fails on it anyway
        List<Column> cols = columns(source);
        List<String> key = Catalog.primaryKey(c, source);
        boolean whole = t.whole() || key.isEmpty();
        List<Column> picked = new ArrayList<>();
        for (Column col : cols) {
            if (whole || key.contains(col.name()) || t.columns().contains(col.name())) picked.add(col);
        }
        String copy = (n + "_" + source.name() + (whole ? "" : "__" + String.join("_", t.columns())));
        copy = copy.length() > 63 ? copy.substring(0, 63) : copy;
        List<String> select = new ArrayList<>();
        for (Column col : picked) {
            select.add(Name.quote(col.name()) + (col.builtIn() ? "" : "::text") + " AS " + Name.quote(col.name()));
        }
        execute("CREATE TABLE " + Name.quote(id) + "." + Name.quote(copy) + " AS SELECT " + String.join(", ", select)
                + " FROM " + source.sql());
        long rows = count(Name.quote(id) + "." + Name.quote(copy));
        Entry e = new Entry(n, source, copy, key, picked.stream().map(Column::name).toList(),
                picked.stream().map(Column::type).toList(), whole, rows, String.join("; ", t.reasons()));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Name.quote(id) + "." + Name.quote(MANIFEST)
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setInt(1, n);
            ps.setString(2, source.schema());
            ps.setString(3, source.name());
            ps.setString(4, copy);
            ps.setArray(5, c.createArrayOf("text", e.keyColumns().toArray()));
            ps.setArray(6, c.createArrayOf("text", e.columns().toArray()));
            ps.setArray(7, c.createArrayOf("text", e.types().toArray()));
            ps.setBoolean(8, whole);
            ps.setLong(9, rows);
            ps.setString(10, e.reason());
            ps.setObject(11, at);
            ps.executeUpdate();
        }
        return e;
    }

    /** Reads a snapshot's manifest; empty when the schema has none. */
    public static List<Entry> manifest(Connection c, String id) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT n, source_schema, source_table, copy, key_columns, columns, types,"
                     + " whole, rows, reason FROM " + Name.quote(id) + "." + Name.quote(MANIFEST) + " ORDER BY n")) {
            while (rs.next()) {
                out.add(new Entry(rs.getInt(1), new Name(rs.getString(2), rs.getString(3)), rs.getString(4),
                        strings(rs.getArray(5)), strings(rs.getArray(6)), strings(rs.getArray(7)), rs.getBoolean(8),
                        rs.getLong(9), rs.getString(10)));
            }
        }
        return out;
    }

    private static List<String> strings(Array a) throws SQLException {
        return List.of((String[]) a.getArray());
    }

    record Column(String name, String type, boolean builtIn) {
    }

    private List<Column> columns(Name table) throws SQLException {
        List<Column> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT a.attname, format_type(a.atttypid, a.atttypmod),"
                + " coalesce(e.typnamespace, t.typnamespace) = 'pg_catalog'::regnamespace FROM pg_attribute a"
                + " JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'"
                + " WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            ps.setString(1, table.sql());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Column(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
            }
        }
        return out;
    }

    /** The table's schema and name as the catalog has them, or null when it does not exist. */
    private Name resolve(Name table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname, k.relname FROM pg_class k JOIN pg_namespace n"
                + " ON n.oid = k.relnamespace WHERE k.oid = to_regclass(?) AND k.relkind IN ('r', 'p')")) {
            ps.setString(1, table.sql());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Name(rs.getString(1), rs.getString(2)) : null;
            }
        }
    }

    private List<Name> tablesOf(String schema) throws SQLException {
        List<Name> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT k.relname FROM pg_class k JOIN pg_namespace n ON n.oid ="
                + " k.relnamespace WHERE n.nspname = ? AND k.relkind IN ('r', 'p') ORDER BY k.relname")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Name(schema, rs.getString(1)));
            }
        }
        return out;
    }

    private OffsetDateTime serverTime() throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }

    private String freeSchemaName(String base) throws SQLException {
        String name = base;
        for (int i = 2; schemaExists(name); i++) name = base + "_" + i;
        return name;
    }

    private boolean schemaExists(String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private long count(String table) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
