package dev.gantry.prismagate.data;

import dev.gantry.prismagate.change.Change;
import dev.gantry.prismagate.change.Replay;
import dev.gantry.prismagate.db.Deadline;
import dev.gantry.prismagate.lint.Finding;
import dev.gantry.prismagate.lint.Rule;
import dev.gantry.prismagate.sql.Name;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Predicts the failures of pending migrations that depend on the rows in the database: a NOT NULL column added
 * without a default to a table with rows, SET NOT NULL over NULLs, a unique index or key over duplicates, enum
 * values removed while rows use them, a foreign key over orphan rows, a type change whose cast fails. Each is a
 * {@link Finding} at the statement's line with a count and an example key.
 *
 * <p>The pending migrations are replayed in order over a small model, so that what earlier ones do is taken into
 * account: a table they create is empty, a column they add holds NULL or its default, renames are followed back
 * to the names in the database. After rows of a table are written by a pending statement (UPDATE, INSERT, …) or
 * after a DO block, the data is no longer today's and the check says so instead of guessing.
 */
public final class DataCheck {
    private final DataProbe probe;
    private final Consumer<String> log;

    private final Replay replay;
    /** Tables whose rows a pending statement changed before: key → what did. */
    private final Map<String, String> written = new HashMap<>();
    private String opaque;
    private String migration;
    private List<Finding> findings;

    public DataCheck(Connection connection, Deadline deadline, String defaultSchema, Consumer<String> log) {
        this.probe = new DataProbe(connection, deadline);
        this.replay = new Replay(defaultSchema);
        this.log = log;
    }

    /** Checks the pending migrations, in order (name → its changes); returns findings per migration. */
    public Map<String, List<Finding>> check(Map<String, List<Change>> pending) throws SQLException {
        Map<String, List<Finding>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<Change>> m : pending.entrySet()) {
            migration = m.getKey();
            findings = new ArrayList<>();
            for (Change c : m.getValue()) {
                try {
                    change(c);
                } catch (SQLException e) {
                    if (e.getSQLState() != null && e.getSQLState().startsWith("08")) throw e;
                    log.accept("Data check of " + migration + " line " + c.line() + " skipped: " + skipReason(e));
                }
            }
            out.put(migration, List.copyOf(findings));
        }
        return out;
    }

    private static String skipReason(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.equals("57014")) return "the query did not finish within " + DataProbe.QUERY_TIMEOUT.toSeconds() + " s";
        if (state.equals("55P03")) return "the table is locked by another session";
        if (state.equals("42501")) return "the database user may not read the table";
        String m = e.getMessage() == null ? "" : e.getMessage();
        int colon = m.indexOf(':');
        return (colon > 0 ? m.substring(0, colon) : m) + (state.isEmpty() ? "" : " (SQLSTATE " + state + ")");
    }

    private void change(Change c) throws SQLException {
        switch (c) {
            case Change.AddColumn a -> addColumn(a);
            case Change.SetNotNull s -> setNotNull(s);
            case Change.AddUnique u -> unique(u);
            case Change.AddForeignKey f -> foreignKey(f);
            case Change.AlterColumnType t -> alterType(t);
            case Change.WritesRows w -> {
                Name t = replay.inDatabase(w.table());
                if (t != null) written.putIfAbsent(replay.key(t), w.verb() + " at " + where(w.line()));
            }
            case Change.Opaque o -> {
                if (opaque == null) opaque = o.what() + " at " + where(o.line());
            }
            default -> {
            }
        }
        replay.apply(c);
    }

    private String where(int line) {
        return migration + " line " + line;
    }

    /** Why today's rows do not predict this statement, or null when they do. */
    private String unpredictable(Name dbTable) {
        if (opaque != null) return "earlier, " + opaque + " may have changed any rows";
        String w = written.get(replay.key(dbTable));
        return w == null ? null : "its rows are changed first by " + w;
    }

    private boolean skipped(Change c, Name dbTable) {
        String why = unpredictable(dbTable);
        if (why == null) return false;
        log.accept("Data check of " + where(c.line()) + " skipped: " + why + ".");
        return true;
    }

    private void addColumn(Change.AddColumn a) throws SQLException {
        Name table = replay.inDatabase(a.table());
        if (table == null) return;
        if (!a.notNull() || a.defaultSql() != null || a.filled() || skipped(a, table) || !probe.exists(table)) return;
        DataProbe.Rows rows = probe.rows(table, null);
        if (rows.any()) {
            add(Rule.DATA_REQUIRED_COLUMN, a.line(), "table " + table.display() + " has " + count(rows.count()) + " (e.g. "
                    + rows.example() + "), and column " + a.column() + " is added NOT NULL without a default: ALTER"
                    + " TABLE fails (23502)");
        }
    }

    private void setNotNull(Change.SetNotNull s) throws SQLException {
        Name table = replay.inDatabase(s.table());
        if (table == null || skipped(s, table) || !probe.exists(table)) return;
        String col = replay.dbColumn(s.table(), s.column());
        DataProbe.Rows rows;
        if (col == null) {
            Change.AddColumn a = replay.added(s.table(), s.column());
            if (a.defaultSql() != null || a.filled()) return;
            rows = probe.rows(table, null);
        } else {
            rows = probe.rows(table, Name.quote(col) + " IS NULL");
        }
        if (rows.any()) {
            add(Rule.DATA_NULL_VALUES, s.line(), "column " + s.table().display() + "." + s.column() + " is NULL in "
                    + count(rows.count()) + " (e.g. " + rows.example() + "): SET NOT NULL fails (23502)");
        }
    }

    private void unique(Change.AddUnique u) throws SQLException {
        Name table = replay.inDatabase(u.table());
        if (table == null || skipped(u, table) || !probe.exists(table)) return;
        List<String> dbColumns = new ArrayList<>();
        for (String col : u.columns()) {
            String db = replay.dbColumn(u.table(), col);
            if (db == null) {
                newColumnKey(u, table, col);
                return;
            }
            dbColumns.add(db);
        }
        boolean plain = u.columns().size() == u.elements().size();
        if (!plain && replay.columnsRenamed(u.table())) {
            log.accept("Data check of " + where(u.line()) + " skipped: the key's expressions name columns renamed"
                    + " earlier in this deploy.");
            return;
        }
        List<String> elements = plain ? dbColumns.stream().map(Name::quote).toList() : u.elements();
        String what = "(" + String.join(", ", plain ? u.columns() : u.elements()) + ")";
        List<String> where = new ArrayList<>();
        if (u.where() != null) where.add("(" + u.where() + ")");
        if (u.primaryKey()) {
            for (String col : dbColumns) {
                DataProbe.Rows nulls = probe.rows(table, Name.quote(col) + " IS NULL");
                if (nulls.any()) {
                    add(Rule.DATA_NULL_VALUES, u.line(), "column " + u.table().display() + "." + col + " of the primary"
                            + " key is NULL in " + count(nulls.count()) + " (e.g. " + nulls.example() + ")");
                }
            }
        }
        if (!u.nullsNotDistinct()) elements.forEach(e -> where.add(e + " IS NOT NULL"));
        DataProbe.Rows dups = probe.duplicates(table, elements, where.isEmpty() ? null : String.join(" AND ", where));
        if (dups.any()) {
            add(Rule.DATA_DUPLICATES, u.line(), dups.count() + (dups.count() == 1 ? " value" : " values") + " of "
                    + what + " appear in more than one row of " + table.display() + " (e.g. rows " + dups.example()
                    + "): the unique " + (u.primaryKey() ? "key" : "index") + " cannot be built (23505)");
        }
    }

    /** A unique key over a column this run adds: NULLs never collide; one default value in many rows does. */
    private void newColumnKey(Change.AddUnique u, Name table, String col) throws SQLException {
        Change.AddColumn a = replay.added(u.table(), col);
        if (a.filled() || (a.defaultSql() == null && !u.primaryKey()) || u.columns().size() > 1) return;
        DataProbe.Rows rows = probe.rows(table, null);
        if (a.defaultSql() == null && rows.any()) {
            add(Rule.DATA_NULL_VALUES, u.line(), "column " + col + " is added without a value to " + count(rows.count())
                    + " of " + table.display() + " (e.g. " + rows.example() + ") and made the primary key");
        } else if (rows.count() > 1 && !a.defaultSql().toLowerCase(Locale.ROOT).matches(".*\\b(random|uuid|nextval|"
                + "clock_timestamp|gen_random_uuid)\\b.*")) {
            add(Rule.DATA_DUPLICATES, u.line(), "column " + col + " is added with the same DEFAULT in " + count(rows.count())
                    + " of " + table.display() + " (e.g. " + rows.example() + ") and made unique (23505)");
        }
    }

    private void foreignKey(Change.AddForeignKey f) throws SQLException {
        if (f.notValid()) return;
        Name table = replay.inDatabase(f.table());
        if (table == null || skipped(f, table) || !probe.exists(table)) return;
        List<String> cols = new ArrayList<>();
        for (String col : f.columns()) {
            String db = replay.dbColumn(f.table(), col);
            if (db == null) return; // a column this deploy adds: NULLs (no orphans) or its default (not predicted)
            cols.add(Name.quote(db));
        }
        List<String> conditions = new ArrayList<>(cols.stream().map(c -> "c." + c + " IS NOT NULL").toList());
        Name ref = replay.inDatabase(f.referenced());
        String refDisplay = f.referenced().display();
        if (ref != null) {
            if (skipped(f, ref) || !probe.exists(ref)) return;
            List<String> refCols = new ArrayList<>();
            if (f.referencedColumns().isEmpty()) {
                refCols.addAll(probe.primaryKey(ref));
            } else {
                for (String rc : f.referencedColumns()) {
                    String db = replay.dbColumn(f.referenced(), rc);
                    if (db == null) return;
                    refCols.add(Name.quote(db));
                }
            }
            if (refCols.size() != cols.size()) return;
            List<String> match = new ArrayList<>();
            for (int i = 0; i < cols.size(); i++) match.add("p." + refCols.get(i) + " = c." + cols.get(i));
            conditions.add("NOT EXISTS (SELECT 1 FROM " + ref.sql() + " p WHERE " + String.join(" AND ", match) + ")");
        }
        DataProbe.Rows orphans = probe.rows(table, String.join(" AND ", conditions));
        if (orphans.any()) {
            add(Rule.DATA_ORPHAN_ROWS, f.line(), count(orphans.count()) + " of " + table.display() + " have ("
                    + String.join(", ", f.columns()) + ") with no matching row in " + refDisplay
                    + (ref == null ? " (created empty earlier in this deploy)" : "") + " (e.g. " + orphans.example()
                    + "): the foreign key cannot be added (23503)");
        }
    }

    private void alterType(Change.AlterColumnType t) throws SQLException {
        Name table = replay.inDatabase(t.table());
        String col = replay.dbColumn(t.table(), t.column());
        if (table == null || col == null || skipped(t, table) || !probe.exists(table)) return;
        String target = t.type().strip();
        boolean array = target.endsWith("[]");
        String base = array ? target.substring(0, target.length() - 2).strip() : target;
        List<String> labels = replay.createdEnum(typeName(base));
        String qcol = Name.quote(col);
        if (labels != null) {
            enumCheck(t, table, qcol, array, labels, typeName(base));
            return;
        }
        if (replay.createsType(typeName(base).name())) return;
        boolean renames = replay.columnsRenamed(t.table());
        if (t.using() != null && renames) {
            log.accept("Data check of " + where(t.line()) + " skipped: its USING expression names columns renamed"
                    + " earlier in this deploy.");
            return;
        }
        String expr = t.using() != null ? "(" + t.using() + ")::" + target : qcol + "::" + target;
        DataProbe.CastResult r = probe.cast(table, qcol, expr);
        if (r.failed() == 0) return;
        String what = r.example() == null
                ? "values of " + table.display() + "." + col + " do not all convert to " + target + " (the rows tried"
                + " one by one, " + r.tried() + ", did not show which)"
                : r.failed() + " of " + r.tried() + " values of " + table.display() + "." + col + " do not convert to "
                + target + " (e.g. " + r.example() + ")";
        add(Rule.DATA_CAST_FAILS, t.line(), what + (r.sampled() ? "; sampled: " + r.tried() + " rows of about "
                + String.format("%,d", r.estimate()) : ""));
    }

    private void enumCheck(Change.AlterColumnType t, Name table, String qcol, boolean array, List<String> labels,
                           Name type) throws SQLException {
        String in = String.join(", ", labels.stream().map(Name::literal).toList());
        String where = array ? "EXISTS (SELECT 1 FROM unnest(" + qcol + ") v WHERE v IS NOT NULL AND v::text NOT IN ("
                + in + "))" : qcol + " IS NOT NULL AND " + qcol + "::text NOT IN (" + in + ")";
        DataProbe.Rows rows = probe.rows(table, where);
        if (rows.any()) {
            add(Rule.DATA_ENUM_VALUE_IN_USE, t.line(), count(rows.count()) + " of " + table.display() + " hold values of "
                    + t.column() + " that enum " + type.display() + " does not have (it keeps " + labels + ") (e.g. "
                    + rows.example() + "): the cast fails (22P02)");
        }
    }

    private Name typeName(String sql) {
        List<String> parts = new ArrayList<>();
        for (String p : sql.split("\\.")) {
            String s = p.strip();
            parts.add(s.startsWith("\"") && s.endsWith("\"") && s.length() >= 2
                    ? s.substring(1, s.length() - 1).replace("\"\"", "\"") : s.toLowerCase(Locale.ROOT));
        }
        return parts.size() >= 2 ? new Name(parts.get(parts.size() - 2), parts.get(parts.size() - 1))
                : Name.of(parts.get(0));
    }

    private void add(Rule rule, int line, String message) {
        findings.add(new Finding(rule, line, line, message));
    }

    static String count(long n) {
        String rows = n == 1 ? " row" : " rows";
        return n > DataProbe.COUNT_CAP ? "more than " + String.format("%,d", DataProbe.COUNT_CAP) + rows
                : String.format("%,d", n) + rows;
    }
}
