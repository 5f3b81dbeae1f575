package dev.gantry.prismagate.change;

import dev.gantry.prismagate.sql.Name;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names of a deploy replayed statement by statement: which tables the pending migrations create (they start
 * empty), which tables and columns they rename (followed back to the names the database has today), which
 * columns they add, which enums they create. The data check and the snapshot both ask it what a name in a
 * later statement is in the database now.
 */
public final class Replay {
    private final String defaultSchema;
    private final Set<String> created = new HashSet<>();
    private final Map<String, Name> renamed = new HashMap<>();
    private final Map<String, Change.AddColumn> added = new HashMap<>();
    private final Map<String, String> renamedColumns = new HashMap<>();
    private final Map<String, List<String>> enums = new HashMap<>();

    public Replay(String defaultSchema) {
        this.defaultSchema = defaultSchema;
    }

    /** Takes in the naming effects of one change (call after judging the change against today's names). */
    public void apply(Change c) {
        switch (c) {
            case Change.CreateTable t -> created.add(key(t.table()));
            case Change.DropTable t -> {
                created.remove(key(t.table()));
                renamed.remove(key(t.table()));
            }
            case Change.RenameTable r -> renameTable(r);
            case Change.AddColumn a -> {
                if (inDatabase(a.table()) != null) added.put(key(a.table()) + "." + a.column(), a);
            }
            case Change.DropColumn d -> added.remove(key(d.table()) + "." + d.column());
            case Change.RenameColumn r -> renameColumn(r);
            case Change.CreateEnum e -> enums.put(key(e.type()), new ArrayList<>(e.labels()));
            case Change.AddEnumValue v -> {
                List<String> labels = enums.get(key(v.type()));
                if (labels != null && !labels.contains(v.label())) labels.add(v.label());
            }
            case Change.RenameType r -> {
                List<String> labels = enums.remove(key(r.type()));
                if (labels != null) enums.put(key(r.type().withName(r.to())), labels);
            }
            default -> {
            }
        }
    }

    /** A stable key for a table or type name (the default schema filled in). */
    public String key(Name n) {
        return (n.schema() == null ? defaultSchema : n.schema()) + "." + n.name();
    }

    /** The table as the database knows it today, or null when the deploy creates it (so it is empty). */
    public Name inDatabase(Name table) {
        String k = key(table);
        if (created.contains(k)) return null;
        return renamed.getOrDefault(k, table);
    }

    /** The column as the database knows it today, or null when the deploy adds it. */
    public String dbColumn(Name table, String column) {
        String k = key(table) + "." + column;
        if (added.containsKey(k)) return null;
        return renamedColumns.getOrDefault(k, column);
    }

    /** The ADD COLUMN of a column the deploy adds, or null. */
    public Change.AddColumn added(Name table, String column) {
        return added.get(key(table) + "." + column);
    }

    /** Whether the deploy renamed any column of this table so far. */
    public boolean columnsRenamed(Name table) {
        String prefix = key(table) + ".";
        return renamedColumns.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    /** The values of an enum the deploy creates, or null. */
    public List<String> createdEnum(Name type) {
        return enums.get(key(type));
    }

    /** Whether the deploy creates a type of this (unqualified) name, enum or not. */
    public boolean createsType(String name) {
        return enums.keySet().stream().anyMatch(k -> k.endsWith("." + name));
    }

    private void renameTable(Change.RenameTable r) {
        String from = key(r.table());
        String to = key(r.table().withName(r.to()));
        if (created.remove(from)) {
            created.add(to);
        } else {
            renamed.put(to, renamed.getOrDefault(from, r.table()));
        }
        move(added, from, to);
        move(renamedColumns, from, to);
    }

    private static <V> void move(Map<String, V> m, String fromTable, String toTable) {
        for (String k : new ArrayList<>(m.keySet())) {
            if (k.startsWith(fromTable + ".")) m.put(toTable + k.substring(fromTable.length()), m.remove(k));
        }
    }

    private void renameColumn(Change.RenameColumn r) {
        String t = key(r.table());
        Change.AddColumn a = added.remove(t + "." + r.from());
        if (a != null) {
            added.put(t + "." + r.to(), a);
        } else {
            renamedColumns.put(t + "." + r.to(), renamedColumns.getOrDefault(t + "." + r.from(), r.from()));
        }
    }
}
