package dev.gantry.actiontests.containers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.actiontests.harness.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every action Dockerfile must be, checked without a Docker engine: classic syntax (the legacy builder here
 * and any builder on a runner can build it), root and no WORKDIR (the runner's rules), an exec-form ENTRYPOINT
 * that starts this action's {@code Main} with the AOT cache, a training run of that same {@code Main}, only the
 * jar, its runtime dependencies and the shared build scripts from the action's own folder, and the base images
 * the project chose, each of which {@code .ci/setup-docker} can stand in for where no registry is reachable.
 *
 * <p>The steps all images share live once in {@code common/image/} ({@code runtime.sh}: jlink'ed runtime and
 * {@code jvm.args}; {@code train.sh}: the AOT training run), copied into each action's {@code target/image/} by
 * {@code package}: every Dockerfile must run every one of them, and none may carry its own copy of their steps.
 */
class DockerfileRulesTest {
    private static final Pattern FROM = Pattern.compile("(?im)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static final Pattern STANDIN = Pattern.compile("(?m)^standin\\s+(\\S+)\\s");
    /** Where the build stage puts {@code target/image/}. */
    private static final String SCRIPTS = "/build/";
    /** The stages of every image, in order: build, locale, runtime. */
    private static final List<String> STAGES = List.of("FROM eclipse-temurin:25-jdk AS build",
            "FROM debian:bookworm-slim AS locale", "FROM gcr.io/distroless/base-nossl-debian12");
    /** Steps of the shared scripts that a Dockerfile must not run itself (it would be a second copy of them). */
    private static final List<Pattern> SHARED_STEPS = Stream.of("\\bjdeps\\b", "\\bjlink\\b", "\\bstrip\\b",
                    "\\bjwebserver\\b", "-XX:AOTCacheOutput", "jvm\\.args", "\\bGITHUB_\\w+=", "/opt/gantry/jre/")
            .map(Pattern::compile).toList();

    static Stream<String> actions() {
        return Project.actionNames().stream();
    }

    static Path imageDir() {
        return Project.root().resolve("common/image");
    }

    /** The shared build-stage scripts ({@code common/image/*.sh}). */
    static List<String> sharedScripts() throws IOException {
        try (Stream<Path> s = Files.list(imageDir())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sh")).sorted().toList();
        }
    }

    /** Dockerfile instructions, continuation lines joined, comments dropped. */
    static List<String> instructions(Path dockerfile) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : Files.readAllLines(dockerfile)) {
            if (cur.isEmpty() && (line.isBlank() || line.stripLeading().startsWith("#"))) continue;
            if (line.endsWith("\\")) {
                cur.append(line, 0, line.length() - 1).append(' ');
            } else {
                out.add(cur.append(line).toString().strip());
                cur.setLength(0);
            }
        }
        if (!cur.isEmpty()) out.add(cur.toString().strip());
        return out;
    }

    /** The instructions of each stage, its FROM first. */
    static List<List<String>> stages(List<String> instructions) {
        List<List<String>> stages = new ArrayList<>();
        for (String i : instructions) {
            if (i.toUpperCase().startsWith("FROM ")) stages.add(new ArrayList<>());
            assertThat(stages).as("nothing before the first FROM: %s", i).isNotEmpty();
            stages.get(stages.size() - 1).add(i);
        }
        return stages;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void dockerfileFollowsTheRules(String action) throws IOException {
        Path file = Project.actionDir(action).resolve("Dockerfile");
        assertThat(file).exists();
        String text = Files.readString(file);
        List<String> ins = instructions(file);
        String main = "dev.gantry." + Project.ACTIONS.get(action) + ".Main";

        assertThat(text).as("no parser directive (BuildKit frontends)").doesNotContainPattern("(?m)^#\\s*syntax=");
        assertThat(ins).as("no BuildKit-only RUN flags or heredocs")
                .noneMatch(i -> i.matches("(?s)RUN\\s+--.*") || i.matches("(?s)(RUN|COPY)\\s.*<<-?\\s*['\"]?[A-Z]+.*"));
        assertThat(ins).as("COPY takes no flag but --from=<stage> (no --chmod, --link: BuildKit); no ADD")
                .noneMatch(i -> i.matches("(?s)COPY\\s+--(?!from=\\w+\\s).*") || i.toUpperCase().startsWith("ADD "));
        assertThat(ins).as("root: no USER").noneMatch(i -> i.toUpperCase().startsWith("USER "));
        assertThat(ins).as("no WORKDIR (the runner passes --workdir)").noneMatch(i -> i.toUpperCase().startsWith("WORKDIR "));
        assertThat(ins).as("no CMD (it would become arguments)").noneMatch(i -> i.toUpperCase().startsWith("CMD "));
        assertThat(text).as("points to where the shared steps and the choice of bases are explained")
                .contains("common/image/README.md");

        List<List<String>> stages = stages(ins);
        assertThat(stages).as("stages").extracting(s -> s.get(0)).containsExactlyElementsOf(STAGES);
        List<String> build = stages.get(0);
        List<String> locale = stages.get(1);
        List<String> runtime = stages.get(2);

        // build stage: the jar, its dependencies and the shared scripts in; the scripts run with this action's values
        assertThat(build).as("the build stage is labelled, so the tests and the benchmark can prune it")
                .contains("LABEL dev.gantry.stage=build");
        List<String> copies = ins.stream().filter(i -> i.startsWith("COPY ") && !i.startsWith("COPY --from=")).toList();
        List<String> expected = new ArrayList<>(List.of("COPY target/lib/ /opt/gantry/lib/",
                "COPY target/" + action + ".jar /opt/gantry/" + action + ".jar", "COPY target/image/ " + SCRIPTS));
        if (Files.isDirectory(Project.actionDir(action).resolve("aot-training"))) {
            // an action's own training workspace (checked-in files the training run works on)
            expected.add("COPY aot-training/ /tmp/aot/workspace/");
        }
        assertThat(copies).as("only the jar, its runtime dependencies, the shared scripts and the action's own"
                + " training workspace, from the action's own folder").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(build).containsAll(copies);
        List<String> runs = build.stream().filter(i -> i.startsWith("RUN ")).map(DockerfileRulesTest::squeeze).toList();
        assertThat(runs).as("two RUNs: the runtime, then the training run").hasSize(2);
        assertThat(runs.get(0)).as("runtime.sh makes the runtime and jvm.args from this action's jar")
                .isEqualTo("RUN sh " + SCRIPTS + "runtime.sh " + action + ".jar");
        assertThat(runs.get(1)).as("the training run of the same Main writes the AOT cache: train.sh is the RUN's last "
                        + "command (its exit status fails the build), after `set -eu` when files are written first")
                .matches("RUN (set -eu;.*;\\s*)?sh " + Pattern.quote(SCRIPTS + "train.sh " + main) + "( --input \\S+=\\S+)+");
        for (Pattern step : SHARED_STEPS) {
            assertThat(ins).as("no second copy of the shared scripts' steps (%s) in the Dockerfile", step)
                    .noneMatch(i -> i.startsWith("RUN ") && step.matcher(i).find());
        }
        assertThat(ins.stream().filter(i -> i.startsWith("RUN ")).map(DockerfileRulesTest::squeeze).toList())
                .as("RUN only in the build stage").containsExactlyElementsOf(runs);

        assertThat(locale).as("the locale stage only provides files").hasSize(1);
        assertThat(runtime.stream().map(DockerfileRulesTest::squeeze)).as("runtime stage").containsExactly(
                STAGES.get(2),
                "LABEL org.opencontainers.image.source=\"https://github.com/gantry-actions/gantry\""
                        + " org.opencontainers.image.description=\"" + description(runtime) + "\""
                        + " org.opencontainers.image.licenses=\"Apache-2.0\"",
                "COPY --from=locale /usr/lib/locale/C.utf8/ /usr/lib/locale/C.utf8/",
                "COPY --from=build /opt/gantry/ /opt/gantry/",
                "ENV LANG=C.UTF-8",
                runtime.get(runtime.size() - 1));
        assertThat(description(runtime)).as("image description").startsWith("Gantry " + action + ": ");

        List<String> entrypoints = ins.stream().filter(i -> i.startsWith("ENTRYPOINT ")).toList();
        assertThat(entrypoints).hasSize(1);
        List<String> entrypoint = List.of(new ObjectMapper().readValue(entrypoints.get(0).substring("ENTRYPOINT ".length()), String[].class));
        assertThat(entrypoint).as("exec form").containsExactly(
                "/opt/gantry/jre/bin/java", "-XX:AOTCache=/opt/gantry/app.aot", "@/opt/gantry/jvm.args", main);
    }

    /** Runs of blanks as one space (continuation lines keep their indentation when joined). */
    private static String squeeze(String instruction) {
        return instruction.replaceAll("\\s+", " ");
    }

    private static String description(List<String> runtimeStage) {
        Matcher m = Pattern.compile("org\\.opencontainers\\.image\\.description=\"([^\"]+)\"").matcher(
                runtimeStage.stream().filter(i -> i.startsWith("LABEL ")).findFirst().orElse(""));
        return m.find() ? m.group(1) : "";
    }

    /** Every shared script is run by every Dockerfile (none is dead, none is skipped by one action). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void everyDockerfileRunsEverySharedScript(String action) throws IOException {
        List<String> runs = instructions(Project.actionDir(action).resolve("Dockerfile")).stream()
                .filter(i -> i.startsWith("RUN ")).toList();
        assertThat(sharedScripts()).as("common/image/*.sh").isNotEmpty();
        for (String script : sharedScripts()) {
            assertThat(runs).as("a RUN of %s", script)
                    .anyMatch(r -> Pattern.compile("(^RUN |;\\s*)sh " + Pattern.quote(SCRIPTS + script) + " ").matcher(r).find());
        }
    }

    /**
     * {@code package} copied the shared scripts unchanged into the build context ({@code target/image/}), so the
     * image is built from the scripts in {@code common/image/}, not from stale ones. Skipped outside a reactor
     * build (no {@code target/} yet).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void packageCopiesTheSharedScriptsIntoTheBuildContext(String action) throws IOException {
        Path target = Project.actionDir(action).resolve("target");
        assumeTrue(Files.isRegularFile(target.resolve(action + ".jar")),
                "actions/" + action + " is not packaged here (run through the reactor: ./mvnw -pl action-tests -am verify)");
        for (String script : sharedScripts()) {
            Path copy = target.resolve("image").resolve(script);
            assertThat(copy).as("target/image/%s (the action-image profile of the parent pom)", script).exists();
            assertThat(Files.mismatch(copy, imageDir().resolve(script))).as("%s is a current copy", copy).isEqualTo(-1L);
        }
    }

    /** What the Dockerfiles rely on the shared scripts for. */
    @Test
    void sharedScriptsDoWhatTheDockerfilesRelyOn() throws IOException {
        assertThat(sharedScripts()).containsExactly("runtime.sh", "train.sh");
        for (String script : sharedScripts()) {
            List<String> lines = Files.readAllLines(imageDir().resolve(script)).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            assertThat(lines).as(script).first().as("%s stops at the first failing command", script).isEqualTo("set -eu");
            assertThat(String.join("\n", lines)).as("%s is POSIX sh (the stand-in JDK image has dash only)", script)
                    .doesNotContain("[[", "<<<", "pipefail", "function ", "source ", "${BASH");
        }
        String runtime = Files.readString(imageDir().resolve("runtime.sh"));
        assertThat(runtime).as("runtime.sh")
                .contains("> /opt/gantry/jvm.args")
                .contains("jdeps --ignore-missing-deps -q --multi-release 25 --print-module-deps")
                .contains("jlink --add-modules \"$deps,jdk.crypto.ec\" --strip-debug")
                .contains("--output /opt/gantry/jre")
                .contains("rm -f /opt/gantry/jre/lib/jrt-fs.jar /opt/gantry/jre/lib/classlist")
                .contains("strip --strip-unneeded /opt/gantry/jre/lib/server/libjvm.so");
        String train = Files.readString(imageDir().resolve("train.sh"));
        assertThat(train).as("train.sh")
                .contains("jwebserver -b 127.0.0.1 ")
                .contains("/opt/gantry/jre/bin/java -XX:AOTCacheOutput=/opt/gantry/app.aot @/opt/gantry/jvm.args \"$main\" \"$@\"")
                .contains("[ -s /opt/gantry/app.aot ] || {")
                .doesNotContain("GITHUB_ACTIONS=");
    }

    /** The base-image choices the Dockerfiles no longer repeat are explained once, beside the scripts. */
    @Test
    void theSharedReadmeExplainsTheBases() throws IOException {
        String readme = Files.readString(imageDir().resolve("README.md"));
        assertThat(readme).contains("**Base: `gcr.io/distroless/base-nossl-debian12`.**", "C.UTF-8",
                "exec-form", "runtime.sh", "train.sh");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void everyBaseImageHasALocalStandIn(String action) throws IOException {
        Set<String> standIns = new HashSet<>();
        Matcher s = STANDIN.matcher(Files.readString(Project.root().resolve(".ci/setup-docker")));
        while (s.find()) standIns.add(s.group(1));

        Set<String> stages = new HashSet<>();
        Matcher m = FROM.matcher(Files.readString(Project.actionDir(action).resolve("Dockerfile")));
        int froms = 0;
        while (m.find()) {
            froms++;
            String image = m.group(1);
            if (!stages.contains(image)) {
                assertThat(standIns).as("FROM %s needs a stand-in in .ci/setup-docker", image).contains(image);
            }
            if (m.group(2) != null) stages.add(m.group(2));
        }
        assertThat(froms).isGreaterThanOrEqualTo(2);
    }

    /** A folder under actions/ is an action: it has action.yml, and the tests know it. */
    @Test
    void actionsHoldsOnlyActions() throws IOException {
        try (Stream<Path> dirs = Files.list(Project.root().resolve("actions"))) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                String name = d.getFileName().toString();
                assertThat(d.resolve("action.yml")).as("actions/%s/action.yml", name).exists();
                assertThat(Project.actionNames()).as("actions/%s", name).contains(name);
            }
        }
    }
}
