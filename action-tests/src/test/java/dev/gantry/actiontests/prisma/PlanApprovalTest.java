package dev.gantry.actiontests.prisma;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** check outputs the plan's hash; apply with that plan-hash applies exactly that plan and refuses any other. */
class PlanApprovalTest {
    @RegisterExtension
    static final Postgres pg = Postgres.perClass();

    @Test
    void applyRefusesAPendingSetThatIsNotTheApprovedOne() throws Exception {
        Path ws = Files.createTempDirectory("gate-plan-");
        PrismaWorkspace repo = new PrismaWorkspace(ws).migration("20240101000000_init", PrismaWorkspace.INIT);
        String url = pg.newDatabase();
        ActionResult plan = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).run();
        String approved = plan.output("plan-hash");
        assertThat(approved).matches("[0-9a-f]{64}");
        assertThat(plan.summary()).contains("Plan hash: `" + approved + "` (1 pending migration;");

        // a migration merged between the approval and the apply
        repo.migration("20240102000000_late", PrismaWorkspace.ADD_EMAIL);
        ActionResult refused = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                .with("mode", "apply").with("plan-hash", approved).run();
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.output("result")).isEqualTo("plan-changed");
        assertThat(refused.output("applied-count")).isEqualTo("0");
        assertThat(refused.errors().get(refused.errors().size() - 1).data()).contains("not the approved plan")
                .contains(approved).contains("pending now: 20240101000000_init, 20240102000000_late")
                .contains("Nothing was applied");
        assertThat(refused.summary()).contains("not the approved plan");
        assertThat(pg.query(url, "SELECT 1 FROM information_schema.tables WHERE table_name IN ('User', '_prisma_migrations')"))
                .isEmpty();

        // the same names with an edited file: a different plan too
        ActionResult replan = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).run();
        repo.migration("20240102000000_late", PrismaWorkspace.ADD_EMAIL + "-- edited after approval\n");
        ActionResult edited = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                .with("mode", "apply").with("plan-hash", replan.output("plan-hash")).run();
        assertThat(edited.output("result")).isEqualTo("plan-changed");

        // the plan as it is now, approved, applies
        String now = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).run().output("plan-hash");
        ActionResult ok = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                .with("mode", "apply").with("plan-hash", now.toUpperCase()).run();
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.output("applied-count")).isEqualTo("2");
        assertThat(ok.log()).contains("The pending migrations are the approved plan (plan-hash " + now + ")");
        // nothing pending: the plan of nothing is a plan like any other
        ActionResult empty = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).run();
        assertThat(empty.output("plan-hash")).isNotEqualTo(now);
        assertThat(ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url).with("mode", "apply")
                .with("plan-hash", now).run().output("result")).isEqualTo("plan-changed");
    }

    @Test
    void planHashIsAnApplyInput() throws Exception {
        Path ws = Files.createTempDirectory("gate-plan2-");
        new PrismaWorkspace(ws).migration("20240101000000_init", PrismaWorkspace.INIT);
        String url = pg.newDatabase();
        ActionResult check = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                .with("plan-hash", "0".repeat(64)).run();
        assertThat(check.exitCode()).isEqualTo(2);
        assertThat(check.errors().get(0).data()).contains("'plan-hash'").contains("mode: apply");
        assertThat(check.summary()).contains("input `plan-hash` is wrong");
        ActionResult malformed = ActionRun.of("prisma-migrate-gate").workspace(ws).with("database-url", url)
                .with("mode", "apply").with("plan-hash", "abc").run();
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.errors().get(0).data()).contains("64 hex digits");
    }
}
