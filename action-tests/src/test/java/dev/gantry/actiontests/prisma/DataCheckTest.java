package dev.gantry.actiontests.prisma;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.WorkflowCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data check on seeded data: each failure that depends on the rows is an error at the statement's line, with a
 * count and an example key; the same statements on rows that fit pass; earlier pending migrations are taken into
 * account; and the check needs nothing but SELECT (it runs as a read-only role here).
 */
class DataCheckTest {
    @RegisterExtension
    static final Postgres pg = Postgres.perClass();
    private Path ws;
    private PrismaWorkspace repo;
    private String url;

    /** Users 1-3 (one without email, two with the same), posts with an orphan, a role enum in use. */
    @BeforeEach
    void seeded() throws Exception {
        ws = Files.createTempDirectory("gate-data-");
        repo = new PrismaWorkspace(ws).migration("20240101000000_init", """
                CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN', 'GUEST');
                CREATE TABLE "User" ("id" SERIAL NOT NULL, "email" TEXT, "name" TEXT NOT NULL, "age" TEXT,
                    "role" "Role" NOT NULL DEFAULT 'USER', CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
                CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER, "title" TEXT NOT NULL,
                    CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
                CREATE TABLE "Empty" ("id" SERIAL NOT NULL, CONSTRAINT "Empty_pkey" PRIMARY KEY ("id"));
                """);
        url = pg.newDatabase();
        assertThat(gate("apply").run().exitCode()).isZero();
        pg.exec(url, """
                INSERT INTO "User" (id, email, name, age, role) VALUES (1, 'a@x.io', 'Ann', '31', 'USER'),
                  (2, 'dup@x.io', 'Bob', 'forty', 'GUEST'), (3, 'dup@x.io', 'Cy', NULL, 'ADMIN'), (4, NULL, 'Di', '7', 'USER');
                INSERT INTO "Post" (id, "authorId", title) VALUES (10, 1, 'ok'), (11, 99, 'orphan'), (12, NULL, 'anon');
                """);
    }

    private ActionRun gate(String mode) {
        return ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).with("mode", mode);
    }

    private static WorkflowCommands.Command error(ActionResult r, String rule) {
        return r.errors().stream().filter(c -> rule.equals(c.property("title"))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + rule + " error in\n" + r));
    }

    @Test
    void everyCaseIsAnErrorAtItsLineWithACountAndAnExampleKey() {
        repo.migration("20240102000000_risky", """
                -- AlterTable
                ALTER TABLE "User" ADD COLUMN "owner" TEXT NOT NULL;
                ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;
                CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
                ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");
                ALTER TABLE "User" ALTER COLUMN "age" SET DATA TYPE INTEGER USING ("age"::integer);
                BEGIN;
                CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
                ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
                ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
                ALTER TYPE "Role" RENAME TO "Role_old";
                ALTER TYPE "Role_new" RENAME TO "Role";
                DROP TYPE "Role_old";
                COMMIT;
                """);
        ActionResult r = gate("apply").run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("blocked");
        assertThat(r.output("applied-count")).isEqualTo("0");
        String file = "prisma/migrations/20240102000000_risky/migration.sql";
        WorkflowCommands.Command required = error(r, "data-required-column");
        assertThat(required.property("file")).isEqualTo(file);
        assertThat(required.property("line")).isEqualTo("2");
        assertThat(required.data()).contains("table User has 4 rows (e.g. id=1)").contains("23502");
        WorkflowCommands.Command nulls = error(r, "data-null-values");
        assertThat(nulls.property("line")).isEqualTo("3");
        assertThat(nulls.data()).contains("column User.email is NULL in 1 row (e.g. id=4)");
        WorkflowCommands.Command dups = error(r, "data-duplicates");
        assertThat(dups.property("line")).isEqualTo("4");
        assertThat(dups.data()).contains("1 value of (email) appear in more than one row of User (e.g. rows id=2 and id=3)")
                .as("keys, never the values").doesNotContain("dup@x.io");
        WorkflowCommands.Command orphans = error(r, "data-orphan-rows");
        assertThat(orphans.property("line")).isEqualTo("5");
        assertThat(orphans.data()).contains("1 row of Post have (authorId) with no matching row in User (e.g. id=11)");
        WorkflowCommands.Command cast = error(r, "data-cast-fails");
        assertThat(cast.property("line")).isEqualTo("6");
        assertThat(cast.data()).contains("1 of 3 values of User.age do not convert to INTEGER (e.g. id=2 (22P02:"
                + " invalid input syntax for type integer)").doesNotContain("forty");
        WorkflowCommands.Command enumInUse = error(r, "data-enum-value-in-use");
        assertThat(enumInUse.property("line")).isEqualTo("10");
        assertThat(enumInUse.data()).contains("1 row of User hold values of role that enum Role_new does not have"
                + " (it keeps [USER, ADMIN]) (e.g. id=2)");
        assertThat(pg.migrationRows(url)).as("apply wrote nothing").hasSize(1);
        assertThat(r.summary()).contains("Data check: read-only queries");
    }

    /** ADD UNIQUE and ADD PRIMARY KEY, as README's table says: duplicates, and NULLs for the key. */
    @Test
    void aUniqueConstraintAndAPrimaryKeyOverDuplicatesAndNullsAreErrors() {
        repo.migration("20240102000000_keys", """
                ALTER TABLE "User" ADD CONSTRAINT "User_email_key" UNIQUE ("email");
                ALTER TABLE "User" DROP CONSTRAINT "User_pkey";
                ALTER TABLE "User" ADD CONSTRAINT "User_pkey" PRIMARY KEY ("email");
                """);
        ActionResult r = gate("check").run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        List<WorkflowCommands.Command> dups = r.errors().stream().filter(c -> "data-duplicates".equals(c.property("title"))).toList();
        assertThat(dups).extracting(c -> c.property("line")).containsExactly("1", "3");
        assertThat(dups).allSatisfy(c -> assertThat(c.data()).contains("(email) appear in more than one row of User")
                .contains("id=2 and id=3").doesNotContain("dup@x.io"));
        WorkflowCommands.Command nulls = error(r, "data-null-values");
        assertThat(nulls.property("line")).isEqualTo("3");
        assertThat(nulls.data()).contains("column User.email of the primary key is NULL in 1 row (e.g. id=4)");
    }

    @Test
    void theSameStatementsOnRowsThatFitPass() {
        pg.exec(url, """
                UPDATE "User" SET email = 'u' || id || '@x.io', age = '30';
                UPDATE "User" SET role = 'USER' WHERE role = 'GUEST';
                DELETE FROM "Post" WHERE id = 11;
                """);
        repo.migration("20240102000000_fine", """
                ALTER TABLE "Empty" ADD COLUMN "owner" TEXT NOT NULL;
                ALTER TABLE "User" ADD COLUMN "owner" TEXT NOT NULL DEFAULT 'nobody';
                ALTER TABLE "User" ALTER COLUMN "email" SET NOT NULL;
                CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
                CREATE UNIQUE INDEX "User_name_partial" ON "User"("age") WHERE "id" = 1;
                ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");
                ALTER TABLE "User" ALTER COLUMN "age" SET DATA TYPE INTEGER USING ("age"::integer);
                BEGIN;
                CREATE TYPE "Role_new" AS ENUM ('USER', 'ADMIN');
                ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT;
                ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role_new" USING ("role"::text::"Role_new");
                ALTER TYPE "Role" RENAME TO "Role_old";
                ALTER TYPE "Role_new" RENAME TO "Role";
                DROP TYPE "Role_old";
                COMMIT;
                """);
        ActionResult check = gate("check").with("rules", "-add-required-column,-set-not-null,-unique-constraint,"
                + "-constraint-not-valid,-column-type-change,-enum-value-removed").run();
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.errors()).isEmpty();
        // and apply agrees: all of it goes in
        ActionResult apply = gate("apply").with("rules", "-add-required-column,-set-not-null,-unique-constraint,"
                + "-constraint-not-valid,-column-type-change,-enum-value-removed").run();
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
    }

    @Test
    void earlierPendingMigrationsAreTakenIntoAccount() {
        repo.migration("20240102000000_new_table", "CREATE TABLE \"Team\" (\"id\" SERIAL PRIMARY KEY);\n"
                + "ALTER TABLE \"User\" RENAME TO \"Person\";\nALTER TABLE \"Person\" RENAME COLUMN \"email\" TO \"mail\";\n");
        repo.migration("20240103000000_uses_them", """
                ALTER TABLE "Team" ADD COLUMN "name" TEXT NOT NULL;
                ALTER TABLE "Person" ALTER COLUMN "mail" SET NOT NULL;
                UPDATE "Post" SET "authorId" = NULL WHERE "authorId" = 99;
                ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Person"("id");
                """);
        ActionResult r = gate("check").with("rules", "-rename-table,-rename-column,-set-not-null,-constraint-not-valid,"
                + "-add-required-column").run();
        assertThat(r.exitCode()).isEqualTo(1);
        // a table created by an earlier pending migration is empty: no error on line 1
        // the renamed table and column are followed back to "User"."email": its NULL is found
        assertThat(r.errors()).filteredOn(c -> c.property("file") != null)
                .extracting(c -> c.property("title") + "@" + c.property("line")).containsExactly("data-null-values@2");
        assertThat(error(r, "data-null-values").data()).contains("column Person.mail is NULL in 1 row (e.g. id=4)");
        // rows changed earlier in the same deploy are not judged from today's data
        assertThat(r.log()).contains("line 4 skipped: its rows are changed first by UPDATE at 20240103000000_uses_them line 3");
    }

    @Test
    void aCastOverABigTableIsTriedOnASample() {
        pg.exec(url, "CREATE TABLE \"Big\" (id int PRIMARY KEY, amount text);"
                + " INSERT INTO \"Big\" SELECT i, CASE WHEN i % 100 = 0 THEN 'n/a' ELSE i::text END"
                + " FROM generate_series(1, 30000) i; ANALYZE \"Big\"");
        repo.migration("20240102000000_amount", "ALTER TABLE \"Big\" ALTER COLUMN \"amount\" SET DATA TYPE INTEGER"
                + " USING (\"amount\"::integer);\n");
        ActionResult r = gate("check").run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(error(r, "data-cast-fails").data()).containsPattern("\\d+ of 20000 values of Big.amount do not convert"
                + " to INTEGER \\(e.g. id=\\d+00 \\(22P02: invalid input syntax for type integer\\)\\); sampled: 20000 rows"
                + " of about 30,000").doesNotContain("n/a");
        // the same table, every value fine: one pass, no finding
        pg.exec(url, "UPDATE \"Big\" SET amount = id::text");
        assertThat(gate("check").run().errors()).isEmpty();
    }

    @Test
    void dataRulesTakeTheRulesInputAndTheIgnoreComments() {
        repo.migration("20240102000000_email", "-- gantry-ignore: data-null-values\n"
                + "ALTER TABLE \"User\" ALTER COLUMN \"email\" SET NOT NULL;\n"
                + "ALTER TABLE \"User\" ALTER COLUMN \"age\" SET DATA TYPE INTEGER USING (\"age\"::integer);\n");
        ActionResult r = gate("check").with("rules", "data-cast-fails=warning").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).anySatisfy(c -> assertThat(c.property("title")).isEqualTo("data-cast-fails"));
    }

    @Test
    void aReadOnlyRoleIsEnough() {
        pg.exec(url, "CREATE ROLE reader LOGIN PASSWORD 'r3ader'; GRANT USAGE ON SCHEMA public TO reader;"
                + " GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader; ALTER ROLE reader SET"
                + " default_transaction_read_only = on");
        repo.migration("20240102000000_email", "ALTER TABLE \"User\" ALTER COLUMN \"email\" SET NOT NULL;\n"
                + "ALTER TABLE \"User\" ALTER COLUMN \"age\" SET DATA TYPE INTEGER USING (\"age\"::integer);\n");
        String reader = url.replaceFirst("//[^@]+@", "//reader:r3ader@");
        ActionResult r = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", reader).run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.errors()).extracting(c -> c.property("title")).contains("data-null-values", "data-cast-fails");
        assertThat(r.leaks("r3ader")).isFalse();
        ActionResult off = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", reader)
                .with("data-check", "false").run();
        assertThat(off.errors()).isEmpty();
        assertThat(off.exitCode()).isZero();
    }

    @Test
    void aCheckThatCannotFinishInTimeSaysSoAndBlocksNothing() {
        // a table locked by another session: the check's lock_timeout ends the query, the check goes on
        repo.migration("20240102000000_email", "ALTER TABLE \"User\" ALTER COLUMN \"email\" SET NOT NULL;\n");
        try (var c = pg.connect(url); var st = c.createStatement()) {
            st.execute("BEGIN; LOCK TABLE \"User\" IN ACCESS EXCLUSIVE MODE");
            ActionResult r = gate("check").run();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.log()).contains("line 1 skipped: the table is locked by another session");
            assertThat(r.summary()).contains("1 statement(s) could not be predicted");
            st.execute("ROLLBACK");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
