package dev.gantry.actiontests.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

/**
 * The JSON shapes GitHub's REST API answers with (simple-user, repository, pull-request, deployment,
 * deployment-status, issue, issue-comment), with every property GitHub's OpenAPI description marks as required,
 * and URLs in GitHub's own layout under the simulator's API root and {@code https://github.com}.
 */
final class GitHubJson {
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final String api;   // e.g. http://127.0.0.1:PORT or http://127.0.0.1:PORT/api/v3
    private final String web;   // e.g. https://github.com

    GitHubJson(String apiRoot, String webRoot) {
        this.api = apiRoot;
        this.web = webRoot;
    }

    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String nodeId(String kind, long id) {
        return Base64.getEncoder().encodeToString(("0" + kind.length() + ":" + kind + id).getBytes(StandardCharsets.UTF_8));
    }

    ObjectNode user(String login, long id, String type) {
        ObjectNode u = F.objectNode();
        String url = api + "/users/" + login.replace("[", "%5B").replace("]", "%5D");
        u.put("login", login).put("id", id).put("node_id", nodeId("User", id))
                .put("avatar_url", "https://avatars.githubusercontent.com/u/" + id + "?v=4")
                .put("gravatar_id", "")
                .put("url", url).put("html_url", login.endsWith("[bot]")
                        ? web + "/apps/" + login.substring(0, login.length() - 5) : web + "/" + login)
                .put("followers_url", url + "/followers")
                .put("following_url", url + "/following{/other_user}")
                .put("gists_url", url + "/gists{/gist_id}")
                .put("starred_url", url + "/starred{/owner}{/repo}")
                .put("subscriptions_url", url + "/subscriptions")
                .put("organizations_url", url + "/orgs")
                .put("repos_url", url + "/repos")
                .put("events_url", url + "/events{/privacy}")
                .put("received_events_url", url + "/received_events")
                .put("type", type).put("user_view_type", "public").put("site_admin", false);
        return u;
    }

    /** A repository with the properties both {@code repository} and {@code full-repository} require. */
    ObjectNode repository(GitHubSimulator.Repo r, ObjectNode owner, Instant created) {
        ObjectNode o = F.objectNode();
        String url = api + "/repos/" + r.fullName();
        o.put("id", r.id()).put("node_id", nodeId("Repository", r.id())).put("name", r.name())
                .put("full_name", r.fullName()).set("owner", owner);
        o.put("private", r.isPrivate()).put("html_url", web + "/" + r.fullName()).putNull("description")
                .put("fork", false).put("url", url);
        String[][] templates = {
                {"archive_url", "/{archive_format}{/ref}"}, {"assignees_url", "/assignees{/user}"},
                {"blobs_url", "/git/blobs{/sha}"}, {"branches_url", "/branches{/branch}"},
                {"collaborators_url", "/collaborators{/collaborator}"}, {"comments_url", "/comments{/number}"},
                {"commits_url", "/commits{/sha}"}, {"compare_url", "/compare/{base}...{head}"},
                {"contents_url", "/contents/{+path}"}, {"contributors_url", "/contributors"},
                {"deployments_url", "/deployments"}, {"downloads_url", "/downloads"}, {"events_url", "/events"},
                {"forks_url", "/forks"}, {"git_commits_url", "/git/commits{/sha}"}, {"git_refs_url", "/git/refs{/sha}"},
                {"git_tags_url", "/git/tags{/sha}"}, {"hooks_url", "/hooks"},
                {"issue_comment_url", "/issues/comments{/number}"}, {"issue_events_url", "/issues/events{/number}"},
                {"issues_url", "/issues{/number}"}, {"keys_url", "/keys{/key_id}"}, {"labels_url", "/labels{/name}"},
                {"languages_url", "/languages"}, {"merges_url", "/merges"}, {"milestones_url", "/milestones{/number}"},
                {"notifications_url", "/notifications{?since,all,participating}"}, {"pulls_url", "/pulls{/number}"},
                {"releases_url", "/releases{/id}"}, {"stargazers_url", "/stargazers"}, {"statuses_url", "/statuses/{sha}"},
                {"subscribers_url", "/subscribers"}, {"subscription_url", "/subscription"}, {"tags_url", "/tags"},
                {"teams_url", "/teams"}, {"trees_url", "/git/trees{/sha}"}};
        for (String[] t : templates) o.put(t[0], url + t[1]);
        o.put("git_url", "git://github.com/" + r.fullName() + ".git")
                .put("ssh_url", "git@github.com:" + r.fullName() + ".git")
                .put("clone_url", web + "/" + r.fullName() + ".git")
                .put("svn_url", web + "/" + r.fullName())
                .putNull("homepage").putNull("mirror_url").putNull("language").putNull("license")
                .put("size", 1024).put("stargazers_count", 0).put("watchers_count", 0).put("watchers", 0)
                .put("forks_count", 0).put("forks", 0).put("open_issues_count", 0).put("open_issues", 0)
                .put("network_count", 0).put("subscribers_count", 1)
                .put("has_issues", true).put("has_projects", true).put("has_downloads", true).put("has_wiki", true)
                .put("has_pages", false).put("has_discussions", false).put("archived", false).put("disabled", false)
                .put("visibility", r.isPrivate() ? "private" : "public")
                .put("default_branch", r.defaultBranch())
                .put("pushed_at", time(created)).put("created_at", time(created)).put("updated_at", time(created));
        return o;
    }

    ObjectNode pullRequest(GitHubSimulator.Repo r, ObjectNode repo, GitHubSimulator.IssueState pr, ObjectNode author) {
        String url = api + "/repos/" + r.fullName() + "/pulls/" + pr.number;
        String issueUrl = api + "/repos/" + r.fullName() + "/issues/" + pr.number;
        String html = web + "/" + r.fullName() + "/pull/" + pr.number;
        ObjectNode o = F.objectNode();
        o.put("url", url).put("id", pr.id).put("node_id", nodeId("PullRequest", pr.id)).put("html_url", html)
                .put("diff_url", html + ".diff").put("patch_url", html + ".patch").put("issue_url", issueUrl)
                .put("commits_url", url + "/commits").put("review_comments_url", url + "/comments")
                .put("review_comment_url", api + "/repos/" + r.fullName() + "/pulls/comments{/number}")
                .put("comments_url", issueUrl + "/comments")
                .put("statuses_url", api + "/repos/" + r.fullName() + "/statuses/" + pr.headSha)
                .put("number", pr.number).put("state", pr.state).put("locked", false).put("title", pr.title);
        o.set("user", author);
        o.put("body", pr.body);
        o.set("labels", labels(r, pr.labels));
        o.putNull("milestone");
        o.put("active_lock_reason", (String) null);
        o.put("created_at", time(pr.createdAt)).put("updated_at", time(pr.updatedAt))
                .putNull("closed_at").putNull("merged_at").putNull("merge_commit_sha");
        o.putNull("assignee");
        o.putArray("assignees");
        o.putArray("requested_reviewers");
        o.putArray("requested_teams");
        o.set("head", ref(r.owner() + ":" + pr.headRef, pr.headRef, pr.headSha, repo, author));
        o.set("base", ref(r.owner() + ":" + r.defaultBranch(), r.defaultBranch(), pr.baseSha, repo, (ObjectNode) repo.get("owner")));
        ObjectNode links = o.putObject("_links");
        links.putObject("self").put("href", url);
        links.putObject("html").put("href", html);
        links.putObject("issue").put("href", issueUrl);
        links.putObject("comments").put("href", issueUrl + "/comments");
        links.putObject("review_comments").put("href", url + "/comments");
        links.putObject("review_comment").put("href", api + "/repos/" + r.fullName() + "/pulls/comments{/number}");
        links.putObject("commits").put("href", url + "/commits");
        links.putObject("statuses").put("href", api + "/repos/" + r.fullName() + "/statuses/" + pr.headSha);
        o.put("author_association", "CONTRIBUTOR").putNull("auto_merge").put("draft", false)
                .put("merged", false).putNull("mergeable").put("rebaseable", (Boolean) null)
                .put("mergeable_state", "unknown").putNull("merged_by")
                .put("comments", pr.comments).put("review_comments", 0).put("maintainer_can_modify", false)
                .put("commits", 1).put("additions", 1).put("deletions", 0).put("changed_files", 1);
        return o;
    }

    private static ObjectNode ref(String label, String ref, String sha, ObjectNode repo, ObjectNode user) {
        ObjectNode o = F.objectNode();
        o.put("label", label).put("ref", ref).put("sha", sha);
        o.set("user", user);
        o.set("repo", repo);
        return o;
    }

    ArrayNode labels(GitHubSimulator.Repo r, List<String> names) {
        ArrayNode a = F.arrayNode();
        for (String n : names) {
            long id = Math.abs((long) n.hashCode()) + 1;
            a.addObject().put("id", id).put("node_id", nodeId("Label", id))
                    .put("url", api + "/repos/" + r.fullName() + "/labels/" + n.replace(" ", "%20"))
                    .put("name", n).putNull("description").put("color", "d73a4a").put("default", false);
        }
        return a;
    }

    ObjectNode deployment(GitHubSimulator.Repo r, GitHubSimulator.DeploymentState d, ObjectNode creator) {
        String url = api + "/repos/" + r.fullName() + "/deployments/" + d.id;
        ObjectNode o = F.objectNode();
        o.put("url", url).put("id", d.id).put("node_id", nodeId("Deployment", d.id)).put("sha", d.sha)
                .put("ref", d.ref).put("task", d.task);
        o.set("payload", d.payload);
        o.put("original_environment", d.originalEnvironment).put("environment", d.environment)
                .put("description", d.description);
        o.set("creator", creator);
        o.put("created_at", time(d.createdAt)).put("updated_at", time(d.updatedAt))
                .put("statuses_url", url + "/statuses").put("repository_url", api + "/repos/" + r.fullName())
                .put("transient_environment", d.transientEnvironment)
                .put("production_environment", d.productionEnvironment);
        return o;
    }

    ObjectNode deploymentStatus(GitHubSimulator.Repo r, GitHubSimulator.DeploymentState d,
                                GitHubSimulator.StatusState s, ObjectNode creator) {
        String deploymentUrl = api + "/repos/" + r.fullName() + "/deployments/" + d.id;
        ObjectNode o = F.objectNode();
        o.put("url", deploymentUrl + "/statuses/" + s.id).put("id", s.id).put("node_id", nodeId("DeploymentStatus", s.id))
                .put("state", s.state);
        o.set("creator", creator);
        o.put("description", s.description).put("environment", s.environment)
                .put("target_url", s.logUrl);
        // optional URLs that were never given are left out (an empty string is not the RFC 3986 URI the schema asks)
        if (!s.logUrl.isEmpty()) o.put("log_url", s.logUrl);
        if (!s.environmentUrl.isEmpty()) o.put("environment_url", s.environmentUrl);
        o.put("created_at", time(s.createdAt)).put("updated_at", time(s.createdAt))
                .put("deployment_url", deploymentUrl).put("repository_url", api + "/repos/" + r.fullName());
        return o;
    }

    ObjectNode issueComment(GitHubSimulator.Repo r, GitHubSimulator.CommentState c, ObjectNode author) {
        ObjectNode o = F.objectNode();
        o.put("id", c.id).put("node_id", nodeId("IssueComment", c.id))
                .put("url", api + "/repos/" + r.fullName() + "/issues/comments/" + c.id)
                .put("html_url", web + "/" + r.fullName() + (c.onPullRequest ? "/pull/" : "/issues/") + c.issue
                        + "#issuecomment-" + c.id)
                .put("body", c.body);
        o.set("user", author);
        o.put("created_at", time(c.createdAt)).put("updated_at", time(c.updatedAt))
                .put("issue_url", api + "/repos/" + r.fullName() + "/issues/" + c.issue)
                .put("author_association", c.authorAssociation);
        o.set("reactions", reactions(api + "/repos/" + r.fullName() + "/issues/comments/" + c.id + "/reactions"));
        return o;
    }

    ObjectNode issue(GitHubSimulator.Repo r, GitHubSimulator.IssueState i, ObjectNode author) {
        String url = api + "/repos/" + r.fullName() + "/issues/" + i.number;
        ObjectNode o = F.objectNode();
        o.put("id", i.id).put("node_id", nodeId("Issue", i.id)).put("url", url)
                .put("repository_url", api + "/repos/" + r.fullName())
                .put("labels_url", url + "/labels{/name}").put("comments_url", url + "/comments")
                .put("events_url", url + "/events")
                .put("html_url", web + "/" + r.fullName() + (i.pullRequest ? "/pull/" : "/issues/") + i.number)
                .put("number", i.number).put("state", i.state).putNull("state_reason").put("title", i.title)
                .put("body", i.body);
        o.set("user", author);
        o.set("labels", labels(r, i.labels));
        o.putNull("assignee");
        o.putArray("assignees");
        o.putNull("milestone");
        o.put("locked", false).putNull("active_lock_reason").put("comments", i.comments);
        if (i.pullRequest) {
            String html = web + "/" + r.fullName() + "/pull/" + i.number;
            o.putObject("pull_request").putNull("merged_at")
                    .put("diff_url", html + ".diff").put("html_url", html).put("patch_url", html + ".patch")
                    .put("url", api + "/repos/" + r.fullName() + "/pulls/" + i.number);
        }
        o.putNull("closed_at");
        o.put("created_at", time(i.createdAt)).put("updated_at", time(i.updatedAt))
                .put("author_association", i.authorAssociation);
        o.set("reactions", reactions(url + "/reactions"));
        o.put("timeline_url", url + "/timeline");
        return o;
    }

    private static ObjectNode reactions(String url) {
        ObjectNode o = F.objectNode();
        o.put("url", url).put("total_count", 0).put("+1", 0).put("-1", 0).put("laugh", 0).put("hooray", 0)
                .put("confused", 0).put("heart", 0).put("rocket", 0).put("eyes", 0);
        return o;
    }

    /** GitHub's error body: {@code {"message", "documentation_url", "status"}}. */
    static ObjectNode error(String message, String docs, int status) {
        ObjectNode o = F.objectNode();
        o.put("message", message).put("documentation_url", docs).put("status", String.valueOf(status));
        return o;
    }

    /** GitHub's 422: {@code {"message": "Validation Failed", "errors": [...], "documentation_url"}}. */
    static ObjectNode validationFailed(String docs, String resource, String field, String code, String message) {
        ObjectNode o = F.objectNode();
        o.put("message", "Validation Failed");
        ObjectNode e = o.putArray("errors").addObject();
        e.put("resource", resource).put("code", code).put("field", field);
        if (message != null) e.put("message", message);
        o.put("documentation_url", docs).put("status", "422");
        return o;
    }

    static JsonNode copy(JsonNode n) {
        return n == null ? F.nullNode() : n.deepCopy();
    }
}
