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
 * jar, its runtime dependencies and the shared build scripts from the action's own folder, and the shared runtime
 * image as the base, whose own Dockerfile ({@code common/image/Dockerfile}) names base images each of which
 * {@code .ci/setup-docker} can stand in for where no registry is reachable.
 *
 * <p>What all images share lives once in {@code common/image/}: the runtime image (one Java runtime of the
 * modules in {@code jre-modules}, made by {@code runtime.sh}, with glibc and the locale: the layers a runner pulls
 * once for every action), and the build-stage scripts every action image runs ({@code app.sh}: {@code jvm.args}
 * and the module check; {@code train.sh}: the AOT training run against that very runtime), copied into each
 * action's {@code target/image/} by {@code package}. No Dockerfile carries its own copy of their steps.
 */
class DockerfileRulesTest {
    private static final Pattern FROM = Pattern.compile("(?im)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static final Pattern STANDIN = Pattern.compile("(?m)^standin\\s+(\\S+)\\s");
    /** Where the build stage puts {@code target/image/}. */
    private static final String SCRIPTS = "/build/";
    /** The runtime image every action image starts from, as the Dockerfiles name it (built from common/image). */
    static final String RUNTIME = "localhost/gantry/runtime";
    /** The stages of every action image, in order: the runtime image, build, the image itself (on the runtime). */
    private static final List<String> STAGES = List.of("FROM " + RUNTIME + " AS runtime",
            "FROM eclipse-temurin:25-jdk AS build", "FROM runtime");
    /** The stages of the runtime image: build (jlink), locale, the image (distroless). */
    private static final List<String> RUNTIME_STAGES = List.of("FROM eclipse-temurin:25-jdk AS build",
            "FROM debian:bookworm-slim AS locale", "FROM gcr.io/distroless/base-nossl-debian12");
    /** The scripts an action image's build stage runs (copied to target/image/); runtime.sh is the runtime image's. */
    private static final List<String> ACTION_SCRIPTS = List.of("app.sh", "train.sh");
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
        assertThat(stages).as("stages").extracting(st -> st.get(0)).containsExactlyElementsOf(STAGES);
        assertThat(stages.get(0)).as("the runtime stage only names the runtime image").hasSize(1);
        List<String> build = stages.get(1);
        List<String> runtime = stages.get(2);

        // build stage: the shared runtime, the jar, its dependencies and the shared scripts in; the scripts run
        // with this action's values
        assertThat(build).as("the build stage is labelled, so the tests and the benchmark can prune it")
                .contains("LABEL dev.gantry.stage=build");
        assertThat(build).as("the training run uses the runtime the image starts with (an AOT cache fits one runtime)")
                .contains("COPY --from=runtime /opt/gantry/jre/ /opt/gantry/jre/");
        List<String> copies = ins.stream().filter(i -> i.startsWith("COPY ") && !i.startsWith("COPY --from=")).toList();
        List<String> expected = new ArrayList<>(List.of("COPY target/lib/ /opt/gantry/app/lib/",
                "COPY target/" + action + ".jar /opt/gantry/app/" + action + ".jar", "COPY target/image/ " + SCRIPTS));
        if (Files.isDirectory(Project.actionDir(action).resolve("aot-training"))) {
            // an action's own training workspace (checked-in files the training run works on)
            expected.add("COPY aot-training/ /tmp/aot/workspace/");
        }
        assertThat(copies).as("only the jar, its runtime dependencies, the shared scripts and the action's own"
                + " training workspace, from the action's own folder").containsExactlyInAnyOrderElementsOf(expected);
        assertThat(build).containsAll(copies);
        List<String> runs = build.stream().filter(i -> i.startsWith("RUN ")).map(DockerfileRulesTest::squeeze).toList();
        assertThat(runs).as("two RUNs: the JVM options, then the training run").hasSize(2);
        assertThat(runs.get(0)).as("app.sh writes jvm.args and checks the runtime's modules for this action's jar")
                .isEqualTo("RUN sh " + SCRIPTS + "app.sh " + action + ".jar");
        assertThat(runs.get(1)).as("the training run of the same Main writes the AOT cache: train.sh is the RUN's last "
                        + "command (its exit status fails the build), after `set -eu` when files are written first")
                .matches("RUN (set -eu;.*;\\s*)?sh " + Pattern.quote(SCRIPTS + "train.sh " + main) + "( --input \\S+=\\S+)+");
        for (Pattern step : SHARED_STEPS) {
            assertThat(ins).as("no second copy of the shared scripts' steps (%s) in the Dockerfile", step)
                    .noneMatch(i -> i.startsWith("RUN ") && step.matcher(i).find());
        }
        assertThat(ins.stream().filter(i -> i.startsWith("RUN ")).map(DockerfileRulesTest::squeeze).toList())
                .as("RUN only in the build stage").containsExactlyElementsOf(runs);

        assertThat(runtime.stream().map(DockerfileRulesTest::squeeze)).as("the image: the runtime image and the app layer").containsExactly(
                STAGES.get(2),
                "LABEL org.opencontainers.image.source=\"https://github.com/gantry-actions/gantry\""
                        + " org.opencontainers.image.description=\"" + description(runtime) + "\""
                        + " org.opencontainers.image.licenses=\"Apache-2.0\"",
                "COPY --from=build /opt/gantry/app/ /opt/gantry/app/",
                runtime.get(runtime.size() - 1));
        assertThat(description(runtime)).as("image description").startsWith("Gantry " + action + ": ");

        List<String> entrypoints = ins.stream().filter(i -> i.startsWith("ENTRYPOINT ")).toList();
        assertThat(entrypoints).hasSize(1);
        List<String> entrypoint = List.of(new ObjectMapper().readValue(entrypoints.get(0).substring("ENTRYPOINT ".length()), String[].class));
        assertThat(entrypoint).as("exec form").containsExactly(
                "/opt/gantry/jre/bin/java", "-XX:AOTCache=/opt/gantry/app/app.aot", "@/opt/gantry/app/jvm.args", main);
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

    /** Every action Dockerfile runs both action scripts; the runtime image runs runtime.sh (none is dead). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void everyDockerfileRunsEverySharedScript(String action) throws IOException {
        List<String> runs = instructions(Project.actionDir(action).resolve("Dockerfile")).stream()
                .filter(i -> i.startsWith("RUN ")).toList();
        for (String script : ACTION_SCRIPTS) {
            assertThat(runs).as("a RUN of %s", script)
                    .anyMatch(r -> Pattern.compile("(^RUN |;\\s*)sh " + Pattern.quote(SCRIPTS + script) + " ").matcher(r).find());
        }
    }

    /**
     * The runtime image: the jlink'ed runtime of jre-modules on distroless with the C.UTF-8 locale, and nothing of
     * any one action; classic syntax, root, no WORKDIR, no ENTRYPOINT or CMD (each action image sets its own).
     */
    @Test
    void theRuntimeImageHoldsOnlyWhatEveryActionShares() throws IOException {
        Path file = imageDir().resolve("Dockerfile");
        List<String> ins = instructions(file);
        List<List<String>> stages = stages(ins);
        assertThat(stages).extracting(st -> st.get(0)).containsExactlyElementsOf(RUNTIME_STAGES);
        assertThat(stages.get(0).stream().map(DockerfileRulesTest::squeeze)).containsExactly(RUNTIME_STAGES.get(0),
                "LABEL dev.gantry.stage=build", "COPY jre-modules runtime.sh " + SCRIPTS, "RUN sh " + SCRIPTS + "runtime.sh");
        assertThat(stages.get(1)).as("the locale stage only provides files").hasSize(1);
        assertThat(stages.get(2).stream().map(DockerfileRulesTest::squeeze)).containsExactly(RUNTIME_STAGES.get(2),
                "LABEL org.opencontainers.image.source=\"https://github.com/gantry-actions/gantry\""
                        + " org.opencontainers.image.description=\"Gantry runtime: the Java runtime every Gantry action image starts from\""
                        + " org.opencontainers.image.licenses=\"Apache-2.0\"",
                "COPY --from=locale /usr/lib/locale/C.utf8/ /usr/lib/locale/C.utf8/",
                "COPY --from=build /opt/gantry/jre/ /opt/gantry/jre/",
                "ENV LANG=C.UTF-8");
        assertThat(Files.readString(file)).doesNotContainPattern("(?m)^#\\s*syntax=");
    }

    /**
     * The runtime holds every module any action needs: jdeps over each packaged action (its jar and runtime
     * dependencies) finds nothing jre-modules lacks. (app.sh makes the same check inside each image build; this
     * one answers without Docker.) Skipped outside a reactor build.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void theSharedRuntimeHasEveryModuleTheActionUses(String action) throws IOException {
        Path target = Project.actionDir(action).resolve("target");
        Path jar = target.resolve(action + ".jar");
        assumeTrue(Files.isRegularFile(jar) && Files.isDirectory(target.resolve("lib")),
                "actions/" + action + " is not packaged here (run through the reactor: ./mvnw -pl action-tests -am verify)");
        StringBuilder cp = new StringBuilder(jar.toString());
        try (Stream<Path> libs = Files.list(target.resolve("lib"))) {
            libs.sorted().forEach(l -> cp.append(java.io.File.pathSeparator).append(l));
        }
        java.util.spi.ToolProvider jdeps = java.util.spi.ToolProvider.findFirst("jdeps").orElseThrow();
        java.io.StringWriter out = new java.io.StringWriter();
        int rc = jdeps.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), "--ignore-missing-deps", "-q",
                "--multi-release", "25", "--print-module-deps", "--class-path", cp.toString(), jar.toString());
        assertThat(rc).as(out.toString()).isZero();
        List<String> modules = Files.readAllLines(imageDir().resolve("jre-modules")).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertThat(modules).as("common/image/jre-modules").contains("java.base", "jdk.crypto.ec");
        String[] lines = out.toString().strip().split("\n");
        assertThat(modules).as("jre-modules holds what jdeps finds in %s", action)
                .containsAll(List.of(lines[lines.length - 1].strip().split(",")));
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
        for (String script : ACTION_SCRIPTS) {
            Path copy = target.resolve("image").resolve(script);
            assertThat(copy).as("target/image/%s (the action-image profile of the parent pom)", script).exists();
            assertThat(Files.mismatch(copy, imageDir().resolve(script))).as("%s is a current copy", copy).isEqualTo(-1L);
        }
    }

    /** What the Dockerfiles rely on the shared scripts for. */
    @Test
    void sharedScriptsDoWhatTheDockerfilesRelyOn() throws IOException {
        assertThat(sharedScripts()).containsExactly("app.sh", "runtime.sh", "train.sh");
        for (String script : sharedScripts()) {
            List<String> lines = Files.readAllLines(imageDir().resolve(script)).stream()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
            assertThat(lines).as(script).first().as("%s stops at the first failing command", script).isEqualTo("set -eu");
            assertThat(String.join("\n", lines)).as("%s is POSIX sh (the stand-in JDK image has dash only)", script)
                    .doesNotContain("[[", "<<<", "pipefail", "function ", "source ", "${BASH");
        }
        String runtime = Files.readString(imageDir().resolve("runtime.sh"));
        assertThat(runtime).as("runtime.sh")
                .contains("done < /build/jre-modules")
                .contains("jlink --add-modules \"$modules\" --strip-debug")
                .contains("--output /opt/gantry/jre")
                .contains("rm -f /opt/gantry/jre/lib/jrt-fs.jar /opt/gantry/jre/lib/classlist")
                .contains("strip --strip-unneeded /opt/gantry/jre/lib/server/libjvm.so");
        String app = Files.readString(imageDir().resolve("app.sh"));
        assertThat(app).as("app.sh")
                .contains("> /opt/gantry/app/jvm.args")
                .contains("jdeps --ignore-missing-deps -q --multi-release 25 --print-module-deps")
                .contains("/opt/gantry/jre/bin/java --list-modules")
                .contains("exit 1");
        String train = Files.readString(imageDir().resolve("train.sh"));
        assertThat(train).as("train.sh")
                .contains("jwebserver -b 127.0.0.1 ")
                .contains("/opt/gantry/jre/bin/java -XX:AOTCacheOutput=/opt/gantry/app/app.aot @/opt/gantry/app/jvm.args \"$main\" \"$@\"")
                .contains("[ -s /opt/gantry/app/app.aot ] || {")
                .doesNotContain("GITHUB_ACTIONS=");
    }

    /** The base-image choices the Dockerfiles no longer repeat are explained once, beside the scripts. */
    @Test
    void theSharedReadmeExplainsTheBases() throws IOException {
        String readme = Files.readString(imageDir().resolve("README.md"));
        assertThat(readme).contains("**Base: `gcr.io/distroless/base-nossl-debian12`.**", "C.UTF-8",
                "exec-form", "runtime.sh", "app.sh", "train.sh", "jre-modules");
    }

    /** Every image an action Dockerfile names is the runtime image (built here) or one of its stages. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void everyActionImageStartsFromTheRuntimeImage(String action) throws IOException {
        Set<String> named = fromImages(Project.actionDir(action).resolve("Dockerfile"));
        assertThat(named).as("images named by FROM (besides stages)").containsExactlyInAnyOrder(RUNTIME, "eclipse-temurin:25-jdk");
    }

    /** Every base image the Dockerfiles pull has a local stand-in in .ci/setup-docker (no registry here). */
    @Test
    void everyBaseImageHasALocalStandIn() throws IOException {
        Set<String> standIns = new HashSet<>();
        Matcher s = STANDIN.matcher(Files.readString(Project.root().resolve(".ci/setup-docker")));
        while (s.find()) standIns.add(s.group(1));
        Set<String> pulled = new HashSet<>(fromImages(imageDir().resolve("Dockerfile")));
        for (String action : Project.actionNames()) pulled.addAll(fromImages(Project.actionDir(action).resolve("Dockerfile")));
        pulled.remove(RUNTIME);
        assertThat(pulled).isNotEmpty();
        assertThat(standIns).as("stand-ins in .ci/setup-docker").containsAll(pulled);
    }

    /** The images a Dockerfile's FROM lines name, stage names left out. */
    private static Set<String> fromImages(Path dockerfile) throws IOException {
        Set<String> stages = new HashSet<>();
        Set<String> images = new HashSet<>();
        Matcher m = FROM.matcher(Files.readString(dockerfile));
        while (m.find()) {
            if (!stages.contains(m.group(1))) images.add(m.group(1));
            if (m.group(2) != null) stages.add(m.group(2));
        }
        return images;
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
