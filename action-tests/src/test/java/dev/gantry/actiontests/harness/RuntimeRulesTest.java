package dev.gantry.actiontests.harness;

import dev.gantry.common.testing.WorkflowCommands;
import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ActionMetadata;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.Annotation;
import dev.gantry.common.action.FileCommands;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Summary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Actions runtime of common/action, read back with the runner's own rules (RunnerFiles, WorkflowCommands).
 */
class RuntimeRulesTest {
    private static final String YAML = """
            name: t
            description: d
            inputs:
              api-url:
                description: x
                default: 'https://api.example.com'
              max attempts:
                description: x
              flag:
                description: x
                default: 'false'
              token:
                description: x
                default: '${{ github.token }}'
              timeout:
                description: x
              envs:
                description: x
              mode:
                description: x
            outputs:
              result:
                description: x
            runs:
              using: docker
              image: docker://example/t:1
            """;

    @TempDir
    Path dir;
    private Map<String, String> env;
    private ByteArrayOutputStream out;
    private ActionMetadata metadata;

    @BeforeEach
    void setUp() throws IOException {
        metadata = ActionMetadata.parse(YAML.getBytes(StandardCharsets.UTF_8));
        env = new HashMap<>();
        for (String f : List.of("GITHUB_OUTPUT", "GITHUB_ENV", "GITHUB_STATE", "GITHUB_STEP_SUMMARY")) {
            Path p = dir.resolve(f.toLowerCase());
            Files.writeString(p, "");
            env.put(f, p.toString());
        }
        env.put("GITHUB_ACTIONS", "true");
        out = new ByteArrayOutputStream();
    }

    private ActionContext ctx() {
        return new ActionContext(env, new PrintStream(out, true, StandardCharsets.UTF_8), metadata);
    }

    private String log() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Map<String, String> outputs() throws IOException {
        return RunnerFiles.parseKeyValues(Files.readString(Path.of(env.get("GITHUB_OUTPUT"))));
    }

    // ---- inputs ----

    @Test
    void inputNamesFollowTheRunnerSpacesBecomeUnderscoresHyphensStay() {
        env.put("INPUT_API-URL", "  https://x.example.com  ");
        env.put("INPUT_MAX_ATTEMPTS", "3");
        assertThat(ctx().inputs().string("api-url")).isEqualTo("https://x.example.com");
        assertThat(ctx().inputs().string("max attempts")).isEqualTo("3");
    }

    @Test
    void requiredInputMissingUsesTheToolkitMessage() {
        env.put("INPUT_MODE", "   ");
        assertThatThrownBy(() -> ctx().inputs().required("mode"))
                .isInstanceOfSatisfying(InputException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("Input required and not supplied: mode");
                    assertThat(e.input()).isEqualTo("mode");
                });
    }

    @Test
    void booleansAcceptOnlyTheYamlCoreSpellings() {
        for (String t : List.of("true", "True", "TRUE")) {
            env.put("INPUT_FLAG", t);
            assertThat(ctx().inputs().bool("flag")).isTrue();
        }
        for (String f : List.of("false", "False", "FALSE")) {
            env.put("INPUT_FLAG", f);
            assertThat(ctx().inputs().bool("flag")).isFalse();
        }
        for (String bad : List.of("yes", "1", "tRUE", "on")) {
            env.put("INPUT_FLAG", bad);
            assertThatThrownBy(() -> ctx().inputs().bool("flag")).isInstanceOf(InputException.class)
                    .hasMessageContaining("Input does not meet YAML 1.2 \"Core Schema\" specification: flag")
                    .hasMessageContaining("got '" + bad + "'");
        }
    }

    @Test
    void defaultsApplyOnlyOutsideTheRunnerAndNeverForExpressions() {
        env.remove("GITHUB_ACTIONS");
        assertThat(ctx().inputs().string("api-url")).isEqualTo("https://api.example.com");
        assertThat(ctx().inputs().bool("flag")).isFalse();
        assertThat(ctx().inputs().string("token")).isEmpty();
        env.put("GITHUB_ACTIONS", "true");
        env.put("INPUT_API-URL", "");
        assertThat(ctx().inputs().string("api-url")).as("an input the runner passed as empty stays empty").isEmpty();
        env.remove("INPUT_API-URL");
        assertThat(ctx().inputs().string("api-url")).as("a digest pin: no action.yml was read")
                .isEqualTo("https://api.example.com");
    }

    @Test
    void readingAnUndeclaredInputIsAProgrammingError() {
        assertThatThrownBy(() -> ctx().inputs().string("nope")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not declared in action.yml");
    }

    @Test
    void multilineDurationsChoicesUrlsAndKeyValues() {
        env.put("INPUT_ENVS", "A=1\n\n  B = two=2  \n# comment\n");
        env.put("INPUT_TIMEOUT", "1h30m");
        env.put("INPUT_MODE", "apply");
        assertThat(ctx().inputs().multiline("envs")).containsExactly("A=1", "B = two=2");
        assertThat(ctx().inputs().keyValues("envs", false)).containsExactly(Map.entry("A", "1"), Map.entry("B", "two=2"));
        assertThat(ctx().inputs().duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofMinutes(90));
        assertThat(ctx().inputs().choice("mode", "check", "check", "apply")).isEqualTo("apply");
        for (String[] d : new String[][]{{"90s", "PT1M30S"}, {"5m", "PT5M"}, {"250ms", "PT0.25S"}, {"45", "PT45S"}}) {
            env.put("INPUT_TIMEOUT", d[0]);
            assertThat(ctx().inputs().duration("timeout", Duration.ZERO)).isEqualTo(Duration.parse(d[1]));
        }
        env.put("INPUT_TIMEOUT", "5 minutes");
        assertThatThrownBy(() -> ctx().inputs().duration("timeout", Duration.ZERO))
                .hasMessage("Input 'timeout' must be a duration such as 90s, 5m or 1h30m (got '5 minutes')");
        env.put("INPUT_MODE", "yolo");
        assertThatThrownBy(() -> ctx().inputs().choice("mode", "check", "check", "apply"))
                .hasMessage("Input 'mode' must be one of check, apply (got 'yolo')");
        env.put("INPUT_API-URL", "ftp://x");
        assertThatThrownBy(() -> ctx().inputs().url("api-url", null)).isInstanceOf(InputException.class);
        env.put("INPUT_API-URL", "https://api.example.com/v2");
        assertThat(ctx().inputs().url("api-url", null)).isEqualTo(URI.create("https://api.example.com/v2"));
        env.put("INPUT_ENVS", "NOEQUALS");
        assertThatThrownBy(() -> ctx().inputs().keyValues("envs", true))
                .hasMessage("Input 'envs' line 1 must be KEY=VALUE (got '<hidden>')");
    }

    @Test
    void secretKeyValuesAreMaskedLineByLine() {
        env.put("INPUT_ENVS", "DATABASE_URL=postgres://u:pw@db/x\nJWT_SECRET=s3cr3t");
        ActionContext c = ctx();
        c.inputs().keyValues("envs", true);
        c.log().info("connecting to postgres://u:pw@db/x with s3cr3t");
        WorkflowCommands.Parsed p = WorkflowCommands.parse(log());
        // the value, and the form it takes in a URL (a provider may echo it back there)
        assertThat(p.masks()).containsExactly("postgres://u:pw@db/x", "postgres%3A%2F%2Fu%3Apw%40db%2Fx", "s3cr3t");
        assertThat(p.plainLines()).containsExactly("connecting to *** with ***");
    }

    // ---- file commands ----

    @Test
    void outputsSurviveTheRunnersParserWithEqualsNewlinesAndDelimiterText() throws IOException {
        ActionContext c = ctx();
        c.setOutput("plain", "a=b=c");
        c.setOutput("multi", "line one\nline two\n\nline four");
        c.setOutput("tricky", "ghadelimiter_x\nEOF\nname<<EOF");
        c.setOutput("empty", "");
        c.exportVariable("DEPLOY_URL", "https://x");
        c.saveState("app", "id-1");
        assertThat(outputs()).containsExactly(Map.entry("plain", "a=b=c"),
                Map.entry("multi", "line one\nline two\n\nline four"),
                Map.entry("tricky", "ghadelimiter_x\nEOF\nname<<EOF"), Map.entry("empty", ""));
        assertThat(RunnerFiles.parseKeyValues(Files.readString(Path.of(env.get("GITHUB_ENV")))))
                .containsExactly(Map.entry("DEPLOY_URL", "https://x"));
        assertThat(RunnerFiles.parseKeyValues(Files.readString(Path.of(env.get("GITHUB_STATE")))))
                .containsExactly(Map.entry("app", "id-1"));
    }

    @Test
    void aDelimiterThatOccursInTheValueIsNeverUsed() {
        Deque<String> delimiters = new ArrayDeque<>(List.of("ghadelimiter_A", "ghadelimiter_B"));
        String msg = FileCommands.keyValueMessage("out", "x\nghadelimiter_A\ny", delimiters::pop);
        assertThat(msg).isEqualTo("out<<ghadelimiter_B\nx\nghadelimiter_A\ny\nghadelimiter_B\n");
        assertThat(RunnerFiles.parseKeyValues(msg)).containsExactly(Map.entry("out", "x\nghadelimiter_A\ny"));
    }

    @Test
    void outputsArePrintedWhenThereIsNoOutputFile() {
        env.remove("GITHUB_OUTPUT");
        ctx().setOutput("app-id", "a-1");
        assertThat(log()).contains("output app-id=a-1");
    }

    // ---- workflow commands ----

    @Test
    void annotationsEscapeDataAndPropertiesAsTheRunnerReadsThem() {
        ActionContext c = ctx();
        c.log().error("100% broken\r\nsecond line", new Annotation("Drop: column", "prisma/migrations/1_x/migration.sql",
                12, 14, 3, null));
        WorkflowCommands.Command e = WorkflowCommands.parse(log()).named("error").get(0);
        assertThat(log()).startsWith("::error title=Drop%3A column,file=prisma/migrations/1_x/migration.sql,"
                + "line=12,endLine=14,col=3::100%25 broken%0Asecond line");
        assertThat(e.data()).isEqualTo("100% broken\nsecond line");
        assertThat(e.properties()).containsEntry("title", "Drop: column").containsEntry("line", "12");
    }

    @Test
    void multiLineSecretsAreMaskedWholeAndLineByLine() {
        ActionContext c = ctx();
        c.log().addMask("-----BEGIN KEY-----\n  abc123  \n-----END KEY-----");
        assertThat(WorkflowCommands.parse(log()).masks()).startsWith(
                "-----BEGIN KEY-----\n  abc123  \n-----END KEY-----", "-----BEGIN KEY-----", "abc123", "-----END KEY-----")
                .contains("-----BEGIN KEY-----\\n  abc123  \\n-----END KEY-----"); // as a JSON string holds it
        c.log().info("key line abc123 here");
        assertThat(log()).contains("key line *** here");
    }

    @Test
    void untrustedTextCannotIssueCommands() {
        ActionContext c = ctx();
        c.log().untrusted("build ok\n::add-mask::x\n::error::fake\n::set-output name=a::b\n");
        c.log().warning("real");
        WorkflowCommands.Parsed p = WorkflowCommands.parse(log());
        assertThat(p.masks()).isEmpty();
        assertThat(p.named("error")).isEmpty();
        assertThat(p.named("warning")).hasSize(1);
        assertThat(p.untrustedLines()).containsExactly("build ok", "::add-mask::x", "::error::fake", "::set-output name=a::b");
    }

    @Test
    void debugLinesOnlyWithRunnerDebug() {
        ctx().log().debug("hidden");
        assertThat(log()).isEmpty();
        env.put("RUNNER_DEBUG", "1");
        ctx().log().debug("shown");
        assertThat(log()).isEqualTo("::debug::shown\n");
    }

    @Test
    void groupsOpenAndClose() {
        ActionContext c = ctx();
        String r = c.log().group("Build logs", () -> {
            c.log().info("inside");
            return "done";
        });
        assertThat(r).isEqualTo("done");
        assertThat(log()).isEqualTo("::group::Build logs\ninside\n::endgroup::\n");
    }

    // ---- summary ----

    @Test
    void summaryTablesEscapeCellsAndTheFileIsMasked() throws IOException {
        ActionContext c = ctx();
        c.log().addMask("hunter2");
        c.summary().heading("✅ Deployed", 2).table(List.of("a", "b"), List.of(List.of("x|y", "line1\nline2 hunter2")));
        c.summary().write();
        String s = Files.readString(Path.of(env.get("GITHUB_STEP_SUMMARY")));
        assertThat(s).isEqualTo("## ✅ Deployed\n\n| a | b |\n| --- | --- |\n| x\\|y | line1<br>line2 *** |\n\n");
    }

    @Test
    void summaryStaysUnderTheLimitWithAVisibleNote() throws IOException {
        ActionContext c = ctx();
        String line = "x".repeat(99) + "\n";
        c.summary().markdown(dev.gantry.common.action.Markdown.of(line.repeat(12_000))); // 1.2 MB
        c.summary().write();
        long size = Files.size(Path.of(env.get("GITHUB_STEP_SUMMARY")));
        assertThat(size).isLessThanOrEqualTo(Summary.LIMIT_BYTES).isGreaterThan(Summary.LIMIT_BYTES - 200);
        assertThat(Files.readString(Path.of(env.get("GITHUB_STEP_SUMMARY"))))
                .contains("**Summary truncated:**").contains("bytes left out");
        c.summary().paragraph("more");
        c.summary().write();
        assertThat(Files.size(Path.of(env.get("GITHUB_STEP_SUMMARY")))).isLessThanOrEqualTo(Summary.LIMIT_BYTES);
    }

    @Test
    void codeBlocksCannotBeEscapedByBackticksInTheText() {
        ActionContext c = ctx();
        c.summary().code("a ``` b", "text");
        assertThat(c.summary().render()).isEqualTo("````text\na ``` b\n````\n\n");
    }

    // ---- exit codes and result ----

    @Test
    void exitCodesAndResultOutput() throws IOException {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        assertThat(ActionRunner.run(metadata, c -> c.log().info("ok"), new String[0], env, ps)).isZero();
        assertThat(outputs()).containsEntry("result", "success");

        Files.writeString(Path.of(env.get("GITHUB_OUTPUT")), "");
        assertThat(ActionRunner.run(metadata, c -> {
            throw ActionException.failed("gate failed: 2 destructive migrations", "blocked");
        }, new String[0], env, ps)).isEqualTo(1);
        assertThat(outputs()).containsEntry("result", "blocked");

        Files.writeString(Path.of(env.get("GITHUB_OUTPUT")), "");
        assertThat(ActionRunner.run(metadata, c -> c.inputs().required("mode"), new String[0], env, ps)).isEqualTo(2);
        assertThat(outputs()).containsEntry("result", "invalid-input");

        Files.writeString(Path.of(env.get("GITHUB_OUTPUT")), "");
        out.reset();
        assertThat(ActionRunner.run(metadata, c -> {
            throw new IllegalStateException("boom");
        }, new String[0], env, ps)).isEqualTo(3);
        assertThat(outputs()).containsEntry("result", "error");
        assertThat(log()).contains("::error::Unexpected error: java.lang.IllegalStateException: boom")
                .doesNotContain("at dev.gantry");

        out.reset();
        env.put("RUNNER_DEBUG", "1");
        ActionRunner.run(metadata, c -> {
            throw new IllegalStateException("boom");
        }, new String[0], env, ps);
        assertThat(log()).contains("::debug::java.lang.IllegalStateException: boom%0A\tat ");
    }

    @Test
    void outputsWrittenBeforeAFailureStillCount() throws IOException {
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        ActionRunner.run(metadata, c -> {
            c.setOutput("deployment-id", "d-1");
            c.result("failure");
            throw ActionException.failed("deploy failed");
        }, new String[0], env, ps);
        assertThat(outputs()).containsEntry("deployment-id", "d-1").containsEntry("result", "failure");
    }

    @Test
    void inputsFromTheCommandLineOutsideActions() throws IOException {
        env.remove("GITHUB_ACTIONS");
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code = ActionRunner.run(metadata, c -> c.setOutput("mode", c.inputs().required("mode")),
                new String[]{"--input", "mode=apply", "--input=max attempts=2"}, env, ps);
        assertThat(code).isZero();
        assertThat(outputs()).containsEntry("mode", "apply");
        assertThat(ActionRunner.run(metadata, c -> { }, new String[]{"--bogus"}, env, ps)).isEqualTo(2);
    }
}
