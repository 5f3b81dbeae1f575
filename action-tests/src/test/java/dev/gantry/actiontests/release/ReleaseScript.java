package dev.gantry.actiontests.release;

import dev.gantry.actiontests.containers.Docker;
import dev.gantry.actiontests.harness.Project;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** release/release.sh of a tree (the project's own, or a copy the test releases), run as a child process. */
final class ReleaseScript {
    private ReleaseScript() {
    }

    /** The script's exit code and everything it printed (stdout and stderr interleaved). */
    record Run(int exitCode, String output) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n" + output;
        }
    }

    static Run run(Path root, Map<String, String> env, Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("release/release.sh").toString()));
        command.addAll(List.of(args));
        Docker.Result r = Docker.run(command, env, timeout);
        return new Run(r.exitCode(), r.output());
    }

    /** A function of the script, called with {@code source}: {@code bash -c 'source release.sh; <shell>'}. */
    static Run function(Map<String, String> env, String shell) {
        Docker.Result r = Docker.run(List.of("bash", "-c", "set -euo pipefail; source \""
                + Project.root().resolve("release/release.sh") + "\"; " + shell), env, Duration.ofSeconds(30));
        return new Run(r.exitCode(), r.output());
    }
}
