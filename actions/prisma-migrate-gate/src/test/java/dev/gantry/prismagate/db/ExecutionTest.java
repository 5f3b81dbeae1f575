package dev.gantry.prismagate.db;

import dev.gantry.prismagate.sql.Statement;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExecutionTest {
    private static Execution of(String sql) {
        return Execution.of(Statement.split(sql));
    }

    @Test
    void aFileWithoutTransactionControlIsOneTransaction() {
        Execution e = of("ALTER TABLE a ADD COLUMN b int;\nUPDATE a SET b = 1;\n");
        assertThat(e.kind()).isEqualTo(Execution.Kind.TRANSACTIONAL);
        assertThat(e.blocks()).containsExactly(new Execution.Block(0, 1, -1, false, false, false));
        assertThat(of("").kind()).isEqualTo(Execution.Kind.TRANSACTIONAL);
    }

    @Test
    void aLoneStatementThatCannotRunInATransactionRunsOnItsOwn() {
        for (String sql : new String[]{"CREATE INDEX CONCURRENTLY i ON t(a);", "CREATE UNIQUE INDEX CONCURRENTLY IF NOT"
                + " EXISTS i ON t(a);", "DROP INDEX CONCURRENTLY IF EXISTS i;", "REINDEX INDEX CONCURRENTLY i;",
                "VACUUM ANALYZE t;", "ALTER TABLE p DETACH PARTITION c CONCURRENTLY;", "CALL p();",
                "DO $$ BEGIN UPDATE t SET a = 1; COMMIT; END $$;"}) {
            assertThat(of(sql).kind()).as(sql).isEqualTo(Execution.Kind.NON_TRANSACTIONAL_STATEMENT);
        }
        assertThat(of("CREATE INDEX i ON t(a);").kind()).isEqualTo(Execution.Kind.TRANSACTIONAL);
        assertThat(of("DO $$ BEGIN UPDATE t SET a = 1; END $$;").kind()).isEqualTo(Execution.Kind.TRANSACTIONAL);
        assertThat(of("SELECT 1;\nCREATE INDEX CONCURRENTLY i ON t(a);").kind())
                .as("with others it fails in the transaction, as under Prisma (25001)").isEqualTo(Execution.Kind.TRANSACTIONAL);
    }

    @Test
    void blocksAreWhatPostgresCommitsOneByOne() {
        // Prisma's enum change: BEGIN … COMMIT, then the rest of the file in the message's implicit transaction
        Execution e = of("CREATE TABLE x (a int);\nBEGIN;\nCREATE TYPE e AS ENUM ('a');\nCOMMIT;\n"
                + "ALTER TABLE x ADD COLUMN b int;\nSTART TRANSACTION;\nSELECT 1;\nROLLBACK TO SAVEPOINT s;\nROLLBACK;\n"
                + "SELECT 2;\n");
        assertThat(e.kind()).isEqualTo(Execution.Kind.TRANSACTION_BLOCKS);
        assertThat(e.blocks()).containsExactly(
                new Execution.Block(0, 3, 3, false, false, false),
                new Execution.Block(4, 8, 8, false, true, false),
                new Execution.Block(9, 9, -1, false, false, false));
        assertThat(of("BEGIN;\nSELECT 1;\nEND;\n").blocks()).containsExactly(new Execution.Block(0, 2, 2, true, false, false));
        assertThat(of("BEGIN;\nSELECT 1;\n").blocks()).containsExactly(new Execution.Block(0, 1, -1, true, false, true));
    }
}
