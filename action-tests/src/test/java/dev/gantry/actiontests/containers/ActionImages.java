package dev.gantry.actiontests.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.actiontests.harness.Project;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The action images, built once per test JVM from each action's real Dockerfile with its own folder as the
 * context (as the release workflow does), and tagged with the exact reference its {@code action.yml} names, so
 * the tests run the image a user's workflow would pull.
 */
final class ActionImages {
    static final String PREFIX = "docker://";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern PROJECT_VERSION =
            Pattern.compile("<artifactId>gantry-parent</artifactId>\\s*<version>([^<]+)</version>");
    private static final Map<String, String> BUILT = new ConcurrentHashMap<>();
    /** A build that failed once fails every later test at once, with the same log, instead of building again. */
    private static final Map<String, RuntimeException> FAILED = new ConcurrentHashMap<>();

    private ActionImages() {
    }

    /** The project version from the parent pom (what a release tags). */
    static String projectVersion() {
        try {
            Matcher m = PROJECT_VERSION.matcher(Files.readString(Project.root().resolve("pom.xml")));
            if (!m.find()) throw new IllegalStateException("no <version> after gantry-parent in pom.xml");
            return m.group(1).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code runs.image} of the action's {@code action.yml}, as written. */
    static String declaredImage(String action) {
        try {
            JsonNode root = YAML.readTree(Project.actionDir(action).resolve("action.yml").toFile());
            return root.path("runs").path("image").asText("");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image reference {@code docker pull} would use for the action (its {@code runs.image} without the scheme). */
    static String reference(String action) {
        String declared = declaredImage(action);
        if (!declared.startsWith(PREFIX)) {
            throw new IllegalStateException(action + "/action.yml: runs.image is not a docker:// image: " + declared);
        }
        return declared.substring(PREFIX.length());
    }

    /** Builds (once) and returns the image reference for {@code action}. */
    static synchronized String image(String action) {
        String done = BUILT.get(action);
        if (done != null) return done;
        RuntimeException failed = FAILED.get(action);
        if (failed != null) throw failed;
        try {
            return build(action);
        } catch (RuntimeException e) {
            FAILED.put(action, e);
            throw e;
        }
    }

    private static String build(String action) {
        Path dir = Project.actionDir(action);
        Path jar = dir.resolve("target").resolve(action + ".jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(dir.resolve("target/lib"))
                || !Files.isDirectory(dir.resolve("target/image"))) {
            throw new IllegalStateException("the image of " + action + " is built from " + jar + ", target/lib/ and "
                    + "target/image/, which `./mvnw package` produces; run the build through the reactor "
                    + "(./mvnw -pl action-tests -am verify)");
        }
        String ref = reference(action);
        long start = System.nanoTime();
        Docker.Result built = Docker.run(List.of("docker", "build", "-q", "--force-rm", "--label",
                "dev.gantry.built-by=action-tests", "-t", ref, dir.toString()), Map.of(), Duration.ofMinutes(5));
        // Untagged leftovers: the build stage (a JDK, 400 MB, only a cache for the next build) and the image this
        // tag named before.
        for (String label : List.of("dev.gantry.stage=build", "dev.gantry.built-by=action-tests")) {
            Docker.run(List.of("docker", "image", "prune", "-f", "--filter", "label=" + label), Map.of(), Duration.ofMinutes(1));
        }
        built.requireSuccess("docker build of " + action);
        System.out.printf("[containers] built %s in %.1f s%n", ref, (System.nanoTime() - start) / 1e9);
        BUILT.put(action, ref);
        return ref;
    }
}
