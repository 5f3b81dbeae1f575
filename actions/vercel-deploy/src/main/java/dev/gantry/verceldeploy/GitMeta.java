package dev.gantry.verceldeploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.vercel.CreateDeployment;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code meta} and {@code gitMetadata} of a deployment, from the GitHub context: the keys Vercel's own GitHub
 * integration and amondnet/vercel-action write ({@code githubCommitSha}, {@code githubCommitRef}, ...), so the
 * dashboard shows the commit and the PR.
 */
final class GitMeta {
    private GitMeta() {
    }

    static Map<String, String> meta(GitHubContext gh, String requestKey) {
        Map<String, String> m = new LinkedHashMap<>();
        String repo = gh.repository();
        int slash = repo.indexOf('/');
        String owner = slash > 0 ? repo.substring(0, slash) : "";
        String name = slash > 0 ? repo.substring(slash + 1) : repo;
        JsonNode headRepo = gh.event().path("pull_request").path("head").path("repo");
        put(m, "githubCommitSha", gh.headSha());
        put(m, "githubCommitRef", gh.headBranch());
        put(m, "githubCommitMessage", message(gh));
        put(m, "githubCommitAuthorName", author(gh));
        put(m, "githubCommitAuthorLogin", gh.actor());
        put(m, "githubOrg", owner);
        put(m, "githubRepo", name);
        put(m, "githubCommitOrg", headRepo.path("owner").path("login").asText(owner));
        put(m, "githubCommitRepo", headRepo.path("name").asText(name));
        put(m, "githubDeployment", "1");
        gh.pullRequestNumber().ifPresent(n -> m.put("githubPrId", Integer.toString(n)));
        put(m, "githubRunUrl", gh.runUrl());
        m.put("gantryRequestKey", requestKey);
        return m;
    }

    static CreateDeployment.GitMetadata gitMetadata(GitHubContext gh) {
        String repo = gh.repository();
        return new CreateDeployment.GitMetadata(
                repo.isEmpty() ? null : gh.serverUrl() + "/" + repo,
                blankToNull(author(gh)), blankToNull(message(gh)), blankToNull(gh.headBranch()),
                blankToNull(gh.headSha()), false, gh.isActions() ? Boolean.TRUE : null,
                gh.isActions() ? "github-actions" : null, blankToNull(gh.actor()));
    }

    /** The head commit's message on push events, the PR title on pull_request events. */
    static String message(GitHubContext gh) {
        String m = gh.commitMessage().orElse("");
        if (m.isEmpty()) m = gh.event().path("pull_request").path("title").asText("");
        return m.length() > 1000 ? m.substring(0, 1000) : m;
    }

    static String author(GitHubContext gh) {
        String a = gh.event().path("head_commit").path("author").path("name").asText("");
        return a.isEmpty() ? gh.actor() : a;
    }

    private static void put(Map<String, String> m, String k, String v) {
        if (v != null && !v.isBlank()) m.put(k, v);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
