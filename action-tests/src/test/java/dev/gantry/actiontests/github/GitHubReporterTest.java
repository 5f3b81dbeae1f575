package dev.gantry.actiontests.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.github.GitHubReporter.DeploymentRecord;
import dev.gantry.common.github.GitHubReporter.DeploymentRequest;
import dev.gantry.common.github.GitHubReporter.DeploymentState;
import dev.gantry.common.github.GitHubReporter.Incident;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.testing.LoopbackServer;
import dev.gantry.common.testing.LoopbackServer.Fault;
import dev.gantry.common.testing.LoopbackServer.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The GitHub gateway end to end, through the stateful simulator: what goes over the wire and what GitHub keeps. */
class GitHubReporterTest {
    private static final String COMMENTS = "/repos/acme/shop/issues/7/comments";
    private final GitHubSimulator sim = new GitHubSimulator().pullRequest(7, ReporterRun.HEAD, "feature/cart");

    @AfterEach
    void stop() {
        sim.close();
    }

    private static DeploymentRequest preview(String providerId) {
        return new DeploymentRequest("preview", null, "Vercel preview of feature/cart", true, false, "vercel", providerId);
    }

    @Test
    void deploymentRecordAndStatusesRoundTripWithTheRestWireValues() {
        ReporterRun run = ReporterRun.onPullRequest(sim, 7);

        DeploymentRecord d = run.reporter.createDeployment(preview("dpl_7Hq2")).orElseThrow();
        run.reporter.setStatus(d, DeploymentState.IN_PROGRESS, null, "Deploying");
        run.reporter.setStatus(d, DeploymentState.SUCCESS, "https://shop-git-feature-cart.vercel.app", "Ready");

        JsonNode create = sim.requests("POST", "/repos/acme/shop/deployments").get(0).json();
        assertThat(create.path("ref").asText()).as("a PR deploy records the PR head commit").isEqualTo(ReporterRun.HEAD);
        assertThat(create.path("environment").asText()).isEqualTo("preview");
        assertThat(create.path("transient_environment").asBoolean()).isTrue();
        assertThat(create.path("production_environment").asBoolean()).isFalse();
        assertThat(create.path("auto_merge").isBoolean() && !create.path("auto_merge").asBoolean()).isTrue();
        assertThat(create.path("required_contexts").isArray() && create.path("required_contexts").isEmpty()).isTrue();
        assertThat(create.path("payload").path("provider_deployment_id").asText()).isEqualTo("dpl_7Hq2");

        List<RecordedRequest> statuses = sim.requests("POST", "/repos/acme/shop/deployments/\\d+/statuses");
        assertThat(statuses).hasSize(2);
        // github-api 1.330 would send "in-progress"; the REST API only knows in_progress
        assertThat(statuses.get(0).bodyText()).contains("\"state\":\"in_progress\"").doesNotContain("in-progress");
        assertThat(statuses.get(0).json().path("log_url").asText()).isEqualTo(ReporterRun.RUN_URL);
        assertThat(statuses.get(0).json().has("auto_inactive")).isFalse();
        assertThat(statuses.get(1).json().path("state").asText()).isEqualTo("success");
        assertThat(statuses.get(1).json().path("environment_url").asText()).isEqualTo("https://shop-git-feature-cart.vercel.app");
        assertThat(statuses.get(1).json().path("auto_inactive").asBoolean()).isTrue();

        assertThat(sim.statusStates(d.id())).containsExactly("in_progress", "success");
        JsonNode kept = sim.deployments().get(0);
        assertThat(kept.path("sha").asText()).isEqualTo(ReporterRun.HEAD);
        assertThat(kept.path("payload").path("provider").asText()).isEqualTo("vercel");
        assertThat(run.reporter.findDeployment("preview", "dpl_7Hq2")).contains(d);
        assertThat(run.reporter.findDeployment("preview", "dpl_other")).isEmpty();
        assertThat(run.warnings()).isEmpty();
    }

    @Test
    void theSimulatorRejectsTheHyphenatedStateThatGithubApiSends() throws Exception {
        ReporterRun run = ReporterRun.onPush(sim);
        DeploymentRecord d = run.reporter.createDeployment(new DeploymentRequest("staging", null, "d", false, false,
                "digitalocean", "app-1")).orElseThrow();
        var http = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(sim.apiUrl().resolve("/repos/acme/shop/deployments/" + d.id() + "/statuses"))
                .header("Authorization", "Bearer " + GitHubSimulator.DEFAULT_TOKEN)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"state\":\"in-progress\"}")).build();
        var res = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).isEqualTo(422);
        assertThat(res.body()).contains("Validation Failed").contains("\"field\":\"state\"");
        assertThat(sim.statusStates(d.id())).isEmpty();
    }

    @Test
    void aPushDeployRecordsTheWorkflowCommitAndASuccessRetiresTheEarlierOne() {
        ReporterRun first = ReporterRun.onPush(sim);
        DeploymentRecord a = first.reporter.createDeployment(new DeploymentRequest("staging", null, "first", false, false,
                "digitalocean", "dep-a")).orElseThrow();
        first.reporter.setStatus(a, DeploymentState.SUCCESS, "https://staging.shop.example", "live");
        ReporterRun second = ReporterRun.onPush(sim);
        DeploymentRecord b = second.reporter.createDeployment(new DeploymentRequest("staging", null, "second", false, false,
                "digitalocean", "dep-b")).orElseThrow();
        second.reporter.setStatus(b, DeploymentState.SUCCESS, "https://staging.shop.example", "live");

        assertThat(sim.requests("POST", "/repos/acme/shop/deployments").get(0).json().path("ref").asText())
                .isEqualTo(ReporterRun.SHA);
        assertThat(sim.statusStates(a.id())).containsExactly("success", "inactive");
        assertThat(sim.statusStates(b.id())).containsExactly("success");
        assertThat(second.reporter.findDeployment("staging", "dep-a")).contains(a);
    }

    @Test
    void stickyCommentIsCreatedOnceThenUpdatedInPlace() {
        sim.comment(7, "octocat", "Looks good, deploying a preview.");
        String url = ReporterRun.onPullRequest(sim, 7).reporter
                .stickyComment("vercel-deploy:preview", Markdown.of("Preview: https://one.vercel.app")).orElseThrow();
        ReporterRun second = ReporterRun.onPullRequest(sim, 7);
        String url2 = second.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview: https://two.vercel.app")).orElseThrow();
        // another action's marker is a different comment
        ReporterRun.onPullRequest(sim, 7).reporter.stickyComment("smoke-test:preview", Markdown.of("Smoke test passed"));

        assertThat(url2).isEqualTo(url).contains("/pull/7#issuecomment-");
        List<JsonNode> comments = sim.comments(7);
        assertThat(comments).hasSize(3);
        assertThat(comments.get(1).path("body").asText())
                .isEqualTo("<!-- gantry:vercel-deploy:preview -->\nPreview: https://two.vercel.app");
        assertThat(comments.get(2).path("body").asText()).startsWith("<!-- gantry:smoke-test:preview -->");
        assertThat(sim.requests("POST", COMMENTS)).hasSize(2);
        assertThat(sim.requests("PATCH", "/repos/acme/shop/issues/comments/\\d+")).hasSize(1);

        // same text again: nothing to write (the one POST asks GraphQL who the token is)
        sim.clearRequests();
        ReporterRun.onPullRequest(sim, 7).reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview: https://two.vercel.app"));
        assertThat(sim.requests().stream().filter(r -> !r.path().equals("/graphql")).map(RecordedRequest::method))
                .containsOnly("GET");
    }

    @Test
    void findsItsCommentBeyondTheFirstPageOfComments() {
        for (int i = 0; i < 230; i++) sim.comment(7, "octocat", "review note " + i);
        long ours = sim.comment(7, "github-actions[bot]", "<!-- gantry:do-deploy:staging -->\nold report");
        for (int i = 0; i < 20; i++) sim.comment(7, "octocat", "later note " + i);

        ReporterRun run = ReporterRun.onPullRequest(sim, 7);
        run.reporter.stickyComment("do-deploy:staging", Markdown.of("new report")).orElseThrow();

        List<RecordedRequest> pages = sim.requests("GET", COMMENTS);
        assertThat(pages).extracting(r -> r.param("page")).containsExactly("1", "2", "3");
        assertThat(pages).allSatisfy(r -> assertThat(r.param("per_page")).isEqualTo("100"));
        assertThat(sim.requests("POST", COMMENTS)).isEmpty();
        assertThat(sim.requests("PATCH", "/repos/acme/shop/issues/comments/" + ours)).hasSize(1);
        assertThat(sim.comments(7)).hasSize(251);
    }

    @Test
    void commentsArePagedWithGithubsLinkHeader() throws Exception {
        for (int i = 0; i < 65; i++) sim.comment(7, "octocat", "note " + i);
        var http = java.net.http.HttpClient.newHttpClient();
        var res = http.send(java.net.http.HttpRequest.newBuilder(sim.apiUrl().resolve(COMMENTS + "?per_page=30&page=2"))
                .header("Authorization", "token " + GitHubSimulator.DEFAULT_TOKEN).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        String base = sim.apiUrl() + COMMENTS;
        assertThat(res.headers().firstValue("link")).contains(
                "<" + base + "?per_page=30&page=3>; rel=\"next\", <" + base + "?per_page=30&page=3>; rel=\"last\", "
                        + "<" + base + "?per_page=30&page=1>; rel=\"prev\", <" + base + "?per_page=30&page=1>; rel=\"first\"");
        assertThat(LoopbackServer.JSON.readTree(res.body())).hasSize(30);
        assertThat(res.headers().firstValue("x-ratelimit-remaining")).isPresent();
    }

    @Test
    void anOversizedReportIsCutToGithubsLimitAndAccepted() {
        String huge = "```\n" + "line of a very long build log\n".repeat(3_000) + "```\n";
        ReporterRun.onPullRequest(sim, 7).reporter.stickyComment("smoke-test:production", Markdown.of(huge)).orElseThrow();

        String body = sim.comments(7).get(0).path("body").asText();
        assertThat(body.length()).isLessThanOrEqualTo(65_536).isGreaterThan(60_000);
        assertThat(body).startsWith("<!-- gantry:smoke-test:production -->\n```")
                .contains("```\n\n> **Truncated:**").endsWith(ReporterRun.RUN_URL + "\n");
    }

    @Test
    void anIncidentIsOpenedOnceThenCommentedOn() {
        ReporterRun first = ReporterRun.onPush(sim);
        String url = first.reporter.incident(new Incident("rollback:production", "incident", "Rollback of production",
                Markdown.of("Smoke test failed; rolled back to dep-a."), List.of("production"))).orElseThrow();
        sim.pullRequest(20, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "feature/other");
        ReporterRun second = ReporterRun.onPush(sim);
        String url2 = second.reporter.incident(new Incident("rollback:production", "incident", "Rollback of production",
                Markdown.of("Rolled back again."), List.of())).orElseThrow();

        assertThat(url2).isEqualTo(url).contains("/issues/");
        List<JsonNode> issues = sim.issues();
        assertThat(issues).hasSize(1);
        JsonNode issue = issues.get(0);
        assertThat(issue.path("title").asText()).isEqualTo("Rollback of production");
        assertThat(issue.path("body").asText()).startsWith("<!-- gantry:rollback:production -->\n");
        assertThat(issue.path("labels")).extracting(l -> l.path("name").asText()).containsExactly("incident", "production");
        assertThat(sim.comments(issue.path("number").asInt())).singleElement()
                .satisfies(c -> assertThat(c.path("body").asText())
                        .matches("<!-- gantry:rollback:production:update:[0-9a-f-]{36} -->\nRolled back again\\."));

        // once it is closed, the next incident is a new issue
        sim.closeIssue(issue.path("number").asInt());
        ReporterRun.onPush(sim).reporter.incident(new Incident("rollback:production", "incident", "Rollback of production",
                Markdown.of("Third time."), List.of()));
        assertThat(sim.issues()).hasSize(2);
    }

    @Test
    void aReadOnlyTokenGivesOneWarningPerPermissionAndTheActionGoesOn() {
        sim.readOnlyToken("ghs_forkPullRequestReadOnly000000000000");
        ReporterRun run = new ReporterRun(sim, "ghs_forkPullRequestReadOnly000000000000", 7);

        assertThat(run.reporter.createDeployment(preview("dpl_1"))).isEmpty();
        assertThat(run.reporter.createDeployment(preview("dpl_2"))).isEmpty();
        assertThat(run.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview ready"))).isEmpty();
        assertThat(run.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview ready"))).isEmpty();
        assertThat(run.reporter.incident(new Incident("rollback:preview", "incident", "t", Markdown.of("b"), List.of()))).isEmpty();

        List<String> warnings = run.warnings();
        assertThat(warnings).hasSize(3);
        assertThat(warnings.get(0)).contains("`deployments: write`").contains("Resource not accessible by integration");
        assertThat(warnings.get(1)).contains("`pull-requests: write`");
        assertThat(warnings.get(2)).contains("`issues: write`");
        assertThat(sim.requests("POST", "/repos/acme/shop/deployments")).as("skipped once denied").hasSize(1);
        assertThat(sim.requests("POST", COMMENTS)).hasSize(1);
        assertThat(run.commands().plainLines()).noneMatch(l -> l.contains("ghs_forkPullRequestReadOnly"));
        assertThat(run.commands().masks()).contains("ghs_forkPullRequestReadOnly000000000000");
    }

    @Test
    void anExhaustedRateLimitWhoseResetIsPastTheRetryBudgetIsAWarningAtOnce() {
        sim.rateLimit(0, Duration.ofMinutes(50), 403);
        ReporterRun run = ReporterRun.onPullRequest(sim, 7);
        assertThat(run.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview ready"))).isEmpty();
        assertThat(run.warnings()).singleElement().asString()
                .contains("rate limit").contains("API rate limit exceeded").doesNotContain("pull-requests: write");
        assertThat(run.sleeps).isEmpty();

        // 429 on a read: waited out only while the reset fits the step's deadline and the retry budget: not here
        sim.rateLimit(0, Duration.ofMinutes(50), 429);
        ReporterRun again = ReporterRun.onPullRequest(sim, 7);
        assertThat(again.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview ready"))).isEmpty();
        assertThat(again.warnings()).singleElement().asString().contains("rate limit").contains("gave up")
                .contains("past the retry budget");
        assertThat(again.sleeps).as("never waits for the reset").isEmpty();
        // 429 on a create: GitHub did nothing, but the reset is too far to wait for
        ReporterRun deploy = ReporterRun.onPush(sim);
        assertThat(deploy.reporter.createDeployment(preview("dpl_1"))).isEmpty();
        assertThat(deploy.warnings()).singleElement().asString().contains("rate limit");
        assertThat(sim.requests("POST", "/repos/acme/shop/deployments")).hasSize(1);
        assertThat(sim.requests("POST", COMMENTS)).isEmpty();
    }

    @Test
    void aSecondaryRateLimitOnACreateIsWaitedOutAndTheCreateResent() {
        sim.secondaryRateLimit(LoopbackServer.matching("POST", "/repos/acme/shop/deployments"), 1, Duration.ofMinutes(1));
        ReporterRun run = ReporterRun.onPush(sim);
        assertThat(run.reporter.createDeployment(preview("dpl_1"))).isPresent();
        assertThat(run.sleeps).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(59), Duration.ofMinutes(1)));
        assertThat(sim.requests("POST", "/repos/acme/shop/deployments")).hasSize(2);
        assertThat(sim.deployments()).hasSize(1);
        assertThat(run.warnings()).isEmpty();
    }

    @Test
    void aSecondaryRateLimitPastTheRetryBudgetIsAWarningNotAMissingPermission() {
        sim.secondaryRateLimit(LoopbackServer.matching("POST", "/repos/acme/shop/deployments"), 1, Duration.ofMinutes(10));
        ReporterRun run = ReporterRun.onPush(sim);
        assertThat(run.reporter.createDeployment(preview("dpl_1"))).isEmpty();
        assertThat(run.warnings()).singleElement().asString().contains("secondary rate limit").doesNotContain("deployments: write");
        // not remembered as a missing permission: the next deploy records normally
        assertThat(run.reporter.createDeployment(preview("dpl_2"))).isPresent();
        assertThat(run.sleeps).isEmpty();
    }

    @Test
    void githubsOlderAbuseDetectionMessageIsARateLimitNotAMissingPermission() {
        sim.inject(Fault.status(LoopbackServer.matching("POST", COMMENTS), 1, LoopbackServer.Reply.json(403,
                GitHubJson.error("You have triggered an abuse detection mechanism. Please wait a few minutes before you "
                        + "try again.", "https://docs.github.com/rest/overview/resources-in-the-rest-api#abuse-rate-limits", 403))
                .withHeader("retry-after", "30")));
        ReporterRun run = ReporterRun.onPullRequest(sim, 7);
        assertThat(run.reporter.stickyComment("do-deploy:staging", Markdown.of("report"))).isPresent();
        assertThat(run.reporter.incident(new Incident("rollback:staging", "incident", "t", Markdown.of("b"), List.of())))
                .as("comments are still allowed afterwards").isPresent();
        assertThat(run.sleeps).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30)));
        assertThat(run.warnings()).isEmpty();
        assertThat(sim.comments(7)).hasSize(1);
    }

    @Test
    void aCreateAnsweredWith429IsResentOnceTheWaitIsOver() {
        sim.inject(Fault.status(LoopbackServer.matching("POST", "/repos/acme/shop/issues"), 1, LoopbackServer.Reply.json(429,
                GitHubJson.error("API rate limit exceeded", "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api", 429))
                .withHeader("retry-after", "1")));
        ReporterRun run = ReporterRun.onPush(sim);
        assertThat(run.reporter.incident(new Incident("rollback:production", "incident", "Rollback of production",
                Markdown.of("Rolled back."), List.of("rollback")))).isPresent();
        assertThat(sim.requests("POST", "/repos/acme/shop/issues")).hasSize(2);
        assertThat(sim.issues()).hasSize(1);
        assertThat(run.sleeps).singleElement().satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1)));
        assertThat(run.warnings()).isEmpty();
    }

    @Test
    void anIssueWhoseCreateLostItsAnswerIsFoundNotOpenedTwice() {
        sim.inject(Fault.loseAnswer(LoopbackServer.matching("POST", "/repos/acme/shop/issues"), 1));
        ReporterRun run = ReporterRun.onPush(sim);
        String url = run.reporter.incident(new Incident("rollback:production", "incident", "Rollback of production",
                Markdown.of("Rolled back."), List.of())).orElseThrow();
        assertThat(sim.issues()).singleElement().satisfies(i -> assertThat(url).isEqualTo(i.path("html_url").asText()));
        assertThat(sim.requests("POST", "/repos/acme/shop/issues")).hasSize(1);
    }

    @Test
    void theWarningNamesTheCallThatFailed() {
        sim.inject(Fault.status(LoopbackServer.matching("POST", COMMENTS), 1, LoopbackServer.Reply.json(422,
                GitHubJson.validationFailed("https://docs.github.com/rest", "IssueComment", "body", "custom", "nope"))));
        ReporterRun run = ReporterRun.onPullRequest(sim, 7);
        assertThat(run.reporter.stickyComment("do-deploy:staging", Markdown.of("report"))).isEmpty();
        assertThat(run.warnings()).singleElement().asString().startsWith("GitHub: could not create the comment on pull "
                + "request #7").doesNotContain("update");
    }

    @Test
    void debugLoggingShowsTheCallsButNeverTheToken() {
        ReporterRun run = new ReporterRun(new GitHubReporters.Settings(GitHubSimulator.DEFAULT_TOKEN, sim.apiUrl().toString(),
                "acme/shop", 7, ReporterRun.HEAD, ReporterRun.SHA, ReporterRun.RUN_URL, true), true);
        run.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview")).orElseThrow();
        assertThat(run.commands().named("debug")).isNotEmpty()
                .anySatisfy(c -> assertThat(c.data()).contains("POST").contains("/repos/acme/shop/issues/7/comments"));
        assertThat(run.commands().named("debug")).noneSatisfy(c -> assertThat(c.data()).containsIgnoringCase("authorization"));
        assertThat(run.log().replace("::add-mask::" + GitHubSimulator.DEFAULT_TOKEN, "")).doesNotContain(GitHubSimulator.DEFAULT_TOKEN);
    }

    @Test
    void worksAgainstAGitHubEnterpriseServerApiRoot() {
        try (GitHubSimulator ghes = GitHubSimulator.enterprise()) {
            ghes.pullRequest(7, ReporterRun.HEAD, "feature/cart");
            ReporterRun run = ReporterRun.onPullRequest(ghes, 7);
            assertThat(ghes.apiUrl().getPath()).isEqualTo("/api/v3");
            DeploymentRecord d = run.reporter.createDeployment(preview("dpl_1")).orElseThrow();
            run.reporter.setStatus(d, DeploymentState.SUCCESS, "https://preview.example", "ok");
            run.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview")).orElseThrow();
            assertThat(ghes.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.path())
                    .matches("/api/v3/repos/acme/shop/.*|/api/graphql"));
            assertThat(ghes.requests("POST", "/api/graphql")).as("GHES serves GraphQL at /api/graphql").hasSize(1);
            assertThat(ghes.statusStates(d.id())).containsExactly("success");
            assertThat(ghes.comments(7).get(0).path("html_url").asText()).startsWith(ghes.serverUrl() + "/acme/shop/pull/7");
            assertThat(run.warnings()).isEmpty();
        }
    }

    @Test
    void aRejectedTokenIsAWarningNotAFailure() {
        ReporterRun run = new ReporterRun(sim, "ghs_revokedToken000000000000000000000", 7);
        assertThat(run.reporter.stickyComment("vercel-deploy:preview", Markdown.of("x"))).isEmpty();
        assertThat(run.warnings()).singleElement().asString().contains("HTTP 401").contains("Bad credentials");
    }

    @Test
    void aCommentWhoseCreateFailedIsLookedForBeforeItIsSentAgain() {
        sim.inject(Fault.status(LoopbackServer.matching("POST", COMMENTS), 1,
                LoopbackServer.Reply.json(502, Map.of("message", "Server Error"))));
        ReporterRun run = ReporterRun.onPullRequest(sim, 7);
        assertThat(run.reporter.stickyComment("do-deploy:staging", Markdown.of("report"))).isPresent();

        assertThat(sim.requests("POST", COMMENTS)).hasSize(2);
        assertThat(sim.comments(7)).hasSize(1);
        // the check between the two attempts: list, find nothing, create (after asking GraphQL who the token is)
        List<String> order = sim.requests().stream().filter(r -> !r.path().equals("/graphql"))
                .map(r -> r.method() + " " + r.param("page")).toList();
        assertThat(order).containsExactly("GET 1", "POST null", "GET 1", "POST null");
    }

    @Test
    void nothingIsSentWhenReportingIsOffOrNotPossible() {
        var off = new GitHubReporters.Settings(GitHubSimulator.DEFAULT_TOKEN, sim.apiUrl().toString(), "acme/shop", 7,
                ReporterRun.HEAD, ReporterRun.SHA, ReporterRun.RUN_URL, false);
        var noToken = new GitHubReporters.Settings("", sim.apiUrl().toString(), "acme/shop", 7,
                ReporterRun.HEAD, ReporterRun.SHA, ReporterRun.RUN_URL, true);
        var clearText = new GitHubReporters.Settings(GitHubSimulator.DEFAULT_TOKEN, "http://ghe.example.com/api/v3",
                "acme/shop", 7, ReporterRun.HEAD, ReporterRun.SHA, ReporterRun.RUN_URL, true);
        for (var s : List.of(off, noToken, clearText)) {
            ReporterRun run = new ReporterRun(s);
            assertThat(run.reporter.createDeployment(preview("x"))).isEmpty();
            assertThat(run.reporter.stickyComment("k", Markdown.of("b"))).isEmpty();
            assertThat(run.reporter.incident(new Incident("k", "incident", "t", Markdown.of("b"), List.of()))).isEmpty();
        }
        assertThat(new ReporterRun(clearText).warnings()).singleElement().asString().contains("GITHUB_API_URL").contains("https://");
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void buildingTheReporterSendsNothingAndNoPullRequestMeansNoComment() {
        ReporterRun run = ReporterRun.onPush(sim);
        assertThat(sim.requests()).as("no GET /user or other call at build").isEmpty();
        assertThat(run.reporter.stickyComment("vercel-deploy:preview", Markdown.of("x"))).isEmpty();
        assertThat(sim.requests()).isEmpty();
    }

    @Test
    void actionRunPointsAnActionAtTheSimulator() {
        ActionRun action = ActionRun.of("rollback").pullRequest(7, ReporterRun.HEAD, "feature/cart").gitHub(sim);
        Map<String, String> env = action.environment();
        assertThat(env).containsEntry("GITHUB_API_URL", sim.apiUrl().toString());
        var settings = GitHubReporters.Settings.of(new GitHubContext(env), GitHubSimulator.DEFAULT_TOKEN, true);
        assertThat(settings.pullRequest()).isEqualTo(7);
        assertThat(settings.headSha()).isEqualTo(ReporterRun.HEAD);
        ReporterRun run = new ReporterRun(settings);
        DeploymentRecord d = run.reporter.createDeployment(new DeploymentRequest("production", null, "rollback", false,
                true, "digitalocean", "dep-9")).orElseThrow();
        run.reporter.setStatus(d, DeploymentState.FAILURE, null, "rolled back");
        assertThat(sim.statuses(d.id()).get(0).path("log_url").asText()).isEqualTo(ReporterRun.RUN_URL);
        assertThat(sim.deployments().get(0).path("production_environment").asBoolean()).isTrue();
    }
}
