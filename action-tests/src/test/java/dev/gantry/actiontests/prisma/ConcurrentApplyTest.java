package dev.gantry.actiontests.prisma;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Two gates applying at once, and Prisma's advisory lock held by someone else. */
class ConcurrentApplyTest {
    @RegisterExtension
    static final Postgres pg = Postgres.perClass();

    @Test
    void exactlyOneAppliesTheOtherWaitsThenFindsNothingPending() throws Exception {
        Path ws = Files.createTempDirectory("gate-conc-");
        new PrismaWorkspace(ws).migration("20240101000000_init", PrismaWorkspace.INIT)
                .migration("20240102000000_slow", "-- slow backfill\nALTER TABLE \"User\" ADD COLUMN \"n\" INTEGER;\n"
                        + "SELECT pg_sleep(4);\n");
        String url = pg.newDatabase();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ActionResult> a = pool.submit(() -> ActionRun.of("prisma-migrate-gate")
                    .workspace(ws).with("database-url", url).with("mode", "apply").with("lock-timeout", "30s").run());
            // the second gate starts while the first holds the lock and is inside the slow migration
            Instant deadline = Instant.now().plusSeconds(20);
            boolean inside = false;
            while (!inside) {
                assertThat(Instant.now()).as("the first gate reached the slow migration within 20 s").isBefore(deadline);
                inside = !pg.query(url, "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(4)%' AND state ="
                        + " 'active' AND pid <> pg_backend_pid()").isEmpty();
                if (!inside) Thread.sleep(20);
            }
            Future<ActionResult> b = pool.submit(() -> ActionRun.of("prisma-migrate-gate")
                    .workspace(ws).with("database-url", url).with("mode", "apply").with("lock-timeout", "30s").run());
            // a check meanwhile waits for the deploy that holds the lock, then judges what it committed
            ActionResult check = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).run();
            assertThat(check.log()).contains("Prisma's advisory lock is held by session")
                    .contains("has ended: judging the history now");
            assertThat(check.exitCode()).as(check.toString()).isZero();
            assertThat(check.output("pending-count")).isEqualTo("0");
            ActionResult ra = a.get(60, TimeUnit.SECONDS);
            ActionResult rb = b.get(60, TimeUnit.SECONDS);
            assertThat(ra.exitCode()).as(ra.toString()).isZero();
            assertThat(rb.exitCode()).as(rb.toString()).isZero();
            assertThat(ra.output("applied-count")).isEqualTo("2");
            assertThat(rb.output("applied-count")).isEqualTo("0");
            assertThat(rb.log()).contains("another session (a deploy) holds Prisma's advisory lock 72707369")
                    .contains("No pending migrations to apply.");
        } finally {
            pool.shutdownNow();
        }
        assertThat(pg.migrationRows(url)).extracting(m -> m.get("migration_name"))
                .containsExactly("20240101000000_init", "20240102000000_slow");
        assertThat(pg.migrationRows(url)).allSatisfy(m -> assertThat(m.get("applied_steps_count")).isEqualTo(1));
    }

    @Test
    void aLockHeldLongerThanTheTimeoutFailsWithoutTouchingTheDatabase() throws Exception {
        Path ws = Files.createTempDirectory("gate-lock-");
        new PrismaWorkspace(ws).migration("20240101000000_init", PrismaWorkspace.INIT);
        String url = pg.newDatabase();
        try (Connection holder = pg.connect(url); Statement st = holder.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT pg_advisory_lock(72707369)")) {
                rs.next();
            }
            ActionResult r = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                    .with("mode", "apply").with("lock-timeout", "1s").run();
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.output("result")).isEqualTo("timeout");
            assertThat(r.errors().get(0).data()).contains("pg_advisory_lock(72707369)");
            assertThat(r.summary()).as("every exit writes a summary").contains("Migration gate stopped")
                    .contains("pg_advisory_lock(72707369)");
            // check does not take the lock; it waits for it as long, then says a deploy may be running
            ActionResult check = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                    .with("lock-timeout", "1s").run();
            assertThat(check.warnings()).anySatisfy(c -> assertThat(c.data()).contains("a deploy may be running right now"));
            assertThat(pg.query(url, "SELECT 1 FROM information_schema.tables WHERE table_name IN ('User', '_prisma_migrations')")).isEmpty();
        }
    }
}
