package dev.gantry.actiontests.prisma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.common.testing.WorkflowCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.gantry.actiontests.prisma.PrismaWorkspace.*;
import static org.assertj.core.api.Assertions.assertThat;

/** prisma-migrate-gate end to end, run as the runner runs it, against a real PostgreSQL. */
class PrismaMigrateGateTest {
    @RegisterExtension
    static final Postgres pg = Postgres.perClass();
    private Path workspace;
    private PrismaWorkspace repo;
    private String url;

    @BeforeEach
    void freshRepoAndDatabase() throws Exception {
        workspace = Files.createTempDirectory("gate-ws-");
        repo = new PrismaWorkspace(workspace);
        url = pg.newDatabase();
    }

    private ActionRun gate(String mode) {
        return ActionRun.of("prisma-migrate-gate").workspace(workspace).with("database-url", url).with("mode", mode);
    }

    private static JsonNode plan(ActionResult r) throws Exception {
        return new ObjectMapper().readTree(r.output("plan"));
    }

    @Test
    void aMigrationsFolderOutsideTheWorkspaceIsRefused() throws Exception {
        Path outside = Files.createTempDirectory("gate-outside-");
        new PrismaWorkspace(outside).migration("20240101000000_init", INIT);
        Files.createSymbolicLink(workspace.resolve("linked"), outside.resolve("prisma"));
        for (String dir : java.util.List.of("../" + outside.getFileName() + "/prisma/migrations", "linked/migrations")) {
            ActionResult r = gate("check").with("migrations-dir", dir).run();
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("migrations-dir")
                    .contains("workspace"));
        }
    }

    @Test
    void aMigrationFileLinkedOutOfTheWorkspaceIsRefusedUnread() throws Exception {
        Path outside = Files.createTempDirectory("gate-outside-");
        Path secret = Files.writeString(outside.resolve("secret.sql"), "-- s3cr3t-outside-the-workspace\nSELECT 1;\n");
        new PrismaWorkspace(outside).migration("20240102000000_elsewhere", ADD_EMAIL);
        repo.migration("20240101000000_init", INIT);
        Path migrations = workspace.resolve("prisma/migrations");
        Files.createDirectories(migrations.resolve("20240102000000_linked"));
        Files.createSymbolicLink(migrations.resolve("20240102000000_linked/migration.sql"), secret);
        ActionResult r = gate("check").run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("migrations-dir")
                .contains("prisma/migrations/20240102000000_linked/migration.sql").contains("workspace"));
        assertThat(r.toString()).doesNotContain("s3cr3t-outside-the-workspace");

        // a migration's folder that links out is refused the same way
        Files.delete(migrations.resolve("20240102000000_linked/migration.sql"));
        Files.delete(migrations.resolve("20240102000000_linked"));
        Files.createSymbolicLink(migrations.resolve("20240102000000_linked"),
                outside.resolve("prisma/migrations/20240102000000_elsewhere"));
        r = gate("check").run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.data()).contains("migrations-dir")
                .contains("prisma/migrations/20240102000000_linked/migration.sql"));

        // a link that stays inside the workspace is read as Prisma reads it
        Files.delete(migrations.resolve("20240102000000_linked"));
        Path kept = Files.writeString(workspace.resolve("add_email.sql"), ADD_EMAIL);
        Files.createDirectories(migrations.resolve("20240102000000_linked"));
        Files.createSymbolicLink(migrations.resolve("20240102000000_linked/migration.sql"), kept);
        r = gate("check").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("pending-count")).isEqualTo("2");
    }

    @Test
    void applyWritesTheRowsPrismaWrites() throws Exception {
        repo.migration("20240101000000_init", INIT).migration("20240102000000_add_email", ADD_EMAIL);
        ActionResult r = gate("apply").with("environment", "staging").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("success");
        assertThat(r.output("applied-count")).isEqualTo("2");
        assertThat(r.output("pending-count")).isEqualTo("0");
        assertThat(r.summary()).startsWith("✅ **Migrations applied** on **staging**");
        assertThat(r.log()).contains("Applying migration `20240101000000_init` (1/2, one transaction with its bookkeeping)");

        List<Map<String, Object>> rows = pg.migrationRows(url);
        assertThat(rows).extracting(m -> m.get("migration_name")).containsExactly("20240101000000_init",
                "20240102000000_add_email");
        assertThat(rows).extracting(m -> m.get("checksum")).containsExactly(
                "23fa12323005545204f32b2aa91e856f4596b3fc8b54895de103de713b6aa0d7",
                "bbc09b6d236a36f6c75f3aa4e5d32b5f5d9eaf63a42827268384ee51e12c6d67");
        for (Map<String, Object> row : rows) {
            assertThat(UUID.fromString((String) row.get("id")).version()).isEqualTo(4);
            assertThat(row.get("applied_steps_count")).isEqualTo(1);
            assertThat(row.get("logs")).isNull();
            assertThat(row.get("rolled_back_at")).isNull();
            assertThat(row.get("finished_at")).isNotNull();
            assertThat(((java.sql.Timestamp) row.get("started_at")).toInstant())
                    .isBeforeOrEqualTo(((java.sql.Timestamp) row.get("finished_at")).toInstant());
        }
        // the exact table Prisma creates: 8 columns, the primary key index only
        assertThat(pg.query(url, "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default"
                + " FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position"))
                .extracting(m -> m.get("column_name") + " " + m.get("data_type") + " " + m.get("character_maximum_length")
                        + " " + m.get("is_nullable") + " " + m.get("column_default"))
                .containsExactly("id character varying 36 NO null", "checksum character varying 64 NO null",
                        "finished_at timestamp with time zone null YES null",
                        "migration_name character varying 255 NO null", "logs text null YES null",
                        "rolled_back_at timestamp with time zone null YES null",
                        "started_at timestamp with time zone null NO now()",
                        "applied_steps_count integer null NO 0");
        assertThat(pg.query(url, "SELECT indexname FROM pg_indexes WHERE tablename = '_prisma_migrations'"))
                .extracting(m -> m.get("indexname")).containsExactly("_prisma_migrations_pkey");
        assertThat(pg.query(url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'User'"))
                .extracting(m -> m.get("column_name")).containsExactlyInAnyOrder("id", "name", "email");

        ActionResult again = gate("check").run();
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.output("pending-count")).isEqualTo("0");
        assertThat(again.summary()).contains("2 earlier migration(s) applied and unchanged");
        assertThat(r.leaks(Postgres.PASSWORD)).isFalse();
        assertThat(again.leaks(Postgres.PASSWORD)).isFalse();
    }

    @Test
    void theResearchFixtureHistoryEndToEnd() throws Exception {
        repo.migration("20240101000000_init", INIT).migration("20240102000000_add_email", ADD_EMAIL);
        assertThat(gate("apply").run().exitCode()).isZero();

        // v1 fails on its second statement: the whole file is rolled back, the row stays failed with logs
        repo.migration("20240103000000_bad", BAD_V1);
        ActionResult failed = gate("apply").run();
        assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(1);
        assertThat(failed.output("result")).isEqualTo("apply-failed");
        WorkflowCommands.Command err = failed.errors().get(failed.errors().size() - 1);
        assertThat(err.property("file")).isEqualTo("prisma/migrations/20240103000000_bad/migration.sql");
        assertThat(err.property("line")).as("no position for a missing relation: the failing statement's line")
                .isEqualTo("3");
        assertThat(err.data()).contains("P3018").contains("statement 2").contains("none of it is in the database")
                .contains("npx prisma migrate resolve --rolled-back \"20240103000000_bad\"")
                .doesNotContain("--applied");
        Map<String, Object> bad = pg.migrationRows(url).get(2);
        assertThat(bad.get("migration_name")).isEqualTo("20240103000000_bad");
        assertThat(bad.get("checksum")).isEqualTo("789bdf41cb076260209003526523f501ae256916ffc93cf14b6182604db29218");
        assertThat(bad.get("finished_at")).isNull();
        assertThat(bad.get("rolled_back_at")).isNull();
        assertThat(bad.get("applied_steps_count")).isEqualTo(0);
        assertThat((String) bad.get("logs")).contains("42P01").contains("\"Nope\"");
        assertThat(pg.query(url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'age'"))
                .as("the first statement of the failed file was rolled back with it").isEmpty();

        // the next check explains the failed migration and prints the exact command
        ActionResult check = gate("check").run();
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.output("result")).isEqualTo("out-of-sync");
        assertThat(check.errors()).anySatisfy(c -> {
            assertThat(c.property("file")).isEqualTo("prisma/migrations/20240103000000_bad/migration.sql");
            assertThat(c.data()).contains("did not finish").contains("P3009").contains("none of it is in the database")
                    .contains("npx prisma migrate resolve --rolled-back \"20240103000000_bad\"")
                    .as("nothing of it ran: marking it applied would be a lie").doesNotContain("--applied");
        });
        assertThat(plan(check).path("migrations").get(2).path("recovery").asText()).isEqualTo("not-applied");
        assertThat(check.log()).contains("42P01");
        assertThat(plan(check).path("verdict").asText()).isEqualTo("out-of-sync");
        assertThat(check.summary()).startsWith("❌ **Migration history out of sync**");

        // what `prisma migrate resolve --rolled-back` does, then the fixed file (CRLF) goes out as a new row
        pg.exec(url, "UPDATE \"_prisma_migrations\" SET \"rolled_back_at\" = now() WHERE migration_name = '20240103000000_bad'");
        repo.migration("20240103000000_bad", BAD_V2_CRLF);
        repo.migration("20240104000000_bom", BOM).migration("20240105000000_latin1", LATIN1);
        ActionResult blocked = gate("apply").run();
        assertThat(blocked.exitCode()).as("non-UTF-8 files are an error by default").isEqualTo(1);
        assertThat(blocked.errors()).anySatisfy(c -> assertThat(c.property("title")).isEqualTo("invalid-encoding"));
        assertThat(pg.migrationRows(url)).hasSize(3);

        ActionResult ok = gate("apply").with("rules", "invalid-encoding=warning").run();
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.output("applied-count")).isEqualTo("3");
        List<Map<String, Object>> rows = pg.migrationRows(url);
        assertThat(rows).extracting(m -> m.get("migration_name") + " " + m.get("checksum") + " "
                + m.get("applied_steps_count") + " " + (m.get("finished_at") != null) + " " + (m.get("rolled_back_at") != null))
                .containsExactly(
                        "20240101000000_init 23fa12323005545204f32b2aa91e856f4596b3fc8b54895de103de713b6aa0d7 1 true false",
                        "20240102000000_add_email bbc09b6d236a36f6c75f3aa4e5d32b5f5d9eaf63a42827268384ee51e12c6d67 1 true false",
                        "20240103000000_bad 789bdf41cb076260209003526523f501ae256916ffc93cf14b6182604db29218 0 false true",
                        "20240103000000_bad 1b2f5457480893b48f04017adcd3dacbf1d09575672583700e3ce3a3cd1e7d5b 1 true false",
                        "20240104000000_bom c7eebe1359772b20dd434976a60a85723f91568b20f212b869c7075bef61ee9f 1 true false",
                        "20240105000000_latin1 983515d1658574cf2381bdf0ec8e028d9ec869246ae566ead61af1621275e6c8 1 true false");

        // a checkout with LF line endings is not an edit (Prisma's CRLF/LF tolerance)
        repo.migration("20240103000000_bad", BAD_V2_CRLF.replace("\r\n", "\n"));
        ActionResult lf = gate("check").with("rules", "invalid-encoding=warning").run();
        assertThat(lf.exitCode()).as(lf.toString()).isZero();
    }

    @Test
    void editedAppliedMigrationAndMigrationMissingFromTheRepoFailTheGate() throws Exception {
        repo.migration("20240101000000_init", INIT).migration("20240102000000_add_email", ADD_EMAIL);
        assertThat(gate("apply").run().exitCode()).isZero();
        repo.migration("20240102000000_add_email", ADD_EMAIL + "-- tweaked after deploy\n");
        pg.exec(url, "INSERT INTO _prisma_migrations (id, checksum, started_at, finished_at, migration_name,"
                + " applied_steps_count) VALUES ('" + UUID.randomUUID() + "', 'abc', now(), now(), '20240101500000_hotfix', 1)");
        ActionResult r = gate("check").run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("out-of-sync");
        assertThat(r.errors()).anySatisfy(c -> {
            assertThat(c.property("file")).isEqualTo("prisma/migrations/20240102000000_add_email/migration.sql");
            assertThat(c.property("line")).isEqualTo("1");
            assertThat(c.data()).contains("has changed since").contains("bbc09b6d236a");
        });
        assertThat(r.errors()).anySatisfy(c -> assertThat(c.data())
                .contains("The database has migration `20240101500000_hotfix`"));
        JsonNode items = plan(r).path("migrations");
        assertThat(items.toString()).contains("\"state\":\"modified\"").contains("\"state\":\"missing-locally\"");
        // apply refuses too, and writes nothing
        ActionResult apply = gate("apply").run();
        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(pg.migrationRows(url)).hasSize(3);
    }

    @Test
    void destructiveChangesBlockUnlessAllowed() throws Exception {
        repo.migration("20240101000000_init", INIT);
        assertThat(gate("apply").run().exitCode()).isZero();
        repo.migration("20240102000000_drop_name", "-- AlterTable\nALTER TABLE \"User\" DROP COLUMN \"name\";\n");

        ActionResult r = gate("apply").run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("blocked");
        assertThat(r.output("destructive")).isEqualTo("true");
        assertThat(r.output("pending-count")).isEqualTo("1");
        assertThat(r.errors()).anySatisfy(c -> {
            assertThat(c.property("file")).isEqualTo("prisma/migrations/20240102000000_drop_name/migration.sql");
            assertThat(c.property("line")).isEqualTo("2");
            assertThat(c.property("title")).isEqualTo("drop-column");
            assertThat(c.data()).contains("column User.name is dropped");
        });
        assertThat(r.summary()).startsWith("❌ **Migration gate blocked the deploy**");
        assertThat(r.summary()).contains("| `20240102000000_drop_name` | pending | contract | 1 error |");
        JsonNode item = plan(r).path("migrations").get(1);
        assertThat(item.path("migrationClass").asText()).isEqualTo("contract");
        assertThat(item.path("findings").get(0).path("rule").asText()).isEqualTo("drop-column");
        assertThat(pg.migrationRows(url)).hasSize(1);

        String labelled = "{\"number\":7,\"pull_request\":{\"number\":7,\"head\":{\"sha\":\"abc\",\"ref\":\"x\"},"
                + "\"labels\":[{\"name\":\"migration:destructive-ok\"}]}}";
        try (GitHubSimulator sim = new GitHubSimulator().pullRequest(7, "abc", "x")) {
            ActionResult wrongLabel = gate("check").with("allow-label", "other-label").with("environment", "production")
                    .gitHub(sim).event("pull_request", labelled).run();
            assertThat(wrongLabel.exitCode()).isEqualTo(1);
            assertThat(sim.comments(7)).singleElement().satisfies(c -> assertThat(c.path("body").asText())
                    .contains("Prisma migrations for production").contains("Migration gate blocked the deploy")
                    .contains("20240102000000_drop_name"));
            ActionResult byLabel = gate("check").with("allow-label", "migration:destructive-ok")
                    .with("environment", "production").gitHub(sim).event("pull_request", labelled).run();
            assertThat(byLabel.exitCode()).as(byLabel.toString()).isZero();
            assertThat(byLabel.notices()).anySatisfy(c -> assertThat(c.data()).contains("allowed by the pull request label"));
            assertThat(sim.comments(7)).as("one sticky comment, updated in place").singleElement()
                    .satisfies(c -> assertThat(c.path("body").asText()).contains("Migration gate passed"));
            assertThat(byLabel.leaks(Postgres.PASSWORD)).isFalse();
            assertThat(byLabel.leaks(GitHubSimulator.DEFAULT_TOKEN)).isFalse();
            assertThat(sim.comments(7).get(0).toString()).doesNotContain(Postgres.PASSWORD);
        }

        ActionResult allowed = gate("apply").with("allow-destructive", "true").run();
        assertThat(allowed.exitCode()).as(allowed.toString()).isZero();
        assertThat(allowed.output("destructive")).isEqualTo("true");
        assertThat(pg.query(url, "SELECT column_name FROM information_schema.columns WHERE table_name = 'User'"))
                .extracting(m -> m.get("column_name")).containsExactly("id");
    }

    @Test
    void riskyChangesWarnAndFailOnlyWithFailOnWarning() throws Exception {
        repo.migration("20240101000000_init", INIT);
        assertThat(gate("apply").run().exitCode()).isZero();
        repo.migration("20240102000000_idx", "-- CreateIndex\nCREATE INDEX \"User_name_idx\" ON \"User\"(\"name\");\n");
        ActionResult warn = gate("check").run();
        assertThat(warn.exitCode()).isZero();
        assertThat(warn.warnings()).anySatisfy(c -> assertThat(c.property("title")).isEqualTo("non-concurrent-index"));
        assertThat(plan(warn).path("migrations").get(1).path("migrationClass").asText()).isEqualTo("risky");
        assertThat(gate("check").with("fail-on", "warning").run().exitCode()).isEqualTo(1);
        assertThat(gate("check").with("fail-on", "warning").with("rules", "-non-concurrent-index").run().exitCode()).isZero();
    }

    @Test
    void concurrentIndexRunsAloneAndMixedIsCaughtBeforePrismaWouldFail() throws Exception {
        repo.migration("20240101000000_init", INIT);
        repo.migration("20240102000000_cic", "-- CreateIndex\nCREATE INDEX CONCURRENTLY \"User_name_idx\" ON \"User\"(\"name\");\n");
        ActionResult ok = gate("apply").run();
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(pg.query(url, "SELECT indexname FROM pg_indexes WHERE indexname = 'User_name_idx'")).hasSize(1);

        repo.migration("20240103000000_mixed", "ALTER TABLE \"User\" ADD COLUMN \"x\" TEXT;\n"
                + "CREATE INDEX CONCURRENTLY \"User_x_idx\" ON \"User\"(\"x\");\n");
        ActionResult blocked = gate("apply").run();
        assertThat(blocked.exitCode()).isEqualTo(1);
        assertThat(blocked.errors()).anySatisfy(c -> {
            assertThat(c.property("title")).isEqualTo("non-transactional-statement");
            assertThat(c.property("line")).isEqualTo("2");
        });
        // forced through, it fails exactly as under Prisma (25001), and nothing of the file stays
        ActionResult forced = gate("apply").with("rules", "-non-transactional-statement").run();
        assertThat(forced.exitCode()).isEqualTo(1);
        assertThat(forced.output("result")).isEqualTo("apply-failed");
        assertThat((String) pg.migrationRows(url).get(2).get("logs")).contains("25001");
        assertThat(pg.query(url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'x'")).isEmpty();
    }

    @Test
    void schemaParameterIsHonoured() throws Exception {
        String tenant = pg.newDatabase("tenant");
        repo.migration("20240101000000_init", INIT);
        ActionResult r = ActionRun.of("prisma-migrate-gate").workspace(workspace).with("database-url", tenant)
                .with("mode", "apply").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(pg.migrationRows(tenant, "tenant")).hasSize(1);
        assertThat(pg.query(tenant, "SELECT table_schema FROM information_schema.tables WHERE table_name IN ('User', '_prisma_migrations')"))
                .extracting(m -> m.get("table_schema")).containsOnly("tenant");
    }

    @Test
    void unmanagedDatabaseNeedsABaseline() throws Exception {
        pg.exec(url, "CREATE TABLE legacy (id int)");
        repo.migration("20240101000000_init", INIT);
        ActionResult r = gate("apply").run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("out-of-sync");
        assertThat(r.errors()).anySatisfy(c -> assertThat(c.data()).contains("P3005")
                .contains("npx prisma migrate resolve --applied \"20240101000000_init\""));
        assertThat(pg.query(url, "SELECT 1 FROM information_schema.tables WHERE table_name = '_prisma_migrations'")).isEmpty();
    }

    @Test
    void lintOnlyWithoutADatabase() throws Exception {
        repo.migration("20240101000000_init", INIT).migration("20240102000000_drop", "DROP TABLE \"User\";\n");
        ActionResult r = ActionRun.of("prisma-migrate-gate").workspace(workspace).run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("pending-count")).isEqualTo("2");
        assertThat(plan(r).path("migrations").get(0).path("state").asText()).isEqualTo("unknown");
        assertThat(r.errors()).anySatisfy(c -> assertThat(c.property("title")).isEqualTo("drop-table"));
    }

    @Test
    void migrationsFolderIsFoundBesideSchemaPrisma() throws Exception {
        Path other = Files.createTempDirectory("gate-ws2-");
        new PrismaWorkspace(other.resolve("packages/db")).migration("20240101000000_init", INIT);
        // a dependency's own schema and migrations must not be picked
        new PrismaWorkspace(other.resolve("node_modules/some-lib/prisma")).migration("20200101000000_lib", "DROP TABLE x;");
        Files.writeString(other.resolve("node_modules/some-lib/prisma/prisma/schema.prisma"), "");
        Files.writeString(other.resolve("packages/db/prisma/schema.prisma"), "datasource db { provider = \"postgresql\" }\n");
        ActionResult r = ActionRun.of("prisma-migrate-gate").workspace(other).with("database-url", url).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.log()).contains("packages/db/prisma/migrations");
        assertThat(r.output("pending-count")).isEqualTo("1");
        // the resolve command names the schema when it is not at prisma/schema.prisma
        assertThat(ActionRun.of("prisma-migrate-gate").workspace(other).with("database-url", url).with("mode", "apply")
                .run().exitCode()).isZero();
        // a row left unfinished although the script committed (a deploy killed between the two): the catalog shows
        // the table, so the advice is to record it as applied, never to run it again
        pg.exec(url, "UPDATE _prisma_migrations SET finished_at = NULL");
        ActionResult failed = ActionRun.of("prisma-migrate-gate").workspace(other).with("database-url", url).run();
        assertThat(failed.errors()).anySatisfy(c -> assertThat(c.data()).contains("table User exists").contains(
                "npx prisma migrate resolve --applied \"20240101000000_init\" --schema packages/db/prisma/schema.prisma")
                .doesNotContain("--rolled-back"));
    }

    @Test
    void badInputsExitTwoAndNameTheInput() {
        repo.migration("20240101000000_init", INIT);
        ActionResult noDb = ActionRun.of("prisma-migrate-gate").workspace(workspace).with("mode", "apply").run();
        assertThat(noDb.exitCode()).isEqualTo(2);
        assertThat(noDb.errors().get(0).data()).contains("database-url");
        ActionResult badRule = gate("check").with("rules", "no-such-rule").run();
        assertThat(badRule.exitCode()).isEqualTo(2);
        assertThat(badRule.errors().get(0).data()).contains("'rules'").contains("no-such-rule");
        ActionResult badDir = gate("check").with("migrations-dir", "db/migrations").run();
        assertThat(badDir.exitCode()).isEqualTo(2);
        assertThat(badDir.errors().get(0).data()).contains("migrations-dir");
        ActionResult badUrl = gate("check").with("database-url", "mysql://root:pw@localhost/x").run();
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.leaks("mysql://root:pw@localhost/x")).isFalse();
        ActionResult badMode = gate("migrate").run();
        assertThat(badMode.exitCode()).isEqualTo(2);
    }

    @Test
    void unreachableDatabaseIsAnInfrastructureError() {
        repo.migration("20240101000000_init", INIT);
        ActionResult r = gate("check").with("database-url", "postgresql://" + Postgres.USER + ":" + Postgres.PASSWORD
                + "@127.0.0.1:1/nowhere?connect_timeout=2").run();
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output("result")).isEqualTo("error");
        assertThat(r.leaks(Postgres.PASSWORD)).isFalse();
    }

    @Test
    void applyFailureWithAPositionPointsAtTheLine() {
        repo.migration("20240101000000_init", INIT);
        repo.migration("20240102000000_typo", "-- AlterTable\nALTER TABLE \"User\" ADD COLUMN \"a\" TEXT;\nSELECT nonsense_column FROM \"User\";\n");
        ActionResult r = gate("apply").run();
        assertThat(r.exitCode()).isEqualTo(1);
        WorkflowCommands.Command err = r.errors().get(r.errors().size() - 1);
        assertThat(err.property("line")).isEqualTo("3");
        assertThat(r.output("applied-count")).isEqualTo("1");
        assertThat(pg.migrationRows(url)).extracting(m -> m.get("finished_at") != null).containsExactly(true, false);
    }

    @Test
    void theAnnotationPointsInsideAMultiLineStatementAndAfterTransactionBlocks() {
        repo.migration("20240101000000_init", INIT);
        repo.migration("20240102000000_multi", "BEGIN;\nCREATE TABLE \"A\" (id int);\nCOMMIT;\n-- a view\n"
                + "CREATE VIEW v AS SELECT\n  id,\n  name,\n  nonsense\nFROM \"User\";\n");
        ActionResult r = gate("apply").run();
        assertThat(r.exitCode()).isEqualTo(1);
        WorkflowCommands.Command err = r.errors().get(r.errors().size() - 1);
        assertThat(err.property("line")).isEqualTo("8");
        assertThat(err.data()).contains("statement 4").contains("Statements 1-3 (lines 1-3) ran")
                .contains("--applied");
        assertThat((String) pg.migrationRows(url).get(1).get("logs"))
                .startsWith("gantry-prisma-migrate-gate: committed 1 of 2 transaction blocks").contains("42703");
    }

    @Test
    void aFileThatOpensATransactionItNeverCommitsIsRolledBack() {
        repo.migration("20240101000000_init", INIT);
        repo.migration("20240102000000_open", "BEGIN;\nALTER TABLE \"User\" ADD COLUMN \"x\" INTEGER;\n");
        ActionResult r = gate("apply").run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("apply-failed");
        assertThat((String) pg.migrationRows(url).get(1).get("logs")).contains("25001").contains("does not commit");
        assertThat(pg.query(url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'x'"))
                .isEmpty();
    }

    @Test
    void statementTimeoutStopsARunawayMigrationAndRecordsIt() {
        repo.migration("20240101000000_init", INIT);
        repo.migration("20240102000000_backfill", "-- backfill\nALTER TABLE \"User\" ADD COLUMN \"b\" TEXT;\nSELECT pg_sleep(5);\n");
        ActionResult r = gate("apply").with("statement-timeout", "1s").run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.output("result")).isEqualTo("apply-failed");
        Map<String, Object> row = pg.migrationRows(url).get(1);
        assertThat(row.get("finished_at")).isNull();
        assertThat((String) row.get("logs")).contains("57014").contains("statement timeout");
        assertThat(pg.query(url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'b'")).isEmpty();
    }

    @Test
    void aPendingMigrationOlderThanTheLastAppliedIsPointedOut() {
        repo.migration("20240101000000_init", INIT).migration("20240103000000_later", ADD_EMAIL);
        assertThat(gate("apply").run().exitCode()).isZero();
        repo.migration("20240102000000_merged_late", "-- AlterTable\nALTER TABLE \"User\" ADD COLUMN \"age\" INTEGER;\n");
        ActionResult r = gate("check").run();
        assertThat(r.exitCode()).isZero();
        assertThat(r.warnings()).anySatisfy(c -> {
            assertThat(c.property("file")).isEqualTo("prisma/migrations/20240102000000_merged_late/migration.sql");
            assertThat(c.data()).contains("sorts before the applied 20240103000000_later");
        });
    }

    @Test
    void timestampsAreUtcAndOrdered() {
        repo.migration("20240101000000_init", INIT);
        assertThat(gate("apply").run().exitCode()).isZero();
        Map<String, Object> row = pg.query(url, "SELECT started_at::text AS s, finished_at::text AS f FROM _prisma_migrations").get(0);
        assertThat(OffsetDateTime.parse(((String) row.get("s")).replace(' ', 'T') + ":00")).isNotNull();
    }
}
