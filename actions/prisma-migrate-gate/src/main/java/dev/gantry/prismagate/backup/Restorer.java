package dev.gantry.prismagate.backup;

import dev.gantry.prismagate.sql.Name;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a snapshot's data back into the tables and columns as they are now, in one transaction: nothing is half
 * restored. The schema must be back first (a migration that re-creates the table or re-adds the column); what is
 * missing is named before anything is written.
 * <ul>
 *   <li>A whole table: rows whose primary key exists get their copied values, missing rows are inserted
 *   ({@code OVERRIDING SYSTEM VALUE}); rows added since the snapshot stay. Without a primary key the table must
 *   be empty.</li>
 *   <li>Columns: each row's value is put back by primary key.</li>
 * </ul>
 * Tables referenced by others' foreign keys are filled first; serial and identity sequences are moved past the
 * restored values; at the end every copied row is compared, value by value, with what the table now holds.
 */
public final class Restorer {
    private final Connection c;

    public Restorer(Connection c) {
        this.c = c;
    }

    /** What one manifest entry gave back: rows updated, rows inserted, rows verified equal. */
    public record Restored(Snapshot.Entry entry, long updated, long inserted, long verified) {
    }

    /** What is missing for the restore, one line each; empty when it can go ahead. */
    public List<String> missing(String id, List<Snapshot.Entry> entries) throws SQLException {
        List<String> out = new ArrayList<>();
        for (Snapshot.Entry e : entries) {
            Map<String, Target> cols = targetColumns(e.source());
            if (cols.isEmpty()) {
                out.add("table " + e.source().display() + " does not exist (copied because: " + e.reason() + ")");
                continue;
            }
            for (String col : e.columns()) {
                if (!cols.containsKey(col)) out.add("column " + e.source().display() + "." + col + " does not exist");
            }
            if (e.keyColumns().isEmpty() && count(e.source().sql()) > 0) {
                out.add("table " + e.source().display() + " has no primary key to match rows by and is not empty");
            }
        }
        return out;
    }

    /** Restores every entry (in foreign-key order) and verifies; call inside a transaction. */
    public List<Restored> restore(String id, List<Snapshot.Entry> entries) throws SQLException {
        List<Restored> out = new ArrayList<>();
        for (Snapshot.Entry e : order(entries)) {
            Map<String, Target> cols = targetColumns(e.source());
            String copy = Name.quote(id) + "." + Name.quote(e.copy());
            List<String> writable = e.columns().stream().filter(col -> !cols.get(col).generated()).toList();
            long updated = 0;
            long inserted = 0;
            if (!e.keyColumns().isEmpty()) updated = update(e, copy, writable, cols);
            if (e.whole()) inserted = insert(e, copy, writable, cols);
            resetSequences(e.source(), writable);
            out.add(new Restored(e, updated, inserted, verify(e, copy, cols)));
        }
        return out;
    }

    private long update(Snapshot.Entry e, String copy, List<String> writable, Map<String, Target> cols)
            throws SQLException {
        List<String> set = new ArrayList<>();
        for (String col : writable) {
            if (!e.keyColumns().contains(col)) set.add(Name.quote(col) + " = " + cast("b", col, cols));
        }
        if (set.isEmpty()) return 0;
        return update("UPDATE " + e.source().sql() + " t SET " + String.join(", ", set) + " FROM " + copy + " b WHERE "
                + keyMatch(e, cols));
    }

    private long insert(Snapshot.Entry e, String copy, List<String> writable, Map<String, Target> cols)
            throws SQLException {
        List<String> values = writable.stream().map(col -> cast("b", col, cols)).toList();
        String missing = e.keyColumns().isEmpty() ? "" : " WHERE NOT EXISTS (SELECT 1 FROM " + e.source().sql()
                + " t WHERE " + keyMatch(e, cols) + ")";
        return update("INSERT INTO " + e.source().sql() + " (" + String.join(", ", writable.stream().map(Name::quote)
                .toList()) + ") OVERRIDING SYSTEM VALUE SELECT " + String.join(", ", values) + " FROM " + copy + " b"
                + missing);
    }

    /** Copied rows that the table does not now hold value for value (as text), subtracted from all copied rows. */
    private long verify(Snapshot.Entry e, String copy, Map<String, Target> cols) throws SQLException {
        List<String> tCols = e.columns().stream().map(col -> "t." + Name.quote(col) + "::text").toList();
        List<String> bCols = e.columns().stream().map(col -> "b." + Name.quote(col) + "::text").toList();
        long total = count(copy);
        long differing = count("(SELECT " + String.join(", ", bCols) + " FROM " + copy + " b EXCEPT ALL SELECT "
                + String.join(", ", tCols) + " FROM " + e.source().sql() + " t) x");
        return total - differing;
    }

    private static String keyMatch(Snapshot.Entry e, Map<String, Target> cols) {
        List<String> parts = new ArrayList<>();
        for (String k : e.keyColumns()) parts.add("t." + Name.quote(k) + " = " + cast("b", k, cols));
        return String.join(" AND ", parts);
    }

    private static String cast(String alias, String col, Map<String, Target> cols) {
        return alias + "." + Name.quote(col) + "::text::" + cols.get(col).type();
    }

    private void resetSequences(Name table, List<String> columns) throws SQLException {
        for (String col : columns) {
            String seq = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_get_serial_sequence(?, ?)")) {
                ps.setString(1, table.sql());
                ps.setString(2, col);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) seq = rs.getString(1);
                }
            }
            if (seq == null) continue;
            try (Statement st = c.createStatement()) {
                st.execute("SELECT setval(" + Name.literal(seq) + ", m) FROM (SELECT max(" + Name.quote(col) + ") m"
                        + " FROM " + table.sql() + ") x WHERE m IS NOT NULL AND m > (SELECT CASE WHEN is_called THEN"
                        + " last_value ELSE last_value - 1 END FROM " + seq + ")");
            }
        }
    }

    /** Tables that others (in this snapshot) reference come first. */
    private List<Snapshot.Entry> order(List<Snapshot.Entry> entries) throws SQLException {
        Map<String, List<String>> refs = new HashMap<>();
        for (Snapshot.Entry e : entries) {
            List<String> to = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT confrelid::regclass::text FROM pg_constraint WHERE"
                    + " conrelid = to_regclass(?) AND contype = 'f' AND confrelid <> conrelid")) {
                ps.setString(1, e.source().sql());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) to.add(rs.getString(1));
                }
            }
            refs.put(regclass(e.source()), to);
        }
        List<Snapshot.Entry> out = new ArrayList<>();
        List<Snapshot.Entry> left = new ArrayList<>(entries);
        while (!left.isEmpty()) {
            Snapshot.Entry next = left.stream().filter(e -> refs.get(regclass(e.source())).stream().noneMatch(r ->
                    left.stream().anyMatch(o -> o != e && regclass(o.source()).equals(r)))).findFirst().orElse(left.get(0));
            out.add(next);
            left.remove(next);
        }
        return out;
    }

    private final Map<Name, String> regclasses = new HashMap<>();

    private String regclass(Name n) {
        return regclasses.computeIfAbsent(n, k -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?)::text")) {
                ps.setString(1, k.sql());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getString(1) != null ? rs.getString(1) : k.sql();
                }
            } catch (SQLException ex) {
                return k.sql();
            }
        });
    }

    record Target(String type, boolean generated) {
    }

    private Map<String, Target> targetColumns(Name table) throws SQLException {
        Map<String, Target> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT attname, format_type(atttypid, atttypmod),"
                + " attgenerated <> '' FROM pg_attribute WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT"
                + " attisdropped")) {
            ps.setString(1, table.sql());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.put(rs.getString(1), new Target(rs.getString(2), rs.getBoolean(3)));
            }
        }
        return out;
    }

    private long count(String relation) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + relation)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long update(String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            return st.executeUpdate(sql);
        }
    }
}
