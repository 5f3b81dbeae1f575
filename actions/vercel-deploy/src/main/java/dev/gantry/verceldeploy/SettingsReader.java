package dev.gantry.verceldeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Workspace;
import dev.gantry.common.vercel.ProjectLink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The action's inputs (its own, and amondnet/vercel-action's it honours) read into {@link Settings}. */
final class SettingsReader {
    private SettingsReader() {
    }

    static Settings read(ActionContext ctx) {
        Inputs inputs = ctx.inputs();
        Log log = ctx.log();
        String token = inputs.requiredSecret("vercel-token");
        AnchorInputs anchor = AnchorInputs.read(ctx.environment(), inputs, log);
        String wd = inputs.string("working-directory");
        Path dir = inputs.workspacePath("working-directory", ".");
        if (!Files.isDirectory(dir)) throw InputException.invalid("working-directory", "is not a directory: " + wd);
        ProjectLink link = link(dir, ctx.github().workspace());
        String projectId = firstNonBlank(inputs.string("vercel-project-id"), link == null ? null : link.projectId());
        if (projectId == null) {
            throw new InputException("vercel-project-id", "Input required and not supplied: vercel-project-id (the "
                    + "project id, prj_..., from the project's settings; or run `vercel link` so that "
                    + ".vercel/project.json names it)");
        }
        Settings.Builder b = Settings.builder(token, inputs.url("api-url", "https://api.vercel.com"), projectId, dir);
        b.workingDirectory = wd.isEmpty() ? "." : wd;
        b.teamId = firstNonBlank(inputs.string("vercel-org-id"), link == null ? null : link.teamId());
        b.timeout = inputs.duration("timeout", Duration.ofMinutes(20));
        b.uploadConcurrency = inputs.string("upload-concurrency").equals("auto") ? 0
                : inputs.integer("upload-concurrency", 0, 1, 256);
        b.production = inputs.bool("prod");
        if (b.production && anchor.amondnetShaped() && !anchor.args().production()) {
            // the one input a step moved from amondnet/vercel-action changes: say so, never a silent difference
            log.warning("prod: true deploys to production. amondnet/vercel-action has no prod input (the runner only "
                    + "warned \"Unexpected input(s) 'prod'\"), so the same step deployed a preview there. To keep "
                    + "deploying a preview as it did, remove the line `prod: ...`; if production is what the step is "
                    + "for, nothing to change. (See \"Moving from amondnet/vercel-action\" in vercel-deploy's README.)");
        }
        b.target = blankToNull(inputs.string("target"));
        b.customEnvironment = anchor.customEnvironment();
        b.prebuilt = inputs.bool("prebuilt");
        b.tgz = inputs.choice("archive", "none", "none", "tgz").equals("tgz");
        b.includeEnvFiles = inputs.bool("include-env-files");
        b.rootDirectory = anchor.rootDirectory();
        b.env.putAll(inputs.keyValues("env", true));
        b.buildEnv.putAll(inputs.keyValues("build-env", true));
        for (String r : inputs.string("regions").split("[,\\s]+")) if (!r.isBlank()) b.regions.add(r);
        b.force = inputs.bool("force");
        b.withCache = inputs.bool("with-cache");
        b.autoAssignCustomDomains = inputs.bool("auto-assign-custom-domains") ? null : Boolean.FALSE;
        b.apply(anchor.args());
        anchor.args().env().values().forEach(log::addMask);
        anchor.args().buildEnv().values().forEach(log::addMask);
        if (anchor.scope() != null) b.scope = anchor.scope();
        if (anchor.outputDir() != null) checkOutputDir(anchor.outputDir(), dir, ctx);
        for (String a : inputs.multiline("alias-domains")) b.aliases.add(alias(a, ctx.github()));
        b.promote = inputs.bool("promote");
        b.comment = inputs.string("github-comment");
        b.githubDeployment = inputs.bool("github-deployment");
        b.githubEnvironment = inputs.string("github-deployment-environment");
        b.githubToken = inputs.secret("github-token");
        b.projectName = anchor.projectName();
        return b.build();
    }

    private static ProjectLink link(Path dir, Path workspace) {
        try {
            return ProjectLink.find(dir, workspace).orElse(null);
        } catch (ProjectLink.LinkException e) {
            throw InputException.invalid("vercel-project-id", "is empty and " + e.getMessage());
        }
    }

    /** amondnet's {@code vercel-output-dir}: only {@code <working-directory>/.vercel/output} is what Vercel takes. */
    private static void checkOutputDir(String value, Path dir, ActionContext ctx) {
        Path ws = ctx.github().workspace().toAbsolutePath().normalize();
        Path out = Workspace.resolve(ws, "vercel-output-dir", value);
        if (out.equals(dir.resolve(".vercel/output").normalize())) return;
        String fix = out.endsWith(".vercel/output") && out.getParent().getParent().startsWith(ws)
                ? "Remove vercel-output-dir and write instead:\n    working-directory: "
                + (ws.relativize(out.getParent().getParent()).toString().isEmpty() ? "."
                : ws.relativize(out.getParent().getParent()))
                : "Build into <working-directory>/.vercel/output (`vercel build` does) and remove vercel-output-dir.";
        throw new InputException("vercel-output-dir", "Input 'vercel-output-dir' is " + value + ", but a prebuilt deploy "
                + "sends <working-directory>/.vercel/output, the only place Vercel reads a build from. " + fix);
    }

    /** amondnet's alias placeholders: {@code {{PR_NUMBER}}} and {@code {{BRANCH}}} (slugified head branch). */
    static String alias(String alias, GitHubContext github) {
        String out = alias;
        if (out.contains("{{PR_NUMBER}}")) {
            var pr = github.pullRequestNumber();
            if (pr.isEmpty()) {
                throw InputException.invalid("alias-domains", "uses {{PR_NUMBER}} outside a pull_request event: '" + alias + "'");
            }
            out = out.replace("{{PR_NUMBER}}", Integer.toString(pr.getAsInt()));
        }
        if (out.contains("{{BRANCH}}")) {
            String slug = github.headBranch().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-")
                    .replaceAll("-{2,}", "-").replaceAll("^-|-$", "");
            out = out.replace("{{BRANCH}}", slug);
        }
        if (!out.matches("[A-Za-z0-9.-]+") || out.startsWith(".") || out.startsWith("-")) {
            throw InputException.invalid("alias-domains", "has an invalid domain '" + out + "' (from '" + alias + "')");
        }
        return out.toLowerCase(Locale.ROOT);
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

}
