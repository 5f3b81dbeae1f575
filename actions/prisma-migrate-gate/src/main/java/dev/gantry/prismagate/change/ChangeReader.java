package dev.gantry.prismagate.change;

import dev.gantry.prismagate.sql.Cursor;
import dev.gantry.prismagate.sql.Name;
import dev.gantry.prismagate.sql.Statement;
import dev.gantry.prismagate.sql.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads what the top-level statements of one migration do ({@link Change}s), with the same tokenizer as the
 * linter. Statements it cannot read yield nothing rather than a guess; a {@code DO} block or a procedure call
 * is {@link Change.Opaque}.
 */
public final class ChangeReader {
    private static final Set<String> SERIAL = Set.of("serial", "serial2", "serial4", "serial8", "smallserial",
            "bigserial");
    private static final String[] COLUMN_CONSTRAINT = {"NOT", "NULL", "DEFAULT", "CONSTRAINT", "PRIMARY", "UNIQUE",
            "CHECK", "REFERENCES", "GENERATED", "COLLATE"};

    private final List<Change> out = new ArrayList<>();
    private Statement current;
    private int index;

    private ChangeReader() {
    }

    /** The changes of a script's top-level statements, in order. */
    public static List<Change> read(List<Statement> statements) {
        ChangeReader r = new ChangeReader();
        for (int i = 0; i < statements.size(); i++) {
            r.current = statements.get(i);
            r.index = i;
            try {
                r.statement(new Cursor(r.current.tokens()));
            } catch (RuntimeException e) {
                // a statement we cannot read is left to the database
            }
        }
        return List.copyOf(r.out);
    }

    public static List<Change> read(String script) {
        return read(Statement.split(script));
    }

    private int line() {
        return current.startLine();
    }

    private void statement(Cursor c) {
        Token first = c.peek();
        if (first == null || first.type() != Token.Type.WORD) return;
        switch (first.text().toUpperCase(Locale.ROOT)) {
            case "CREATE" -> create(c);
            case "ALTER" -> alter(c);
            case "DROP" -> drop(c);
            case "TRUNCATE" -> truncate(c);
            case "UPDATE", "DELETE", "INSERT", "MERGE", "WITH" -> dml();
            case "COPY" -> {
                c.next();
                Name t = c.qualifiedName();
                if (t != null && c.containsWord("FROM")) out.add(new Change.WritesRows(line(), index, t, "COPY", false));
            }
            case "DO" -> out.add(new Change.Opaque(line(), index, "a DO block"));
            case "CALL" -> out.add(new Change.Opaque(line(), index, "CALL " + c.peek(1).text()));
            default -> {
            }
        }
    }

    private void create(Cursor c) {
        c.next();
        c.accept("OR", "REPLACE");
        if (!c.accept("GLOBAL")) c.accept("LOCAL");
        boolean temp = c.accept("TEMPORARY") || c.accept("TEMP");
        c.accept("UNLOGGED");
        if (c.accept("TABLE")) {
            boolean ifNotExists = c.accept("IF", "NOT", "EXISTS");
            Name t = c.qualifiedName();
            if (t == null || temp) return;
            out.add(new Change.CreateTable(line(), index, t, ifNotExists));
            c.skipParens();
            if (c.containsTopLevel("AS")) out.add(new Change.WritesRows(line(), index, t, "INSERT", false));
        } else if (c.at("UNIQUE", "INDEX") || c.at("INDEX")) {
            createIndex(c);
        } else if (c.accept("TYPE")) {
            Name type = c.qualifiedName();
            if (type == null || !c.accept("AS", "ENUM")) return;
            List<String> labels = new ArrayList<>();
            for (Token t : c.parens()) {
                if (t.type() == Token.Type.STRING) labels.add(t.stringValue());
            }
            out.add(new Change.CreateEnum(line(), index, type, List.copyOf(labels)));
        }
    }

    private void createIndex(Cursor c) {
        boolean unique = c.accept("UNIQUE");
        c.next();
        boolean concurrently = c.accept("CONCURRENTLY");
        boolean ifNotExists = c.accept("IF", "NOT", "EXISTS");
        String index = c.at("ON") ? null : c.name();
        if (!c.accept("ON")) return;
        c.accept("ONLY");
        Name table = c.qualifiedName();
        if (table == null) return;
        out.add(new Change.CreateIndex(line(), this.index, table, index, unique, concurrently, ifNotExists));
        if (!unique) return;
        if (c.accept("USING")) c.next();
        List<Token> key = c.parens();
        if (key == null) return;
        List<String> elements = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        for (List<Token> part : split(key)) {
            String column = plainColumn(part);
            if (column != null) columns.add(column);
            elements.add(indexElement(part));
        }
        boolean nullsNotDistinct = false;
        String where = null;
        while (!c.done()) {
            if (c.accept("NULLS", "NOT", "DISTINCT")) {
                nullsNotDistinct = true;
            } else if (c.accept("WHERE")) {
                List<Token> rest = new ArrayList<>();
                while (!c.done()) rest.add(c.next());
                where = current.source(rest);
            } else if (c.peek().type() == Token.Type.LPAREN) {
                c.skipParens();
            } else {
                c.next();
            }
        }
        out.add(new Change.AddUnique(line(), this.index, table, index, List.copyOf(elements),
                columns.size() == elements.size() ? List.copyOf(columns) : List.of(), false, nullsNotDistinct, where));
    }

    /** One element of an index key as an expression: a column (quoted), or the expression it indexes. */
    private String indexElement(List<Token> part) {
        List<Token> p = stripOrdering(part);
        Token first = p.get(0);
        if (first.type() == Token.Type.LPAREN) {
            Cursor e = new Cursor(p);
            List<Token> inner = e.parens();
            return "(" + current.source(inner) + ")";
        }
        if (first.isIdentifier() && (p.size() == 1 || p.get(1).type() != Token.Type.LPAREN)) {
            String col = Name.quote(first.identifier());
            // COLLATE changes what "equal" means for the key; an operator class name after the column does not
            for (int k = 1; k + 1 < p.size(); k++) {
                if (p.get(k).is("COLLATE")) return col + " COLLATE " + current.source(p.subList(k + 1, k + 2));
            }
            return col;
        }
        // a function call: up to its closing parenthesis
        Cursor e = new Cursor(p);
        e.next();
        int depth = 0;
        Token last = first;
        while (!e.done()) {
            Token t = e.next();
            last = t;
            if (t.type() == Token.Type.LPAREN) depth++;
            else if (t.type() == Token.Type.RPAREN && --depth == 0) break;
        }
        return current.source(first, last);
    }

    private static String plainColumn(List<Token> part) {
        List<Token> p = stripOrdering(part);
        Token first = p.get(0);
        if (!first.isIdentifier() || (p.size() > 1 && p.get(1).type() == Token.Type.LPAREN)) return null;
        return first.identifier();
    }

    private static List<Token> stripOrdering(List<Token> part) {
        int end = part.size();
        while (end > 1) {
            Token t = part.get(end - 1);
            if (t.is("ASC") || t.is("DESC") || t.is("FIRST") || t.is("LAST")) {
                end--;
                if (end > 1 && part.get(end - 1).is("NULLS")) end--;
            } else {
                break;
            }
        }
        return part.subList(0, end);
    }

    private static List<List<Token>> split(List<Token> tokens) {
        return new Cursor(tokens).restByTopLevelCommas();
    }

    private void alter(Cursor c) {
        c.next();
        if (c.accept("TABLE")) {
            alterTable(c);
        } else if (c.accept("TYPE")) {
            Name type = c.qualifiedName();
            if (type == null) return;
            if (c.accept("ADD", "VALUE")) {
                boolean ifNotExists = c.accept("IF", "NOT", "EXISTS");
                Token v = c.next();
                if (v != null && v.type() == Token.Type.STRING) {
                    out.add(new Change.AddEnumValue(line(), index, type, v.stringValue(), ifNotExists));
                }
            } else if (c.accept("RENAME", "TO")) {
                String to = c.name();
                if (to != null) out.add(new Change.RenameType(line(), index, type, to));
            }
        }
    }

    private void alterTable(Cursor c) {
        c.accept("IF", "EXISTS");
        c.accept("ONLY");
        Name table = c.qualifiedName();
        if (table == null) return;
        if (c.peek() != null && c.peek().text().equals("*")) c.next();
        if (c.accept("RENAME")) {
            if (c.accept("TO")) {
                String to = c.name();
                if (to != null) out.add(new Change.RenameTable(line(), index, table, to));
                return;
            }
            if (c.accept("CONSTRAINT")) return;
            c.accept("COLUMN");
            String from = c.name();
            c.accept("TO");
            String to = c.name();
            if (from != null && to != null) out.add(new Change.RenameColumn(line(), index, table, from, to));
            return;
        }
        for (List<Token> action : c.restByTopLevelCommas()) {
            try {
                alterTableAction(table, action.get(0).line(), new Cursor(action));
            } catch (RuntimeException e) {
                // an action we cannot read
            }
        }
    }

    private void alterTableAction(Name table, int line, Cursor a) {
        if (a.accept("ADD")) {
            if (a.at("CONSTRAINT") || a.at("PRIMARY") || a.at("UNIQUE") || a.at("FOREIGN") || a.at("CHECK")
                    || a.at("EXCLUDE")) {
                addConstraint(table, line, a);
            } else {
                addColumn(table, line, a);
            }
        } else if (a.accept("DROP")) {
            if (a.accept("CONSTRAINT")) {
                boolean ifExists = a.accept("IF", "EXISTS");
                String name = a.name();
                if (name != null) out.add(new Change.DropConstraint(line, index, table, name, ifExists));
                return;
            }
            a.accept("COLUMN");
            boolean ifExists = a.accept("IF", "EXISTS");
            String col = a.name();
            if (col != null) out.add(new Change.DropColumn(line, index, table, col, ifExists));
        } else if (a.accept("ALTER")) {
            a.accept("COLUMN");
            String col = a.name();
            if (col == null) return;
            if (a.accept("SET", "DATA", "TYPE") || a.accept("TYPE")) {
                List<Token> type = a.until("COLLATE", "USING");
                String using = null;
                if (a.accept("COLLATE")) a.next();
                if (a.accept("USING")) {
                    List<Token> rest = new ArrayList<>();
                    while (!a.done()) rest.add(a.next());
                    using = current.source(rest);
                }
                out.add(new Change.AlterColumnType(line, index, table, col, current.source(type), using));
            } else if (a.accept("SET", "NOT", "NULL")) {
                out.add(new Change.SetNotNull(line, index, table, col));
            } else if (a.accept("DROP", "NOT", "NULL")) {
                out.add(new Change.DropNotNull(line, index, table, col));
            }
        }
    }

    private void addColumn(Name table, int line, Cursor a) {
        a.accept("COLUMN");
        boolean ifNotExists = a.accept("IF", "NOT", "EXISTS");
        String col = a.name();
        if (col == null) return;
        List<Token> typeTokens = a.until(COLUMN_CONSTRAINT);
        String type = current.source(typeTokens);
        boolean filled = !typeTokens.isEmpty() && SERIAL.contains(typeTokens.get(0).text().toLowerCase(Locale.ROOT));
        boolean notNull = false;
        boolean unique = false;
        boolean primaryKey = false;
        String defaultSql = null;
        while (!a.done()) {
            if (a.accept("NOT", "NULL")) {
                notNull = true;
            } else if (a.accept("DEFAULT")) {
                List<Token> d = a.until(COLUMN_CONSTRAINT);
                defaultSql = d.size() == 1 && d.get(0).is("NULL") ? null : current.source(d);
            } else if (a.accept("GENERATED")) {
                filled = true;
            } else if (a.accept("PRIMARY", "KEY")) {
                notNull = true;
                primaryKey = true;
            } else if (a.accept("UNIQUE")) {
                unique = true;
            } else if (a.peek().type() == Token.Type.LPAREN) {
                a.skipParens();
            } else {
                a.next();
            }
        }
        out.add(new Change.AddColumn(line, index, table, col, type, notNull, defaultSql, filled, ifNotExists));
        if (unique || primaryKey) {
            out.add(new Change.AddUnique(line, index, table, null, List.of(Name.quote(col)), List.of(col), primaryKey,
                    false, null));
        }
    }

    private void addConstraint(Name table, int line, Cursor a) {
        String name = a.accept("CONSTRAINT") ? a.name() : null;
        if (name != null) out.add(new Change.AddConstraint(line, index, table, name));
        if (a.at("PRIMARY") || a.at("UNIQUE")) {
            boolean pk = a.accept("PRIMARY", "KEY");
            if (!pk) a.accept("UNIQUE");
            boolean nullsNotDistinct = a.accept("NULLS", "NOT", "DISTINCT");
            a.accept("NULLS", "DISTINCT");
            if (a.at("USING", "INDEX")) return; // an index that already exists and is already unique
            List<Token> cols = a.parens();
            if (cols == null) return;
            List<String> columns = new ArrayList<>();
            for (List<Token> part : split(cols)) columns.add(part.get(0).identifier());
            out.add(new Change.AddUnique(line, index, table, name, columns.stream().map(Name::quote).toList(),
                    List.copyOf(columns), pk, nullsNotDistinct, null));
        } else if (a.accept("FOREIGN", "KEY")) {
            List<Token> cols = a.parens();
            if (cols == null || !a.accept("REFERENCES")) return;
            Name ref = a.qualifiedName();
            List<Token> refCols = a.parens();
            List<String> columns = new ArrayList<>();
            for (List<Token> part : split(cols)) columns.add(part.get(0).identifier());
            List<String> referenced = new ArrayList<>();
            if (refCols != null) {
                for (List<Token> part : split(refCols)) referenced.add(part.get(0).identifier());
            }
            boolean notValid = a.containsSequence("NOT", "VALID");
            out.add(new Change.AddForeignKey(line, index, table, name, List.copyOf(columns), ref,
                    List.copyOf(referenced), notValid));
        }
    }

    private void drop(Cursor c) {
        c.next();
        if (c.accept("TABLE")) {
            boolean ifExists = c.accept("IF", "EXISTS");
            for (List<Token> part : c.restByTopLevelCommas()) {
                Name t = new Cursor(part).qualifiedName();
                if (t != null) out.add(new Change.DropTable(line(), index, t, ifExists));
            }
        } else if (c.accept("INDEX")) {
            boolean concurrently = c.accept("CONCURRENTLY");
            boolean ifExists = c.accept("IF", "EXISTS");
            List<Name> names = new ArrayList<>();
            for (List<Token> part : c.restByTopLevelCommas()) {
                Name n = new Cursor(part).qualifiedName();
                if (n != null) names.add(n);
            }
            if (!names.isEmpty()) out.add(new Change.DropIndex(line(), index, List.copyOf(names), concurrently, ifExists));
        } else if (c.accept("TYPE")) {
            boolean ifExists = c.accept("IF", "EXISTS");
            List<Name> names = new ArrayList<>();
            for (List<Token> part : c.restByTopLevelCommas()) {
                Name n = new Cursor(part).qualifiedName();
                if (n != null) names.add(n);
            }
            if (!names.isEmpty()) out.add(new Change.DropType(line(), index, List.copyOf(names), ifExists));
        } else if (c.accept("SCHEMA")) {
            boolean ifExists = c.accept("IF", "EXISTS");
            String s = c.name();
            if (s != null) out.add(new Change.DropSchema(line(), index, s, ifExists));
        }
    }

    private void truncate(Cursor c) {
        c.next();
        c.accept("TABLE");
        for (List<Token> part : c.restByTopLevelCommas()) {
            Cursor p = new Cursor(part);
            p.accept("ONLY");
            Name t = p.qualifiedName();
            if (t != null) out.add(new Change.WritesRows(line(), index, t, "TRUNCATE", true));
        }
    }

    private void dml() {
        List<Token> ts = current.tokens();
        int depth = 0;
        for (int k = 0; k < ts.size(); k++) {
            Token t = ts.get(k);
            if (t.type() == Token.Type.LPAREN) depth++;
            else if (t.type() == Token.Type.RPAREN) depth--;
            else if (depth == 0 && (t.is("UPDATE") || t.is("DELETE") || t.is("INSERT") || t.is("MERGE"))) {
                Cursor v = new Cursor(ts.subList(k + 1, ts.size()));
                v.accept("FROM");
                v.accept("INTO");
                v.accept("ONLY");
                Name table = v.qualifiedName();
                if (table == null) return;
                String verb = t.text().toUpperCase(Locale.ROOT);
                boolean every = (verb.equals("UPDATE") || verb.equals("DELETE")) && !v.containsTopLevel("WHERE");
                out.add(new Change.WritesRows(line(), index, table, verb, every));
                return;
            } else if (depth == 0 && t.is("SELECT") && k == 0) {
                return;
            }
        }
    }
}
