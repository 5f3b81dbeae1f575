package dev.gantry.common.github;

import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.http.BaseUrl;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.RetryPolicy;
import dev.gantry.common.http.Time;

import java.net.URI;
import java.time.Duration;

/**
 * Builds the {@link GitHubReporter} an action reports through. Everything comes in through {@link Settings}
 * (the action takes it from {@code ctx.github()} and its {@code github-token} input); nothing here reads the
 * environment. Building makes no request (no {@code GET /user}); a missing token or repository, or an API root
 * that would send the token in clear text, gives {@link GitHubReporter#disabled()} and one line saying why.
 */
public final class GitHubReporters {
    /** Reporting must never hold up a deploy for long: a few quick attempts, then a warning. */
    public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.defaults()
            .withMaxAttempts(4).withDelays(Duration.ofMillis(500), Duration.ofSeconds(5))
            .withBudget(Duration.ofSeconds(30));

    private GitHubReporters() {
    }

    /**
     * What the gateway needs. {@code apiUrl}: the REST root ({@code https://api.github.com}, or
     * {@code https://HOST/api/v3} on GHES). {@code repository}: {@code owner/name}. {@code pullRequest}: the
     * event's PR number, or null. {@code headSha}: the PR head commit (else equal to {@code sha}).
     * {@code runUrl}: the workflow run, used as each status's {@code log_url}. {@code enabled}: false switches
     * reporting off (e.g. an action's {@code report-to-github: false} input).
     */
    public record Settings(String token, String apiUrl, String repository, Integer pullRequest, String headSha,
                           String sha, String runUrl, boolean enabled) {

        /** Settings from the runner's {@code github} context and the action's {@code github-token} input. */
        public static Settings of(GitHubContext github, String token, boolean enabled) {
            var pr = github.pullRequestNumber();
            return new Settings(token, github.apiUrl(), github.repository(),
                    pr.isPresent() ? pr.getAsInt() : null, github.headSha(), github.sha(), github.runUrl(), enabled);
        }

        /** The ref a deployment records: the PR head commit on pull_request events, else the workflow's commit. */
        String deploymentRef() {
            if (pullRequest != null && headSha != null && !headSha.isBlank()) return headSha;
            return sha;
        }
    }

    public static GitHubReporter create(Settings settings, Log log) {
        return create(settings, log, Deadline.none(Time.SYSTEM));
    }

    /** As {@link #create(Settings, Log)}, within the step's deadline (whose time tests make virtual). */
    public static GitHubReporter create(Settings settings, Log log, Deadline deadline) {
        return create(settings, log, deadline, DEFAULT_RETRY);
    }

    /** As {@link #create(Settings, Log, Deadline)}, with another retry policy. */
    public static GitHubReporter create(Settings settings, Log log, Deadline deadline, RetryPolicy retry) {
        if (!settings.enabled()) {
            log.info("GitHub reporting is switched off: no deployment record, PR comment or incident issue.");
            return GitHubReporter.disabled();
        }
        if (settings.token() == null || settings.token().isBlank()) {
            log.warning("GitHub reporting skipped: the github-token input is empty (its default is "
                    + "${{ github.token }}); no deployment record, PR comment or incident issue.");
            return GitHubReporter.disabled();
        }
        log.addMask(settings.token());
        String repo = settings.repository() == null ? "" : settings.repository().strip();
        int slash = repo.indexOf('/');
        if (slash <= 0 || slash == repo.length() - 1 || repo.indexOf('/', slash + 1) >= 0) {
            log.info("GitHub reporting skipped: no repository (GITHUB_REPOSITORY is '" + repo
                    + "'; expected owner/name), so this is not running in a workflow.");
            return GitHubReporter.disabled();
        }
        URI root;
        try {
            root = BaseUrl.check("GITHUB_API_URL", URI.create(settings.apiUrl() == null || settings.apiUrl().isBlank()
                    ? "https://api.github.com" : settings.apiUrl().strip()));
        } catch (InputException | IllegalArgumentException e) {
            log.warning("GitHub reporting skipped: " + e.getMessage());
            return GitHubReporter.disabled();
        }
        HttpApi http = HttpApi.builder("GitHub")
                .baseUrl(root)
                .token(settings.token())
                .log(log)
                .requestIdHeader("x-github-request-id")
                .requestTimeout(Duration.ofSeconds(30))
                .retryPolicy(retry)
                .deadline(deadline)
                .build();
        return new RestGitHubReporter(http.client(GitHubApi.class), repo.substring(0, slash),
                repo.substring(slash + 1), settings, log);
    }
}
