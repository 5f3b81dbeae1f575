package dev.gantry.actiontests.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where things are: the project root, each action's folder, and {@code ../shared} (when present). */
public final class Project {
    /** Action name → Java package under {@code dev.gantry}. */
    public static final Map<String, String> ACTIONS = Map.of(
            "do-deploy", "dodeploy",
            "vercel-deploy", "verceldeploy",
            "prisma-migrate-gate", "prismagate",
            "smoke-test", "smoketest",
            "rollback", "rollback");

    private static final Pattern PROJECT_VERSION =
            Pattern.compile("<artifactId>gantry-parent</artifactId>\\s*<version>([^<]+)</version>");

    private Project() {
    }

    /** The project version from the parent pom: what a release tags (v + this). */
    public static String version() {
        try {
            Matcher m = PROJECT_VERSION.matcher(Files.readString(root().resolve("pom.xml")));
            if (!m.find()) throw new IllegalStateException("no <version> after gantry-parent in pom.xml");
            return m.group(1).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The major tag a release of this version moves: v + the first number of the version. */
    public static String majorTag() {
        return "v" + version().split("\\.")[0];
    }

    public static List<String> actionNames() {
        return ACTIONS.keySet().stream().sorted().toList();
    }

    public static Path root() {
        String prop = System.getProperty("gantry.root");
        Path p = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        p = p.toAbsolutePath().normalize();
        while (p != null && !Files.isDirectory(p.resolve("actions"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find the project root (no actions/ folder above)");
        return p;
    }

    public static Path actionDir(String action) {
        return root().resolve("actions").resolve(action);
    }

    /** {@code ../shared} beside the project root; may not exist (a user's fresh clone). */
    public static Path shared() {
        String env = System.getenv("GANTRY_SHARED");
        return env != null ? Path.of(env) : root().resolveSibling("shared");
    }

    public static Path sharedFile(String relative) {
        return shared().resolve(relative);
    }
}
