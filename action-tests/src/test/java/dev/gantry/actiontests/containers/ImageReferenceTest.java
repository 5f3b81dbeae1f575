package dev.gantry.actiontests.containers;

import dev.gantry.actiontests.harness.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every action points at its prebuilt image for exactly this version: {@code runs.image} is
 * {@code docker://<registry>/<action>:<project version>}, so a release tag (which must equal the project
 * version) publishes the images its own action.yml files pull.
 */
class ImageReferenceTest {
    /** GHCR under the project's repository: {@code ghcr.io/<owner>/<repo>/<action>}. */
    static final String REGISTRY = "ghcr.io/gantry-actions/gantry";

    static Stream<String> actions() {
        return Project.actionNames().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void runsImageIsThePublishedImageOfThisVersion(String action) {
        assertThat(ActionImages.declaredImage(action))
                .as("runs.image of actions/%s/action.yml", action)
                .isEqualTo("docker://" + REGISTRY + "/" + action + ":" + ActionImages.projectVersion());
    }

    @Test
    void everyActionFolderIsKnownToTheTests() throws IOException {
        try (Stream<java.nio.file.Path> dirs = Files.list(Project.root().resolve("actions"))) {
            assertThat(dirs.filter(d -> Files.exists(d.resolve("action.yml"))).map(d -> d.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Project.actionNames());
        }
    }

    /** The release workflow pushes to the registry the action.yml files pull from. */
    @Test
    void theReleaseWorkflowPushesWhereTheActionsPull() throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s+REGISTRY:\\s*(\\S+)\\s*$")
                .matcher(Files.readString(Project.root().resolve(".github/workflows/release.yml")));
        assertThat(m.find()).as("env REGISTRY in release.yml").isTrue();
        assertThat(m.group(1)).isEqualTo(REGISTRY);
    }

    /** The release builds the image of every folder with an action.yml. */
    @Test
    void theReleaseWorkflowBuildsTheImageOfEveryActionFolderOnly() throws IOException {
        String release = Files.readString(Project.root().resolve(".github/workflows/release.yml"));
        assertThat(release).containsPattern("(?m)^\\s+for (\\w+) in actions/\\*/action\\.yml; do")
                .doesNotContainPattern("actions/\\*/[;\\s]");
    }
}
