package dev.gantry.prismagate.backup;

import dev.gantry.prismagate.change.Change;
import dev.gantry.prismagate.change.Replay;
import dev.gantry.prismagate.sql.Name;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the pending migrations will drop or rewrite, in the names the database has today: whole tables (DROP
 * TABLE, TRUNCATE, UPDATE, DELETE, MERGE, and the tables of a dropped schema) and columns (DROP COLUMN, a type
 * change). Tables the deploy creates itself hold nothing to lose and are left out.
 */
public final class Targets {
    private Targets() {
    }

    /** One table to copy: all of it ({@code columns} empty), or its key and these columns. */
    public record Target(Name table, List<String> columns, List<String> reasons) {
        public boolean whole() {
            return columns.isEmpty();
        }
    }

    /** The tables and columns to copy (a table once), with why; {@code schemas} gets the schemas dropped. */
    public static List<Target> of(Map<String, List<Change>> pending, String defaultSchema, List<String> schemas) {
        Replay replay = new Replay(defaultSchema);
        Map<String, Name> tables = new LinkedHashMap<>();
        Map<String, Set<String>> columns = new LinkedHashMap<>();
        Map<String, Boolean> whole = new LinkedHashMap<>();
        Map<String, List<String>> reasons = new LinkedHashMap<>();
        for (Map.Entry<String, List<Change>> m : pending.entrySet()) {
            for (Change c : m.getValue()) {
                String why = m.getKey() + " line " + c.line() + ": ";
                Name t = null;
                String column = null;
                switch (c) {
                    case Change.DropTable d -> {
                        t = replay.inDatabase(d.table());
                        why += "DROP TABLE";
                    }
                    case Change.WritesRows w when !w.verb().equals("INSERT") && !w.verb().equals("COPY") -> {
                        t = replay.inDatabase(w.table());
                        why += w.verb();
                    }
                    case Change.DropColumn d -> {
                        t = replay.inDatabase(d.table());
                        column = t == null ? null : replay.dbColumn(d.table(), d.column());
                        why += "DROP COLUMN " + d.column();
                        if (column == null) t = null;
                    }
                    case Change.AlterColumnType a -> {
                        t = replay.inDatabase(a.table());
                        column = t == null ? null : replay.dbColumn(a.table(), a.column());
                        why += "type of " + a.column() + " to " + a.type();
                        if (column == null) t = null;
                    }
                    case Change.DropSchema s -> schemas.add(s.schema());
                    default -> {
                    }
                }
                replay.apply(c);
                if (t == null) continue;
                String k = replay.key(t);
                tables.putIfAbsent(k, t);
                reasons.computeIfAbsent(k, x -> new ArrayList<>()).add(why);
                if (column == null) whole.put(k, true);
                else columns.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(column);
            }
        }
        List<Target> out = new ArrayList<>();
        for (Map.Entry<String, Name> e : tables.entrySet()) {
            boolean all = whole.getOrDefault(e.getKey(), false);
            out.add(new Target(e.getValue(), all ? List.of() : List.copyOf(columns.get(e.getKey())),
                    List.copyOf(reasons.get(e.getKey()))));
        }
        return out;
    }
}
