package dev.gantry.verceldeploy;

import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeployConfigTest {
    @TempDir
    Path dir;

    private GitHubContext pr() throws IOException {
        Path event = dir.resolve("event.json");
        Files.writeString(event, "{\"pull_request\":{\"number\":42,\"title\":\"Add cart\",\"head\":{\"ref\":\"Feature/Cart_v2\",\"sha\":\"abc\"}}}");
        return new GitHubContext(Map.of("GITHUB_EVENT_NAME", "pull_request", "GITHUB_EVENT_PATH", event.toString(),
                "GITHUB_REPOSITORY", "acme/shop", "GITHUB_ACTIONS", "true", "GITHUB_ACTOR", "octocat"));
    }

    @Test
    void aliasPlaceholdersAsAmondnetSubstitutesThem() throws IOException {
        GitHubContext gh = pr();
        assertThat(DeployConfig.substitute("pr-{{PR_NUMBER}}.example.com", gh)).isEqualTo("pr-42.example.com");
        assertThat(DeployConfig.substitute("{{BRANCH}}.example.com", gh)).isEqualTo("feature-cart-v2.example.com");
        GitHubContext push = new GitHubContext(Map.of("GITHUB_EVENT_NAME", "push", "GITHUB_REF_NAME", "main"));
        assertThatThrownBy(() -> DeployConfig.substitute("pr-{{PR_NUMBER}}.x", push))
                .isInstanceOf(InputException.class).hasMessageContaining("alias-domains");
    }

    @Test
    void metaCarriesTheCommitAndThePullRequest() throws IOException {
        GitHubContext gh = pr();
        Map<String, String> meta = GitMeta.meta(gh, "key-1");
        assertThat(meta).containsEntry("githubCommitSha", "abc").containsEntry("githubCommitRef", "Feature/Cart_v2")
                .containsEntry("githubPrId", "42").containsEntry("githubOrg", "acme").containsEntry("githubRepo", "shop")
                .containsEntry("githubCommitMessage", "Add cart").containsEntry("gantryRequestKey", "key-1");
        assertThat(GitMeta.gitMetadata(gh).remoteUrl()).isEqualTo("https://github.com/acme/shop");
        assertThat(GitMeta.gitMetadata(gh).ciType()).isEqualTo("github-actions");
    }
}
