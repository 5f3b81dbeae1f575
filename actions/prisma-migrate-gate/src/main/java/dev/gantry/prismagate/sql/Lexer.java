package dev.gantry.prismagate.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL lexer that follows the server's lexical rules closely enough to split and classify migration
 * scripts: {@code --} and nested {@code /* *}{@code /} comments, {@code '...'} with {@code ''},
 * {@code E'...'} with backslash escapes, {@code B'}/{@code X'}/{@code N'}/{@code U&'} literals, {@code "..."}
 * identifiers with {@code ""}, dollar quotes {@code $tag$...$tag$} (a tag never starts with a digit: {@code $1}
 * is a parameter), and identifiers that contain {@code $}. It never fails: an unterminated literal or comment
 * runs to the end of the input, as the server would report it.
 */
public final class Lexer {
    private final String src;
    private int pos;
    private int line = 1;
    private final List<Token> out = new ArrayList<>();

    private Lexer(String src) {
        this.src = src;
    }

    public static List<Token> tokenize(String sql) {
        Lexer l = new Lexer(sql);
        l.run();
        return l.out;
    }

    private void run() {
        int n = src.length();
        while (pos < n) {
            char c = src.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c) || c == '\uFEFF') {
                pos++;
            } else if (c == '-' && peek(1) == '-') {
                int s = pos;
                while (pos < n && src.charAt(pos) != '\n') pos++;
                add(Token.Type.COMMENT, s, line);
            } else if (c == '/' && peek(1) == '*') {
                blockComment();
            } else if (c == '\'') {
                quoted(pos, pos, '\'', false, Token.Type.STRING);
            } else if ((c == 'E' || c == 'e') && peek(1) == '\'') {
                quoted(pos, pos + 1, '\'', true, Token.Type.STRING);
            } else if ((c == 'B' || c == 'b' || c == 'X' || c == 'x' || c == 'N' || c == 'n') && peek(1) == '\'') {
                quoted(pos, pos + 1, '\'', false, Token.Type.STRING);
            } else if ((c == 'U' || c == 'u') && peek(1) == '&' && (peek(2) == '\'' || peek(2) == '"')) {
                quoted(pos, pos + 2, peek(2), false, peek(2) == '\'' ? Token.Type.STRING : Token.Type.QUOTED_IDENT);
            } else if (c == '"') {
                quoted(pos, pos, '"', false, Token.Type.QUOTED_IDENT);
            } else if (c == '$') {
                dollar();
            } else if (isIdentStart(c)) {
                int s = pos;
                while (pos < n && isIdentPart(src.charAt(pos))) pos++;
                add(Token.Type.WORD, s, line);
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(peek(1)))) {
                number();
            } else {
                int s = pos++;
                Token.Type t = switch (c) {
                    case ';' -> Token.Type.SEMICOLON;
                    case '(' -> Token.Type.LPAREN;
                    case ')' -> Token.Type.RPAREN;
                    case ',' -> Token.Type.COMMA;
                    case '.' -> Token.Type.DOT;
                    default -> Token.Type.OPERATOR;
                };
                if (c == ':' && peek(0) == ':') pos++;
                add(t, s, line);
            }
        }
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < src.length() ? src.charAt(i) : '\0';
    }

    private void add(Token.Type type, int start, int startLine) {
        out.add(new Token(type, src.substring(start, pos), start, pos, startLine));
    }

    private void blockComment() {
        int s = pos;
        int startLine = line;
        int depth = 0;
        int n = src.length();
        while (pos < n) {
            char c = src.charAt(pos);
            if (c == '/' && peek(1) == '*') {
                depth++;
                pos += 2;
            } else if (c == '*' && peek(1) == '/') {
                depth--;
                pos += 2;
                if (depth == 0) break;
            } else {
                if (c == '\n') line++;
                pos++;
            }
        }
        add(Token.Type.COMMENT, s, startLine);
    }

    /** A literal or quoted identifier opening at {@code quoteAt}; a doubled quote is an escaped quote. */
    private void quoted(int start, int quoteAt, char quote, boolean backslashEscapes, Token.Type type) {
        int startLine = line;
        pos = quoteAt + 1;
        int n = src.length();
        while (pos < n) {
            char c = src.charAt(pos);
            if (c == '\n') line++;
            if (backslashEscapes && c == '\\') {
                if (peek(1) == '\n') line++;
                pos += 2;
                continue;
            }
            if (c == quote) {
                if (peek(1) == quote) {
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            pos++;
        }
        pos = Math.min(pos, n);
        add(type, start, startLine);
    }

    private void dollar() {
        int s = pos;
        int n = src.length();
        if (Character.isDigit(peek(1))) {
            pos++;
            while (pos < n && Character.isDigit(src.charAt(pos))) pos++;
            add(Token.Type.PARAM, s, line);
            return;
        }
        int i = pos + 1;
        if (i < n && isIdentStart(src.charAt(i))) {
            while (i < n && isIdentPart(src.charAt(i)) && src.charAt(i) != '$') i++;
        }
        if (i < n && src.charAt(i) == '$') {
            String tag = src.substring(pos, i + 1);
            int startLine = line;
            int close = src.indexOf(tag, i + 1);
            int end = close < 0 ? n : close + tag.length();
            for (int k = pos; k < end; k++) {
                if (src.charAt(k) == '\n') line++;
            }
            pos = end;
            add(Token.Type.DOLLAR_STRING, s, startLine);
            return;
        }
        pos++;
        add(Token.Type.OPERATOR, s, line);
    }

    private void number() {
        int s = pos;
        int n = src.length();
        while (pos < n && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '.' || src.charAt(pos) == '_'
                || ((src.charAt(pos) == '+' || src.charAt(pos) == '-')
                && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E')))) {
            if (src.charAt(pos) == '.' && peek(1) == '.') break;
            pos++;
        }
        add(Token.Type.NUMBER, s, line);
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_' || c >= 0x80;
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || Character.isDigit(c) || c == '$';
    }
}
