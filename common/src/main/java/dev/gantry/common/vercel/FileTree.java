package dev.gantry.common.vercel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Collects the files of a deploy the way the Vercel CLI does (research §2.2): a walk with {@code lstat} (links
 * are never followed), the CLI's default ignore list plus {@code .vercelignore} or {@code .nowignore} (both is
 * an error), {@code /target} when a {@code Cargo.toml} exists, and every directory that ends up with nothing in it
 * (empty, or all of it ignored) listed as an entry of its own, as the CLI's {@code readdir} lists it. Two deliberate
 * differences: a symlink whose target leaves the root is refused, and real {@code .env}/{@code .env.*} files are
 * left out unless asked for (the CLI uploads them); the committed templates {@code .env.example},
 * {@code .env.sample} and {@code .env.template} are uploaded.
 */
public final class FileTree {
    private static final Pattern ENV_FILE = Pattern.compile("\\.env(\\..+)?");
    /** Committed on purpose: names and placeholders, not values. */
    public static final java.util.Set<String> ENV_TEMPLATES = java.util.Set.of(".env.example", ".env.sample", ".env.template");
    public static final String OUTPUT_DIR = ".vercel/output";

    /** The collected files and what was left out on purpose. */
    public record Collected(List<SourceFile> files, List<String> envFilesExcluded, String ignoreFile,
                            long totalBytes) {
    }

    /** A problem with the tree itself (conflicting ignore files, a symlink escape, no output dir). */
    public static final class TreeException extends RuntimeException {
        public TreeException(String message) {
            super(message);
        }
    }

    private FileTree() {
    }

    /**
     * Walks {@code root}. With {@code prebuilt}, only {@code .vercel/output/**} is taken, names keeping that
     * prefix; otherwise the source tree with the ignore rules.
     */
    public static Collected collect(Path root, boolean prebuilt, boolean includeEnvFiles) {
        return collect(root, prebuilt ? OUTPUT_DIR : null, includeEnvFiles);
    }

    /**
     * Walks {@code root}. With an {@code outputDir} (relative to the root: {@code .vercel/output}, or
     * {@code <Root Directory>/.vercel/output} in a monorepo), only that folder is taken, names keeping its path
     * from the root, and it must really be inside the root: a {@code .vercel} (or any folder on the way) that is a
     * symbolic link to somewhere else is refused. Otherwise the source tree with the ignore rules.
     */
    public static Collected collect(Path root, String outputDir, boolean includeEnvFiles) {
        boolean prebuilt = outputDir != null;
        Path base;
        try {
            base = root.toRealPath();
        } catch (IOException e) {
            throw new TreeException("cannot read " + root + ": " + e.getMessage());
        }
        if (!Files.isDirectory(base)) throw new TreeException(root + " is not a directory");
        IgnoreRules rules = new IgnoreRules();
        String ignoreFile = null;
        Path walkFrom = base;
        if (prebuilt) {
            walkFrom = base.resolve(outputDir).normalize();
            if (!walkFrom.startsWith(base) || !Files.isDirectory(walkFrom)) {
                throw new TreeException("no " + outputDir + " in " + root
                        + ": run `vercel build` (or your framework's Build Output API step) first");
            }
            checkInside(base, walkFrom, outputDir);
        } else {
            boolean vi = Files.exists(base.resolve(".vercelignore"), LinkOption.NOFOLLOW_LINKS);
            boolean ni = Files.exists(base.resolve(".nowignore"), LinkOption.NOFOLLOW_LINKS);
            if (vi && ni) {
                throw new TreeException("both .vercelignore and .nowignore exist in " + root
                        + "; keep one (the Vercel CLI refuses this too: CONFLICTING_IGNORE_FILES)");
            }
            rules.addAll(IgnoreRules.CLI_DEFAULTS);
            if (Files.exists(base.resolve("Cargo.toml"))) rules.add("/target");
            if (vi || ni) {
                ignoreFile = vi ? ".vercelignore" : ".nowignore";
                try {
                    rules.addAll(Files.readAllLines(base.resolve(ignoreFile), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new TreeException("cannot read " + ignoreFile + ": " + e.getMessage());
                }
            }
        }
        List<SourceFile> files = new ArrayList<>();
        List<String> envFiles = new ArrayList<>();
        long[] total = {0};
        Path start = walkFrom;
        java.util.Deque<int[]> entries = new java.util.ArrayDeque<>(); // per open directory: what it holds so far
        try {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(base) && !dir.equals(start)) {
                        String rel = relative(base, dir);
                        if (!prebuilt && rules.ignores(rel, true)) {
                            if (!rules.ignores(rel, false)) {
                                // only a folder rule ("drafts/") matches: the CLI's ignore check sees the name without
                                // its slash, walks in, ignores everything inside, and lists the folder as empty
                                files.add(SourceFile.directory(rel, dir, mode(dir)));
                                entries.peek()[0]++;
                            }
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                    }
                    entries.push(new int[]{0});
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    if (exc != null) throw exc;
                    int held = entries.pop()[0];
                    if (dir.equals(start)) return FileVisitResult.CONTINUE;
                    if (held == 0) files.add(SourceFile.directory(relative(base, dir), dir, mode(dir)));
                    if (!entries.isEmpty()) entries.peek()[0]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String rel = relative(base, file);
                    if (!prebuilt && rules.ignores(rel, false)) return FileVisitResult.CONTINUE;
                    entries.peek()[0]++; // the CLI would list it: its folder is not empty
                    String fileName = file.getFileName().toString();
                    if (!includeEnvFiles && ENV_FILE.matcher(fileName).matches() && !ENV_TEMPLATES.contains(fileName)) {
                        envFiles.add(rel);
                        return FileVisitResult.CONTINUE;
                    }
                    if (attrs.isSymbolicLink()) {
                        Path target = Files.readSymbolicLink(file);
                        Path resolved = file.getParent().resolve(target).normalize();
                        if (target.isAbsolute() || !resolved.startsWith(base)) {
                            throw new TreeException("the symlink " + rel + " points outside the deploy directory (-> "
                                    + target + "); refusing to deploy it. Replace it with a copy or remove it.");
                        }
                        String text = target.toString().replace('\\', '/');
                        files.add(new SourceFile(rel, file, SourceFile.SYMLINK_MODE,
                                text.getBytes(StandardCharsets.UTF_8).length, text));
                    } else if (attrs.isRegularFile()) {
                        files.add(new SourceFile(rel, file, mode(file), attrs.size(), null));
                        total[0] += attrs.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    throw exc;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + root, e);
        }
        files.sort(Comparator.comparing(SourceFile::name));
        envFiles.sort(null);
        return new Collected(List.copyOf(files), List.copyOf(envFiles), ignoreFile, total[0]);
    }

    /** Every folder from {@code base} down to {@code dir} is really inside {@code base} (no link leaves it). */
    private static void checkInside(Path base, Path dir, String shown) {
        try {
            Path real = dir.toRealPath();
            if (!real.startsWith(base)) {
                throw new TreeException(shown + " leads outside the deploy directory (to " + real + ") through a "
                        + "symbolic link; refusing to deploy it. Build into the deploy directory itself.");
            }
        } catch (IOException e) {
            throw new TreeException("cannot read " + shown + ": " + e.getMessage());
        }
    }

    static String relative(Path base, Path p) {
        return base.relativize(p).toString().replace('\\', '/');
    }

    /** The full {@code st_mode} (type and permission bits) where the platform has it, else a regular 0644/0755. */
    static int mode(Path file) {
        try {
            return (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
            return Files.isExecutable(file) ? 0100755 : 0100644;
        }
    }
}
