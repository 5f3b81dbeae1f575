package dev.gantry.checks;

import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The one reader of a checks input: the default, inline YAML, a file in the workspace, and every way it is refused. */
class ChecksInputTest {

    @Test
    void emptyIsTheDefaultSuite(@TempDir Path ws) {
        assertThat(ChecksInput.read("checks", "", ws).checks()).extracting(Check::name).containsExactly("root");
    }

    @Test
    void inlineYamlIsReadAsIs(@TempDir Path ws) {
        CheckSuite inline = ChecksInput.read("verify-checks", "checks:\n  - name: health\n    request: { path: /health }\n", ws);
        assertThat(inline.checks()).extracting(Check::name).containsExactly("health");
        assertThat(inline.source()).isEqualTo("<inline verify-checks>");
        assertThat(ChecksInput.read("checks", "- name: one\n  request: { path: / }", ws).checks()).hasSize(1);
    }

    @Test
    void aFileIsReadFromTheWorkspaceAndNamedAsTheRepositoryNamesIt(@TempDir Path ws) throws Exception {
        Files.createDirectories(ws.resolve(".github"));
        Files.writeString(ws.resolve(".github/smoke.yml"), "- name: home\n  request: { path: / }\n");
        CheckSuite suite = ChecksInput.read("checks", "./.github/smoke.yml", ws);
        assertThat(suite.checks()).extracting(Check::name).containsExactly("home");
        assertThat(suite.source()).isEqualTo(".github/smoke.yml");
    }

    @Test
    void aMissingFileIsExit2NamingTheInput(@TempDir Path ws) {
        assertThatThrownBy(() -> ChecksInput.read("verify-checks", "missing.yml", ws)).isInstanceOf(InputException.class)
                .hasMessage("Input 'verify-checks' names a file that does not exist: missing.yml (relative to the "
                        + "workspace); give a path or inline YAML");
        assertThatThrownBy(() -> ChecksInput.read("checks", ".", ws)).isInstanceOf(InputException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void aPathOutOfTheWorkspaceIsRefused(@TempDir Path dir) throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.writeString(dir.resolve("secret.yml"), "- name: x\n  request: { path: / }\n");
        assertThatThrownBy(() -> ChecksInput.read("checks", "../secret.yml", ws)).isInstanceOf(InputException.class)
                .hasMessageContaining("Input 'checks' must be a path inside the workspace");
        Files.createSymbolicLink(ws.resolve("link.yml"), dir.resolve("secret.yml"));
        assertThatThrownBy(() -> ChecksInput.read("checks", "link.yml", ws)).isInstanceOf(InputException.class)
                .hasMessageContaining("symbolic link");
    }

    @Test
    void aHugeOrBinaryFileIsRefusedBeforeParsing(@TempDir Path ws) throws Exception {
        Files.write(ws.resolve("big.yml"), new byte[(int) ChecksInput.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> ChecksInput.read("checks", "big.yml", ws)).isInstanceOf(InputException.class)
                .hasMessageContaining("larger than 1024 kB");
        Files.write(ws.resolve("bin.yml"), new byte[]{'-', ' ', (byte) 0xC3, (byte) 0x28});
        assertThatThrownBy(() -> ChecksInput.read("checks", "bin.yml", ws)).isInstanceOf(InputException.class)
                .hasMessageContaining("not UTF-8");
    }

    @Test
    void aFileThatDoesNotParseIsExit2WithTheLineAndAnAnnotationOnIt(@TempDir Path ws) throws Exception {
        Files.writeString(ws.resolve("checks.yml"), "checks:\n  - name: x\n    expcet: {}\n");
        ActionException e = catchThrowableOfType(ActionException.class, () -> ChecksInput.read("checks", "checks.yml", ws));
        assertThat(e.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(e.getMessage()).startsWith("Input 'checks': checks.yml:3:5: unknown key 'expcet'");
        assertThat(e.annotation().file()).isEqualTo("checks.yml");
        assertThat(e.annotation().line()).isEqualTo(3);
        assertThat(e.annotation().column()).isEqualTo(5);

        ActionException inline = catchThrowableOfType(ActionException.class,
                () -> ChecksInput.read("verify-checks", "checks:\n  - name: x\n", ws));
        assertThat(inline.exitCode()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(inline.getMessage()).startsWith("Input 'verify-checks': <inline verify-checks>:2:")
                .contains("needs a 'request'");
        assertThat(inline.annotation().file()).isNull();
    }
}
