package dev.gantry.actiontests.containers;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.vercel.VercelSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The vercel-deploy image, run as the runner runs it, against the stateful Vercel simulator on loopback. */
class VercelDeployContainerTest {
    VercelSimulator vercel;

    @BeforeEach
    void start() {
        String reason = Docker.unavailableReason().orElse(null);
        assumeTrue(reason == null, reason);
        vercel = new VercelSimulator();
    }

    @AfterEach
    void stop() {
        if (vercel != null) vercel.close();
    }

    ActionRun deploy(Map<String, String> files) {
        ActionRun run = ActionRun.of("vercel-deploy")
                .with("vercel-token", VercelSimulator.TOKEN)
                .with("vercel-org-id", VercelSimulator.TEAM_ID)
                .with("vercel-project-id", VercelSimulator.PROJECT_ID)
                .with("api-url", vercel.baseUrl().toString())
                .with("github-comment", "false")
                .with("timeout", "60s");
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = run.workspace().resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return run;
    }

    @Test
    void previewDeployUploadsTheWorkspaceWithItsFileNamesIntact() {
        ActionResult r = ContainerRun.of(deploy(Map.of(
                "index.html", "<!doctype html><title>shop</title><script src=app.js></script>",
                "app.js", "console.log('shop');\n",
                "menü/café.html", "<!doctype html><title>café</title>",
                "node_modules/left-pad/index.js", "module.exports = 1;\n"))).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output("result")).isEqualTo("success");
        assertThat(r.output("ready-state")).isEqualTo("READY");
        String id = r.output("deployment-id");
        assertThat(id).startsWith("dpl_");
        // read from the mounted workspace by the JVM in the image: a UTF-8 name must arrive as it is on disk
        assertThat(vercel.files(id).keySet()).containsExactlyInAnyOrder("index.html", "app.js", "menü/café.html");
        assertThat(r.summary().lines().findFirst().orElse("")).startsWith("✅");
        assertThat(r.leaks(VercelSimulator.TOKEN)).isFalse();
    }
}
