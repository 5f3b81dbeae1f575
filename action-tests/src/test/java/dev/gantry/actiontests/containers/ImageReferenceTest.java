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

    static Stream<String> actions() {
        return Project.actionNames().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void runsImageIsThePublishedImageOfThisVersion(String action) {
        assertThat(ActionImages.declaredImage(action))
                .as("runs.image of actions/%s/action.yml", action)
                .isEqualTo("docker://" + registry() + "/" + action + ":" + ActionImages.projectVersion());
    }

    @Test
    void everyActionFolderIsKnownToTheTests() throws IOException {
        try (Stream<java.nio.file.Path> dirs = Files.list(Project.root().resolve("actions"))) {
            assertThat(dirs.filter(d -> Files.exists(d.resolve("action.yml"))).map(d -> d.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(Project.actionNames());
        }
    }

    @Test
    void registryIsGhcrUnderTheProjectRepository() {
        assertThat(registry()).isEqualTo("ghcr.io/gantry-actions/gantry");
    }

    /** {@code gantry.image.registry} in the parent pom. */
    static String registry() {
        try {
            Matcher m = Pattern.compile("<gantry\\.image\\.registry>([^<]+)</gantry\\.image\\.registry>")
                    .matcher(Files.readString(Project.root().resolve("pom.xml")));
            assertThat(m.find()).as("gantry.image.registry in pom.xml").isTrue();
            return m.group(1).strip();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
