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

/**
 * The action images, built once per test JVM from each action's real Dockerfile with its own folder as the
 * context (as release/release.sh does), on the runtime image built first from {@code common/image}, and tagged
 * with the exact reference its {@code action.yml} names, so the tests run the image a user's workflow would pull.
 *
 * <p>The build stages (a JDK, 400 MB each) are the build cache: they are pruned when the test JVM exits, not
 * after each build, so the local release test ({@code ReleaseTest}), which builds the same Dockerfiles from a copy
 * of the tree, finds every step cached.
 */
public final class ActionImages {
    static final String PREFIX = "docker://";
    /** The base of every action image (common/image/Dockerfile), named as the Dockerfiles' first FROM names it. */
    static final String RUNTIME = "localhost/gantry/runtime";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Map<String, String> BUILT = new ConcurrentHashMap<>();
    /** A build that failed once fails every later test at once, with the same log, instead of building again. */
    private static final Map<String, RuntimeException> FAILED = new ConcurrentHashMap<>();
    private static RuntimeException runtimeFailed;
    private static boolean runtimeBuilt;

    private ActionImages() {
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

    /** Builds (once) the runtime image every action image starts FROM. */
    static synchronized void runtime() {
        if (runtimeBuilt) return;
        if (runtimeFailed != null) throw runtimeFailed;
        pruneBuildStagesAtExit();
        long start = System.nanoTime();
        Docker.Result built = Docker.run(List.of("docker", "build", "-q", "--force-rm", "-t", RUNTIME,
                Project.root().resolve("common/image").toString()), Map.of(), Duration.ofMinutes(5));
        if (built.exitCode() != 0) {
            runtimeFailed = new IllegalStateException("docker build of the runtime image (common/image) failed (exit "
                    + built.exitCode() + "):\n" + built.output());
            throw runtimeFailed;
        }
        System.out.printf("[containers] built %s in %.1f s%n", RUNTIME, (System.nanoTime() - start) / 1e9);
        runtimeBuilt = true;
    }

    private static boolean pruneHook;

    /**
     * Untagged leftovers, removed when the test JVM exits: the build stages (a JDK each, only a cache for the next
     * build) and images a tag named before.
     */
    public static synchronized void pruneBuildStagesAtExit() {
        if (pruneHook) return;
        pruneHook = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String label : List.of("dev.gantry.stage=build", "dev.gantry.built-by=action-tests")) {
                Docker.run(List.of("docker", "image", "prune", "-f", "--filter", "label=" + label), Map.of(), Duration.ofMinutes(1));
            }
        }, "prune-build-stages"));
    }

    private static String build(String action) {
        runtime();
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
        built.requireSuccess("docker build of " + action);
        System.out.printf("[containers] built %s in %.1f s%n", ref, (System.nanoTime() - start) / 1e9);
        BUILT.put(action, ref);
        return ref;
    }
}
