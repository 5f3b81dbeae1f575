package dev.gantry.actiontests.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.common.testing.WorkflowCommands;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each action's real image, built from its Dockerfile, run with the runner's exact {@code docker run} and read
 * back from the mounted file-command files. Skipped (with the reason printed) where no Docker daemon answers;
 * {@code .ci/run} starts one.
 */
class ContainerActionTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeEach
    void dockerDaemon() {
        String reason = Docker.unavailableReason().orElse(null);
        assumeTrue(reason == null, reason);
    }

    /** A bad-input scenario: how to configure the run, and the input the error must name. */
    record BadInput(String action, UnaryOperator<ActionRun> setup, String input, String errorContains) {
        ActionRun newRun() {
            return setup.apply(ActionRun.of(action));
        }

        @Override
        public String toString() {
            return action + " / " + input;
        }
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                new BadInput("do-deploy", r -> r, "token", "Input required and not supplied: token"),
                new BadInput("vercel-deploy", r -> r, "vercel-token", "Input required and not supplied: vercel-token"),
                // a hyphenated input (INPUT_API-URL) has to survive the exec-form ENTRYPOINT to be rejected
                new BadInput("vercel-deploy", r -> r.with("vercel-token", "vc_token_0123456789")
                        .with("vercel-org-id", "team_x").with("vercel-project-id", "prj_x")
                        .with("api-url", "ftp://api.vercel.com"), "api-url", "api-url"),
                new BadInput("smoke-test", r -> r, "url", "Input required and not supplied: url"),
                new BadInput("rollback", r -> r.with("provider", "heroku"), "provider", "provider"),
                new BadInput("prisma-migrate-gate", r -> r.with("mode", "yolo"), "mode", "mode"))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsExitTwoNamingTheInputAndMatchesTheInProcessRun(BadInput scenario) {
        ActionResult inContainer = ContainerRun.of(scenario.newRun()).run();

        assertThat(inContainer.exitCode()).as(inContainer.toString()).isEqualTo(2);
        assertThat(inContainer.output("result")).as(inContainer.toString()).isEqualTo("invalid-input");
        assertThat(inContainer.errors()).as(inContainer.toString()).singleElement()
                .satisfies(e -> assertThat(e.data()).contains(scenario.errorContains()));

        ActionResult inProcess = scenario.newRun().run();
        assertThat(inContainer.exitCode()).isEqualTo(inProcess.exitCode());
        assertThat(inContainer.outputs()).isEqualTo(inProcess.outputs());
        assertThat(inContainer.errors().stream().map(WorkflowCommands.Command::data).toList())
                .isEqualTo(inProcess.errors().stream().map(WorkflowCommands.Command::data).toList());
    }

    @Test
    void secretsAreMaskedFirstAndNeverLeakFromTheContainer() {
        String token = "dop_v1_c0ntainerSecret5f3a9e1d7b2c4a6e8f0b1d3c5e7a9b1d";
        String githubToken = "ghs_containerGitHubToken00000000000";
        ActionResult r;
        try (LoopbackServer nowhere = new LoopbackServer()) {   // answers 404 to everything: no request leaves loopback
            r = ContainerRun.of(ActionRun.of("do-deploy").with("token", token).with("api-url", nowhere.baseUrl().toString())
                    .githubToken(githubToken).githubApi(nowhere.baseUrl())).run();
        }

        assertThat(r.commands().commands()).as(r.toString()).isNotEmpty();
        assertThat(r.commands().commands().get(0).name()).as("first workflow command").isEqualTo("add-mask");
        assertThat(r.commands().masks()).contains(token);
        assertThat(r.leaks(token)).as(r.toString()).isFalse();
        assertThat(r.leaks(githubToken)).as(r.toString()).isFalse();
        assertThat(r.output("result")).as(r.toString()).isNotBlank();
    }

    static Stream<String> actions() {
        return Project.actionNames().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void imageRunsAsRootWithAnExecFormJavaEntrypointAndNoWorkdir(String action) {
        String image = ActionImages.image(action);
        JsonNode config = inspect(image).path("Config");

        assertThat(config.path("User").asText("")).as("USER").isIn("", "root", "0", "0:0");
        assertThat(config.path("WorkingDir").asText("")).as("WORKDIR").isIn("", "/");
        JsonNode entrypoint = config.path("Entrypoint");
        assertThat(entrypoint.isArray()).as("exec-form ENTRYPOINT").isTrue();
        List<String> args = JSON.convertValue(entrypoint, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
        assertThat(args.get(0)).isEqualTo("/opt/gantry/jre/bin/java");
        assertThat(args).contains("-XX:AOTCache=/opt/gantry/app/app.aot")
                .last().isEqualTo("dev.gantry." + Project.ACTIONS.get(action) + ".Main");
        assertThat(config.path("Cmd").isNull() || config.path("Cmd").isMissingNode() || config.path("Cmd").isEmpty())
                .as("no CMD that would become arguments").isTrue();
    }

    /**
     * The AOT cache made by the build's training run must be accepted by the image's own runtime and classpath:
     * with {@code -XX:AOTMode=on} the JVM refuses to start when it is not.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void aotCacheFromTheTrainingRunIsUsedAtStartUp(String action) {
        ActionRun run = ActionRun.of(action).env("JDK_JAVA_OPTIONS", "-XX:AOTMode=on -Xlog:aot=info");
        ActionResult r = ContainerRun.of(run).run();

        assertThat(r.log()).as(r.toString()).contains("Using AOT-linked classes: true");
        assertThat(r.log()).doesNotContain("Unable to use");
        assertThat(r.output("result")).as("the action still ran to its verdict: " + r).isNotBlank();
    }

    /**
     * The JVM in the image reads file names and prints text as UTF-8 (the image carries the C.UTF-8 locale):
     * with the ASCII fallback a workspace file {@code grüß.txt} would be read as {@code gr????.txt} and every
     * {@code ✓} in the log would be a {@code ?}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void jvmUsesUtf8ForFileNamesAndOutput(String action) {
        String image = ActionImages.image(action);
        Docker.Result r = Docker.run(List.of("docker", "run", "--rm", "--network", "none", "--entrypoint",
                "/opt/gantry/jre/bin/java", image, "-XshowSettings:properties", "-version"), Map.of(), Duration.ofMinutes(1));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("sun.jnu.encoding = UTF-8", "stdout.encoding = UTF-8", "stderr.encoding = UTF-8");
    }

    /**
     * The runtime (from the runtime image) lacks what common/image/runtime.sh removes because no action loads it: the AWT, 2D,
     * font, image and sound native libraries of java.desktop, lib/jrt-fs.jar (for tools on other JDKs) and
     * lib/classlist (for -Xshare:dump). Read with {@code docker cp} (the image has no shell); jvm.cfg and
     * libjava.so, which the JVM does read, show the way of looking works.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void runtimeCarriesNoFileTheActionNeverReads(String action) {
        String image = ActionImages.image(action);
        String container = Docker.run(List.of("docker", "create", image), Map.of(), Duration.ofSeconds(30))
                .requireSuccess("docker create " + image).output().strip();
        try {
            for (String kept : List.of("jvm.cfg", "libjava.so")) {
                assertThat(present(container, "/opt/gantry/jre/lib/" + kept)).as("lib/%s is in the image", kept).isTrue();
            }
            List<String> removed = new ArrayList<>(List.of("jrt-fs.jar", "classlist"));
            for (String l : List.of("awt", "awt_headless", "awt_xawt", "fontmanager", "freetype", "javajpeg", "jawt",
                    "jsound", "lcms", "mlib_image", "splashscreen")) {
                removed.add("lib" + l + ".so");
            }
            for (String gone : removed) {
                assertThat(present(container, "/opt/gantry/jre/lib/" + gone)).as("lib/%s is not in the image", gone).isFalse();
            }
        } finally {
            Docker.run(List.of("docker", "rm", container), Map.of(), Duration.ofSeconds(30));
        }
    }

    /** Whether {@code path} exists in the (created, not started) container: {@code docker cp} of it to a scratch folder. */
    private static boolean present(String container, String path) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("gantry-cp-");
            Docker.Result r = Docker.run(List.of("docker", "cp", container + ":" + path, dir.toString()), Map.of(),
                    Duration.ofSeconds(60));
            if (r.exitCode() == 0) return true;
            assertThat(r.output()).as("docker cp %s: fails only because the file is not there", path)
                    .containsAnyOf("No such container:path", "Could not find the file");
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder; the OS cleans up
        }
    }

    private static JsonNode inspect(String image) {
        Docker.Result r = Docker.run(List.of("docker", "image", "inspect", image), Map.of(), Duration.ofSeconds(30))
                .requireSuccess("docker image inspect " + image);
        try {
            return JSON.readTree(r.output()).get(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
