package dev.gantry.rollback;

import dev.gantry.common.action.ActionMetadata;
import dev.gantry.common.vercel.Project;
import dev.gantry.rollback.RollbackProvider.Execution;
import dev.gantry.rollback.RollbackProvider.Operation;
import dev.gantry.rollback.RollbackProvider.Plan;
import dev.gantry.rollback.RollbackProvider.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rollback's small parts: its own action.yml, job matching, durations and the report's verdict. */
class RollbackPartsTest {

    @Test
    void readsItsOwnActionYml() {
        ActionMetadata md = ActionMetadata.fromClasspath(Main.class);
        assertThat(md.inputs()).containsKeys("provider", "undo", "revert", "verify-url", "verify-checks");
        assertThat(md.outputs()).containsKeys("rolled-back-from", "rolled-back-to", "incident-url", "result");
    }

    @Test
    void aJobIsOursOnlyWhenItIsNotTheOneThatWasThereBefore() {
        Project.AliasRequest before = new Project.AliasRequest("rollback", "succeeded", 1_000L, "dpl_a", "dpl_b");
        Project.AliasRequest same = new Project.AliasRequest("rollback", "succeeded", 1_000L, "dpl_a", "dpl_b");
        Project.AliasRequest fresh = new Project.AliasRequest("rollback", "pending", 5_000L, "dpl_a", "dpl_c");
        assertThat(dev.gantry.common.vercel.VercelClient.isNewJob(same, "rollback", "dpl_a", before)).as("a rollback to the same target before").isFalse();
        assertThat(dev.gantry.common.vercel.VercelClient.isNewJob(fresh, "rollback", "dpl_a", before)).isTrue();
        assertThat(dev.gantry.common.vercel.VercelClient.isNewJob(fresh, "promote", "dpl_a", before)).as("another kind of job").isFalse();
        assertThat(dev.gantry.common.vercel.VercelClient.isNewJob(fresh, "rollback", "dpl_x", null)).as("another target").isFalse();
        assertThat(dev.gantry.common.vercel.VercelClient.isNewJob(null, "rollback", "dpl_a", null)).isFalse();
    }

    private static Report report(Execution ex, Verification.Result v) {
        Report r = new Report();
        r.provider = "Vercel";
        r.environment = "production";
        r.reason = "500s | on checkout";
        r.started = Instant.parse("2026-11-23T12:00:00Z");
        r.finished = Instant.parse("2026-11-23T12:01:05Z");
        r.plan = new Plan(Operation.ROLLBACK, "project shop (prj_1)", "dpl_bad", "dpl_bad (READY)", "dpl_good",
                "dpl_good (READY)", true, List.of(), List.of());
        r.execution = ex;
        r.verification = v;
        return r;
    }

    @Test
    void theVerdictSaysWhatHappenedFirst() {
        Execution ok = new Execution(Status.SUCCEEDED, null, null, "the rollback job succeeded", Duration.ofSeconds(4),
                List.of(), List.of());
        Report done = report(ok, new Verification.Result(true, "passed: 2 of 2 check(s)", List.of(), Duration.ofSeconds(1)));
        assertThat(done.failed()).isFalse();
        assertThat(done.verdict().toString()).isEqualTo("✅ Rolled back production: `dpl_bad` → `dpl_good`; verification passed.");
        assertThat(done.incidentTitle()).isEqualTo("Incident: production rolled back on Vercel");
        assertThat(done.incidentMarkdown().toString()).contains("| Duration | 1m05s |").contains("500s \\| on checkout");

        Report unverified = report(ok, new Verification.Result(false, "failed: 1 of 2", List.of(), Duration.ofSeconds(1)));
        assertThat(unverified.failed()).isTrue();
        assertThat(unverified.verdict().toString()).startsWith("❌ Rolled back production").endsWith("but the verification failed.");
        assertThat(unverified.incidentTitle()).isEqualTo("Incident: rollback of production failed");

        Execution late = new Execution(Status.TIMED_OUT, null, null, "the job did not finish <in time>", Duration.ofSeconds(4),
                List.of(), List.of());
        assertThat(report(late, null).verdict().toString()).isEqualTo("⏱️ The rollback of production timed out: the job did not "
                + "finish &lt;in time&gt;");
    }
}
