package dev.gantry.common.action;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ActionRunnerTest {
    @TempDir
    Path dir;

    private final ActionMetadata metadata = ActionMetadata.parse("""
            name: 'Gantry test action'
            inputs:
              token:
                required: true
            """.getBytes(StandardCharsets.UTF_8));

    private String run(ActionRunner.Action action, int expectedCode) throws IOException {
        Path summary = Files.createFile(dir.resolve("summary.md"));
        Path output = Files.createFile(dir.resolve("output.txt"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ActionRunner.run(metadata, action, new String[0], Map.of("GITHUB_STEP_SUMMARY", summary.toString(),
                "GITHUB_OUTPUT", output.toString(), "INPUT_TOKEN", ""), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(expectedCode);
        return Files.readString(summary);
    }

    @Test
    void aBadInputStillWritesASummaryWithTheVerdictAndTheReason() throws IOException {
        String summary = run(ctx -> ctx.inputs().required("token"), 2);
        assertThat(summary).startsWith("### ⚠️ Gantry test action: invalid input or configuration")
                .contains("Input required and not supplied: token").contains("Nothing was changed");
    }

    @Test
    void aProviderErrorStillWritesASummary() throws IOException {
        String summary = run(ctx -> {
            throw new dev.gantry.common.http.ProviderException("Vercel", 503, null, "<b>down</b>", null, "GET /x", null);
        }, 3);
        assertThat(summary).startsWith("### 🔥 Gantry test action: provider or infrastructure error")
                .contains("HTTP 503: &lt;b&gt;down&lt;/b&gt;");
    }

    @Test
    void runningOutOfMemoryIsReportedAsOursNotAsTheProviders() throws IOException {
        String summary = run(ctx -> {
            throw new OutOfMemoryError("Java heap space");
        }, 3);
        assertThat(summary).startsWith("### 💥 Gantry test action: internal error").contains("ran out of memory")
                .contains("not of the provider or the app").doesNotContain("provider or infrastructure error");
    }

    @Test
    void aPasswordInAUrlInputIsMaskedBeforeAnythingPrintsIt() throws IOException {
        ActionMetadata withUrl = ActionMetadata.parse("""
                name: 'Gantry test action'
                inputs:
                  verify-url:
                    required: false
                """.getBytes(StandardCharsets.UTF_8));
        Path summary = Files.createFile(dir.resolve("summary.md"));
        Path output = Files.createFile(dir.resolve("output.txt"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ActionRunner.run(withUrl, ctx -> {
            java.net.URI u = ctx.inputs().url("verify-url", null);
            ctx.log().info("Verify: waiting for " + u);
            throw InputException.invalid("verify-url", "is not reachable: " + u);
        }, new String[0], Map.of("GITHUB_STEP_SUMMARY", summary.toString(), "GITHUB_OUTPUT", output.toString(),
                "INPUT_VERIFY-URL", "https://ops:S3cr%21t-pw@app.example.com/health"), new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        String log = out.toString(StandardCharsets.UTF_8);
        assertThat(log).as("the runner is told to mask it first").startsWith("::add-mask::");
        // what the runner prints: every line but the add-mask commands themselves, and the summary
        String printed = log.lines().filter(l -> !l.startsWith("::add-mask::")).collect(java.util.stream.Collectors.joining("\n"))
                + Files.readString(summary);
        assertThat(printed).contains("app.example.com/health").doesNotContain("S3cr%21t-pw").doesNotContain("S3cr!t-pw")
                .doesNotContain("ops:S3cr");
    }

    @Test
    void anActionsOwnReportGetsTheReasonAppendedWhenItLacksIt() throws IOException {
        String summary = run(ctx -> {
            ctx.summary().heading("❌ Deploy failed", 3);
            throw ActionException.failed("step 'build' failed: exit 1");
        }, 1);
        assertThat(summary).startsWith("### ❌ Deploy failed").contains("**Why:** step 'build' failed: exit 1");
    }

    @Test
    void exitStepsRunAfterTheVerdictHowTheActionEndsAndOneThatFailsDoesNotStopTheOthers() throws IOException {
        java.util.List<Boolean> seen = new java.util.ArrayList<>();
        String summary = run(ctx -> {
            ctx.atExit((failed, s) -> {
                seen.add(failed);
                throw new IllegalStateException("clean-up broke");
            });
            ctx.atExit((failed, s) -> {
                seen.add(failed);
                s.paragraph("record 7 stays in_progress");
            });
            ctx.inputs().required("token");
        }, 2);
        assertThat(seen).containsExactly(true, true);
        assertThat(summary).startsWith("### ⚠️ Gantry test action: invalid input or configuration")
                .contains("record 7 stays in_progress");
        assertThat(summary.indexOf("record 7")).isGreaterThan(summary.indexOf("Fix the input"));
    }

    @Test
    void exitListenersAreToldTheExitCodeTheResultAndTheReason() throws IOException {
        java.util.List<ActionContext.Ending> endings = new java.util.ArrayList<>();
        run(ctx -> {
            ctx.atEnd(endings::add);
            throw ActionException.failed("the gate blocked the deploy", "blocked");
        }, 1);
        Files.delete(dir.resolve("summary.md"));
        Files.delete(dir.resolve("output.txt"));
        run(ctx -> {
            ctx.atEnd(endings::add);
            ctx.result("dry-run");
        }, 0);
        Files.delete(dir.resolve("summary.md"));
        Files.delete(dir.resolve("output.txt"));
        run(ctx -> {
            ctx.atEnd(endings::add);
            ctx.inputs().required("token");
        }, 2);
        assertThat(endings).extracting(ActionContext.Ending::code, ActionContext.Ending::result, ActionContext.Ending::reason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ExitCode.FAILED, "blocked", "the gate blocked the deploy"),
                        org.assertj.core.groups.Tuple.tuple(ExitCode.PASSED, "dry-run", null),
                        org.assertj.core.groups.Tuple.tuple(ExitCode.BAD_INPUT, "invalid-input",
                                "Input required and not supplied: token"));
        assertThat(endings).extracting(ActionContext.Ending::failed).containsExactly(true, false, true);
    }

    @Test
    void aNoticeIsCompletedByItsLaterFillersOnce() {
        Notice n = new Notice().headline("first").fact("Phase", "BUILDING");
        int[] calls = {0};
        n.later(x -> {
            calls[0]++;
            x.fact("Phase", "ACTIVE").link("Live URL", "https://x.example").fact("Gone", "");
        });
        n.complete().complete();
        assertThat(calls[0]).isEqualTo(1);
        assertThat(n.facts()).extracting(Notice.Fact::value).containsExactly("ACTIVE");
        assertThat(n.links()).singleElement().extracting(Notice.Link::url).isEqualTo("https://x.example");
        assertThat(new Notice().isEmpty()).isTrue();
    }
}
