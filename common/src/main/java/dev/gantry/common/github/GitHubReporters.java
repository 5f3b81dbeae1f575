package dev.gantry.common.github;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.http.BaseUrl;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.RetryPolicy;
import dev.gantry.common.http.Time;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Builds the {@link GitHubReporter} an action reports through. Everything comes in through {@link Settings}
 * (the action takes it from {@code ctx.github()} and its {@code github-token} input); nothing here reads the
 * environment. Building makes no request; a missing token or repository, or an API root that would send the
 * token in clear text, gives {@link GitHubReporter#disabled()} and one line saying why.
 */
public final class GitHubReporters {
    /**
     * The same policy as every other provider call: GitHub's rate limits (429, and the 403 of its secondary limits
     * and abuse detection) are waited out as long as {@code Retry-After} or the reset fits the step's deadline and
     * this budget; a create is then resent (GitHub did nothing).
     */
    public static final RetryPolicy DEFAULT_RETRY = RetryPolicy.defaults();
    /** GitHub's own default production environment ({@code production_environment} defaults to it). */
    public static final String PRODUCTION = "production";

    private GitHubReporters() {
    }

    /**
     * What the gateway needs. {@code apiUrl}: the REST root ({@code https://api.github.com}, or
     * {@code https://HOST/api/v3} on GHES). {@code repository}: {@code owner/name}. {@code pullRequest}: the
     * event's PR number, or null. {@code headSha}: the PR head commit (else equal to {@code sha}).
     * {@code runUrl}: the workflow run, used as each status's {@code log_url}. {@code enabled}: false switches
     * reporting off (e.g. an action's {@code report-to-github: false} input). {@code productionEnvironment}: the
     * one environment whose records say {@code production_environment: true}.
     */
    public record Settings(String token, String apiUrl, String repository, Integer pullRequest, String headSha,
                           String sha, String runUrl, boolean enabled, String productionEnvironment) {

        public Settings {
            productionEnvironment = productionEnvironment == null || productionEnvironment.isBlank() ? PRODUCTION
                    : productionEnvironment.strip();
        }

        /** Settings whose production environment is GitHub's default, {@code production}. */
        public Settings(String token, String apiUrl, String repository, Integer pullRequest, String headSha, String sha,
                        String runUrl, boolean enabled) {
            this(token, apiUrl, repository, pullRequest, headSha, sha, runUrl, enabled, PRODUCTION);
        }

        /** Settings from the runner's {@code github} context and the action's {@code github-token} input. */
        public static Settings of(GitHubContext github, String token, boolean enabled) {
            var pr = github.pullRequestNumber();
            return new Settings(token, github.apiUrl(), github.repository(),
                    pr.isPresent() ? pr.getAsInt() : null, github.headSha(), github.sha(), github.runUrl(), enabled);
        }

        /** The same settings with another production environment (an action's input names it). */
        public Settings withProductionEnvironment(String environment) {
            return new Settings(token, apiUrl, repository, pullRequest, headSha, sha, runUrl, enabled, environment);
        }

        /** The ref a deployment records: the PR head commit on pull_request events, else the workflow's commit. */
        String deploymentRef() {
            if (pullRequest != null && headSha != null && !headSha.isBlank()) return headSha;
            return sha;
        }
    }

    /**
     * The reporter of an action's step: as {@link #create(Settings, Log, Deadline)}, and when the step ends,
     * however it ends, every record it left without a final status gets one ({@link GitHubReporter#finish}) and
     * what the reader must know (a status that could not be written, markers found in others' issues or comments)
     * goes into the step summary.
     */
    public static GitHubReporter forStep(ActionContext ctx, Settings settings, Deadline deadline) {
        GitHubReporter reporter = create(settings, ctx.log(), deadline);
        ctx.atExit((failed, summary) -> {
            List<Markdown> notes = reporter.finish(failed);
            if (!notes.isEmpty()) {
                summary.paragraph(Markdown.of("**GitHub**"));
                summary.bullets(notes);
            }
        });
        return reporter;
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
        HttpApi http = httpApi(root, settings, log, deadline, retry);
        URI graphqlRoot = graphqlRoot(root);
        return new RestGitHubReporter(http, http.client(GitHubApi.class),
                () -> httpApi(graphqlRoot, settings, log, deadline, retry).client(GitHubGraphQl.class),
                repo.substring(0, slash), repo.substring(slash + 1), settings, log);
    }

    private static HttpApi httpApi(URI root, Settings settings, Log log, Deadline deadline, RetryPolicy retry) {
        return HttpApi.builder("GitHub")
                .baseUrl(root)
                .token(settings.token())
                .log(log)
                .requestIdHeader("x-github-request-id")
                .requestTimeout(Duration.ofSeconds(30))
                .retryPolicy(retry)
                .deadline(deadline)
                .build();
    }

    /**
     * Where {@code /graphql} lives beside a REST root: {@code https://api.github.com} itself, {@code https://HOST/api}
     * for GitHub Enterprise Server's {@code https://HOST/api/v3}.
     */
    static URI graphqlRoot(URI restRoot) {
        String s = restRoot.toString().replaceAll("/+$", "");
        return URI.create(s.endsWith("/v3") ? s.substring(0, s.length() - 3) : s);
    }
}
