package dev.gantry.common.digitalocean;

import dev.gantry.common.http.HttpApi;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentTest {
    /** The shape of a failed deployment: the failing leaf has status ERROR and a reason. */
    static final String FAILED = """
            {"id": "d1", "phase": "ERROR", "progress": {"success_steps": 1, "error_steps": 1, "pending_steps": 4,
              "total_steps": 6, "steps": [
                {"name": "build", "status": "ERROR", "steps": [
                  {"name": "initialize", "status": "SUCCESS"},
                  {"name": "components", "status": "ERROR", "steps": [
                    {"name": "web", "status": "ERROR", "component_name": "web", "message_base": "Building service",
                     "reason": {"code": "BuildJobFailed", "message": "npm ERR! missing script: build"}}]}]},
                {"name": "deploy", "status": "PENDING", "steps": [{"name": "initialize", "status": "PENDING"}]}]}}""";

    @Test
    void failedStepsNameThePathTheStageTheComponentAndTheReason() throws Exception {
        Deployment d = HttpApi.JSON.readValue(FAILED, Deployment.class);
        assertThat(d.describe()).isEqualTo("ERROR 1/6 (1 failed)");
        assertThat(d.progress().failedSteps()).singleElement().satisfies(f -> {
            assertThat(f.path()).isEqualTo("build › components › web");
            assertThat(f.stage()).isEqualTo("build");
            assertThat(f.logType()).isEqualTo("BUILD");
            assertThat(f.component()).isEqualTo("web");
            assertThat(f.message()).isEqualTo("npm ERR! missing script: build");
        });
    }

    @Test
    void unknownPhasesAndOmittedCountersAreSafe() throws Exception {
        Deployment d = HttpApi.JSON.readValue("{\"id\": \"d\", \"phase\": \"SOMETHING_NEW\", \"progress\": {}}", Deployment.class);
        assertThat(d.phase()).isEqualTo(Deployment.Phase.UNKNOWN);
        assertThat(d.phase().isTerminal()).isFalse();
        assertThat(d.describe()).isEqualTo("UNKNOWN");
        assertThat(d.progress().failedSteps()).isEmpty();
        assertThat(HttpApi.JSON.writeValueAsString(Deployment.Phase.ACTIVE)).isEqualTo("\"ACTIVE\"");
    }
}
