package dev.gantry.common.github;

import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.Log;
import dev.gantry.common.http.HttpApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GitHubReportersTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Log log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8), false);

    @Test
    void settingsComeFromTheGithubContextOfAPullRequest(@TempDir Path dir) throws Exception {
        Path event = dir.resolve("event.json");
        Files.writeString(event, "{\"number\":7,\"pull_request\":{\"number\":7,\"head\":{\"sha\":\"abc123\",\"ref\":\"feature/x\"}}}");
        GitHubContext gh = new GitHubContext(Map.of("GITHUB_EVENT_NAME", "pull_request", "GITHUB_EVENT_PATH", event.toString(),
                "GITHUB_REPOSITORY", "acme/shop", "GITHUB_SHA", "merge999", "GITHUB_API_URL", "https://ghe.example.com/api/v3",
                "GITHUB_SERVER_URL", "https://ghe.example.com", "GITHUB_RUN_ID", "55"));
        GitHubReporters.Settings s = GitHubReporters.Settings.of(gh, "t0ken", true);
        assertThat(s.pullRequest()).isEqualTo(7);
        assertThat(s.deploymentRef()).isEqualTo("abc123");
        assertThat(s.apiUrl()).isEqualTo("https://ghe.example.com/api/v3");
        assertThat(s.runUrl()).isEqualTo("https://ghe.example.com/acme/shop/actions/runs/55");
    }

    @Test
    void onAPushTheWorkflowCommitIsRecorded() {
        GitHubContext gh = new GitHubContext(Map.of("GITHUB_EVENT_NAME", "push", "GITHUB_REPOSITORY", "acme/shop",
                "GITHUB_SHA", "sha1"));
        GitHubReporters.Settings s = GitHubReporters.Settings.of(gh, "t", true);
        assertThat(s.pullRequest()).isNull();
        assertThat(s.deploymentRef()).isEqualTo("sha1");
        assertThat(s.apiUrl()).isEqualTo("https://api.github.com");
    }

    @Test
    void whatCannotReportGivesTheDisabledReporterAndSaysWhy() {
        var base = new GitHubReporters.Settings("tok_secret_1", "https://api.github.com", "acme/shop", null, "s", "s", "", true);
        assertThat(GitHubReporters.create(base, log)).isInstanceOf(RestGitHubReporter.class);
        assertThat(GitHubReporters.create(new GitHubReporters.Settings("", base.apiUrl(), "acme/shop", null, "s", "s", "", true), log)
                .getClass()).isNotEqualTo(RestGitHubReporter.class);
        assertThat(GitHubReporters.create(new GitHubReporters.Settings("tok_secret_2", base.apiUrl(), "", null, "s", "s", "", true), log)
                .getClass()).isNotEqualTo(RestGitHubReporter.class);
        assertThat(GitHubReporters.create(new GitHubReporters.Settings("tok_secret_2", "http://ghe.example.com/api/v3", "acme/shop", null,
                "s", "s", "", true), log).getClass()).isNotEqualTo(RestGitHubReporter.class);
        assertThat(GitHubReporters.create(new GitHubReporters.Settings("tok_secret_2", base.apiUrl(), "acme/shop", null, "s", "s", "", false), log)
                .getClass()).isNotEqualTo(RestGitHubReporter.class);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("::add-mask::tok_secret_1").contains("github-token input is empty")
                .contains("GITHUB_API_URL").contains("switched off");
        assertThat(text.replace("::add-mask::tok_secret_1", "")).doesNotContain("tok_secret_1");
    }

    @Test
    void graphqlLivesBesideTheRestRootOnGithubComAndOnEnterpriseServer() {
        assertThat(GitHubReporters.graphqlRoot(java.net.URI.create("https://api.github.com")))
                .hasToString("https://api.github.com");
        assertThat(GitHubReporters.graphqlRoot(java.net.URI.create("https://ghe.example.com/api/v3/")))
                .hasToString("https://ghe.example.com/api");
    }

    @Test
    void theProductionEnvironmentIsGithubsDefaultUnlessAnInputNamesAnother() {
        var s = new GitHubReporters.Settings("t", null, "acme/shop", null, "s", "s", "", true);
        assertThat(s.productionEnvironment()).isEqualTo("production");
        assertThat(s.withProductionEnvironment(" live ").productionEnvironment()).isEqualTo("live");
        assertThat(s.withProductionEnvironment("").productionEnvironment()).isEqualTo("production");
    }

    @Test
    void onlyPlainHttpUrlsFromGithubsAnswersAreUsed() {
        assertThat(RestGitHubReporter.httpUrl("https://github.com/acme/shop/issues/1")).isNotNull();
        assertThat(RestGitHubReporter.httpUrl("https://x.example/a\n::error::pwned")).isNull();
        assertThat(RestGitHubReporter.httpUrl("javascript:alert(1)")).isNull();
        assertThat(RestGitHubReporter.httpUrl(" https://x.example")).isNull();
        assertThat(RestGitHubReporter.httpUrl(null)).isNull();
    }

    @Test
    void payloadFieldsAreReadFromAnObjectOrAJsonString() throws Exception {
        assertThat(RestGitHubReporter.payloadField(HttpApi.JSON.readTree("{\"provider_deployment_id\":\"d1\"}"),
                "provider_deployment_id")).isEqualTo("d1");
        assertThat(RestGitHubReporter.payloadField(HttpApi.JSON.readTree("\"{\\\"provider_deployment_id\\\":\\\"d2\\\"}\""),
                "provider_deployment_id")).isEqualTo("d2");
        assertThat(RestGitHubReporter.payloadField(HttpApi.JSON.readTree("\"not json\""), "x")).isNull();
        assertThat(RestGitHubReporter.payloadField(null, "x")).isNull();
    }

    @Test
    void theWireStateOfInProgressHasAnUnderscore() {
        assertThat(GitHubReporter.DeploymentState.IN_PROGRESS.wire()).isEqualTo("in_progress");
        var body = new GitHubApi.NewDeploymentStatus(GitHubReporter.DeploymentState.IN_PROGRESS.wire(), null, null, null, null);
        assertThat(json(body)).isEqualTo("{\"state\":\"in_progress\"}");
    }

    private static String json(Object o) {
        try {
            return HttpApi.JSON.writeValueAsString(o);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
