package dev.gantry.common.action;

import dev.gantry.common.testing.WorkflowCommands;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LogTest {
    /** What a hostile provider puts in a field: every way a line can become a command, and terminal escapes. */
    static final List<String> HOSTILE = List.of(
            "x\n::error::pwned-1",
            "\n::stop-commands::tok\n::error::pwned-2",
            "  ::add-mask::pwned-3",
            "\u00a0::warning file=a.js,line=1::pwned-4",
            "ok\r::set-output name=x::pwned-5",
            "ok\r\n::group::pwned-6",
            "prefix ##[error]pwned-7",
            "##[add-mask]pwned-8",
            "\u001b[31mred\u001b[0m \u001b]8;;http://evil\u0007link\u001b]8;;\u0007 ::notice::pwned-9",
            "a\u202Eevil\u0000\u0007");

    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(buf, true, StandardCharsets.UTF_8), true);

    private String out() {
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void providerTextCannotBecomeALiveCommandThroughAnyMethod() {
        for (String h : HOSTILE) {
            log.info("Deployment failed: " + h);
            log.info(h);
            log.warning(h);
            log.error(h, Annotation.NONE);
            log.notice(h, new Annotation(h, h, 3, null, null, null));
            log.debug(h);
            log.group(h);
            log.endGroup();
            log.untrusted(h);
        }
        log.error("our own failure");
        WorkflowCommands.Parsed p = WorkflowCommands.parse(out());
        // only the commands we issued on purpose, one per call: the planted text is inside their data, never a
        // command of its own, and our last error is still live
        assertThat(p.commands()).extracting(WorkflowCommands.Command::name)
                .allMatch(n -> List.of("error", "warning", "notice", "debug", "group", "endgroup", "stop-commands").contains(n));
        assertThat(p.named("stop-commands")).allSatisfy(c -> assertThat(c.data()).startsWith("gantry-"));
        assertThat(p.named("error")).hasSize(HOSTILE.size() + 1);
        assertThat(p.named("warning")).hasSize(HOSTILE.size());
        assertThat(p.named("notice")).hasSize(HOSTILE.size());
        assertThat(p.named("group")).hasSize(HOSTILE.size());
        assertThat(p.commands().get(p.commands().size() - 1).data()).isEqualTo("our own failure");
        assertThat(out()).doesNotContain("\u001b").doesNotContain("\u202E").doesNotContain("\u0000");
    }

    @Test
    void plainTextIsPrintedAsItIsWhenNothingInItLooksLikeACommand() {
        log.info("Deploying shop-api: BUILDING 3/7 (42s)");
        assertThat(out()).isEqualTo("Deploying shop-api: BUILDING 3/7 (42s)\n");
    }

    @Test
    void aCommandLikeLineIsShownVerbatimInsideAStopCommandsBlock() {
        log.info("the provider said:\n::error::pwned");
        WorkflowCommands.Parsed p = WorkflowCommands.parse(out());
        assertThat(p.untrustedLines()).containsExactly("the provider said:", "::error::pwned");
        assertThat(p.named("error")).isEmpty();
    }

    @Test
    void secretsAreMaskedInTheirJsonAndUrlForms() {
        String secret = "hun\"ter\\2 &x";
        log.addMask(secret);
        log.info("body: {\"password\": \"hun\\\"ter\\\\2 &x\"}");
        log.info("url: https://h/?p=hun%22ter%5C2+%26x and hun%22ter%5C2%20%26x");
        String text = out().lines().filter(l -> !l.startsWith("::add-mask::")).reduce("", (a, b) -> a + b + "\n");
        assertThat(text).doesNotContain("hun").contains("\"password\": \"***\"").contains("p=*** and ***");
        assertThat(log.mask("x " + secret + " y")).isEqualTo("x *** y");
    }

    @Test
    void anOutputHoldingASecretIsMasked() throws IOException {
        Path file = Files.createTempFile("out", ".txt");
        log.addMask("s3cr3t-token");
        FileCommands fc = new FileCommands(Map.of("GITHUB_OUTPUT", file.toString()), log);
        fc.setOutput("app", "{\"env\": \"s3cr3t-token\"}");
        assertThat(Files.readString(file)).contains("{\"env\": \"***\"}").doesNotContain("s3cr3t-token");
        assertThat(out()).contains("::warning::The output 'app' contained a secret");
    }

    @Test
    void cleanRemovesEscapesAndControlsButKeepsTextAndLineBreaks() {
        assertThat(Log.clean("\u001b[1;31mERROR\u001b[0m: a\tb\r\nc\rd\u0085e")).isEqualTo("ERROR: a\tb\nc\nde");
    }
}
