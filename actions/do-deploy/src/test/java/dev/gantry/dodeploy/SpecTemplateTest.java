package dev.gantry.dodeploy;

import dev.gantry.common.action.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpecTemplateTest {
    @TempDir
    Path dir;

    SpecTemplate.Loaded load(String yaml, Map<String, String> env) throws IOException {
        Path f = dir.resolve("app.yaml");
        Files.writeString(f, yaml);
        return SpecTemplate.load(f, "app-spec", env::get);
    }

    @Test
    void fillsOnlyVariablesThatAreSetAndLeavesBindablesAlone() throws IOException {
        SpecTemplate.Loaded l = load("""
                name: ${APP}
                envs:
                  - {key: A, value: "${APP_URL}/x"}
                  - {key: B, value: "${db.DATABASE_URL}"}
                  - {key: C, value: "${_self.URL} ${MISSING} $HOME ${TAG}"}
                  - {key: D, value: "p@ss$word$$1"}
                """, Map.of("APP", "shop", "TAG", "v3", "APP_URL", "https://evil", "HOME", "/root"));

        var envs = l.spec().json().path("envs");
        assertThat(l.spec().name()).isEqualTo("shop");
        assertThat(envs.get(0).path("value").asText()).isEqualTo("${APP_URL}/x");
        assertThat(envs.get(1).path("value").asText()).isEqualTo("${db.DATABASE_URL}");
        assertThat(envs.get(2).path("value").asText()).isEqualTo("${_self.URL} ${MISSING} $HOME v3");
        assertThat(envs.get(3).path("value").asText()).isEqualTo("p@ss$word$$1");
        assertThat(l.filled()).containsExactly("APP", "TAG");
        assertThat(l.leftAlone()).containsExactlyInAnyOrder("APP_URL", "db.DATABASE_URL", "_self.URL");
        assertThat(l.unset()).as("sent as written, with a warning").containsExactly("MISSING");
        assertThat(l.unbraced()).as("$HOME is set: app_action would fill it, we do not").containsExactly("HOME");
    }

    @Test
    void placeholdersNamingTheStepsInputsOrTheRunnersCredentialsAreRefused() {
        Map<String, String> env = Map.of("INPUT_TOKEN", "dop_v1_secret", "ACTIONS_RUNTIME_TOKEN", "ey.runtime",
                "GITHUB_TOKEN", "ghs_x", "RUNNER_TEMP", "/tmp", "SAFE", "ok");
        for (String name : new String[]{"INPUT_TOKEN", "ACTIONS_RUNTIME_TOKEN", "GITHUB_TOKEN", "RUNNER_TEMP", "INPUT_NOT_SET"}) {
            assertThatThrownBy(() -> load("name: shop\nenvs:\n  - {key: T, value: \"${" + name + "}\"}\n", env))
                    .as(name).isInstanceOf(InputException.class).hasMessageContaining("Input 'app-spec'")
                    .hasMessageContaining("${" + name + "}").hasMessageContaining("never fills")
                    .hasMessageNotContaining("dop_v1_secret");
        }
    }

    @Test
    void aValueWithYamlInItCannotChangeTheStructure() throws IOException {
        SpecTemplate.Loaded l = load("name: shop\nservices:\n  - name: web\n    run_command: ${CMD}\n",
                Map.of("CMD", "x\n  - name: injected: true"));
        assertThat(l.spec().components()).hasSize(1);
        assertThat(l.spec().json().path("services").get(0).path("run_command").asText()).startsWith("x\n");
    }

    @Test
    void missingOrBrokenFilesAreInputErrors() throws IOException {
        assertThatThrownBy(() -> SpecTemplate.load(dir.resolve("nope.yaml"), "app-spec", k -> null))
                .isInstanceOf(InputException.class).hasMessageContaining("Input 'app-spec'").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> load("name: [unclosed", Map.of()))
                .isInstanceOf(InputException.class).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> load("- a\n- b\n", Map.of()))
                .isInstanceOf(InputException.class).hasMessageContaining("not an app spec");
    }
}
