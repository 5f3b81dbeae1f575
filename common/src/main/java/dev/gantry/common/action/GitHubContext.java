package dev.gantry.common.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.gantry.common.http.HttpApi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code github} context as the runner hands it to a container: {@code GITHUB_*} variables and the event
 * payload at {@code GITHUB_EVENT_PATH}. Mirrors {@code @actions/github}'s {@code context}.
 */
public final class GitHubContext {
    private final Map<String, String> env;
    private JsonNode event;

    public GitHubContext(Map<String, String> env) {
        this.env = env;
    }

    private String get(String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public boolean isActions() {
        return "true".equals(env.get("GITHUB_ACTIONS"));
    }

    /** {@code owner/name}, or empty outside a workflow. */
    public String repository() {
        return get("GITHUB_REPOSITORY", "");
    }

    public String sha() {
        return get("GITHUB_SHA", "");
    }

    public String ref() {
        return get("GITHUB_REF", "");
    }

    public String refName() {
        return get("GITHUB_REF_NAME", "");
    }

    public String headRef() {
        return get("GITHUB_HEAD_REF", "");
    }

    public String eventName() {
        return get("GITHUB_EVENT_NAME", "");
    }

    public String actor() {
        return get("GITHUB_ACTOR", "");
    }

    public String workflow() {
        return get("GITHUB_WORKFLOW", "");
    }

    /** The REST API root: {@code https://api.github.com}, or {@code https://HOST/api/v3} on GHES. */
    public String apiUrl() {
        return get("GITHUB_API_URL", "https://api.github.com");
    }

    public String serverUrl() {
        return get("GITHUB_SERVER_URL", "https://github.com");
    }

    public String runId() {
        return get("GITHUB_RUN_ID", "");
    }

    public String runAttempt() {
        return get("GITHUB_RUN_ATTEMPT", "1");
    }

    /** The link to this workflow run, or empty outside a workflow. */
    public String runUrl() {
        if (repository().isEmpty() || runId().isEmpty()) return "";
        return serverUrl() + "/" + repository() + "/actions/runs/" + runId();
    }

    /** The workspace: {@code GITHUB_WORKSPACE}, else the current directory. */
    public Path workspace() {
        return Path.of(get("GITHUB_WORKSPACE", System.getProperty("user.dir")));
    }

    /** The event payload, or a missing node when there is none. */
    public JsonNode event() {
        if (event == null) {
            String p = env.get("GITHUB_EVENT_PATH");
            event = MissingNode.getInstance();
            if (p != null && !p.isBlank() && Files.isRegularFile(Path.of(p))) {
                try {
                    event = HttpApi.JSON.readTree(Files.readAllBytes(Path.of(p)));
                } catch (IOException e) {
                    event = MissingNode.getInstance();
                }
            }
        }
        return event;
    }

    public boolean isPullRequest() {
        return eventName().startsWith("pull_request") && event().has("pull_request");
    }

    /** The pull request number on pull_request events (also {@code issue_comment} on a PR). */
    public OptionalInt pullRequestNumber() {
        JsonNode pr = event().path("pull_request");
        if (pr.has("number")) return OptionalInt.of(pr.get("number").asInt());
        if (event().path("issue").has("pull_request") && event().path("issue").has("number")) {
            return OptionalInt.of(event().path("issue").get("number").asInt());
        }
        return OptionalInt.empty();
    }

    /** The PR head commit on pull_request events, else {@code GITHUB_SHA}. */
    public String headSha() {
        String s = event().path("pull_request").path("head").path("sha").asText("");
        return s.isEmpty() ? sha() : s;
    }

    /** The PR head branch on pull_request events, else the ref name. */
    public String headBranch() {
        String s = event().path("pull_request").path("head").path("ref").asText("");
        return s.isEmpty() ? (headRef().isEmpty() ? refName() : headRef()) : s;
    }

    /** Label names on the pull request of the event. */
    public java.util.List<String> pullRequestLabels() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (JsonNode l : event().path("pull_request").path("labels")) {
            out.add(l.path("name").asText());
        }
        return out;
    }

    /** The head commit message on push events. */
    public Optional<String> commitMessage() {
        String m = event().path("head_commit").path("message").asText("");
        return m.isEmpty() ? Optional.empty() : Optional.of(m);
    }
}
