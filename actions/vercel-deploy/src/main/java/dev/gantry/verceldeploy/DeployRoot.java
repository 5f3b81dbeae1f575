package dev.gantry.verceldeploy;

import dev.gantry.common.action.InputException;
import dev.gantry.common.vercel.Project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What is deployed from where, as {@code vercel deploy} decides it for a project with a Root Directory
 * ({@code commands/deploy/index.ts}, {@code validateRootDirectory}): everything under the deploy folder
 * ({@code working-directory}) is sent, and Vercel builds {@code <working-directory>/<Root Directory>}, which must
 * exist. A {@code working-directory} that already is the app's folder of a monorepo project (the Root Directory
 * again below it) contradicts the project and is refused, saying which of the two to change.
 *
 * @param root          the folder whose files are sent
 * @param rootDirectory the project's Root Directory (relative to {@code root}), or null
 * @param outputDir     where {@code prebuilt} output is, relative to {@code root}
 */
record DeployRoot(Path root, String rootDirectory, String outputDir) {

    static DeployRoot of(Settings s, Project project, String dashboard) {
        Path root = s.source().directory();
        String rd = project.rootDirectoryOrNull();
        String expected = s.source().rootDirectory();
        if (expected != null && !normal(expected).equals(rd == null ? "." : rd)) {
            throw new InputException("root-directory", "Input 'root-directory' (amondnet/vercel-action) is '" + expected
                    + "', but project " + project.name() + "'s Root Directory is " + (rd == null ? "not set" : "'" + rd + "'")
                    + ". vercel-deploy deploys with the project's own setting: change the Root Directory in the project's "
                    + "settings (" + dashboard + "), or remove the line `root-directory: " + expected + "`.");
        }
        if (rd == null) return new DeployRoot(root, null, ".vercel/output");
        Path app = root.resolve(rd).normalize();
        if (!app.startsWith(root) || !isDirectoryInside(root, app)) {
            String wd = s.source().workingDirectory();
            boolean sameFolder = normal(wd).equals(rd) || normal(wd).endsWith("/" + rd);
            throw new InputException("working-directory", "Input 'working-directory' is '" + wd + "' and project "
                    + project.name() + " has the Root Directory '" + rd + "', so Vercel would build " + join(wd, rd)
                    + ", which does not exist in the workspace. " + (sameFolder
                    ? "Change one: remove working-directory (deploy the repository root, as `vercel deploy` does for a "
                    + "project with a Root Directory), or clear the Root Directory in the project's settings ("
                    + dashboard + ") to deploy " + wd + " on its own."
                    : "Set working-directory to the folder that holds " + rd + " (usually the repository root), or "
                    + "change the Root Directory in the project's settings (" + dashboard + ")."));
        }
        String output = Files.isDirectory(app.resolve(".vercel/output")) ? rd + "/.vercel/output" : ".vercel/output";
        return new DeployRoot(root, rd, output);
    }

    private static boolean isDirectoryInside(Path root, Path dir) {
        try {
            return Files.isDirectory(dir) && dir.toRealPath().startsWith(root.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static String normal(String p) {
        String d = p.replace('\\', '/');
        while (d.startsWith("./")) d = d.substring(2);
        while (d.endsWith("/") && d.length() > 1) d = d.substring(0, d.length() - 1);
        return d.isEmpty() ? "." : d;
    }

    private static String join(String wd, String rd) {
        return normal(wd).equals(".") ? rd : normal(wd) + "/" + rd;
    }
}
