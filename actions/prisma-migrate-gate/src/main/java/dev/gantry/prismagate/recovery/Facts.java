package dev.gantry.prismagate.recovery;

import dev.gantry.prismagate.change.Change;
import dev.gantry.prismagate.sql.Name;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the catalog must show after each prefix of a migration: the file is replayed over facts (table X exists,
 * column Y is NOT NULL, …). A fact's value before the file is known only where a statement requires it (CREATE
 * TABLE without IF NOT EXISTS needs the table to be absent), so {@link #expectedAfter(int)} leaves the others out.
 */
public final class Facts {
    private final int statements;
    private final Map<Fact, Boolean> before = new LinkedHashMap<>();
    /** after.get(k): the facts known after the first k statements (k = 0 … statements). */
    private final List<Map<Fact, Boolean>> after = new ArrayList<>();

    private Facts(int statements) {
        this.statements = statements;
    }

    public static Facts replay(List<Change> changes, int statements) {
        Facts f = new Facts(statements);
        Map<Fact, Boolean> now = new HashMap<>();
        Map<Name, List<String>> labels = new HashMap<>();
        List<Map<Fact, Boolean>> raw = new ArrayList<>();
        int next = 0;
        for (int k = 0; k < statements; k++) {
            raw.add(new HashMap<>(now));
            while (next < changes.size() && changes.get(next).statement() == k) {
                f.apply(changes.get(next++), now, labels);
            }
        }
        raw.add(new HashMap<>(now));
        // a fact untouched until statement k still has its value from before the file, where that is known
        for (Map<Fact, Boolean> m : raw) {
            Map<Fact, Boolean> full = new LinkedHashMap<>(f.before);
            full.putAll(m);
            f.after.add(full);
        }
        return f;
    }

    /** The facts the catalog shows after {@code k} statements ran (0: before the file). */
    public Map<Fact, Boolean> expectedAfter(int k) {
        return after.get(k);
    }

    public int statements() {
        return statements;
    }

    private void require(Map<Fact, Boolean> now, Fact f, boolean value) {
        if (!now.containsKey(f) && !before.containsKey(f)) before.put(f, value);
    }

    private void apply(Change c, Map<Fact, Boolean> now, Map<Name, List<String>> labels) {
        switch (c) {
            case Change.CreateTable t -> create(now, new Fact.Table(t.table()), t.ifNotExists());
            case Change.DropTable t -> drop(now, new Fact.Table(t.table()), t.ifExists());
            case Change.RenameTable t -> {
                drop(now, new Fact.Table(t.table()), false);
                create(now, new Fact.Table(t.table().withName(t.to())), false);
            }
            case Change.AddColumn a -> {
                create(now, new Fact.Column(a.table(), a.column()), a.ifNotExists());
                if (a.notNull()) now.put(new Fact.NotNull(a.table(), a.column()), true);
            }
            case Change.DropColumn d -> drop(now, new Fact.Column(d.table(), d.column()), d.ifExists());
            case Change.RenameColumn r -> {
                drop(now, new Fact.Column(r.table(), r.from()), false);
                create(now, new Fact.Column(r.table(), r.to()), false);
            }
            case Change.SetNotNull s -> {
                require(now, new Fact.Column(s.table(), s.column()), true);
                now.put(new Fact.NotNull(s.table(), s.column()), true);
            }
            case Change.DropNotNull s -> {
                require(now, new Fact.Column(s.table(), s.column()), true);
                now.put(new Fact.NotNull(s.table(), s.column()), false);
            }
            case Change.AddConstraint a -> create(now, new Fact.Constraint(a.table(), a.name()), false);
            case Change.DropConstraint d -> drop(now, new Fact.Constraint(d.table(), d.name()), d.ifExists());
            case Change.CreateIndex i -> {
                // an index lives in its table's schema
                if (i.name() != null) create(now, new Fact.Index(new Name(i.table().schema(), i.name())), i.ifNotExists());
            }
            case Change.DropIndex d -> d.indexes().forEach(n -> drop(now, new Fact.Index(n), d.ifExists()));
            case Change.CreateEnum e -> {
                create(now, new Fact.Type(e.type()), false);
                labels.put(e.type(), new ArrayList<>(e.labels()));
                e.labels().forEach(l -> now.put(new Fact.Label(e.type(), l), true));
            }
            case Change.AddEnumValue v -> {
                if (!v.ifNotExists()) require(now, new Fact.Label(v.type(), v.label()), false);
                now.put(new Fact.Label(v.type(), v.label()), true);
                labels.computeIfAbsent(v.type(), k -> new ArrayList<>()).add(v.label());
            }
            case Change.RenameType r -> {
                Name to = r.type().withName(r.to());
                drop(now, new Fact.Type(r.type()), false);
                create(now, new Fact.Type(to), false);
                List<String> moved = labels.remove(r.type());
                if (moved != null) {
                    for (String l : moved) {
                        now.put(new Fact.Label(r.type(), l), false);
                        now.put(new Fact.Label(to, l), true);
                    }
                    labels.put(to, moved);
                }
            }
            case Change.DropType d -> d.types().forEach(t -> {
                drop(now, new Fact.Type(t), d.ifExists());
                List<String> gone = labels.remove(t);
                if (gone != null) gone.forEach(l -> now.put(new Fact.Label(t, l), false));
            });
            default -> {
            }
        }
    }

    private void create(Map<Fact, Boolean> now, Fact f, boolean ifNotExists) {
        if (!ifNotExists) require(now, f, false);
        now.put(f, true);
    }

    private void drop(Map<Fact, Boolean> now, Fact f, boolean ifExists) {
        if (!ifExists) require(now, f, true);
        now.put(f, false);
    }
}
