package dev.gantry.common.vercel;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /v13/deployments}, as the CLI builds it (research §2.5; {@code Now#create} in
 * {@code packages/cli/src/util/index.ts}): the keys of the project's {@code vercel.json} at the top level
 * ({@code config}: {@code cleanUrls}, {@code headers}, {@code rewrites}, {@code crons}, {@code functions}, ...),
 * then our own fields over them. {@code project} is always the project id; {@code target} is {@code production}
 * or absent (preview); a custom environment goes in {@code customEnvironmentSlugOrId}. {@code projectSettings} is a
 * JSON object because the CLI sends explicit nulls in it ({@code "rootDirectory": null}). {@code env},
 * {@code build}, {@code regions}, {@code autoAssignCustomDomains}, the {@code vercel.json} keys and file
 * {@code mode}s are sent as the CLI sends them; Vercel's published schema does not describe them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateDeployment(String name, String project, String target, String customEnvironmentSlugOrId,
                               List<DeploymentFile> files, Map<String, String> meta, GitMetadata gitMetadata,
                               Map<String, String> env, Build build, List<String> regions,
                               ObjectNode projectSettings, Boolean autoAssignCustomDomains,
                               @JsonAnyGetter Map<String, JsonNode> config) {

    /** {@code build.env}. */
    public record Build(Map<String, String> env) {
    }

    /** Git facts about the deployed commit. */
    public record GitMetadata(String remoteUrl, String commitAuthorName, String commitMessage, String commitRef,
                              String commitSha, Boolean dirty, Boolean ci, String ciType,
                              String ciGitProviderUsername) {
    }

    /** This body with other files (the same create, for the next round). */
    public CreateDeployment withFiles(List<DeploymentFile> f) {
        return new CreateDeployment(name, project, target, customEnvironmentSlugOrId, f, meta, gitMetadata, env, build,
                regions, projectSettings, autoAssignCustomDomains, config);
    }
}
