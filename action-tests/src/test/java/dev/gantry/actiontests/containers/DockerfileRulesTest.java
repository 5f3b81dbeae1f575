package dev.gantry.actiontests.containers;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.actiontests.harness.Project;
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

/**
 * What every action Dockerfile must be, checked without a Docker engine: classic syntax (the legacy builder here
 * and any builder on a runner can build it), root and no WORKDIR (the runner's rules), an exec-form ENTRYPOINT
 * that starts this action's {@code Main} with the AOT cache, a training run of that same {@code Main}, only the
 * jar and runtime dependencies from the action's own folder, and base images that {@code .ci/setup-docker} can
 * stand in for where no registry is reachable.
 */
class DockerfileRulesTest {
    private static final Pattern FROM = Pattern.compile("(?im)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");
    private static final Pattern STANDIN = Pattern.compile("(?m)^standin\\s+(\\S+)\\s");

    static Stream<String> actions() {
        return Project.actionNames().stream();
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
        assertThat(ins).as("root: no USER").noneMatch(i -> i.toUpperCase().startsWith("USER "));
        assertThat(ins).as("no WORKDIR (the runner passes --workdir)").noneMatch(i -> i.toUpperCase().startsWith("WORKDIR "));
        assertThat(ins).as("no CMD (it would become arguments)").noneMatch(i -> i.toUpperCase().startsWith("CMD "));
        assertThat(text).as("says why it chose its base").contains("# Base:");

        List<String> entrypoints = ins.stream().filter(i -> i.startsWith("ENTRYPOINT ")).toList();
        assertThat(entrypoints).hasSize(1);
        List<String> entrypoint = List.of(new ObjectMapper().readValue(entrypoints.get(0).substring("ENTRYPOINT ".length()), String[].class));
        assertThat(entrypoint).as("exec form").first().isEqualTo("/opt/gantry/jre/bin/java");
        assertThat(entrypoint).contains("-XX:AOTCache=/opt/gantry/app.aot", "@/opt/gantry/jvm.args").last().isEqualTo(main);

        assertThat(ins).as("a training run of the same Main writes the AOT cache")
                .anyMatch(i -> i.startsWith("RUN ") && i.contains("-XX:AOTCacheOutput=/opt/gantry/app.aot")
                        && i.contains("@/opt/gantry/jvm.args " + main));
        assertThat(ins).as("jlink builds the runtime from jdeps' modules plus jdk.crypto.ec")
                .anyMatch(i -> i.startsWith("RUN ") && i.contains("jdeps ") && i.contains("jlink ") && i.contains("jdk.crypto.ec"));

        List<String> copies = ins.stream().filter(i -> i.startsWith("COPY ") && !i.startsWith("COPY --from=")).toList();
        assertThat(copies).as("only the jar and its runtime dependencies, from the action's own folder")
                .containsExactlyInAnyOrder("COPY target/lib/ /opt/gantry/lib/",
                        "COPY target/" + action + ".jar /opt/gantry/" + action + ".jar");
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
}
