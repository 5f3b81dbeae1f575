package dev.gantry.prismagate.sql;


import java.util.ArrayList;
import java.util.List;

/** Reads a statement's tokens left to right: keywords, (qualified) names, balanced parentheses. */
public final class Cursor {
    private final List<Token> ts;
    private int i;

    public Cursor(List<Token> tokens) {
        this.ts = tokens;
    }

    public boolean done() {
        return i >= ts.size();
    }

    public Token peek() {
        return peek(0);
    }

    public Token peek(int k) {
        return i + k < ts.size() ? ts.get(i + k) : null;
    }

    public int position() {
        return i;
    }

    public Token next() {
        return i < ts.size() ? ts.get(i++) : null;
    }

    /** Whether the next tokens are these keywords, in order. */
    public boolean at(String... keywords) {
        for (int k = 0; k < keywords.length; k++) {
            Token t = peek(k);
            if (t == null || !t.is(keywords[k])) return false;
        }
        return true;
    }

    /** Consumes the keywords if they come next. */
    public boolean accept(String... keywords) {
        if (!at(keywords)) return false;
        i += keywords.length;
        return true;
    }

    /** A possibly qualified name ({@code a}, {@code "S"."T"}); returns its last part, or null if none comes next. */
    public String name() {
        Token t = peek();
        if (t == null || !t.isIdentifier()) return null;
        String last = t.identifier();
        i++;
        while (peek() != null && peek().type() == Token.Type.DOT && peek(1) != null && peek(1).isIdentifier()) {
            last = peek(1).identifier();
            i += 2;
        }
        return last;
    }

    /** A possibly qualified name ({@code a}, {@code "S"."T"}, {@code db.s.t} keeps the last two parts), or null. */
    public Name qualifiedName() {
        Token t = peek();
        if (t == null || !t.isIdentifier()) return null;
        String schema = null;
        String last = t.identifier();
        i++;
        while (peek() != null && peek().type() == Token.Type.DOT && peek(1) != null && peek(1).isIdentifier()) {
            schema = last;
            last = peek(1).identifier();
            i += 2;
        }
        return new Name(schema, last);
    }

    /** The tokens of a balanced parenthesised group that comes next, without the outer parentheses; null if none. */
    public List<Token> parens() {
        if (peek() == null || peek().type() != Token.Type.LPAREN) return null;
        int from = i + 1;
        skipParens();
        return ts.subList(from, Math.max(from, i - 1));
    }

    /** The tokens from here up to (not including) the first top-level one that is any of the keywords. */
    public List<Token> until(String... keywords) {
        int from = i;
        int depth = 0;
        while (!done()) {
            Token t = peek();
            if (t.type() == Token.Type.LPAREN) depth++;
            else if (t.type() == Token.Type.RPAREN) depth--;
            else if (depth == 0) {
                for (String k : keywords) {
                    if (t.is(k)) return ts.subList(from, i);
                }
            }
            i++;
        }
        return ts.subList(from, i);
    }

    /** Skips a balanced parenthesised group if one comes next. */
    public void skipParens() {
        if (peek() == null || peek().type() != Token.Type.LPAREN) return;
        int depth = 0;
        while (!done()) {
            Token t = next();
            if (t.type() == Token.Type.LPAREN) depth++;
            else if (t.type() == Token.Type.RPAREN && --depth == 0) return;
        }
    }

    /** The remaining tokens split at commas outside parentheses. */
    public List<List<Token>> restByTopLevelCommas() {
        List<List<Token>> parts = new ArrayList<>();
        List<Token> cur = new ArrayList<>();
        int depth = 0;
        while (!done()) {
            Token t = next();
            if (t.type() == Token.Type.LPAREN) depth++;
            if (t.type() == Token.Type.RPAREN) depth--;
            if (t.type() == Token.Type.COMMA && depth == 0) {
                if (!cur.isEmpty()) parts.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(t);
            }
        }
        if (!cur.isEmpty()) parts.add(cur);
        return parts;
    }

    /** Whether a keyword occurs in the remaining tokens outside parentheses. */
    public boolean containsTopLevel(String keyword) {
        int depth = 0;
        for (int k = i; k < ts.size(); k++) {
            Token t = ts.get(k);
            if (t.type() == Token.Type.LPAREN) depth++;
            else if (t.type() == Token.Type.RPAREN) depth--;
            else if (depth == 0 && t.is(keyword)) return true;
        }
        return false;
    }

    public boolean containsWord(String keyword) {
        for (int k = i; k < ts.size(); k++) {
            if (ts.get(k).is(keyword)) return true;
        }
        return false;
    }

    /** Whether the keywords occur consecutively somewhere in the remaining tokens. */
    public boolean containsSequence(String... keywords) {
        outer:
        for (int k = i; k + keywords.length <= ts.size(); k++) {
            for (int j = 0; j < keywords.length; j++) {
                if (!ts.get(k + j).is(keywords[j])) continue outer;
            }
            return true;
        }
        return false;
    }
}
