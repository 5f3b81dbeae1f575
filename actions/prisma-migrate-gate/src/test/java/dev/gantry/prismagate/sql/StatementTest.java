package dev.gantry.prismagate.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StatementTest {

    private static List<String> texts(String sql) {
        return Statement.split(sql).stream().map(Statement::text).toList();
    }

    @Test
    void splitsAtTopLevelSemicolonsOnly() {
        assertThat(texts("CREATE TABLE a (x int); INSERT INTO a VALUES (1);\n"))
                .containsExactly("CREATE TABLE a (x int)", "INSERT INTO a VALUES (1)");
    }

    @Test
    void semicolonsInLiteralsCommentsAndQuotesDoNotSplit() {
        String sql = """
                -- a comment; with a semicolon
                INSERT INTO t VALUES ('a;b', E'it\\'s; fine', "we;ird");
                /* block; /* nested; */ still comment; */
                SELECT 1;
                """;
        List<Statement> st = Statement.split(sql);
        assertThat(st).hasSize(2);
        assertThat(st.get(0).text()).isEqualTo("INSERT INTO t VALUES ('a;b', E'it\\'s; fine', \"we;ird\")");
        assertThat(st.get(0).startLine()).isEqualTo(2);
        assertThat(st.get(0).leadingComments()).hasSize(1);
        assertThat(st.get(1).text()).isEqualTo("SELECT 1");
        assertThat(st.get(1).startLine()).isEqualTo(4);
    }

    @Test
    void dollarQuotesKeepFunctionBodiesWhole() {
        String sql = """
                DO $$
                BEGIN
                  UPDATE t SET a = 1;
                  DELETE FROM t;
                END $$;
                CREATE FUNCTION f() RETURNS int AS $fn$ SELECT 1; $fn$ LANGUAGE sql;
                SELECT $1, a$b FROM t;
                """;
        List<Statement> st = Statement.split(sql);
        assertThat(st).hasSize(3);
        assertThat(st.get(0).startLine()).isEqualTo(1);
        assertThat(st.get(0).endLine()).isEqualTo(5);
        assertThat(st.get(1).tokens()).anyMatch(t -> t.type() == Token.Type.DOLLAR_STRING && t.text().equals("$fn$ SELECT 1; $fn$"));
        assertThat(st.get(2).tokens()).anyMatch(t -> t.type() == Token.Type.PARAM && t.text().equals("$1"));
        assertThat(st.get(2).tokens()).anyMatch(t -> t.type() == Token.Type.WORD && t.text().equals("a$b"));
    }

    @Test
    void beginAtomicBodiesContainSemicolons() {
        String sql = """
                CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC
                  SELECT 1;
                  SELECT CASE WHEN true THEN 1 END;
                END;
                SELECT 2;
                """;
        assertThat(Statement.split(sql)).hasSize(2);
    }

    @Test
    void transactionBlocksAreStatementsToo() {
        assertThat(texts("BEGIN;\nALTER TYPE \"E\" RENAME TO \"E_old\";\nCOMMIT;"))
                .containsExactly("BEGIN", "ALTER TYPE \"E\" RENAME TO \"E_old\"", "COMMIT");
    }

    @Test
    void identifiersFoldUnlessQuoted() {
        List<Token> ts = Lexer.tokenize("Users \"Users\" \"a\"\"b\" U&\"x\"");
        assertThat(ts).extracting(Token::identifier).containsExactly("users", "Users", "a\"b", "x");
    }

    @Test
    void stringValues() {
        List<Token> ts = Lexer.tokenize("'it''s' E'a\\'b\\n' B'0101'");
        assertThat(ts.get(0).stringValue()).isEqualTo("it's");
        assertThat(ts.get(1).stringValue()).isEqualTo("a'b\n");
        assertThat(ts.get(2).type()).isEqualTo(Token.Type.STRING);
    }

    @Test
    void unterminatedInputNeverThrows() {
        assertThat(Statement.split("SELECT 'abc")).hasSize(1);
        assertThat(Statement.split("SELECT $$abc")).hasSize(1);
        assertThat(Statement.split("/* never closed")).isEmpty();
        assertThat(Statement.split("")).isEmpty();
    }

    @Test
    void linesAreCountedThroughMultiLineTokens() {
        String sql = "SELECT 'a\nb';\n/* x\ny */\nSELECT $$\n\n$$;\nSELECT 3;";
        List<Statement> st = Statement.split(sql);
        assertThat(st).extracting(Statement::startLine).containsExactly(1, 5, 8);
        assertThat(st.get(1).endLine()).isEqualTo(7);
    }

    @Test
    void byteOrderMarkIsIgnored() {
        assertThat(texts("\uFEFF-- bom\nCOMMENT ON TABLE \"User\" IS 'users';")).containsExactly("COMMENT ON TABLE \"User\" IS 'users'");
    }
}
