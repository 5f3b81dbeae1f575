package dev.gantry.common.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Paths that must stay inside the workspace: every path input says "relative to the workspace", and a path that
 * leaves it (through {@code ..}, an absolute path elsewhere, or a symbolic link) could read or write files the
 * workflow never meant to hand over.
 */
public final class Workspace {
    private Workspace() {
    }

    /**
     * {@code value} (relative to {@code workspace}, or absolute inside it) resolved and checked: the result is
     * inside the workspace, and so is the real location of the longest part of it that exists.
     *
     * @throws InputException naming {@code input} when it leaves the workspace
     */
    public static Path resolve(Path workspace, String input, String value) {
        Path ws = workspace.toAbsolutePath().normalize();
        Path p;
        try {
            p = ws.resolve(value);
        } catch (InvalidPathException e) {
            throw InputException.invalid(input, "is not a valid path: '" + value + "'");
        }
        Path normal = p.normalize();
        if (!normal.startsWith(ws)) {
            throw InputException.invalid(input, "must be a path inside the workspace (" + ws + "); '" + value
                    + "' leaves it");
        }
        Path realWs = real(ws);
        Path existing = normal;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) existing = existing.getParent();
        if (existing != null && realWs != null) {
            Path realExisting = real(existing);
            if (realExisting == null || !realExisting.startsWith(realWs)) {
                throw InputException.invalid(input, "must stay inside the workspace; '" + value + "' goes through a "
                        + "symbolic link to " + (realExisting == null ? "a place that cannot be read" : realExisting));
            }
            return realExisting.resolve(existing.relativize(normal));
        }
        return normal;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }
}
