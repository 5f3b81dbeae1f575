package dev.gantry.actiontests.containers;

import dev.gantry.actiontests.harness.Project;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release (release/release.sh, called by .github/workflows/release.yml) pushes to the registry every
 * {@code runs.image} names, for every action folder. That each {@code runs.image} names this version's image is
 * {@code release.VersionStoryTest}.
 */
class ImageReferenceTest {
    /** GHCR under the project's repository: {@code ghcr.io/<owner>/<repo>/<action>}. */
    static final String REGISTRY = "ghcr.io/gantry-actions/gantry";

    @Test
    void everyActionFolderIsKnownToTheTests() throws IOException {
        try (Stream<java.nio.file.Path> dirs = Files.list(Project.root().resolve("actions"))) {
            assertThat(dirs.filter(d -> Files.exists(d.resolve("action.yml"))).map(d -> d.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Project.actionNames());
        }
    }

    /** The release pushes to the registry the action.yml files pull from. */
    @Test
    void theReleasePushesWhereTheActionsPull() throws IOException {
        Matcher m = Pattern.compile("(?m)^\\s+REGISTRY:\\s*(\\S+)\\s*$")
                .matcher(Files.readString(Project.root().resolve(".github/workflows/release.yml")));
        assertThat(m.find()).as("env REGISTRY in release.yml").isTrue();
        assertThat(m.group(1)).isEqualTo(REGISTRY);
        assertThat(Files.readString(Project.root().resolve("release/release.sh")))
                .contains("REGISTRY=${REGISTRY:-" + REGISTRY + "}");
    }

    /**
     * The release script builds the image of every folder with an action.yml; the workflow attests each of them
     * and creates the GitHub Release of each action's repository: neither list may miss one.
     */
    @Test
    void theReleaseCoversEveryActionFolder() throws IOException {
        String script = Files.readString(Project.root().resolve("release/release.sh"));
        assertThat(script).contains("for d in */action.yml; do");
        String workflow = Files.readString(Project.root().resolve(".github/workflows/release.yml"));
        Matcher matrix = Pattern.compile("(?m)^\\s+action: \\[([^]]+)]").matcher(workflow);
        assertThat(matrix.find()).as("the attest job's matrix").isTrue();
        assertThat(matrix.group(1).split(",\\s*")).containsExactlyElementsOf(Project.actionNames());
        for (String action : Project.actionNames()) {
            assertThat(workflow).as("the GitHub Release of gantry-actions/%s", action).containsPattern("gantry-actions/" + action + "(?![\\w-])");
        }
    }
}
