package dev.gantry.prismagate.sql;

import java.util.Locale;

/**
 * One lexical token of PostgreSQL SQL, with its place in the source ({@code start}/{@code end} are char offsets,
 * {@code line} is 1-based).
 */
public record Token(Type type, String text, int start, int end, int line) {

    public enum Type {
        /** A bare word: keyword or unquoted identifier. */
        WORD,
        /** {@code "Quoted"} identifier (also {@code U&"..."}). */
        QUOTED_IDENT,
        /** {@code '...'}, {@code E'...'}, {@code B'...'}, {@code X'...'}, {@code U&'...'}. */
        STRING,
        /** {@code $tag$ ... $tag$}. */
        DOLLAR_STRING,
        NUMBER,
        /** {@code $1}. */
        PARAM,
        SEMICOLON,
        LPAREN,
        RPAREN,
        COMMA,
        DOT,
        OPERATOR,
        /** {@code -- ...} or {@code /* ... *}{@code /}. */
        COMMENT
    }

    /** Whether this is the bare word {@code keyword} (case-insensitive). Quoted identifiers are never keywords. */
    public boolean is(String keyword) {
        return type == Type.WORD && text.equalsIgnoreCase(keyword);
    }

    public boolean isIdentifier() {
        return type == Type.WORD || type == Type.QUOTED_IDENT;
    }

    /**
     * The name this token stands for, as PostgreSQL resolves it: unquoted words fold to lower case, quoted
     * identifiers keep their case with {@code ""} unescaped.
     */
    public String identifier() {
        return switch (type) {
            case WORD -> text.toLowerCase(Locale.ROOT);
            case QUOTED_IDENT -> {
                String t = text.startsWith("U&") || text.startsWith("u&") ? text.substring(2) : text;
                yield t.substring(1, t.length() - (t.endsWith("\"") && t.length() > 1 ? 1 : 0)).replace("\"\"", "\"");
            }
            default -> text;
        };
    }

    /** The value of a plain string literal ({@code 'a''b'} → {@code a'b}); other tokens: their text. */
    public String stringValue() {
        if (type != Type.STRING) return text;
        int q = text.indexOf('\'');
        String body = text.substring(q + 1, text.length() - (text.endsWith("'") && text.length() > q + 1 ? 1 : 0));
        if (q > 0 && (text.charAt(0) == 'E' || text.charAt(0) == 'e')) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c == '\\' && i + 1 < body.length()) {
                    char n = body.charAt(++i);
                    b.append(switch (n) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> n;
                    });
                } else if (c == '\'' && i + 1 < body.length() && body.charAt(i + 1) == '\'') {
                    b.append('\'');
                    i++;
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
        return body.replace("''", "'");
    }

    @Override
    public String toString() {
        return type + "(" + text + ")@" + line;
    }
}
