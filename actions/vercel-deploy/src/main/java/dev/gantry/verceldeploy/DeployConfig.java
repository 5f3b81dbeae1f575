package dev.gantry.verceldeploy;

import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.vercel.ProjectLink;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The action's inputs, read and checked once. */
record DeployConfig(String token, String teamId, String projectId, Path directory, boolean production,
                    String customEnvironment, boolean prebuilt, boolean tgz, List<String> aliases,
                    Map<String, String> env, Map<String, String> buildEnv, boolean force, boolean includeEnvFiles,
                    String comment, boolean githubDeployment, String githubEnvironment, String githubToken,
                    Duration timeout, int uploadConcurrency, URI apiUrl) {

    /** {@code preview}, {@code production} or the custom environment. */
    String environment() {
        return production ? "production" : customEnvironment != null ? customEnvironment : "preview";
    }

    boolean commentEnabled() {
        return !comment.equalsIgnoreCase("false");
    }

    static DeployConfig read(Inputs inputs, GitHubContext github) {
        String token = inputs.requiredSecret("vercel-token");
        Path dir = inputs.workspacePath("working-directory", ".");
        if (!Files.isDirectory(dir)) {
            throw InputException.invalid("working-directory", "is not a directory: " + dir);
        }
        // a linked folder (vercel link, or vercel link --repo in a monorepo) names its project and team
        ProjectLink link;
        try {
            link = ProjectLink.find(dir, github.workspace()).orElse(null);
        } catch (ProjectLink.LinkException e) {
            throw InputException.invalid("vercel-project-id", "is empty and " + e.getMessage());
        }
        String projectId = inputs.string("vercel-project-id");
        if (projectId.isEmpty() && link != null) projectId = link.projectId();
        if (projectId == null || projectId.isEmpty()) {
            throw new InputException("vercel-project-id", "Input required and not supplied: vercel-project-id "
                    + "(the project id, prj_..., from the project's settings; or run `vercel link` so that "
                    + ".vercel/project.json names it)");
        }
        String teamId = inputs.string("vercel-org-id");
        if (teamId.isEmpty() && link != null && link.teamId() != null) teamId = link.teamId();
        if (teamId.isEmpty()) teamId = null;

        boolean prod = inputs.bool("prod");
        String target = inputs.string("target");
        String custom = null;
        if (!target.isEmpty()) {
            String t = target.toLowerCase(Locale.ROOT);
            if (t.equals("production")) {
                prod = true;
            } else if (!t.equals("preview")) {
                if (prod) {
                    throw InputException.invalid("target", "is '" + target + "' but prod is true: choose one");
                }
                custom = target;
            }
        }
        String archive = inputs.choice("archive", "none", "none", "tgz");
        boolean prebuilt = inputs.bool("prebuilt");

        List<String> aliases = new ArrayList<>();
        for (String a : inputs.multiline("alias-domains")) {
            String v = substitute(a, github);
            if (!v.matches("[A-Za-z0-9.-]+") || v.startsWith(".") || v.startsWith("-")) {
                throw InputException.invalid("alias-domains", "has an invalid domain '" + v + "' (from '" + a + "')");
            }
            aliases.add(v.toLowerCase(Locale.ROOT));
        }
        Map<String, String> env = inputs.keyValues("env", true);
        Map<String, String> buildEnv = inputs.keyValues("build-env", true);
        boolean force = inputs.bool("force");
        boolean includeEnv = inputs.bool("include-env-files");
        String comment = inputs.string("github-comment");
        if (comment.isEmpty()) comment = "true";
        boolean ghDeployment = inputs.bool("github-deployment");
        String ghEnv = inputs.string("github-deployment-environment");
        String ghToken = inputs.secret("github-token");
        Duration timeout = inputs.duration("timeout", Duration.ofMinutes(20));
        if (timeout.isZero() || timeout.isNegative()) throw InputException.invalid("timeout", "must be positive");
        int concurrency = inputs.integer("upload-concurrency", 16, 1, 64);
        URI api = inputs.url("api-url", "https://api.vercel.com");
        return new DeployConfig(token, teamId, projectId, dir, prod, custom, prebuilt, archive.equals("tgz"),
                List.copyOf(aliases), env, buildEnv, force, includeEnv, comment, ghDeployment,
                ghEnv.isEmpty() ? null : ghEnv, ghToken, timeout, concurrency, api);
    }

    /** amondnet's alias placeholders: {@code {{PR_NUMBER}}} and {@code {{BRANCH}}} (slugified head branch). */
    static String substitute(String alias, GitHubContext github) {
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
        return out;
    }
}
