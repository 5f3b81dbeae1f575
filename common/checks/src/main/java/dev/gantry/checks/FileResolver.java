package dev.gantry.checks;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the files a checks file names (request bodies, multipart parts, TLS certificates) are: relative to the
 * checks file's folder inside the workspace, never outside it. Each is checked when the checks are read, so a
 * missing file is an error with its line, not a failure in the middle of a run.
 */
@FunctionalInterface
public interface FileResolver {

    /**
     * @throws IllegalArgumentException saying why {@code name} cannot be used (the parser adds the line)
     */
    Path resolve(String name);

    /** Files relative to {@code folder}, which must stay inside {@code root} ({@code ..} and links out refused). */
    static FileResolver within(Path root, Path folder) {
        return name -> {
            Path realRoot;
            try {
                realRoot = root.toAbsolutePath().normalize().toRealPath();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("the workspace cannot be read: " + e.getMessage());
            }
            Path p = folder.toAbsolutePath().normalize().resolve(name).normalize();
            if (!p.startsWith(root.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("the file '" + name + "' is outside the workspace");
            }
            if (!Files.isRegularFile(p)) throw new IllegalArgumentException("the file '" + name + "' does not exist");
            try {
                if (!p.toRealPath().startsWith(realRoot)) {
                    throw new IllegalArgumentException("the file '" + name + "' is a link out of the workspace");
                }
                return p.toRealPath();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("the file '" + name + "' cannot be read: " + e.getMessage());
            }
        };
    }
}
