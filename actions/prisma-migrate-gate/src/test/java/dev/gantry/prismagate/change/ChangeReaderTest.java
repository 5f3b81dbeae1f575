package dev.gantry.prismagate.change;

import dev.gantry.prismagate.sql.Name;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChangeReaderTest {
    @Test
    void prismaAlterTableWithManyActionsGivesOneChangePerActionAtItsLine() {
        List<Change> cs = ChangeReader.read("""
                -- AlterTable
                ALTER TABLE "observations" DROP COLUMN "attributes",
                ADD COLUMN     "completion" TEXT,
                ADD COLUMN     "owner" TEXT NOT NULL,
                ADD COLUMN     "n" INTEGER NOT NULL DEFAULT 0,
                ADD COLUMN     "k" SERIAL NOT NULL,
                ALTER COLUMN "name" DROP NOT NULL,
                ALTER COLUMN "email" SET NOT NULL,
                ALTER COLUMN "age" SET DATA TYPE INTEGER USING ("age"::integer);
                """);
        Name t = Name.of("observations");
        assertThat(cs).containsExactly(
                new Change.DropColumn(2, 0, t, "attributes", false),
                new Change.AddColumn(3, 0, t, "completion", "TEXT", false, null, false, false),
                new Change.AddColumn(4, 0, t, "owner", "TEXT", true, null, false, false),
                new Change.AddColumn(5, 0, t, "n", "INTEGER", true, "0", false, false),
                new Change.AddColumn(6, 0, t, "k", "SERIAL", true, null, true, false),
                new Change.DropNotNull(7, 0, t, "name"),
                new Change.SetNotNull(8, 0, t, "email"),
                new Change.AlterColumnType(9, 0, t, "age", "INTEGER", "(\"age\"::integer)"));
    }

    @Test
    void uniqueIndexesAndConstraints() {
        List<Change> cs = ChangeReader.read("""
                CREATE UNIQUE INDEX "u1" ON "public"."User"("email");
                CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS u2 ON "User" USING btree (lower(email), "team" DESC NULLS LAST) NULLS NOT DISTINCT WHERE deleted_at IS NULL;
                ALTER TABLE "User" ADD CONSTRAINT "User_pkey" PRIMARY KEY ("id", "team");
                ALTER TABLE "User" ADD CONSTRAINT "u3" UNIQUE USING INDEX "u1";
                CREATE INDEX "plain" ON "User"("name");
                """);
        assertThat(cs).filteredOn(c -> c instanceof Change.AddUnique).containsExactly(
                new Change.AddUnique(1, 0, new Name("public", "User"), "u1", List.of("\"email\""), List.of("email"),
                        false, false, null),
                new Change.AddUnique(2, 1, Name.of("User"), "u2", List.of("lower(email)", "\"team\""), List.of(),
                        false, true, "deleted_at IS NULL"),
                new Change.AddUnique(3, 2, Name.of("User"), "User_pkey", List.of("\"id\"", "\"team\""),
                        List.of("id", "team"), true, false, null));
        assertThat(cs).filteredOn(c -> c instanceof Change.CreateIndex).extracting(c -> ((Change.CreateIndex) c).name())
                .containsExactly("u1", "u2", "plain");
        assertThat(cs).filteredOn(c -> c instanceof Change.AddConstraint).extracting(c -> ((Change.AddConstraint) c).name())
                .containsExactly("User_pkey", "u3");
    }

    @Test
    void foreignKeysEnumsDataAndOpaqueStatements() {
        List<Change> cs = ChangeReader.read("""
                ALTER TABLE "Post" ADD CONSTRAINT "fk" FOREIGN KEY ("a", "b") REFERENCES "User"("x", "y") ON DELETE CASCADE;
                ALTER TABLE "Post" ADD CONSTRAINT "fk2" FOREIGN KEY ("c") REFERENCES s."Team" NOT VALID;
                CREATE TYPE "Role_new" AS ENUM ('USER', 'it''s');
                ALTER TYPE "Role" ADD VALUE IF NOT EXISTS 'X';
                ALTER TYPE "Role_new" RENAME TO "Role";
                DROP TYPE "Role_old", "Other";
                UPDATE "Post" SET a = 1;
                WITH x AS (SELECT 1) DELETE FROM ONLY "Post" WHERE a = 2;
                INSERT INTO "Log" VALUES (1);
                TRUNCATE TABLE "A", ONLY "B";
                DO $$ BEGIN PERFORM 1; END $$;
                SELECT pg_sleep(1);
                DROP SCHEMA IF EXISTS old CASCADE;
                CREATE TABLE copy AS SELECT * FROM "Post";
                """);
        assertThat(cs).containsExactly(
                new Change.AddConstraint(1, 0, Name.of("Post"), "fk"),
                new Change.AddForeignKey(1, 0, Name.of("Post"), "fk", List.of("a", "b"), Name.of("User"), List.of("x", "y"), false),
                new Change.AddConstraint(2, 1, Name.of("Post"), "fk2"),
                new Change.AddForeignKey(2, 1, Name.of("Post"), "fk2", List.of("c"), new Name("s", "Team"), List.of(), true),
                new Change.CreateEnum(3, 2, Name.of("Role_new"), List.of("USER", "it's")),
                new Change.AddEnumValue(4, 3, Name.of("Role"), "X", true),
                new Change.RenameType(5, 4, Name.of("Role_new"), "Role"),
                new Change.DropType(6, 5, List.of(Name.of("Role_old"), Name.of("Other")), false),
                new Change.WritesRows(7, 6, Name.of("Post"), "UPDATE", true),
                new Change.WritesRows(8, 7, Name.of("Post"), "DELETE", false),
                new Change.WritesRows(9, 8, Name.of("Log"), "INSERT", false),
                new Change.WritesRows(10, 9, Name.of("A"), "TRUNCATE", true),
                new Change.WritesRows(10, 9, Name.of("B"), "TRUNCATE", true),
                new Change.Opaque(11, 10, "a DO block"),
                new Change.DropSchema(13, 12, "old", true),
                new Change.CreateTable(14, 13, Name.of("copy"), false),
                new Change.WritesRows(14, 13, Name.of("copy"), "INSERT", false));
    }

    @Test
    void replayFollowsNamesBackToTheDatabase() {
        Replay r = new Replay("public");
        for (Change c : ChangeReader.read("""
                CREATE TABLE "Team" (id int);
                ALTER TABLE "User" RENAME TO "Person";
                ALTER TABLE "Person" RENAME COLUMN "email" TO "mail";
                ALTER TABLE "Person" ADD COLUMN "nick" TEXT;
                ALTER TABLE "Team" RENAME TO "Squad";
                CREATE TYPE "E" AS ENUM ('a');
                ALTER TYPE "E" RENAME TO "F";
                """)) {
            r.apply(c);
        }
        assertThat(r.inDatabase(Name.of("Squad"))).as("created by the deploy").isNull();
        assertThat(r.inDatabase(Name.of("Person"))).isEqualTo(Name.of("User"));
        assertThat(r.inDatabase(new Name("public", "Person"))).isEqualTo(Name.of("User"));
        assertThat(r.dbColumn(Name.of("Person"), "mail")).isEqualTo("email");
        assertThat(r.dbColumn(Name.of("Person"), "nick")).isNull();
        assertThat(r.added(Name.of("Person"), "nick")).isNotNull();
        assertThat(r.columnsRenamed(Name.of("Person"))).isTrue();
        assertThat(r.createdEnum(Name.of("F"))).containsExactly("a");
    }
}
