package dev.gantry.actiontests.release;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.actiontests.harness.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One version story: the project version in pom.xml is what a release tags ({@code v1.0.0}) and the major tag it
 * moves ({@code v1}); every {@code runs.image} names that version's image; and every place a user copies a
 * reference from (the READMEs, the example workflows, the release notes the script writes, the code) names that
 * major, whether as {@code gantry-actions/gantry/actions/<name>@vN[.x.y]}, the listing's
 * {@code gantry-actions/<name>@vN[.x.y]} or an image tag {@code ghcr.io/gantry-actions/gantry/<name>:N.x.y}.
 * A README that said {@code @v0} while the release moves {@code v1} would send a new user to a tag that does not
 * exist.
 */
class VersionStoryTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern USES = Pattern.compile(
            "gantry-actions/(?:gantry/actions/)?([a-z][a-z0-9-]*)@v(\\d+)((?:\\.\\d+){0,2}(?:-[0-9A-Za-z.-]+)?)(?!\\w)");
    private static final Pattern IMAGE_TAG = Pattern.compile(
            "ghcr\\.io/gantry-actions/gantry/([a-z][a-z0-9-]*):(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Pattern USER_AGENT = Pattern.compile("\"gantry(?:-[a-z-]+)?/(\\d+\\.\\d+\\.\\d+[^\"]*)\"");
    private static final Set<String> TEXT = Set.of("md", "yml", "yaml", "java", "sh", "py", "txt", "json", "xml", "mjs");
    private static final Set<String> SKIPPED_DIRS = Set.of(".git", "target", "node_modules", "work", ".idea", ".vscode");

    /** Every text file of the tree (sources, docs, workflows, scripts), without build output and scratch folders. */
    static Stream<Path> textFiles() throws IOException {
        Path root = Project.root();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> {
                        for (Path part : root.relativize(p)) if (SKIPPED_DIRS.contains(part.toString())) return false;
                        String n = p.getFileName().toString();
                        return TEXT.contains(n.substring(n.lastIndexOf('.') + 1)) || n.equals("release.sh");
                    }).sorted().toList().stream();
        }
    }

    /** Every reference in {@code text} that names a major other than {@code major}, with its line. */
    static List<String> mismatches(String text, int major, String version) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher u = USES.matcher(lines[i]);
            while (u.find()) {
                if (Integer.parseInt(u.group(2)) != major) {
                    out.add((i + 1) + ": " + u.group() + " (the release moves v" + major + ")");
                }
            }
            Matcher t = IMAGE_TAG.matcher(lines[i]);
            while (t.find()) {
                if (Integer.parseInt(t.group(2)) != major) out.add((i + 1) + ": " + t.group() + " (the release is " + version + ")");
            }
            Matcher a = USER_AGENT.matcher(lines[i]);
            while (a.find()) {
                if (!a.group(1).equals(version)) out.add((i + 1) + ": " + a.group() + " (the version is " + version + ")");
            }
        }
        return out;
    }

    static int major() {
        return Integer.parseInt(Project.majorTag().substring(1));
    }

    @Test
    void theProjectVersionIsAReleaseVersionEveryModuleShares() throws IOException {
        String version = Project.version();
        assertThat(version).as("pom.xml version: what a release tags, v + this").matches("\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
        assertThat(version).as("a release version, not a snapshot").doesNotEndWith("-SNAPSHOT");
        try (Stream<Path> poms = Files.walk(Project.root(), 3)) {
            for (Path pom : poms.filter(p -> p.getFileName().toString().equals("pom.xml"))
                    .filter(p -> !p.toString().contains("/target/")).toList()) {
                String text = Files.readString(pom);
                if (pom.equals(Project.root().resolve("pom.xml"))) continue;
                assertThat(text).as("%s names the parent version", Project.root().relativize(pom))
                        .containsPattern("<artifactId>gantry-parent</artifactId>\\s*<version>" + Pattern.quote(version) + "</version>");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.gantry.actiontests.harness.Project#actionNames")
    void runsImageNamesThisVersionsImage(String action) throws IOException {
        String image = YAML.readTree(Project.actionDir(action).resolve("action.yml").toFile()).path("runs").path("image").asText();
        assertThat(image).as("runs.image of actions/%s/action.yml (release/release.sh pins it by digest in the release commit)", action)
                .isEqualTo("docker://ghcr.io/gantry-actions/gantry/" + action + ":" + Project.version());
    }

    @Test
    void everyReferenceNamesTheMajorTheReleaseMoves() throws IOException {
        List<String> found = new ArrayList<>();
        for (Path file : textFiles().toList()) {
            String text;
            try {
                text = Files.readString(file);
            } catch (MalformedInputException e) {
                continue; // not UTF-8 text
            }
            for (String m : mismatches(text, major(), Project.version())) found.add(Project.root().relativize(file) + ":" + m);
        }
        assertThat(found).as("references to another version than %s (major %s)", Project.version(), Project.majorTag()).isEmpty();
    }

    /** Where users read the references: the check must see them there (a scan that finds nothing proves nothing). */
    @Test
    void theReferencesUsersCopyAreScanned() throws IOException {
        List<Path> files = textFiles().toList();
        Path root = Project.root();
        assertThat(files).contains(root.resolve("README.md"), root.resolve(".github/workflows/example-backend.yml"),
                root.resolve("actions/smoke-test/README.md"), root.resolve("release/release.sh"));
        String readme = Files.readString(root.resolve("README.md"));
        assertThat(USES.matcher(readme).results().count()).as("uses: references in README.md").isGreaterThan(3);
    }

    @Test
    void aMismatchIsFound() {
        int other = major() + 1;
        String text = """
                - uses: gantry-actions/gantry/actions/do-deploy@v%d
                - uses: gantry-actions/smoke-test@v%d.2.3
                  image: 'docker://ghcr.io/gantry-actions/gantry/rollback:%d.0.0'
                  agent = "gantry-smoke-test/%d.0.0";
                - uses: gantry-actions/gantry/actions/do-deploy@v%d
                - uses: gantry-actions/gantry/actions/do-deploy@v%d.1.0-rc.1
                """.formatted(other, other, other, other, major(), major());
        List<String> found = mismatches(text, major(), Project.version());
        assertThat(found).hasSize(4);
        assertThat(found.get(0)).startsWith("1: gantry-actions/gantry/actions/do-deploy@v" + other);
        assertThat(found.get(1)).startsWith("2: gantry-actions/smoke-test@v" + other + ".2.3");
    }

    /** The release script and workflow take the version from pom.xml; neither names one of its own. */
    @Test
    void theReleaseTakesItsVersionFromThePom() throws IOException {
        String script = Files.readString(Project.root().resolve("release/release.sh"));
        assertThat(script).contains("<artifactId>gantry-parent<\\/artifactId>").contains("[ \"$TAG\" = \"v$project\" ]");
        String workflow = Files.readString(Project.root().resolve(".github/workflows/release.yml"));
        assertThat(workflow).as("release.yml names no version").doesNotContainPattern("\\d+\\.\\d+\\.\\d+");
    }
}
