package dev.gantry.actiontests.harness;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ActionRunTest {

    @Test
    void missingRequiredInputIsExitTwoWithTheRunnerMessage() {
        ActionResult r = ActionRun.of("do-deploy").run();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errors()).singleElement().satisfies(e ->
                assertThat(e.data()).isEqualTo("Input required and not supplied: token"));
        assertThat(r.output("result")).isEqualTo("invalid-input");
    }

    @Test
    void secretInputIsMaskedBeforeAnythingElse() {
        ActionResult r = ActionRun.of("do-deploy").with("token", "dop_v1_secret").run();
        assertThat(r.commands().masks()).contains("dop_v1_secret");
        assertThat(r.leaks("dop_v1_secret")).isFalse();
    }
}
