package dev.gantry.common.vercel;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v13/deployments}. {@code project} is always the project id; {@code target} is
 * {@code production} or absent (preview); a custom environment goes in {@code customEnvironmentSlugOrId}.
 * {@code env}, {@code build} and file {@code mode}s are sent as the CLI sends them; they are not in Vercel's
 * published schema (research §2.5).
 */
public record CreateDeployment(String name, String project, String target, String customEnvironmentSlugOrId,
                               List<DeploymentFile> files, Map<String, String> meta, GitMetadata gitMetadata,
                               Map<String, String> env, Build build) {

    /** {@code build.env}. */
    public record Build(Map<String, String> env) {
    }

    /** Git facts about the deployed commit. */
    public record GitMetadata(String remoteUrl, String commitAuthorName, String commitMessage, String commitRef,
                              String commitSha, Boolean dirty, Boolean ci, String ciType,
                              String ciGitProviderUsername) {
    }
}
