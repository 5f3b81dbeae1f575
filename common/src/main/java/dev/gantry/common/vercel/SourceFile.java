package dev.gantry.common.vercel;

import java.nio.file.Path;

/**
 * An entry of a deploy: its POSIX path relative to the deploy root, where it is on disk, its {@code st_mode}
 * (e.g. {@code 0100644}), its size, and for a symlink the link text (which is what the CLI hashes and uploads). A
 * directory with nothing to deploy in it is an entry too ({@code 040755}, no content), as the CLI lists it.
 */
public record SourceFile(String name, Path path, int mode, long size, String linkTarget) {
    public static final int SYMLINK_MODE = 0120777;
    private static final int TYPE = 0170000;
    private static final int DIRECTORY = 0040000;

    /** An empty directory (or one whose every entry is ignored). */
    public static SourceFile directory(String name, Path path, int mode) {
        return new SourceFile(name, path, (mode & TYPE) == DIRECTORY ? mode : DIRECTORY | (mode & 07777), 0, null);
    }

    public boolean isSymlink() {
        return linkTarget != null;
    }

    public boolean isDirectory() {
        return (mode & TYPE) == DIRECTORY;
    }
}
