package dev.gantry.prismagate.lint;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationLinterTest {
    private final MigrationLinter linter = new MigrationLinter();

    private List<String> rules(String sql) {
        return linter.lint(sql).findings().stream().map(f -> f.rule().id() + "@" + f.line()).toList();
    }

    @Test
    void destructiveChangesOnExistingTables() {
        linter.lint("CREATE TABLE \"User\" (\"id\" SERIAL NOT NULL, \"name\" TEXT);");
        assertThat(rules("""
                -- AlterTable
                ALTER TABLE "User" DROP COLUMN "name",
                ADD COLUMN     "email" TEXT NOT NULL,
                ADD COLUMN     "nick" TEXT NOT NULL DEFAULT 'x',
                ADD COLUMN     "n" BIGSERIAL NOT NULL,
                ALTER COLUMN "id" SET DATA TYPE BIGINT;
                DROP TABLE "Other", "User";
                """)).as("each finding on its action's line").containsExactlyInAnyOrder("drop-column@2",
                "add-required-column@3", "column-type-change@6", "drop-table@7", "drop-table@7");
    }

    @Test
    void tablesCreatedInTheSameMigrationAreExempt() {
        assertThat(rules("""
                CREATE TABLE "t" ("id" TEXT NOT NULL);
                ALTER TABLE "t" ADD COLUMN "x" TEXT NOT NULL, DROP COLUMN "id";
                CREATE UNIQUE INDEX "t_x_key" ON "t"("x");
                ALTER TABLE "t" ADD CONSTRAINT "t_fk" FOREIGN KEY ("x") REFERENCES "u"("id");
                UPDATE "t" SET "x" = 'a';
                DROP INDEX "t_x_key";
                DROP TABLE "t";
                """)).isEmpty();
    }

    @Test
    void renamesAndNotNull() {
        assertThat(rules("""
                ALTER TABLE "a" RENAME COLUMN "x" TO "y";
                ALTER TABLE "a" RENAME TO "b";
                ALTER TABLE "b" RENAME CONSTRAINT "c" TO "d";
                ALTER TABLE "b" ALTER COLUMN "y" SET NOT NULL, ALTER COLUMN "z" DROP NOT NULL;
                ALTER INDEX "i" RENAME TO "j";
                """)).containsExactly("rename-column@1", "rename-table@2", "set-not-null@4");
    }

    @Test
    void indexesAndConstraints() {
        assertThat(rules("""
                CREATE INDEX "a_x_idx" ON "a"("x");
                CREATE UNIQUE INDEX "a_y_key" ON "a"("y");
                ALTER TABLE "a" ADD CONSTRAINT "a_fk" FOREIGN KEY ("x") REFERENCES "b"("id") NOT VALID;
                ALTER TABLE "a" ADD CONSTRAINT "a_fk2" FOREIGN KEY ("x") REFERENCES "b"("id") ON DELETE CASCADE;
                ALTER TABLE "a" ADD CONSTRAINT "a_ck" CHECK ("x" > 0);
                ALTER TABLE "a" ADD CONSTRAINT "a_pkey" PRIMARY KEY ("id");
                ALTER TABLE "a" ADD CONSTRAINT "a_u" UNIQUE USING INDEX "a_y_key";
                DROP INDEX "a_x_idx";
                DROP INDEX "elsewhere_idx";
                """)).containsExactly("non-concurrent-index@1", "unique-constraint@2", "constraint-not-valid@4",
                "constraint-not-valid@5", "unique-constraint@6", "non-concurrent-index@9");
    }

    @Test
    void concurrentIndexAloneIsFineMixedIsBroken() {
        assertThat(rules("-- CreateIndex\nCREATE INDEX CONCURRENTLY \"i\" ON \"t\"(\"x\");")).isEmpty();
        assertThat(rules("CREATE INDEX CONCURRENTLY IF NOT EXISTS \"i\" ON \"t\"(\"x\");\nDROP INDEX CONCURRENTLY \"j\";"))
                .containsExactly("non-transactional-statement@1", "non-transactional-statement@2");
        assertThat(rules("SELECT 1;\nVACUUM \"t\";")).containsExactly("non-transactional-statement@2");
    }

    @Test
    void dataChangesWithoutWhere() {
        assertThat(rules("""
                UPDATE "a" SET "x" = 1;
                UPDATE "a" SET "x" = 1 WHERE "y" IS NULL;
                UPDATE "a" SET "x" = (SELECT 1 FROM b WHERE b.id = 1);
                DELETE FROM "a";
                DELETE FROM "a" WHERE "x" = 1;
                WITH s AS (SELECT id FROM b WHERE true) UPDATE "a" SET x = 1 FROM s;
                WITH s AS (SELECT id FROM b) UPDATE "a" SET x = 1 FROM s WHERE a.id = s.id;
                TRUNCATE TABLE "a" CASCADE;
                """)).containsExactly("update-without-where@1", "update-without-where@3", "delete-without-where@4",
                "update-without-where@6", "truncate@8");
    }

    @Test
    void prismaEnumRecreationLosingValuesIsFoundAtTheNewTypesLine() {
        linter.lint("CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN', 'GUEST');");
        linter.lint("ALTER TYPE \"Role\" ADD VALUE 'OWNER';");
        assertThat(rules("""
                -- AlterEnum
                BEGIN;
                CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN', 'OWNER');
                ALTER TABLE "u" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
                ALTER TYPE "Role" RENAME TO "Role_old";
                ALTER TYPE "Role_new" RENAME TO "Role";
                DROP TYPE "Role_old";
                COMMIT;
                """)).containsExactly("enum-value-removed@3", "column-type-change@4");
        MigrationLinter.Result r = linter.lint("SELECT 1;");
        assertThat(r.findings()).isEmpty();
    }

    @Test
    void enumRecreationThatOnlyAddsIsNotRemoval() {
        linter.lint("CREATE TYPE \"S\" AS ENUM ('A');");
        assertThat(rules("""
                CREATE TYPE "S_new" AS ENUM ('A', 'B');
                ALTER TYPE "S" RENAME TO "S_old";
                ALTER TYPE "S_new" RENAME TO "S";
                DROP TYPE "S_old";
                """)).isEmpty();
    }

    @Test
    void plainTypeRenameAndValueRename() {
        linter.lint("CREATE TYPE \"T\" AS ENUM ('A', 'B');");
        assertThat(rules("ALTER TYPE \"T\" RENAME VALUE 'A' TO 'C';\nALTER TYPE \"T\" RENAME TO \"U\";"))
                .containsExactly("enum-value-renamed@1", "rename-type@2");
    }

    @Test
    void suppressionComments() {
        assertThat(rules("-- gantry-ignore: drop-table\nDROP TABLE \"a\";\nDROP TABLE \"b\";"))
                .containsExactly("drop-table@3");
        assertThat(rules("-- gantry-ignore-file: drop-table\nSELECT 1;\nDROP TABLE \"b\";")).isEmpty();
    }

    @Test
    void schemaAndDatabaseDrops() {
        assertThat(rules("DROP SCHEMA IF EXISTS \"old\" CASCADE;")).containsExactly("drop-schema@1");
        assertThat(rules("DROP DATABASE \"x\";")).containsExactly("drop-database@1");
    }

    @Test
    void statementsInsideDoBlocksAreLintedOnTheirOwnLines() {
        MigrationLinter.Result r = linter.lint("""
                BEGIN;
                DO $$
                DECLARE n int;
                BEGIN
                  IF EXISTS (SELECT 1 FROM information_schema.columns WHERE column_name = 'old') THEN
                    ALTER TABLE "a" DROP COLUMN "old";
                  END IF;
                  n := 1;
                  UPDATE "a" SET "x" = 1;
                  EXECUTE 'ALTER TABLE "a" RENAME COLUMN "p" TO "q"';
                  EXECUTE format('DROP TABLE %I', 'b');
                EXCEPTION WHEN others THEN
                  RAISE NOTICE 'skipped';
                END $$;
                COMMIT;
                """);
        assertThat(r.findings()).extracting(f -> f.rule().id() + "@" + f.line()).containsExactly("drop-column@6",
                "update-without-where@9", "rename-column@10");
        assertThat(r.findings().get(0).message()).endsWith("(inside a DO block)");
        assertThat(r.opaqueBlocks()).as("EXECUTE of a computed string is not seen").isEqualTo(1);
        assertThat(r.transactionControl()).isTrue();
        assertThat(r.statements()).isEqualTo(3);
    }

    @Test
    void doBlockOnATableCreatedInTheSameMigrationIsExempt() {
        assertThat(rules("CREATE TABLE \"t\" (id int);\nDO $fn$ BEGIN UPDATE \"t\" SET id = 1; END $fn$;")).isEmpty();
        assertThat(linter.lint("DO $$ BEGIN PERFORM 1; END $$;").opaqueBlocks()).isZero();
    }

    @Test
    void garbageDoesNotThrow() {
        assertThat(rules("ALTER TABLE;\nALTER;\nCREATE UNIQUE;\nDROP INDEX;\nUPDATE;\n)))(((;")).isEmpty();
    }
}
