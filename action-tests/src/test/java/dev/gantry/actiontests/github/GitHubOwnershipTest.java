package dev.gantry.actiontests.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.github.GitHubReporter.Incident;
import dev.gantry.common.testing.LoopbackServer;
import dev.gantry.common.testing.LoopbackServer.Fault;
import dev.gantry.common.testing.LoopbackServer.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only the action's own objects count as its own: issues and comments of the token's account that carry its
 * marker (incidents also its label). Other accounts' issues and comments with the marker are ignored, and said so
 * once; no number of other issues or comments makes the action lose its own.
 */
class GitHubOwnershipTest {
    private static final String COMMENTS = "/repos/acme/shop/issues/7/comments";
    private static final String MARKER = "<!-- gantry:rollback:production -->";
    private final GitHubSimulator sim = new GitHubSimulator().pullRequest(7, ReporterRun.HEAD, "feature/cart");

    @AfterEach
    void stop() {
        sim.close();
    }

    private static Incident incident(String text) {
        return new Incident("rollback:production", "incident", "Rollback of production", Markdown.of(text),
                List.of("rollback"));
    }

    @Test
    void anOutsidersIssueAndCommentThatCarryOurMarkersAreIgnoredAndTheSummarySaysSoOnce() {
        sim.readerToken("ghp_mallory0000000000000000000000000000", "mallory");
        // an outsider opens an issue whose body starts with the incident marker; a maintainer even labels it
        int bait = sim.openIssue("Production is down", MARKER + "\nSee https://evil.example", "mallory", "incident");
        // and plants the sticky comment's marker on the pull request, as does a reviewer quoting an old report
        long planted = sim.comment(7, "mallory", "<!-- gantry:vercel-deploy:preview -->\n[Preview](https://evil.example)");
        long quoted = sim.comment(7, "octocat", "<!-- gantry:vercel-deploy:preview -->\nas the bot said: ...");

        ReporterRun run = ReporterRun.onPullRequest(sim, 7);
        String url = run.reporter.incident(incident("Rolled back.")).orElseThrow();
        String again = run.reporter.incident(incident("Rolled back again.")).orElseThrow();
        run.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview: https://one.vercel.app")).orElseThrow();
        run.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview: https://two.vercel.app")).orElseThrow();

        assertThat(url).isEqualTo(again).doesNotEndWith("/issues/" + bait);
        assertThat(sim.issues()).hasSize(2);
        assertThat(sim.comments(bait)).as("nothing goes to the outsider's issue").isEmpty();
        JsonNode ours = sim.issues().get(1);
        assertThat(ours.path("user").path("login").asText()).isEqualTo("github-actions[bot]");
        assertThat(sim.comments(ours.path("number").asInt())).hasSize(1);
        List<JsonNode> comments = sim.comments(7);
        assertThat(comments).hasSize(3);
        assertThat(comments).filteredOn(c -> c.path("id").asLong() == planted).singleElement()
                .satisfies(c -> assertThat(c.path("body").asText()).endsWith("[Preview](https://evil.example)"));
        assertThat(comments).filteredOn(c -> c.path("id").asLong() == quoted).singleElement()
                .satisfies(c -> assertThat(c.path("body").asText()).endsWith("as the bot said: ..."));
        assertThat(comments.get(2).path("body").asText()).endsWith("Preview: https://two.vercel.app");
        assertThat(sim.requests("PATCH", "/repos/acme/shop/issues/comments/(" + planted + "|" + quoted + ")")).isEmpty();

        List<Markdown> notes = run.reporter.finish(false);
        assertThat(notes).hasSize(2);
        assertThat(notes.get(0).toString()).startsWith("Ignored 1 open issue(s) that carry this action's marker");
        assertThat(notes.get(1).toString()).startsWith("Ignored 2 comment(s) on pull request #7")
                .contains("`github-actions[bot]`, the token's account");
    }

    @Test
    void anOutsiderCannotLabelTheirIssueIntoAnIncident() {
        sim.readerToken("ghp_mallory0000000000000000000000000000", "mallory");
        var mallory = new ReporterRun(sim, "ghp_mallory0000000000000000000000000000", null);
        // the outsider runs the same code with their own token: their issue is theirs, and GitHub drops the label
        mallory.reporter.incident(incident("fake"));
        assertThat(sim.issues()).singleElement().satisfies(i -> assertThat(i.path("labels")).isEmpty());
        ReporterRun ours = ReporterRun.onPush(sim);
        ours.reporter.incident(incident("real")).orElseThrow();
        assertThat(sim.issues()).hasSize(2);
        // the look-ups: each account's own labelled issues, then (before opening one) the newest page for the summary
        assertThat(sim.requests("GET", "/repos/acme/shop/issues")).extracting(r -> r.param("creator") + " " + r.param("labels"))
                .containsExactly("mallory incident", "null null", "github-actions[bot] incident", "null null");
    }

    @Test
    void theAccountIsGetUserForAPersonalTokenAndGraphqlsViewerForAnInstallationToken() {
        sim.userToken("ghp_deployer000000000000000000000000000", "deploy-bot", GitHubSimulator.Scope.values());
        sim.appToken("ghs_shipitApp00000000000000000000000000", "shipit", GitHubSimulator.Scope.values());
        // a report left by the workflow's GITHUB_TOKEN in an earlier run
        sim.comment(7, "github-actions[bot]", "<!-- gantry:smoke-test:preview -->\nold");

        ReporterRun pat = new ReporterRun(sim, "ghp_deployer000000000000000000000000000", 7);
        pat.reporter.stickyComment("smoke-test:preview", Markdown.of("by the PAT")).orElseThrow();
        pat.reporter.stickyComment("smoke-test:preview", Markdown.of("by the PAT, again")).orElseThrow();
        assertThat(sim.requests("GET", "/user")).as("asked once").hasSize(1);
        assertThat(sim.requests("POST", "/graphql")).isEmpty();

        ReporterRun app = new ReporterRun(sim, "ghs_shipitApp00000000000000000000000000", 7);
        app.reporter.stickyComment("smoke-test:preview", Markdown.of("by the app")).orElseThrow();
        assertThat(sim.requests("GET", "/user")).as("an installation token is not sent to GET /user").hasSize(1);
        assertThat(sim.requests("POST", "/graphql")).hasSize(1);

        assertThat(sim.comments(7)).extracting(c -> c.path("user").path("login").asText() + ": " + c.path("body").asText())
                .containsExactly("github-actions[bot]: <!-- gantry:smoke-test:preview -->\nold",
                        "deploy-bot: <!-- gantry:smoke-test:preview -->\nby the PAT, again",
                        "shipit[bot]: <!-- gantry:smoke-test:preview -->\nby the app");
        assertThat(pat.log()).contains("the token acts as deploy-bot (GET /user)");
        assertThat(app.log()).contains("the token acts as shipit[bot] (GraphQL viewer)");
    }

    @Test
    void whenGithubCannotSayWhoTheTokenIsItIsTakenForTheWorkflowsOwnAccount() {
        sim.inject(Fault.status(LoopbackServer.matching("POST", "/graphql"), 100, LoopbackServer.Reply.json(404,
                GitHubJson.error("Not Found", "https://docs.github.com/graphql", 404))));
        sim.comment(7, "github-actions[bot]", "<!-- gantry:do-deploy:staging -->\nold report");
        ReporterRun run = ReporterRun.onPullRequest(sim, 7);
        run.reporter.stickyComment("do-deploy:staging", Markdown.of("new report")).orElseThrow();
        assertThat(sim.comments(7)).singleElement().satisfies(c -> assertThat(c.path("body").asText()).endsWith("new report"));
        assertThat(run.log()).contains("taking it for github-actions[bot]");
        assertThat(run.warnings()).isEmpty();
    }

    @Test
    void noDuplicateIncidentBehindMoreThanAThousandNewerOpenIssues() {
        ReporterRun first = ReporterRun.onPush(sim);
        String url = first.reporter.incident(incident("first")).orElseThrow();
        sim.bulkIssues(1_200, "octocat");
        for (int pr = 2_000; pr < 2_050; pr++) sim.pullRequest(pr, "b".repeat(40), "feature/" + pr);
        sim.clearRequests();

        ReporterRun second = ReporterRun.onPush(sim);
        assertThat(second.reporter.incident(incident("second"))).contains(url);

        assertThat(sim.issues()).hasSize(1_201);
        List<RecordedRequest> lists = sim.requests("GET", "/repos/acme/shop/issues");
        assertThat(lists).as("GitHub's filters leave one page").singleElement().satisfies(r -> {
            assertThat(r.param("creator")).isEqualTo("github-actions[bot]");
            assertThat(r.param("labels")).isEqualTo("incident");
            assertThat(r.param("state")).isEqualTo("open");
        });
        assertThat(sim.requests("POST", "/repos/acme/shop/issues")).isEmpty();
    }

    @Test
    void noDuplicateStickyCommentOnAPullRequestWithMoreThanThreeThousandComments() {
        sim.bulkComments(7, 3_150, "octocat");
        ReporterRun.onPullRequest(sim, 7).reporter.stickyComment("smoke-test:preview", Markdown.of("first")).orElseThrow();
        sim.bulkComments(7, 40, "octocat");
        sim.clearRequests();
        ReporterRun.onPullRequest(sim, 7).reporter.stickyComment("smoke-test:preview", Markdown.of("second")).orElseThrow();

        assertThat(sim.comments(7)).hasSize(3_191)
                .filteredOn(c -> c.path("body").asText().startsWith("<!-- gantry:smoke-test:preview -->")).singleElement()
                .satisfies(c -> assertThat(c.path("body").asText()).endsWith("second"));
        assertThat(sim.requests("GET", COMMENTS)).hasSize(32);
        assertThat(sim.requests("POST", COMMENTS)).isEmpty();
    }
}
