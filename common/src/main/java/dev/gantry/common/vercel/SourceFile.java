package dev.gantry.common.vercel;

import java.nio.file.Path;

/**
 * A file to deploy: its POSIX path relative to the deploy root, where it is on disk, its {@code st_mode}
 * (e.g. {@code 0100644}), its size, and for a symlink the link text (which is what the CLI hashes and uploads).
 */
public record SourceFile(String name, Path path, int mode, long size, String linkTarget) {
    public static final int SYMLINK_MODE = 0120777;

    public boolean isSymlink() {
        return linkTarget != null;
    }
}
