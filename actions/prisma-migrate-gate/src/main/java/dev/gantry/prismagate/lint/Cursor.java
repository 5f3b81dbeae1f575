package dev.gantry.prismagate.lint;

import dev.gantry.prismagate.sql.Token;

import java.util.ArrayList;
import java.util.List;

/** Reads a statement's tokens left to right: keywords, (qualified) names, balanced parentheses. */
final class Cursor {
    private final List<Token> ts;
    private int i;

    Cursor(List<Token> tokens) {
        this.ts = tokens;
    }

    boolean done() {
        return i >= ts.size();
    }

    Token peek() {
        return peek(0);
    }

    Token peek(int k) {
        return i + k < ts.size() ? ts.get(i + k) : null;
    }

    int position() {
        return i;
    }

    Token next() {
        return i < ts.size() ? ts.get(i++) : null;
    }

    /** Whether the next tokens are these keywords, in order. */
    boolean at(String... keywords) {
        for (int k = 0; k < keywords.length; k++) {
            Token t = peek(k);
            if (t == null || !t.is(keywords[k])) return false;
        }
        return true;
    }

    /** Consumes the keywords if they come next. */
    boolean accept(String... keywords) {
        if (!at(keywords)) return false;
        i += keywords.length;
        return true;
    }

    /** A possibly qualified name ({@code a}, {@code "S"."T"}); returns its last part, or null if none comes next. */
    String name() {
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

    /** Skips a balanced parenthesised group if one comes next. */
    void skipParens() {
        if (peek() == null || peek().type() != Token.Type.LPAREN) return;
        int depth = 0;
        while (!done()) {
            Token t = next();
            if (t.type() == Token.Type.LPAREN) depth++;
            else if (t.type() == Token.Type.RPAREN && --depth == 0) return;
        }
    }

    /** The remaining tokens split at commas outside parentheses. */
    List<List<Token>> restByTopLevelCommas() {
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
    boolean containsTopLevel(String keyword) {
        int depth = 0;
        for (int k = i; k < ts.size(); k++) {
            Token t = ts.get(k);
            if (t.type() == Token.Type.LPAREN) depth++;
            else if (t.type() == Token.Type.RPAREN) depth--;
            else if (depth == 0 && t.is(keyword)) return true;
        }
        return false;
    }

    boolean containsWord(String keyword) {
        for (int k = i; k < ts.size(); k++) {
            if (ts.get(k).is(keyword)) return true;
        }
        return false;
    }

    /** Whether the keywords occur consecutively somewhere in the remaining tokens. */
    boolean containsSequence(String... keywords) {
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
