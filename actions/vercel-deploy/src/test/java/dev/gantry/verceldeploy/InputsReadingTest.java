package dev.gantry.verceldeploy;

import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** vercel-args as amondnet splits it, engines.node as the CLI maps it, alias placeholders, git meta. */
class InputsReadingTest {
    @TempDir
    Path dir;

    @Test
    void vercelArgsAreSplitAsAmondnetSplitsThemAndReadForWhatTheyDeploy() {
        assertThat(VercelArgs.split("--env foo=bar \"foo=bar baz\" 'foo=\"bar baz\"'"))
                .containsExactly("--env", "foo=bar", "foo=bar baz", "foo=\"bar baz\"");
        VercelArgs a = VercelArgs.parse("--prod --force --archive=tgz -e A=1 --env=B=x=y -b C=2 --regions iad1,fra1 "
                + "--scope team_x -m k=v --meta=k2=v2 --prebuilt");
        assertThat(a.production()).isTrue();
        assertThat(a.force()).isTrue();
        assertThat(a.tgz()).isTrue();
        assertThat(a.prebuilt()).isTrue();
        assertThat(a.env()).isEqualTo(Map.of("A", "1", "B", "x=y"));
        assertThat(a.buildEnv()).isEqualTo(Map.of("C", "2"));
        assertThat(a.regions()).isEqualTo(List.of("iad1", "fra1"));
        assertThat(a.scope()).isEqualTo("team_x");
        assertThat(a.meta()).isEqualTo(Map.of("k", "v", "k2", "v2"));
        assertThat(VercelArgs.parse("--target=staging").target()).isEqualTo("staging");
        assertThatThrownBy(() -> VercelArgs.parse("--prod --no-wait")).isInstanceOf(InputException.class)
                .hasMessageContaining("--no-wait").hasMessageContaining(VercelArgs.SUPPORTED);
        assertThatThrownBy(() -> VercelArgs.parse("--token abc")).hasMessageContaining("vercel-token:");
        assertThatThrownBy(() -> VercelArgs.parse("apps/web")).hasMessageContaining("working-directory: apps/web");
        assertThatThrownBy(() -> VercelArgs.parse("--env SECRET")).hasMessageContaining("SECRET=<value>");
        assertThatThrownBy(() -> VercelArgs.parse("--archive=zip")).hasMessageContaining("archive: tgz");
    }

    @Test
    void enginesNodeBecomesTheNewestSupportedMajorAsTheCliSendsIt() {
        assertThat(NodeVersion.forEngines(">=20")).contains("24.x");
        assertThat(NodeVersion.forEngines("22.x")).contains("22.x");
        assertThat(NodeVersion.forEngines("^22.3.0")).contains("22.x");
        assertThat(NodeVersion.forEngines("~22.1")).contains("22.x");
        assertThat(NodeVersion.forEngines(">=18 <23")).contains("22.x");
        assertThat(NodeVersion.forEngines("18 || 22")).contains("22.x");
        assertThat(NodeVersion.forEngines("20.x")).as("discontinued for the CLI this was compared with").isEmpty();
        assertThat(NodeVersion.forEngines("16.x")).isEmpty();
        assertThat(NodeVersion.forEngines("*")).contains("24.x");
    }

    private GitHubContext pr() throws IOException {
        Path event = dir.resolve("event.json");
        Files.writeString(event, "{\"pull_request\":{\"number\":42,\"title\":\"Add cart\",\"head\":{\"ref\":\"Feature/Cart_v2\",\"sha\":\"abc\"}}}");
        return new GitHubContext(Map.of("GITHUB_EVENT_NAME", "pull_request", "GITHUB_EVENT_PATH", event.toString(),
                "GITHUB_REPOSITORY", "acme/shop", "GITHUB_ACTIONS", "true", "GITHUB_ACTOR", "octocat"));
    }

    @Test
    void aliasPlaceholdersAsAmondnetSubstitutesThem() throws IOException {
        GitHubContext gh = pr();
        assertThat(SettingsReader.alias("pr-{{PR_NUMBER}}.example.com", gh)).isEqualTo("pr-42.example.com");
        assertThat(SettingsReader.alias("{{BRANCH}}.example.com", gh)).isEqualTo("feature-cart-v2.example.com");
        GitHubContext push = new GitHubContext(Map.of("GITHUB_EVENT_NAME", "push", "GITHUB_REF_NAME", "main"));
        assertThatThrownBy(() -> SettingsReader.alias("pr-{{PR_NUMBER}}.x", push))
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
