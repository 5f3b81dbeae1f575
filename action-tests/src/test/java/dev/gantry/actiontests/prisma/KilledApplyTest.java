package dev.gantry.actiontests.prisma;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deploy killed with SIGKILL in the middle of a migration (a runner that was cancelled or ran out of memory):
 * the row Prisma's bookkeeping committed first stays unfinished, the script's transaction is rolled back by the
 * server, and the next check names the failed migration with the command that resolves it.
 */
class KilledApplyTest {
    private static Postgres pg;

    @BeforeAll
    static void start() {
        // lets the server notice a vanished client during a long statement (PostgreSQL 14+)
        pg = Postgres.start(Map.of("client_connection_check_interval", "200"));
    }

    @AfterAll
    static void stop() throws Exception {
        pg.close();
    }

    @Test
    void nextCheckReportsTheFailedMigrationWithTheResolveCommand() throws Exception {
        Path ws = Files.createTempDirectory("gate-kill-");
        new PrismaWorkspace(ws).migration("20240101000000_init", PrismaWorkspace.INIT)
                .migration("20240102000000_long", "-- AlterTable\nALTER TABLE \"User\" ADD COLUMN \"n\" INTEGER;\n"
                        + "SELECT pg_sleep(60);\n");
        String url = pg.newDatabase();
        ActionRun run = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).with("mode", "apply");
        Map<String, String> env = run.environment();

        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        // the gate's own classes first: every action module has an action.yml at its root
        List<String> cp = new ArrayList<>(List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator)));
        cp.sort(java.util.Comparator.comparing(e -> e.contains("prisma-migrate-gate") ? 0 : 1));
        cmd.add(String.join(java.io.File.pathSeparator, cp));
        cmd.add("dev.gantry.prismagate.Main");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(run.runDir().resolve("child.log").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process child = pb.start();
        try {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            boolean running = false;
            while (Instant.now().isBefore(deadline) && child.isAlive()) {
                running = !pg.query(url, "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%'"
                        + " AND pid <> pg_backend_pid()").isEmpty();
                if (running) break;
                Thread.sleep(100);
            }
            assertThat(running).as("the child reached the long migration; log:\n"
                    + Files.readString(run.runDir().resolve("child.log"))).isTrue();
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no cleanup
            child.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(child.exitValue()).isEqualTo(137);

        // the server ends the orphaned backend (and its transaction, and the session's advisory lock)
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Instant.now().isBefore(deadline)
                && !pg.query(url, "SELECT 1 FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()").isEmpty()) {
            Thread.sleep(100);
        }
        List<Map<String, Object>> rows = pg.migrationRows(url);
        assertThat(rows).extracting(m -> m.get("migration_name") + " finished=" + (m.get("finished_at") != null))
                .containsExactly("20240101000000_init finished=true", "20240102000000_long finished=false");
        assertThat(pg.query(url, "SELECT 1 FROM information_schema.columns WHERE table_name = 'User' AND column_name = 'n'"))
                .as("the killed migration's transaction was rolled back").isEmpty();

        ActionResult check = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).run();
        assertThat(check.exitCode()).as(check.toString()).isEqualTo(1);
        assertThat(check.output("result")).isEqualTo("out-of-sync");
        assertThat(check.errors()).anySatisfy(c -> {
            assertThat(c.property("file")).isEqualTo("prisma/migrations/20240102000000_long/migration.sql");
            assertThat(c.data()).contains("`20240102000000_long`").contains("did not finish")
                    .contains("npx prisma migrate resolve --rolled-back \"20240102000000_long\"");
        });
        assertThat(check.log()).doesNotContain("may still be in progress");
        assertThat(check.leaks(Postgres.PASSWORD)).isFalse();

        // and apply refuses to go on, as Prisma does (P3009)
        ActionResult apply = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                .with("mode", "apply").run();
        assertThat(apply.exitCode()).isEqualTo(1);
        assertThat(pg.migrationRows(url)).hasSize(2);
    }
}
