package dev.gantry.actiontests.prisma;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionProcess;
import dev.gantry.actiontests.harness.ActionRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deploy killed with SIGKILL (a cancelled job, a runner out of memory) before, during and after the script of a
 * transactional migration, and during non-transactional ones. The server is left as PostgreSQL leaves it: the
 * killed client's session runs on until it notices the closed socket (no {@code client_connection_check_interval}),
 * holding Prisma's advisory lock. Each time the next run must wait for that session, tell the truth, and its advice,
 * followed, must reach the intended end state with no statement run twice. Every statement of these migrations
 * records itself in {@code runs}, so "twice" is counted, not guessed.
 */
class KilledApplyTest {
    @RegisterExtension
    static final Postgres pg = Postgres.perClass();
    private Path ws;
    private PrismaWorkspace repo;
    private String url;

    @BeforeEach
    void fresh() throws Exception {
        ws = Files.createTempDirectory("gate-kill-");
        repo = new PrismaWorkspace(ws).migration("20240101000000_init", PrismaWorkspace.INIT
                + "CREATE TABLE runs (step text NOT NULL);\n");
        url = pg.newDatabase();
        assertThat(gate("apply").run().exitCode()).isZero();
    }

    private ActionRun gate(String mode) {
        return ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).with("mode", mode);
    }

    private Map<String, Long> runs() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Map<String, Object> r : pg.query(url, "SELECT step, count(*) AS n FROM runs GROUP BY step")) {
            out.put((String) r.get("step"), (Long) r.get("n"));
        }
        return out;
    }

    private static void await(String what, BooleanSupplier condition, ActionProcess p) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) throw new AssertionError("timed out waiting for " + what + "; log:\n" + p.log());
            Thread.sleep(50);
        }
    }

    private boolean running(String fragment) {
        return !pg.query(url, "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%" + fragment + "%'"
                + " AND state = 'active' AND pid <> pg_backend_pid()").isEmpty();
    }

    /** Starts apply in a process, waits until the server runs {@code fragment}, kills the process. */
    private void killDuring(String fragment) throws Exception {
        try (ActionProcess p = ActionProcess.start(gate("apply"))) {
            await("the gate to reach " + fragment, () -> running(fragment), p);
            assertThat(p.kill()).isEqualTo(137);
        }
    }

    /** What {@code prisma migrate resolve --applied} writes (research §1.6). */
    private void resolveApplied(String name, String checksum) {
        pg.exec(url, "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '" + name
                + "' AND finished_at IS NULL AND rolled_back_at IS NULL");
        pg.exec(url, "INSERT INTO _prisma_migrations (id, checksum, logs, started_at, finished_at, migration_name)"
                + " VALUES ('" + UUID.randomUUID() + "', '" + checksum + "', '', now(), now(), '" + name + "')");
    }

    /** What {@code prisma migrate resolve --rolled-back} writes. */
    private void resolveRolledBack(String name) {
        pg.exec(url, "UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = '" + name
                + "' AND finished_at IS NULL AND rolled_back_at IS NULL");
    }

    private static String recovery(ActionResult r, String name) throws Exception {
        for (var m : new ObjectMapper().readTree(r.output("plan")).path("migrations")) {
            if (m.path("name").asText().equals(name)) return m.path("recovery").asText(null);
        }
        return null;
    }

    @Test
    void killedBeforeTheScriptWhileWaitingForTheLock() throws Exception {
        repo.migration("20240102000000_add", "INSERT INTO runs VALUES ('add');\nALTER TABLE \"User\" ADD COLUMN \"n\" INTEGER;\n");
        try (Connection holder = pg.connect(url); Statement st = holder.createStatement()) {
            st.execute("SELECT pg_advisory_lock(72707369)");
            try (ActionProcess p = ActionProcess.start(gate("apply").with("lock-timeout", "60s"))) {
                await("the gate to wait for the lock", () -> p.log().contains("holds Prisma's advisory lock"), p);
                assertThat(p.kill()).isEqualTo(137);
            }
        }
        ActionResult check = gate("check").run();
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.output("pending-count")).isEqualTo("1");
        ActionResult apply = gate("apply").run();
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(runs()).containsExactly(Map.entry("add", 1L));
    }

    @Test
    void killedDuringATransactionalScriptLeavesNothingAndTheNextRunWaitsForTheLeftoverSession() throws Exception {
        repo.migration("20240102000000_long", "INSERT INTO runs VALUES ('first');\n"
                + "ALTER TABLE \"User\" ADD COLUMN \"n\" INTEGER;\nSELECT pg_sleep(3);\nINSERT INTO runs VALUES ('last');\n");
        killDuring("pg_sleep(3)");
        // the leftover session still sleeps, holding the lock and an open transaction: the check waits for it
        assertThat(running("pg_sleep(3)")).isTrue();
        ActionResult check = gate("check").run();
        assertThat(check.log()).contains("waiting up to").contains("has ended: judging the history now");
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.output("pending-count")).as("nothing of it committed: no row, no column").isEqualTo("1");
        assertThat(pg.migrationRows(url)).hasSize(1);
        assertThat(runs()).isEmpty();
        ActionResult apply = gate("apply").run();
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(runs()).containsExactly(Map.entry("first", 1L), Map.entry("last", 1L));
        assertThat(pg.migrationRows(url)).extracting(m -> m.get("migration_name") + " " + m.get("applied_steps_count")
                + " " + (m.get("finished_at") != null)).containsExactly("20240101000000_init 1 true",
                "20240102000000_long 1 true");
    }

    @Test
    void killedAfterTheScriptWhileItCommitsIsEitherAllThereOrNotAtAll() throws Exception {
        // a deferred constraint trigger runs at COMMIT: the script and the bookkeeping are done, the commit sleeps
        repo.migration("20240102000000_commit", "CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS"
                + " $$ BEGIN PERFORM pg_sleep(3); RETURN NULL; END $$;\n"
                + "CREATE CONSTRAINT TRIGGER runs_slow AFTER INSERT ON runs DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
                + " EXECUTE FUNCTION slow_commit();\n"
                + "INSERT INTO runs VALUES ('commit');\n");
        killDuring("COMMIT");
        ActionResult check = gate("check").run();
        assertThat(check.exitCode()).as(check.toString()).isZero();
        // the leftover session finished the COMMIT: the migration and its row are there together, finished
        assertThat(check.output("pending-count")).isEqualTo("0");
        assertThat(pg.migrationRows(url)).extracting(m -> m.get("finished_at") != null).containsExactly(true, true);
        assertThat(gate("apply").run().output("applied-count")).isEqualTo("0");
        assertThat(runs()).containsExactly(Map.entry("commit", 1L));
    }

    @Test
    void killedDuringTransactionBlocksTellsWhichStatementsRan() throws Exception {
        String sql = "BEGIN;\nINSERT INTO runs VALUES ('block1');\nCREATE TABLE \"Audit\" (id int);\nCOMMIT;\n"
                + "INSERT INTO runs VALUES ('block2');\nSELECT pg_sleep(3);\nALTER TABLE \"Audit\" ADD COLUMN at text;\n";
        repo.migration("20240102000000_blocks", sql);
        killDuring("pg_sleep(3)");
        ActionResult check = gate("check").run();
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(recovery(check, "20240102000000_blocks")).isEqualTo("partly-applied");
        assertThat(check.errors()).anySatisfy(c -> assertThat(c.data()).contains("Statements 1-4 (lines 1-4) ran")
                .contains("statements 5-7 (lines 5-7) did not run").contains("Do not deploy it again")
                .contains("npx prisma migrate resolve --applied \"20240102000000_blocks\""));
        assertThat(check.summary()).contains("INSERT INTO runs VALUES ('block2');\nSELECT pg_sleep(3);\n"
                + "ALTER TABLE \"Audit\" ADD COLUMN at text;");
        assertThat(runs()).containsExactly(Map.entry("block1", 1L));
        // the advice: the statements that did not run, by hand; then resolve --applied
        pg.exec(url, "INSERT INTO runs VALUES ('block2'); ALTER TABLE \"Audit\" ADD COLUMN at text");
        resolveApplied("20240102000000_blocks", checksum(sql));
        ActionResult after = gate("apply").run();
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.output("applied-count")).isEqualTo("0");
        assertThat(runs()).containsExactly(Map.entry("block1", 1L), Map.entry("block2", 1L));
    }

    @Test
    void killedDuringAConcurrentIndexBuild() throws Exception {
        repo.migration("20240102000000_idx", "CREATE INDEX CONCURRENTLY \"User_name_idx\" ON \"User\"(\"name\");\n");
        try (Connection blocker = pg.connect(url); Statement st = blocker.createStatement()) {
            // an open transaction that has a snapshot makes the build wait in its last phase, the index INVALID
            st.execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM \"User\"");
            killDuring("CREATE INDEX CONCURRENTLY");
            // the leftover session is cancelled (as a server with client_connection_check_interval does)
            pg.exec(url, "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX CONCURRENTLY%'");
            st.execute("ROLLBACK");
        }
        ActionResult check = gate("check").run();
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(recovery(check, "20240102000000_idx")).isEqualTo("interrupted-index");
        assertThat(check.errors()).anySatisfy(c -> assertThat(c.data()).contains("INVALID")
                .contains("DROP INDEX CONCURRENTLY \"User_name_idx\";")
                .contains("npx prisma migrate resolve --rolled-back \"20240102000000_idx\""));
        pg.exec(url, "DROP INDEX CONCURRENTLY \"User_name_idx\"");
        resolveRolledBack("20240102000000_idx");
        ActionResult apply = gate("apply").run();
        assertThat(apply.exitCode()).as(apply.toString()).isZero();
        assertThat(pg.query(url, "SELECT indisvalid FROM pg_index WHERE indexrelid = '\"User_name_idx\"'::regclass"))
                .extracting(m -> m.get("indisvalid")).containsExactly(true);
    }

    @Test
    void aPrismaDeployKilledAfterItsScriptCommittedIsJudgedApplied() throws Exception {
        // what Prisma's classic engine leaves: the row committed first, the script committed by the leftover
        // session, the bookkeeping never finished (the case; the advice used to be --rolled-back)
        String sql = "-- AlterTable\nALTER TABLE \"User\" ADD COLUMN \"owner\" TEXT;\nINSERT INTO runs VALUES ('prisma');\n";
        repo.migration("20240102000000_owner", sql);
        pg.exec(url, "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ('"
                + UUID.randomUUID() + "', '" + checksum(sql) + "', now(), '20240102000000_owner')");
        pg.exec(url, sql);
        ActionResult check = gate("check").run();
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(recovery(check, "20240102000000_owner")).isEqualTo("applied");
        assertThat(check.errors()).anySatisfy(c -> assertThat(c.data()).contains("column User.owner exists")
                .contains("npx prisma migrate resolve --applied \"20240102000000_owner\"").doesNotContain("--rolled-back"));
        resolveApplied("20240102000000_owner", checksum(sql));
        assertThat(gate("apply").run().exitCode()).isZero();
        assertThat(runs()).containsExactly(Map.entry("prisma", 1L));

        // and one whose script did not commit: not applied, safe to run again
        String sql2 = "ALTER TABLE \"User\" ADD COLUMN \"tags\" TEXT;\nINSERT INTO runs VALUES ('second');\n";
        repo.migration("20240103000000_tags", sql2);
        pg.exec(url, "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name) VALUES ('"
                + UUID.randomUUID() + "', '" + checksum(sql2) + "', now(), '20240103000000_tags')");
        ActionResult check2 = gate("check").run();
        assertThat(recovery(check2, "20240103000000_tags")).isEqualTo("not-applied");
        assertThat(check2.errors()).anySatisfy(c -> assertThat(c.data()).contains("column User.tags does not exist")
                .contains("--rolled-back").doesNotContain("--applied"));
        resolveRolledBack("20240103000000_tags");
        assertThat(gate("apply").run().exitCode()).isZero();
        assertThat(runs()).containsExactly(Map.entry("prisma", 1L), Map.entry("second", 1L));
    }

    private static String checksum(String sql) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(sql.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
