package dev.gantry.common.github;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.http.Idempotent;
import feign.Headers;
import feign.Param;
import feign.RequestLine;

import java.util.List;
import java.util.Map;

/**
 * The part of GitHub's REST API the actions report through (paths relative to the API root:
 * {@code https://api.github.com}, or {@code https://HOST/api/v3} on GitHub Enterprise Server). Pages are
 * numbered from 1; {@code per_page} is at most 100.
 */
@Headers({"Accept: application/vnd.github+json", "X-GitHub-Api-Version: 2022-11-28"})
public interface GitHubApi {
    int MAX_PER_PAGE = 100;

    /** {@code repos/create-deployment}. Creates something: never resent blindly. */
    @RequestLine("POST /repos/{owner}/{repo}/deployments")
    @Headers("Content-Type: application/json")
    Deployment createDeployment(@Param("owner") String owner, @Param("repo") String repo, NewDeployment body);

    /** {@code repos/list-deployments}, newest first. {@code sha} and {@code environment} may be null. */
    @RequestLine("GET /repos/{owner}/{repo}/deployments?sha={sha}&environment={environment}&per_page={perPage}&page={page}")
    List<Deployment> listDeployments(@Param("owner") String owner, @Param("repo") String repo,
                                     @Param("sha") String sha, @Param("environment") String environment,
                                     @Param("perPage") int perPage, @Param("page") int page);

    /** {@code repos/create-deployment-status}. A repeated status is harmless, so it may be resent. */
    @RequestLine("POST /repos/{owner}/{repo}/deployments/{id}/statuses")
    @Headers("Content-Type: application/json")
    @Idempotent
    DeploymentStatus createDeploymentStatus(@Param("owner") String owner, @Param("repo") String repo,
                                            @Param("id") long deploymentId, NewDeploymentStatus body);

    /** {@code repos/list-deployment-statuses}, newest first. */
    @RequestLine("GET /repos/{owner}/{repo}/deployments/{id}/statuses?per_page={perPage}&page={page}")
    List<DeploymentStatus> listDeploymentStatuses(@Param("owner") String owner, @Param("repo") String repo,
                                                  @Param("id") long deploymentId, @Param("perPage") int perPage,
                                                  @Param("page") int page);

    /** {@code issues/list-comments} (a pull request's conversation comments are issue comments), oldest first. */
    @RequestLine("GET /repos/{owner}/{repo}/issues/{number}/comments?per_page={perPage}&page={page}")
    List<IssueComment> listIssueComments(@Param("owner") String owner, @Param("repo") String repo,
                                         @Param("number") int issueNumber, @Param("perPage") int perPage,
                                         @Param("page") int page);

    /** {@code issues/create-comment}. Creates something: never resent blindly. */
    @RequestLine("POST /repos/{owner}/{repo}/issues/{number}/comments")
    @Headers("Content-Type: application/json")
    IssueComment createIssueComment(@Param("owner") String owner, @Param("repo") String repo,
                                    @Param("number") int issueNumber, CommentBody body);

    /** {@code issues/update-comment}: replacing the body with the same text twice is harmless. */
    @RequestLine("PATCH /repos/{owner}/{repo}/issues/comments/{id}")
    @Headers("Content-Type: application/json")
    @Idempotent
    IssueComment updateIssueComment(@Param("owner") String owner, @Param("repo") String repo,
                                    @Param("id") long commentId, CommentBody body);

    /** {@code issues/list-for-repo}: open issues (and pull requests, which carry {@code pull_request}), newest first. */
    @RequestLine("GET /repos/{owner}/{repo}/issues?state=open&sort=created&direction=desc&per_page={perPage}&page={page}")
    List<Issue> listOpenIssues(@Param("owner") String owner, @Param("repo") String repo,
                               @Param("perPage") int perPage, @Param("page") int page);

    /**
     * {@code issues/list-for-repo} with GitHub's own filters: open issues created by {@code creator} (a login,
     * {@code github-actions[bot]} included) that carry every label of {@code labels} (comma separated), newest
     * first. GitHub filters before it pages, so the few that match come in the first pages whatever else is open.
     */
    @RequestLine("GET /repos/{owner}/{repo}/issues?state=open&creator={creator}&labels={labels}&sort=created&direction=desc&per_page={perPage}&page={page}")
    List<Issue> listOpenIssuesBy(@Param("owner") String owner, @Param("repo") String repo,
                                 @Param("creator") String creator, @Param("labels") String labels,
                                 @Param("perPage") int perPage, @Param("page") int page);

    /**
     * {@code issues/list-comments} updated at or after {@code since} (ISO 8601), oldest first: the comments a
     * run may just have written.
     */
    @RequestLine("GET /repos/{owner}/{repo}/issues/{number}/comments?since={since}&per_page={perPage}&page={page}")
    List<IssueComment> listIssueCommentsSince(@Param("owner") String owner, @Param("repo") String repo,
                                              @Param("number") int issueNumber, @Param("since") String since,
                                              @Param("perPage") int perPage, @Param("page") int page);

    /**
     * {@code users/get-authenticated}: the account the token acts as. A personal access token or an OAuth/user
     * token gets its user; an installation token (the workflow's {@code GITHUB_TOKEN}, a GitHub App's token) gets
     * 403 "Resource not accessible by integration".
     */
    @RequestLine("GET /user")
    User authenticatedUser();

    /** {@code issues/create}. Creates something: never resent blindly. */
    @RequestLine("POST /repos/{owner}/{repo}/issues")
    @Headers("Content-Type: application/json")
    Issue createIssue(@Param("owner") String owner, @Param("repo") String repo, NewIssue body);

    /** The body of {@code POST …/deployments}. {@code payload} is sent as a JSON object. */
    record NewDeployment(String ref, String task, @JsonProperty("auto_merge") boolean autoMerge,
                         @JsonProperty("required_contexts") List<String> requiredContexts,
                         Map<String, Object> payload, String environment, String description,
                         @JsonProperty("transient_environment") boolean transientEnvironment,
                         @JsonProperty("production_environment") boolean productionEnvironment) {
    }

    /** A deployment as GitHub returns it (the fields we read). {@code payload} is an object or a string. */
    record Deployment(long id, String sha, String ref, String task, String environment, JsonNode payload,
                      String description, String url, User creator, @JsonProperty("created_at") String createdAt,
                      @JsonProperty("transient_environment") Boolean transientEnvironment,
                      @JsonProperty("production_environment") Boolean productionEnvironment) {
    }

    /**
     * The body of {@code POST …/statuses}. {@code state} is the REST wire value ({@code in_progress}, with an
     * underscore). Null fields are not sent.
     */
    record NewDeploymentStatus(String state, @JsonProperty("log_url") String logUrl,
                               @JsonProperty("environment_url") String environmentUrl, String description,
                               @JsonProperty("auto_inactive") Boolean autoInactive) {
    }

    record DeploymentStatus(long id, String state, String description, String environment,
                            @JsonProperty("environment_url") String environmentUrl,
                            @JsonProperty("log_url") String logUrl,
                            @JsonProperty("created_at") String createdAt) {
    }

    record CommentBody(String body) {
    }

    record IssueComment(long id, String body, @JsonProperty("html_url") String htmlUrl, User user,
                        @JsonProperty("updated_at") String updatedAt) {
        /** The login of the comment's author, or null. */
        public String author() {
            return user == null ? null : user.login();
        }
    }

    record NewIssue(String title, String body, List<String> labels) {
    }

    /** An issue or, when {@code pullRequest} is present, a pull request. */
    record Issue(long id, int number, String title, String body, String state,
                 @JsonProperty("html_url") String htmlUrl, @JsonProperty("pull_request") JsonNode pullRequest,
                 User user, List<Label> labels, @JsonProperty("updated_at") String updatedAt) {
        public boolean isPullRequest() {
            return pullRequest != null && !pullRequest.isNull() && !pullRequest.isMissingNode();
        }

        /** The login of the issue's author, or null. */
        public String author() {
            return user == null ? null : user.login();
        }

        /** Whether the issue carries label {@code name} (GitHub compares label names without case). */
        public boolean hasLabel(String name) {
            return labels != null && labels.stream().anyMatch(l -> l != null && name.equalsIgnoreCase(l.name()));
        }
    }

    record Label(String name) {
    }

    record User(String login, long id, String type) {
    }
}
