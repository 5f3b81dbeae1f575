package dev.gantry.prismagate.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * One SQL statement of a script: its tokens without comments, the comments written just before it (where
 * suppression directives live), and where it sits in the file.
 */
public record Statement(List<Token> tokens, List<Token> leadingComments, String text, int startLine, int endLine) {

    /**
     * Splits a script into statements at top-level semicolons, the way the server's scanner does: semicolons in
     * literals, comments, dollar quotes and parentheses do not count, nor those inside a SQL-standard
     * {@code BEGIN ATOMIC ... END} function body.
     */
    public static List<Statement> split(String sql) {
        List<Token> all = Lexer.tokenize(sql);
        List<Statement> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        List<Token> comments = new ArrayList<>();
        int depth = 0;
        int atomicDepth = 0;
        for (int i = 0; i < all.size(); i++) {
            Token t = all.get(i);
            if (t.type() == Token.Type.COMMENT) {
                if (current.isEmpty()) comments.add(t);
                continue;
            }
            if (t.type() == Token.Type.SEMICOLON && depth == 0 && atomicDepth == 0) {
                if (!current.isEmpty()) out.add(of(sql, current, comments));
                current = new ArrayList<>();
                comments = new ArrayList<>();
                continue;
            }
            switch (t.type()) {
                case LPAREN -> depth++;
                case RPAREN -> depth = Math.max(0, depth - 1);
                default -> {
                }
            }
            if (t.type() != Token.Type.WORD) {
                // only words open or close a BEGIN ATOMIC body
            } else if (t.is("ATOMIC") && !current.isEmpty() && current.get(current.size() - 1).is("BEGIN")
                    && startsRoutine(current)) {
                atomicDepth = 1;
            } else if (atomicDepth > 0 && (t.is("CASE") || (t.is("BEGIN") && !next(all, i).is("ATOMIC")))) {
                atomicDepth++;
            } else if (atomicDepth > 0 && t.is("END")) {
                atomicDepth--;
            }
            current.add(t);
        }
        if (!current.isEmpty()) out.add(of(sql, current, comments));
        return out;
    }

    private static Token next(List<Token> all, int i) {
        for (int k = i + 1; k < all.size(); k++) {
            if (all.get(k).type() != Token.Type.COMMENT) return all.get(k);
        }
        return new Token(Token.Type.SEMICOLON, ";", 0, 0, 0);
    }

    private static boolean startsRoutine(List<Token> ts) {
        if (ts.isEmpty() || !ts.get(0).is("CREATE")) return false;
        for (int i = 1; i < Math.min(ts.size(), 5); i++) {
            if (ts.get(i).is("FUNCTION") || ts.get(i).is("PROCEDURE")) return true;
        }
        return false;
    }

    private static Statement of(String sql, List<Token> tokens, List<Token> comments) {
        Token first = tokens.get(0);
        Token last = tokens.get(tokens.size() - 1);
        int endLine = last.line();
        for (int k = last.start(); k < last.end(); k++) {
            if (sql.charAt(k) == '\n') endLine++;
        }
        return new Statement(List.copyOf(tokens), List.copyOf(comments), sql.substring(first.start(), last.end()),
                first.line(), endLine);
    }

    public Token token(int i) {
        return i < tokens.size() ? tokens.get(i) : null;
    }

    /** The source text from token {@code from} to token {@code to}, both included (tokens of this statement). */
    public String source(Token from, Token to) {
        int base = tokens.get(0).start();
        return text.substring(from.start() - base, to.end() - base);
    }

    /** The source text of consecutive tokens of this statement, or "" for none. */
    public String source(List<Token> range) {
        return range.isEmpty() ? "" : source(range.get(0), range.get(range.size() - 1));
    }

    /** The first keyword, upper case. */
    public String keyword() {
        return tokens.get(0).type() == Token.Type.WORD ? tokens.get(0).text().toUpperCase(java.util.Locale.ROOT) : "";
    }
}
