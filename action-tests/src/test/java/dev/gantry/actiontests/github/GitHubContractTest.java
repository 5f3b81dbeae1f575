package dev.gantry.actiontests.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.harness.OpenApiContract;
import dev.gantry.common.github.GitHubReporter.DeploymentRecord;
import dev.gantry.common.github.GitHubReporter.DeploymentRequest;
import dev.gantry.common.github.GitHubReporter.DeploymentState;
import dev.gantry.common.github.GitHubReporter.Incident;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request the gateway sends and every answer the simulator gives validate against GitHub's OpenAPI
 * description ({@code ../shared/specs/github/github.openapi.json}; skipped when absent).
 *
 * <p>Gaps of that (cut-down) description are handled explicitly: it has no {@code GET /repos/{o}/{r}/issues}
 * (issues/list-for-repo, with the {@code creator} and {@code labels} filters the incident look-up uses), no
 * {@code GET /user} (users/get-authenticated) and no GraphQL endpoint (not REST: {@code viewer { login }} finds an
 * installation token's account), so those requests are checked here by hand against GitHub's documentation; and it
 * declares no 401/403/429 for most operations although GitHub answers them on every one, so those error bodies are
 * checked against GitHub's {@code basic-error} shape.
 */
class GitHubContractTest {
    private static final Pattern LIST_ISSUES = GitHubContract.LIST_ISSUES;
    private static final Pattern USER = GitHubContract.USER;
    private static final Pattern GRAPHQL = GitHubContract.GRAPHQL;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void theGatewayAndTheSimulatorFollowGithubsDescription() throws Exception {
        OpenApiContract contract = OpenApiContract.require("github/github.openapi.json");
        try (GitHubSimulator sim = new GitHubSimulator().pullRequest(7, ReporterRun.HEAD, "feature/cart")) {
            exercise(sim);
            assertConforms(contract, sim);
        }
    }

    @Test
    void theSameHoldsUnderAGhesApiRoot() throws Exception {
        OpenApiContract contract = OpenApiContract.require("github/github.openapi.json").withPathPrefix("/api/v3");
        try (GitHubSimulator sim = GitHubSimulator.enterprise().pullRequest(7, ReporterRun.HEAD, "feature/cart")) {
            exercise(sim);
            assertConforms(contract, sim);
        }
    }

    /** Every operation, through the gateway where it uses it, and the simulator's error answers. */
    private static void exercise(GitHubSimulator sim) throws Exception {
        for (int i = 0; i < 120; i++) sim.comment(7, "octocat", "note " + i);
        sim.openIssue("Flaky checkout test", "Seen twice this week.", "octocat", "bug");

        ReporterRun run = ReporterRun.onPullRequest(sim, 7);
        DeploymentRecord d = run.reporter.createDeployment(new DeploymentRequest("preview", null, "Preview of #7",
                true, false, "vercel", "dpl_1")).orElseThrow();
        for (DeploymentState s : DeploymentState.values()) {
            run.reporter.setStatus(d, s, "https://shop-git-feature-cart.vercel.app", "state " + s.wire());
        }
        run.reporter.findDeployment("preview", "dpl_1").orElseThrow();
        run.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview: https://one.vercel.app")).orElseThrow();
        run.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview: https://two.vercel.app")).orElseThrow();
        run.reporter.stickyComment("smoke-test:preview", Markdown.of("x".repeat(70_000))).orElseThrow();
        run.reporter.incident(new Incident("rollback:production", "incident", "Rollback of production",
                Markdown.of("Rolled back."), List.of("rollback"))).orElseThrow();
        run.reporter.incident(new Incident("rollback:production", "incident", "Rollback of production",
                Markdown.of("Again."), List.of())).orElseThrow();
        // the replaced record retired, a preview's records set inactive, the step's end
        DeploymentRecord next = run.reporter.createDeployment(new DeploymentRequest("preview", null, "Preview of #7",
                true, false, "vercel", "dpl_2")).orElseThrow();
        run.reporter.setStatus(next, DeploymentState.SUCCESS, "https://shop-git-feature-cart.vercel.app", "ready");
        run.reporter.deactivate("preview", "preview deleted");
        run.reporter.finish(false);
        // a personal access token's account comes from GET /user
        sim.userToken("ghp_contract000000000000000000000000000", "deploy-bot", GitHubSimulator.Scope.values());
        new ReporterRun(sim, "ghp_contract000000000000000000000000000", 7).reporter
                .stickyComment("smoke-test:preview", Markdown.of("by a PAT")).orElseThrow();
        assertThat(run.warnings()).isEmpty();

        // operations the gateway does not call, and error answers
        get(sim, "/repos/acme/shop", GitHubSimulator.DEFAULT_TOKEN, 200);
        get(sim, "/repos/acme/shop/pulls/7", GitHubSimulator.DEFAULT_TOKEN, 200);
        get(sim, "/repos/acme/shop/pulls/999", GitHubSimulator.DEFAULT_TOKEN, 404);
        get(sim, "/repos/acme/shop/deployments/" + d.id() + "/statuses?per_page=3&page=2", GitHubSimulator.DEFAULT_TOKEN, 200);
        get(sim, "/repos/acme/shop/deployments/424242/statuses", GitHubSimulator.DEFAULT_TOKEN, 404);
        get(sim, "/repos/acme/shop", "ghs_wrong", 401);
        get(sim, "/repos/acme/elsewhere", GitHubSimulator.DEFAULT_TOKEN, 404);
        post(sim, "/repos/acme/shop/deployments/" + d.id() + "/statuses", "{\"state\":\"in-progress\"}", 422);
        post(sim, "/repos/acme/shop/deployments", "{\"environment\":\"x\"}", 422);
        post(sim, "/repos/acme/shop/issues", "{\"body\":\"no title\"}", 422);
        post(sim, "/repos/acme/shop/issues/7/comments", "{\"body\":\"\"}", 422);
        sim.failingStatusChecks("ci/build");
        post(sim, "/repos/acme/shop/deployments", "{\"ref\":\"main\"}", 409);
        sim.defaultBranchAhead(true);
        post(sim, "/repos/acme/shop/deployments", "{\"ref\":\"feature/cart\",\"required_contexts\":[]}", 202);

        sim.readOnlyToken("ghs_readOnly");
        ReporterRun fork = new ReporterRun(sim, "ghs_readOnly", 7);
        fork.reporter.createDeployment(new DeploymentRequest("preview", null, "d", true, false, "vercel", "dpl_2"));
        fork.reporter.stickyComment("vercel-deploy:preview", Markdown.of("Preview"));
        fork.reporter.incident(new Incident("rollback:preview", "incident", "t", Markdown.of("b"), List.of()));
        assertThat(fork.warnings()).hasSize(3);
    }

    private static void get(GitHubSimulator sim, String path, String token, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sim.apiUrl() + path))
                .header("Authorization", "Bearer " + token).header("Accept", "application/vnd.github+json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(expected);
    }

    private static void post(GitHubSimulator sim, String path, String body, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(sim.apiUrl() + path))
                .header("Authorization", "Bearer " + GitHubSimulator.DEFAULT_TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST " + path + ": " + r.body()).isEqualTo(expected);
    }

    private static void assertConforms(OpenApiContract contract, GitHubSimulator sim) throws Exception {
        List<String> problems = new ArrayList<>();
        List<String> flagged = new ArrayList<>();
        java.util.Set<String> covered = new java.util.TreeSet<>();
        for (LoopbackServer.Exchange e : sim.exchanges()) {
            LoopbackServer.RecordedRequest req = e.request();
            String where = req.method() + " " + req.path() + "?" + req.query() + " → " + e.reply().status();
            if (req.method().equals("GET") && LIST_ISSUES.matcher(req.path()).matches()) {
                problems.addAll(GitHubContract.listIssues(req, where));
                problems.addAll(checkErrorOrArray(e, where));
                covered.add("GET /repos/acme/shop/issues");
                continue;
            }
            if (req.method().equals("GET") && USER.matcher(req.path()).matches()) {
                problems.addAll(checkGetUser(e, where));
                covered.add("GET /user");
                continue;
            }
            if (req.method().equals("POST") && GRAPHQL.matcher(req.path()).matches()) {
                problems.addAll(checkGraphql(e, where));
                covered.add("POST /graphql");
                continue;
            }
            List<String> requestProblems = contract.checkRequest(req);
            String agent = req.header("user-agent");
            if (agent != null && agent.startsWith("gantry/")) {
                covered.add(req.method() + " " + req.path().replace(sim.pathPrefix(), "").replaceAll("/\\d+", "/{n}"));
                problems.addAll(requestProblems);
            } else {
                flagged.addAll(requestProblems); // this test's own raw requests, some invalid on purpose
            }
            for (String p : contract.checkResponse(req.method(), req.path(), e.reply().status(), e.reply().body())) {
                if (p.contains("status not declared") && e.reply().status() >= 400) {
                    problems.addAll(basicError(e.reply().body(), where));
                } else {
                    problems.add(p);
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(covered).as("operations the gateway used (and so were checked)").containsExactlyInAnyOrder(
                "POST /repos/acme/shop/deployments", "GET /repos/acme/shop/deployments",
                "POST /repos/acme/shop/deployments/{n}/statuses", "GET /repos/acme/shop/deployments/{n}/statuses",
                "GET /repos/acme/shop/issues/{n}/comments", "POST /repos/acme/shop/issues/{n}/comments",
                "PATCH /repos/acme/shop/issues/comments/{n}", "POST /repos/acme/shop/issues",
                "GET /repos/acme/shop/issues", "GET /user", "POST /graphql");
        // the contract is not vacuous: the deliberately invalid requests above are flagged by it too
        assertThat(flagged).hasSize(3).anySatisfy(p -> assertThat(p).contains("$.state"))
                .anySatisfy(p -> assertThat(p).contains("'ref'")).anySatisfy(p -> assertThat(p).contains("'title'"));
    }

    /** users/get-authenticated: no query, no body; a user object, or 403 for an installation token. */
    private static List<String> checkGetUser(LoopbackServer.Exchange e, String where) throws Exception {
        List<String> problems = new ArrayList<>(GitHubContract.getUser(e.request(), where));
        if (e.reply().status() >= 400) {
            problems.addAll(basicError(e.reply().body(), where));
        } else {
            JsonNode u = LoopbackServer.JSON.readTree(e.reply().body());
            if (!u.path("login").isTextual() || !u.path("id").isIntegralNumber()) problems.add(where + ": not a user");
        }
        return problems;
    }

    /** GraphQL over HTTP as GitHub documents it: POST, a JSON body with a string {@code query}; an answer with data or errors. */
    private static List<String> checkGraphql(LoopbackServer.Exchange e, String where) throws Exception {
        List<String> problems = new ArrayList<>(GitHubContract.graphql(e.request(), where));
        JsonNode answer = LoopbackServer.JSON.readTree(e.reply().body());
        if (e.reply().status() == 200 && !answer.has("data") && !answer.has("errors")) problems.add(where + ": neither data nor errors");
        return problems;
    }

    private static List<String> checkErrorOrArray(LoopbackServer.Exchange e, String where) throws Exception {
        if (e.reply().status() >= 400) return basicError(e.reply().body(), where);
        JsonNode n = LoopbackServer.JSON.readTree(e.reply().body());
        return n.isArray() ? List.of() : List.of(where + ": not an array");
    }

    /** GitHub's basic-error: an object with string message and documentation_url. */
    private static List<String> basicError(byte[] body, String where) throws Exception {
        JsonNode n = LoopbackServer.JSON.readTree(body);
        if (n.isObject() && n.path("message").isTextual() && n.path("documentation_url").isTextual()) return List.of();
        return List.of(where + ": error body is not GitHub's basic-error shape: " + n);
    }
}
