package dev.gantry.prismagate.lint;

import dev.gantry.prismagate.sql.Cursor;
import dev.gantry.prismagate.sql.Statement;
import dev.gantry.prismagate.sql.Token;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lints the migrations of one history in order. It keeps a small model of what earlier migrations built (enum
 * values, which table an index belongs to) so that it can tell, for example, that a recreated enum lost values.
 * Statements on a table created earlier in the same migration are exempt: nobody uses that table yet.
 *
 * <p>Suppression: a comment {@code -- gantry-ignore: rule-a, rule-b} right before a statement silences those
 * rules for it; {@code -- gantry-ignore-file: rule-a} anywhere silences them for the whole file.
 */
public final class MigrationLinter {
    private static final Pattern IGNORE = Pattern.compile("gantry-ignore(-file)?\\s*:?\\s*([a-z0-9 ,-]*)");
    private static final Set<String> SERIAL_TYPES = Set.of("serial", "serial2", "serial4", "serial8", "smallserial",
            "bigserial");

    private final Map<String, List<String>> enums = new HashMap<>();
    private final Map<String, String> indexTable = new HashMap<>();

    /** What the linter found in one migration file. */
    public record Result(List<Finding> findings, int statements, boolean transactionControl, int opaqueBlocks,
                         boolean nonTransactional) {
    }

    /**
     * Whether a {@code gantry-ignore} comment silences {@code rule} for the statement at {@code line} (or a
     * {@code gantry-ignore-file} comment for the whole file): for findings made outside the linter (the data check).
     */
    public static boolean suppressed(List<Statement> statements, int line, String rule) {
        for (Statement s : statements) {
            boolean here = s.startLine() <= line && line <= s.endLine();
            for (Token c : s.leadingComments()) {
                Matcher m = IGNORE.matcher(c.text());
                if (!m.find()) continue;
                boolean file = m.group(1) != null;
                if ((file || here) && List.of(m.group(2).split("[ ,]+")).contains(rule)) return true;
            }
        }
        return false;
    }

    /** Lints one migration (the next in history order) and updates the model with its effects. */
    public Result lint(String sql) {
        return new Run(Statement.split(sql)).go();
    }

    /**
     * Lints a whole history, oldest first. Splitting into statements needs nothing but the script, so it runs
     * on every core; the rules then run in history order, since the model (enum values, index owners) carries
     * from one migration to the next. Same results as calling {@link #lint(String)} on each in turn.
     */
    public List<Result> lintAll(List<String> scripts) {
        List<List<Statement>> split = scripts.parallelStream().map(Statement::split).toList();
        List<Result> out = new ArrayList<>(split.size());
        for (List<Statement> statements : split) {
            out.add(new Run(statements).go());
        }
        return out;
    }

    private final class Run {
        private final List<Statement> statements;
        private final List<Finding> findings = new ArrayList<>();
        private final Set<String> createdTables = new HashSet<>();
        private final Set<String> createdIndexes = new HashSet<>();
        private final Set<String> createdTypes = new HashSet<>();
        private final Set<String> droppedTypes = new HashSet<>();
        private final Map<String, List<String>> enumsAtStart = new HashMap<>();
        private final Map<String, Integer> enumDefinedAt = new HashMap<>();
        private final Map<String, String> enumRenamedFrom = new HashMap<>();
        private final List<Object[]> typeRenames = new ArrayList<>();
        private final List<Statement> nonTx = new ArrayList<>();
        private final Set<String> fileIgnores = new HashSet<>();
        private Set<String> statementIgnores = Set.of();
        private Statement current;
        /** The line of the ALTER TABLE action being read (one statement can span many lines), else 0. */
        private int actionLine;
        /** Lines before a DO block's body, while its statements are linted; 0 outside. */
        private int lineOffset;
        /** The line of an {@code EXECUTE '...'} literal inside a DO block, while its SQL is linted; 0 outside. */
        private int dynamicLine;
        private boolean transactionControl;
        private int opaque;

        Run(List<Statement> statements) {
            this.statements = statements;
            enumsAtStart.putAll(enums); // value lists are never changed in place, only replaced
            for (Statement s : statements) {
                for (Token c : s.leadingComments()) {
                    Matcher m = IGNORE.matcher(c.text());
                    if (m.find() && m.group(1) != null) fileIgnores.addAll(ruleList(m.group(2)));
                }
            }
        }

        Result go() {
            for (Statement s : statements) {
                current = s;
                statementIgnores = new HashSet<>();
                for (Token c : s.leadingComments()) {
                    Matcher m = IGNORE.matcher(c.text());
                    if (m.find() && m.group(1) == null) statementIgnores.addAll(ruleList(m.group(2)));
                }
                try {
                    statement(new Cursor(s.tokens()));
                } catch (RuntimeException e) {
                    // A statement we cannot read is not ours to judge; the database will.
                }
            }
            finishEnums();
            // one found inside a DO block is not a top-level statement (the server refuses it there anyway);
            // compared by identity: two equal statements at different places are different statements
            nonTx.removeIf(st -> statements.stream().noneMatch(top -> top == st));
            for (Object[] r : typeRenames) {
                if (!droppedTypes.contains((String) r[1])) {
                    current = (Statement) r[2];
                    statementIgnores = Set.of();
                    add(Rule.RENAME_TYPE, "type " + r[0] + " is renamed to " + r[1]);
                }
            }
            if (statements.size() > 1) {
                for (Statement s : nonTx) {
                    current = s;
                    statementIgnores = Set.of();
                    add(Rule.NON_TRANSACTIONAL, "`" + firstWords(s) + "` in a file with " + statements.size()
                            + " statements");
                }
            }
            findings.sort((a, b) -> Integer.compare(a.line(), b.line()));
            return new Result(List.copyOf(findings), statements.size(), transactionControl, opaque, !nonTx.isEmpty());
        }

        private List<String> ruleList(String s) {
            List<String> out = new ArrayList<>();
            for (String p : s.split("[ ,]+")) {
                if (!p.isBlank()) out.add(p.trim());
            }
            return out;
        }

        private void add(Rule rule, String detail) {
            if (fileIgnores.contains(rule.id()) || statementIgnores.contains(rule.id())) return;
            int line = dynamicLine > 0 ? dynamicLine : actionLine > 0 ? actionLine : current.startLine();
            if (lineOffset > 0) {
                findings.add(new Finding(rule, line + lineOffset, line + lineOffset, detail + " (inside a DO block)"));
            } else {
                findings.add(new Finding(rule, line, current.endLine(), detail));
            }
        }

        /**
         * A {@code DO} block runs at migrate time, so the SQL statements in its PL/pgSQL body are linted too:
         * statements after {@code BEGIN}/{@code THEN}/{@code ELSE}/{@code LOOP}, and {@code EXECUTE '...'} with a
         * literal. What depends on variables or control flow stays unseen (counted as opaque).
         */
        private void doBlock(Cursor c) {
            Statement outer = current;
            Token body = null;
            while (!c.done()) {
                Token t = c.next();
                if (t.type() == Token.Type.DOLLAR_STRING || t.type() == Token.Type.STRING) {
                    body = t;
                    break;
                }
            }
            if (body == null || lineOffset > 0) {
                opaque++;
                return;
            }
            String text;
            if (body.type() == Token.Type.DOLLAR_STRING) {
                int tagEnd = body.text().indexOf('$', 1) + 1;
                text = body.text().substring(tagEnd, Math.max(tagEnd, body.text().length() - tagEnd));
            } else {
                text = body.stringValue();
            }
            boolean understood = true;
            lineOffset = body.line() - 1;
            try {
                for (Statement inner : Statement.split(text)) {
                    List<Token> ts = inner.tokens();
                    int k = plpgsqlStart(ts);
                    if (k < 0) continue;
                    if (k >= ts.size()) {
                        understood = false;
                        continue;
                    }
                    if (ts.get(k).is("EXECUTE") && k + 1 < ts.size() && ts.get(k + 1).type() == Token.Type.STRING
                            && (k + 2 == ts.size() || ts.get(k + 2).type() == Token.Type.SEMICOLON)) {
                        int at = ts.get(k + 1).line();
                        for (Statement dyn : Statement.split(ts.get(k + 1).stringValue())) {
                            current = new Statement(dyn.tokens(), List.of(), dyn.text(), at, at);
                            dynamicLine = at;
                            try {
                                lintInner(new Cursor(dyn.tokens()));
                            } finally {
                                dynamicLine = 0;
                            }
                        }
                        continue;
                    }
                    if (ts.get(k).is("EXECUTE") || ts.get(k).is("PERFORM") || ts.get(k).is("RAISE")) {
                        understood &= !ts.get(k).is("EXECUTE");
                        continue;
                    }
                    List<Token> rest = ts.subList(k, ts.size());
                    current = new Statement(rest, List.of(), inner.text(), rest.get(0).line(),
                            rest.get(rest.size() - 1).line());
                    lintInner(new Cursor(rest));
                }
            } finally {
                lineOffset = 0;
                current = outer;
            }
            if (!understood) opaque++;
        }

        private void lintInner(Cursor c) {
            try {
                statement(c);
            } catch (RuntimeException e) {
                // not SQL we can read
            }
        }

        /**
         * Where the SQL statement starts in one {@code ;}-separated piece of a PL/pgSQL body: after leading
         * {@code BEGIN}, {@code DECLARE …}, {@code IF … THEN}, {@code ELSE}, {@code LOOP}, {@code EXCEPTION WHEN …
         * THEN}; -1 for pieces with no statement ({@code END IF}, assignments).
         */
        private int plpgsqlStart(List<Token> ts) {
            int k = 0;
            while (k < ts.size()) {
                Token t = ts.get(k);
                if (t.is("BEGIN") || t.is("ELSE") || t.is("LOOP") || t.is("DECLARE")) {
                    k++;
                } else if (t.is("IF") || t.is("ELSIF") || t.is("WHEN") || t.is("EXCEPTION") || t.is("WHILE")
                        || t.is("FOR")) {
                    int depth = 0;
                    int j = k;
                    for (; j < ts.size(); j++) {
                        Token u = ts.get(j);
                        if (u.type() == Token.Type.LPAREN) depth++;
                        else if (u.type() == Token.Type.RPAREN) depth--;
                        else if (depth == 0 && (u.is("THEN") || u.is("LOOP"))) break;
                    }
                    k = j + 1;
                } else if (t.is("END") || t.is("RETURN") || t.is("NULL")) {
                    return -1;
                } else if (k + 1 < ts.size() && ts.get(k + 1).type() == Token.Type.OPERATOR
                        && ts.get(k + 1).text().equals(":")) {
                    return -1; // assignment  x := ...
                } else {
                    return k;
                }
            }
            return -1;
        }

        private boolean existing(String table) {
            return table != null && !createdTables.contains(table);
        }

        private void statement(Cursor c) {
            Token first = c.peek();
            if (first == null || first.type() != Token.Type.WORD) return;
            switch (first.text().toUpperCase(Locale.ROOT)) {
                case "CREATE" -> create(c);
                case "ALTER" -> alter(c);
                case "DROP" -> drop(c);
                case "TRUNCATE" -> truncate(c);
                case "UPDATE", "DELETE", "WITH" -> dml(c);
                case "BEGIN", "START", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE" -> transactionControl = true;
                case "DO" -> doBlock(c);
                case "VACUUM" -> nonTx.add(current);
                case "REINDEX" -> {
                    if (c.containsWord("CONCURRENTLY")) nonTx.add(current);
                }
                default -> {
                }
            }
        }

        private void create(Cursor c) {
            c.next();
            c.accept("OR", "REPLACE");
            if (!c.accept("GLOBAL")) c.accept("LOCAL");
            c.accept("TEMPORARY");
            c.accept("TEMP");
            c.accept("UNLOGGED");
            if (c.accept("TABLE")) {
                c.accept("IF", "NOT", "EXISTS");
                String t = c.name();
                if (t != null) createdTables.add(t);
            } else if (c.at("UNIQUE", "INDEX") || c.at("INDEX")) {
                boolean unique = c.accept("UNIQUE");
                c.next();
                boolean concurrently = c.accept("CONCURRENTLY");
                c.accept("IF", "NOT", "EXISTS");
                String index = c.at("ON") ? null : c.name();
                c.accept("ON");
                c.accept("ONLY");
                String table = c.name();
                if (index != null) {
                    createdIndexes.add(index);
                    if (table != null) indexTable.put(index, table);
                }
                if (concurrently) {
                    nonTx.add(current);
                } else if (existing(table)) {
                    String what = (index == null ? "an index" : "index " + index) + " on " + table;
                    if (unique) add(Rule.UNIQUE_CONSTRAINT, "CREATE UNIQUE INDEX without CONCURRENTLY: " + what);
                    else add(Rule.NON_CONCURRENT_INDEX, "CREATE INDEX without CONCURRENTLY: " + what);
                }
            } else if (c.accept("TYPE")) {
                String type = c.name();
                if (type != null && c.accept("AS", "ENUM")) {
                    List<String> values = new ArrayList<>();
                    while (!c.done()) {
                        Token t = c.next();
                        if (t.type() == Token.Type.STRING) values.add(t.stringValue());
                    }
                    enums.put(type, values);
                    enumDefinedAt.put(type, current.startLine());
                }
                if (type != null) createdTypes.add(type);
            } else if (c.accept("DATABASE") || c.accept("TABLESPACE")) {
                nonTx.add(current);
            }
        }

        private void alter(Cursor c) {
            c.next();
            if (c.accept("TABLE")) {
                alterTable(c);
            } else if (c.accept("TYPE")) {
                alterType(c);
            } else if (c.accept("SYSTEM")) {
                nonTx.add(current);
            } else if (c.accept("INDEX")) {
                c.accept("IF", "EXISTS");
                String index = c.name();
                if (index != null && c.accept("RENAME", "TO")) {
                    String to = c.name();
                    if (to != null && indexTable.containsKey(index)) indexTable.put(to, indexTable.remove(index));
                    if (to != null && createdIndexes.remove(index)) createdIndexes.add(to);
                }
            }
        }

        private void alterTable(Cursor c) {
            c.accept("IF", "EXISTS");
            c.accept("ONLY");
            String table = c.name();
            if (table == null) return;
            if (c.peek() != null && c.peek().text().equals("*")) c.next();
            if (c.accept("RENAME")) {
                if (c.accept("TO")) {
                    String to = c.name();
                    if (existing(table)) add(Rule.RENAME_TABLE, "table " + table + " is renamed to " + to);
                    else if (to != null) createdTables.add(to);
                    return;
                }
                if (c.accept("CONSTRAINT")) return;
                c.accept("COLUMN");
                String col = c.name();
                c.accept("TO");
                String to = c.name();
                if (existing(table)) add(Rule.RENAME_COLUMN, "column " + table + "." + col + " is renamed to " + to);
                return;
            }
            try {
                for (List<Token> action : c.restByTopLevelCommas()) {
                    actionLine = action.get(0).line();
                    alterTableAction(table, new Cursor(action));
                }
            } finally {
                actionLine = 0;
            }
        }

        private void alterTableAction(String table, Cursor a) {
            boolean existing = existing(table);
            if (a.accept("ADD")) {
                if (a.at("CONSTRAINT") || a.at("PRIMARY") || a.at("UNIQUE") || a.at("FOREIGN") || a.at("CHECK")
                        || a.at("EXCLUDE")) {
                    String name = null;
                    if (a.accept("CONSTRAINT")) name = a.name();
                    String what = name == null ? "" : " " + name;
                    if (a.at("PRIMARY") || a.at("UNIQUE") || a.at("EXCLUDE")) {
                        String kind = a.at("PRIMARY") ? "PRIMARY KEY" : a.at("UNIQUE") ? "UNIQUE" : "EXCLUDE";
                        boolean usingIndex = !kind.equals("EXCLUDE") && a.containsSequence("USING", "INDEX")
                                && !a.containsSequence("USING", "INDEX", "TABLESPACE");
                        if (existing && !usingIndex) {
                            add(Rule.UNIQUE_CONSTRAINT, "ADD " + kind + what + " on " + table + " builds its index"
                                    + " under an ACCESS EXCLUSIVE lock");
                        }
                    } else if (a.at("FOREIGN") || a.at("CHECK")) {
                        String kind = a.at("FOREIGN") ? "FOREIGN KEY" : "CHECK";
                        if (existing && !a.containsWord("VALID")) {
                            add(Rule.CONSTRAINT_NOT_VALID, "ADD " + kind + what + " on " + table + " without NOT VALID");
                        }
                    }
                    return;
                }
                a.accept("COLUMN");
                a.accept("IF", "NOT", "EXISTS");
                String col = a.name();
                if (col == null || !existing) return;
                Token typeToken = a.peek();
                String type = typeToken == null ? "" : typeToken.identifier().toLowerCase(Locale.ROOT);
                boolean notNull = false;
                boolean hasDefault = false;
                boolean unique = false;
                boolean generated = false;
                while (!a.done()) {
                    if (a.accept("NOT", "NULL")) notNull = true;
                    else if (a.accept("DEFAULT")) hasDefault = true;
                    else if (a.accept("GENERATED")) generated = true;
                    else if (a.accept("PRIMARY", "KEY")) {
                        notNull = true;
                        unique = true;
                    } else if (a.accept("UNIQUE")) unique = true;
                    else if (a.peek().type() == Token.Type.LPAREN) a.skipParens();
                    else a.next();
                }
                if (notNull && !hasDefault && !generated && !SERIAL_TYPES.contains(type)) {
                    add(Rule.ADD_REQUIRED_COLUMN, "column " + table + "." + col + " is added NOT NULL without a default");
                }
                if (unique) {
                    add(Rule.UNIQUE_CONSTRAINT, "column " + table + "." + col + " is added with a unique index");
                }
            } else if (a.accept("DROP")) {
                if (a.accept("CONSTRAINT")) return;
                a.accept("COLUMN");
                a.accept("IF", "EXISTS");
                String col = a.name();
                if (col != null && existing) add(Rule.DROP_COLUMN, "column " + table + "." + col + " is dropped");
            } else if (a.accept("ALTER")) {
                a.accept("COLUMN");
                String col = a.name();
                if (col == null || !existing) return;
                if (a.accept("SET", "DATA", "TYPE") || a.accept("TYPE")) {
                    Token t = a.peek();
                    add(Rule.COLUMN_TYPE_CHANGE, "column " + table + "." + col + " changes type"
                            + (t == null ? "" : " to " + t.identifier()));
                } else if (a.accept("SET", "NOT", "NULL")) {
                    add(Rule.SET_NOT_NULL, "column " + table + "." + col + " is made NOT NULL");
                }
            } else if (a.accept("DETACH", "PARTITION")) {
                if (a.containsWord("CONCURRENTLY")) nonTx.add(current);
            }
        }

        private void alterType(Cursor c) {
            String type = c.name();
            if (type == null) return;
            if (c.accept("ADD", "VALUE")) {
                c.accept("IF", "NOT", "EXISTS");
                Token v = c.next();
                List<String> values = enums.get(type);
                if (v != null && v.type() == Token.Type.STRING && values != null && !values.contains(v.stringValue())) {
                    values = new ArrayList<>(values);
                    if (c.at("BEFORE") || c.at("AFTER")) {
                        boolean before = c.accept("BEFORE");
                        c.accept("AFTER");
                        Token ref = c.next();
                        int at = ref == null ? -1 : values.indexOf(ref.stringValue());
                        if (at < 0) values.add(v.stringValue());
                        else values.add(before ? at : at + 1, v.stringValue());
                    } else {
                        values.add(v.stringValue());
                    }
                    enums.put(type, values);
                }
            } else if (c.accept("RENAME", "VALUE")) {
                Token from = c.next();
                c.accept("TO");
                Token to = c.next();
                if (from == null || to == null) return;
                if (!createdTypes.contains(type)) {
                    add(Rule.ENUM_VALUE_RENAMED, "enum " + type + ": value '" + from.stringValue() + "' is renamed to '"
                            + to.stringValue() + "'");
                }
                List<String> values = enums.get(type);
                if (values != null) {
                    values = new ArrayList<>(values);
                    int at = values.indexOf(from.stringValue());
                    if (at >= 0) values.set(at, to.stringValue());
                    enums.put(type, values);
                    // a renamed value is not a removed one
                    List<String> start = enumsAtStart.get(type);
                    if (start != null && start.contains(from.stringValue())) {
                        List<String> s = new ArrayList<>(start);
                        s.set(s.indexOf(from.stringValue()), to.stringValue());
                        enumsAtStart.put(type, s);
                    }
                }
            } else if (c.accept("RENAME", "TO")) {
                String to = c.name();
                if (to == null) return;
                if (enums.containsKey(type)) enums.put(to, enums.remove(type));
                if (enumDefinedAt.containsKey(type)) enumDefinedAt.put(to, enumDefinedAt.remove(type));
                enumRenamedFrom.put(to, enumRenamedFrom.getOrDefault(type, type));
                if (createdTypes.remove(type)) {
                    createdTypes.add(to);
                } else {
                    typeRenames.add(new Object[]{type, to, current});
                }
            }
        }

        private void drop(Cursor c) {
            c.next();
            if (c.accept("TABLE")) {
                c.accept("IF", "EXISTS");
                for (List<Token> part : c.restByTopLevelCommas()) {
                    String t = new Cursor(part).name();
                    if (existing(t)) add(Rule.DROP_TABLE, "table " + t + " is dropped");
                }
            } else if (c.accept("INDEX")) {
                boolean concurrently = c.accept("CONCURRENTLY");
                c.accept("IF", "EXISTS");
                for (List<Token> part : c.restByTopLevelCommas()) {
                    String index = new Cursor(part).name();
                    if (index == null) continue;
                    String table = indexTable.remove(index);
                    if (concurrently) {
                        nonTx.add(current);
                        break;
                    }
                    if (!createdIndexes.contains(index) && (table == null || existing(table))) {
                        add(Rule.NON_CONCURRENT_INDEX, "DROP INDEX without CONCURRENTLY: index " + index
                                + (table == null ? "" : " on " + table));
                    }
                }
            } else if (c.accept("TYPE")) {
                c.accept("IF", "EXISTS");
                for (List<Token> part : c.restByTopLevelCommas()) {
                    String type = new Cursor(part).name();
                    if (type == null) continue;
                    droppedTypes.add(type);
                    enums.remove(type);
                    enumDefinedAt.remove(type);
                }
            } else if (c.accept("SCHEMA")) {
                c.accept("IF", "EXISTS");
                add(Rule.DROP_SCHEMA, "schema " + c.name() + " is dropped");
            } else if (c.accept("DATABASE")) {
                c.accept("IF", "EXISTS");
                add(Rule.DROP_DATABASE, "database " + c.name() + " is dropped");
                nonTx.add(current);
            }
        }

        private void truncate(Cursor c) {
            c.next();
            c.accept("TABLE");
            List<String> tables = new ArrayList<>();
            for (List<Token> part : c.restByTopLevelCommas()) {
                Cursor p = new Cursor(part);
                p.accept("ONLY");
                String t = p.name();
                if (existing(t)) tables.add(t);
            }
            if (!tables.isEmpty()) add(Rule.TRUNCATE, "TRUNCATE " + String.join(", ", tables));
        }

        private void dml(Cursor c) {
            List<Token> ts = current.tokens();
            int depth = 0;
            int verbAt = -1;
            for (int k = 0; k < ts.size(); k++) {
                Token t = ts.get(k);
                if (t.type() == Token.Type.LPAREN) depth++;
                else if (t.type() == Token.Type.RPAREN) depth--;
                else if (depth == 0 && (t.is("UPDATE") || t.is("DELETE") || t.is("INSERT") || t.is("SELECT")
                        || t.is("MERGE"))) {
                    verbAt = k;
                    break;
                }
            }
            if (verbAt < 0) return;
            Token verb = ts.get(verbAt);
            if (!verb.is("UPDATE") && !verb.is("DELETE")) return;
            Cursor v = new Cursor(ts.subList(verbAt + 1, ts.size()));
            v.accept("FROM");
            v.accept("ONLY");
            String table = v.name();
            if (!existing(table) || v.containsTopLevel("WHERE")) return;
            if (verb.is("UPDATE")) add(Rule.UPDATE_WITHOUT_WHERE, "UPDATE " + table + " without WHERE changes every row");
            else add(Rule.DELETE_WITHOUT_WHERE, "DELETE FROM " + table + " without WHERE deletes every row");
        }

        /** An enum that existed before this migration and now lacks values: Prisma's drop-and-recreate pattern. */
        private void finishEnums() {
            // only an enum (re)created in this migration can have lost values by it
            for (Map.Entry<String, Integer> d : new ArrayList<>(enumDefinedAt.entrySet())) {
                List<String> before = enumsAtStart.get(d.getKey());
                List<String> now = enums.get(d.getKey());
                Integer definedAt = d.getValue();
                if (before == null || now == null) continue;
                List<String> removed = new ArrayList<>(before);
                removed.removeAll(now);
                if (removed.isEmpty()) continue;
                Statement def = statements.stream().filter(s -> s.startLine() == definedAt).findFirst().orElse(current);
                current = def;
                statementIgnores = Set.of();
                add(Rule.ENUM_VALUE_REMOVED, "enum " + d.getKey() + " is recreated without " + removed);
            }
        }

        private String firstWords(Statement s) {
            StringBuilder b = new StringBuilder();
            for (int k = 0; k < Math.min(4, s.tokens().size()); k++) {
                if (k > 0) b.append(' ');
                b.append(s.tokens().get(k).text());
            }
            return b.toString();
        }
    }
}
