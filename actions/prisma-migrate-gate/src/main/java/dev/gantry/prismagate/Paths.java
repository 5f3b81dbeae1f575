package dev.gantry.prismagate;

import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Workspace;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** The workspace: where the migrations folder is, and paths as annotations show them (relative to it). */
final class Paths {
    private final Path workspace;
    private final Path absolute;
    private final Log log;

    Paths(Path workspace, Log log) {
        this.workspace = workspace;
        this.absolute = workspace.toAbsolutePath().normalize();
        this.log = log;
    }

    /** {@code migrations-dir}; for the default, when it does not exist, the migrations beside a schema.prisma. */
    Path locate(String migrationsDir, boolean isDefault) throws IOException {
        Workspace.resolve(workspace, "migrations-dir", migrationsDir); // inside the workspace, symlinks included
        Path p = workspace.resolve(migrationsDir).normalize();
        if (Files.isDirectory(p)) return p;
        if (!isDefault) {
            throw InputException.invalid("migrations-dir", "points to " + rel(p) + ", which is not a folder");
        }
        List<Path> found = new ArrayList<>();
        // node_modules and hidden folders are skipped: a Prisma package ships schema.prisma files of its own
        Files.walkFileTree(workspace, EnumSet.noneOf(FileVisitOption.class), 6, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                String n = d.getFileName() == null ? "" : d.getFileName().toString();
                boolean skip = n.equals("node_modules") || (n.startsWith(".") && !d.equals(workspace));
                return skip ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                if (f.getFileName().toString().equals("schema.prisma") && Files.isDirectory(f.resolveSibling("migrations"))) {
                    found.add(f.resolveSibling("migrations"));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        found.sort(null);
        if (found.isEmpty()) {
            throw InputException.invalid("migrations-dir", "is not set and neither prisma/migrations nor a"
                    + " migrations folder beside a schema.prisma exists in the workspace");
        }
        if (found.size() > 1) {
            log.warning("Several migrations folders beside schema.prisma files: " + found.stream().map(this::rel)
                    .toList() + "; using the first. Set migrations-dir to choose.");
        }
        log.info("Found the migrations folder beside schema.prisma: " + rel(found.get(0)));
        return found.get(0);
    }

    /** The path relative to the workspace, with forward slashes (absolute when outside it). */
    String rel(Path p) {
        Path a = p.toAbsolutePath().normalize();
        return (a.startsWith(absolute) ? absolute.relativize(a) : a).toString().replace('\\', '/');
    }

    /** {@code npx prisma migrate resolve <flag> "<name>"}, with {@code --schema} when it is not the default. */
    String resolveCommand(Path migrationsDir, String flag, String name) {
        String cmd = "npx prisma migrate resolve " + flag + " \"" + name + "\"";
        Path schema = migrationsDir == null || migrationsDir.getParent() == null ? null
                : migrationsDir.getParent().resolve("schema.prisma");
        if (schema != null && Files.isRegularFile(schema) && !rel(schema).equals("prisma/schema.prisma")) {
            cmd += " --schema " + rel(schema);
        }
        return cmd;
    }
}
