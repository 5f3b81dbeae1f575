package dev.gantry.prismagate.db;

import dev.gantry.prismagate.sql.Statement;
import dev.gantry.prismagate.sql.Token;

import java.util.ArrayList;
import java.util.List;

/**
 * How a migration file runs, as PostgreSQL runs a file sent as one simple-query message (Prisma's classic
 * engine): without transaction control, as one implicit transaction; with its own BEGIN/COMMIT, as the blocks
 * those statements delimit (statements before a BEGIN join its block; those after the last COMMIT form a block
 * of their own); a lone statement that cannot run in a transaction block, on its own.
 */
public record Execution(Kind kind, List<Statement> statements, List<Block> blocks) {

    public enum Kind { TRANSACTIONAL, NON_TRANSACTIONAL_STATEMENT, TRANSACTION_BLOCKS }

    /**
     * Statements {@code first} to {@code last} (indexes, inclusive) commit together; {@code closing} is the index
     * of the COMMIT/END/ROLLBACK that ends the block, or -1 for the trailing statements the message's end commits.
     * {@code unclosed}: the trailing statements open a transaction (BEGIN) that nothing commits.
     */
    public record Block(int first, int last, int closing, boolean opensItself, boolean rollsBack, boolean unclosed) {
    }

    public static Execution of(List<Statement> statements) {
        boolean control = statements.stream().anyMatch(s -> opens(s) || closes(s));
        if (control) return new Execution(Kind.TRANSACTION_BLOCKS, statements, blocks(statements));
        if (statements.size() == 1 && cannotRunInTransaction(statements.get(0))) {
            return new Execution(Kind.NON_TRANSACTIONAL_STATEMENT, statements,
                    List.of(new Block(0, 0, -1, false, false, false)));
        }
        return new Execution(Kind.TRANSACTIONAL, statements,
                List.of(new Block(0, statements.size() - 1, -1, false, false, false)));
    }

    private static List<Block> blocks(List<Statement> ss) {
        List<Block> out = new ArrayList<>();
        int first = 0;
        for (int i = 0; i < ss.size(); i++) {
            if (closes(ss.get(i))) {
                out.add(new Block(first, i, i, opens(ss.get(first)), rollsBack(ss.get(i)), false));
                first = i + 1;
            }
        }
        if (first < ss.size()) {
            boolean unclosed = ss.subList(first, ss.size()).stream().anyMatch(Execution::opens);
            out.add(new Block(first, ss.size() - 1, -1, opens(ss.get(first)), false, unclosed));
        }
        return List.copyOf(out);
    }

    static boolean opens(Statement s) {
        return s.keyword().equals("BEGIN") || (s.keyword().equals("START") && is(s, 1, "TRANSACTION"));
    }

    static boolean closes(Statement s) {
        return switch (s.keyword()) {
            case "COMMIT", "END" -> !is(s, 1, "PREPARED");
            case "ABORT" -> true;
            case "ROLLBACK" -> !is(s, 1, "TO") && !is(s, 1, "PREPARED")
                    && !(is(s, 1, "TRANSACTION") && is(s, 2, "TO")) && !(is(s, 1, "WORK") && is(s, 2, "TO"));
            default -> false;
        };
    }

    private static boolean rollsBack(Statement s) {
        return s.keyword().equals("ROLLBACK") || s.keyword().equals("ABORT");
    }

    private static boolean is(Statement s, int i, String word) {
        Token t = s.token(i);
        return t != null && t.is(word);
    }

    /** Statements PostgreSQL refuses inside a transaction block (25001), or that commit themselves. */
    static boolean cannotRunInTransaction(Statement s) {
        List<Token> ts = s.tokens();
        boolean concurrently = ts.stream().anyMatch(t -> t.is("CONCURRENTLY"));
        return switch (s.keyword()) {
            case "VACUUM", "CALL" -> true;
            case "REINDEX" -> concurrently;
            case "CREATE", "DROP" -> concurrently && (is(s, 1, "INDEX") || is(s, 2, "INDEX"))
                    || is(s, 1, "DATABASE") || is(s, 1, "TABLESPACE");
            case "ALTER" -> is(s, 1, "SYSTEM") || (is(s, 1, "TABLE") && concurrently
                    && ts.stream().anyMatch(t -> t.is("DETACH"))) || (is(s, 1, "DATABASE") && ts.stream()
                    .anyMatch(t -> t.is("TABLESPACE")));
            case "DO" -> ts.stream().anyMatch(t -> t.type() == Token.Type.DOLLAR_STRING || t.type() == Token.Type.STRING)
                    && ts.stream().filter(t -> t.type() == Token.Type.DOLLAR_STRING || t.type() == Token.Type.STRING)
                    .anyMatch(t -> t.text().matches("(?is).*\\b(COMMIT|ROLLBACK)\\b.*"));
            default -> false;
        };
    }
}
