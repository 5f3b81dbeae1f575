package dev.gantry.actiontests.prisma;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionProcess;
import dev.gantry.actiontests.harness.ActionRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshot → destructive apply over seeded data → schema brought back → restore: every table's checksum equals
 * the one before. And a restore into a schema that is not back yet refuses, changing nothing.
 */
class BackupRestoreTest {
    @RegisterExtension
    static final Postgres pg = Postgres.perClass();

    private static final String INIT = """
            CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
            CREATE TABLE "User" ("id" SERIAL NOT NULL, "name" TEXT NOT NULL, "email" TEXT, "role" "Role" NOT NULL DEFAULT 'USER',
                CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
            CREATE TABLE "Post" ("id" SERIAL NOT NULL, "authorId" INTEGER NOT NULL, "title" TEXT NOT NULL,
                "price" NUMERIC(10,2) NOT NULL, "tags" TEXT[], CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
            ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id");
            CREATE TABLE "Tag" ("id" SERIAL NOT NULL, "label" TEXT NOT NULL, CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"));
            CREATE TABLE "Log" ("at" TIMESTAMPTZ NOT NULL, "line" TEXT);
            """;
    /** Drops a column, a table whose rows others point at, a keyless table; rewrites every row; a lossy cast. */
    private static final String DESTROY = """
            ALTER TABLE "User" DROP COLUMN "email";
            ALTER TABLE "Post" DROP CONSTRAINT "Post_authorId_fkey";
            DROP TABLE "User";
            DROP TABLE "Tag";
            TRUNCATE "Log";
            UPDATE "Post" SET "title" = 'redacted';
            ALTER TABLE "Post" ALTER COLUMN "price" SET DATA TYPE INTEGER;
            """;
    /** What a "down" migration brings back: the schema, not the data. */
    private static final String BRING_BACK = """
            CREATE TABLE "User" ("id" SERIAL NOT NULL, "name" TEXT NOT NULL, "role" "Role" NOT NULL DEFAULT 'USER',
                CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
            ALTER TABLE "User" ADD COLUMN "email" TEXT;
            ALTER TABLE "Post" ALTER COLUMN "price" SET DATA TYPE NUMERIC(10,2);
            CREATE TABLE "Tag" ("id" SERIAL NOT NULL, "label" TEXT NOT NULL, CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"));
            """;
    private static final Map<String, String> TABLES = Map.of(
            "User", "SELECT id, name, email, role::text FROM \"User\"",
            "Post", "SELECT id, \"authorId\", title, price, tags FROM \"Post\"",
            "Tag", "SELECT id, label FROM \"Tag\"",
            "Log", "SELECT at, line FROM \"Log\"");

    private Map<String, String> checksums(String url) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : new java.util.TreeMap<>(TABLES).entrySet()) {
            out.put(t.getKey(), (String) pg.query(url, "SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text),"
                    + " '')) || ':' || count(*) AS c FROM (" + t.getValue() + ") x").get(0).get("c"));
        }
        return out;
    }

    @Test
    void snapshotDestructiveApplyRestoreGivesEveryRowBack() throws Exception {
        Path ws = Files.createTempDirectory("gate-backup-");
        PrismaWorkspace repo = new PrismaWorkspace(ws).migration("20240101000000_init", INIT);
        String url = pg.newDatabase();
        ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).with("mode", "apply").run();
        pg.exec(url, """
                INSERT INTO "User" (name, email, role) SELECT 'user ' || i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'u' || i || '@x.io' END,
                  CASE WHEN i % 5 = 0 THEN 'ADMIN'::"Role" ELSE 'USER' END FROM generate_series(1, 300) i;
                INSERT INTO "Post" ("authorId", title, price, tags) SELECT 1 + i % 300, 'post ' || i, i * 1.25,
                  ARRAY['a' || i, 'it''s "quoted"'] FROM generate_series(1, 500) i;
                INSERT INTO "Tag" (label) SELECT 'tag ' || i FROM generate_series(1, 40) i;
                INSERT INTO "Log" (at, line) SELECT timestamptz '2024-01-01 00:00:00+00' + i * interval '1 minute',
                  CASE WHEN i % 3 = 0 THEN NULL ELSE 'line ' || i END FROM generate_series(1, 50) i;
                """);
        Map<String, String> before = checksums(url);

        repo.migration("20240102000000_destroy", DESTROY);
        ActionResult apply = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                .with("mode", "apply").with("allow-destructive", "true").with("backup", "true").run();
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        String id = apply.output("backup-id");
        assertThat(id).matches("gantry_backup_\\d{8}_\\d{6}");
        assertThat(apply.output("backup-restore")).contains("mode: restore").contains("backup-id: " + id);
        assertThat(apply.summary()).contains("**Snapshot** `" + id + "`").contains("4 tables");
        assertThat(pg.query(url, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('User', 'Tag')"))
                .extracting(m -> m.get("n")).containsExactly(0L);

        // restoring before the schema is back: refused, nothing written
        ActionResult early = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                .with("mode", "restore").with("backup-id", id).run();
        assertThat(early.exitCode()).as(early.toString()).isEqualTo(1);
        assertThat(early.output("result")).isEqualTo("restore-failed");
        assertThat(early.errors().get(early.errors().size() - 1).data()).contains("table public.User does not exist")
                .contains("nothing was changed");
        assertThat(early.summary()).contains("Restore of `" + id + "` failed");

        repo.migration("20240103000000_bring_back", BRING_BACK);
        ActionResult back = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                .with("mode", "apply").run();
        assertThat(back.exitCode()).as(back.toString()).isZero();

        ActionResult restore = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                .with("mode", "restore").with("backup-id", id).run();
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.summary()).startsWith("✅ **Snapshot restored**");
        assertThat(Long.parseLong(restore.output("restored-rows"))).isEqualTo(300 + 500 + 40 + 50);
        assertThat(checksums(url)).isEqualTo(before);
        // the sequences moved past the restored keys: new rows do not collide
        pg.exec(url, "INSERT INTO \"Tag\" (label) VALUES ('new'); INSERT INTO \"User\" (name) VALUES ('new')");
        // and the foreign key can be put back: every restored post has its author again
        pg.exec(url, "ALTER TABLE \"Post\" ADD CONSTRAINT \"Post_authorId_fkey\" FOREIGN KEY (\"authorId\") REFERENCES \"User\"(\"id\")");
        assertThat(restore.leaks(Postgres.PASSWORD)).isFalse();
    }

    @Test
    void nothingToLoseNoSnapshot() throws Exception {
        Path ws = Files.createTempDirectory("gate-backup2-");
        PrismaWorkspace repo = new PrismaWorkspace(ws).migration("20240101000000_init", PrismaWorkspace.INIT);
        String url = pg.newDatabase();
        repo.migration("20240102000000_email", PrismaWorkspace.ADD_EMAIL);
        ActionResult r = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                .with("mode", "apply").with("backup", "true").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("backup-id")).isNull();
        assertThat(r.summary()).contains("No snapshot taken");
        assertThat(pg.query(url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'gantry_backup%'")).isEmpty();
    }

    @Test
    void digitalOceanManagedDatabasesGetTheRestorePointInTheSummary() throws Exception {
        Path ws = Files.createTempDirectory("gate-pitr-");
        new PrismaWorkspace(ws).migration("20240101000000_init", PrismaWorkspace.INIT);
        String url = pg.newDatabase();
        String host = "db-postgresql-nyc3-12345-do-user-1-0.b.db.ondigitalocean.com";
        Path hosts = Files.writeString(ws.resolve("hosts"), "127.0.0.1 " + host + "\n");
        String doUrl = url.replace("@localhost:", "@" + host + ":");
        try (ActionProcess p = ActionProcess.start(ActionRun.of("prisma-migrate-gate").workspace(ws)
                .with("database-url", doUrl).with("mode", "apply"), List.of("-Djdk.net.hosts.file=" + hosts))) {
            ActionResult r = p.await(60);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.output("restore-point")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\+0000 UTC");
            assertThat(r.summary()).contains("Point-in-time restore point").contains("doctl databases fork")
                    .contains("--restore-from-timestamp \"" + r.output("restore-point") + "\"");
        }
    }
}
