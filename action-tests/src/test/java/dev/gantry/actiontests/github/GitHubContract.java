package dev.gantry.actiontests.github;

import dev.gantry.actiontests.harness.OpenApiContract;
import dev.gantry.common.testing.LoopbackServer.RecordedRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Requests to GitHub checked against its OpenAPI description ({@code ../shared/specs/github}), with the three calls
 * that cut-down description lacks checked by hand against GitHub's documentation: {@code GET /repos/{o}/{r}/issues}
 * (issues/list-for-repo: the incident look-up's {@code creator} and {@code labels} filters), {@code GET /user}
 * (users/get-authenticated) and GraphQL's {@code POST /graphql} (not REST; {@code viewer { login }}).
 */
public final class GitHubContract {
    static final Pattern LIST_ISSUES = Pattern.compile("(/api/v3)?/repos/[^/]+/[^/]+/issues");
    static final Pattern USER = Pattern.compile("(/api/v3)?/user");
    static final Pattern GRAPHQL = Pattern.compile("(/api)?/graphql");

    private GitHubContract() {
    }

    /** What is wrong with {@code requests} (empty: all conform). */
    public static List<String> requestProblems(OpenApiContract contract, List<RecordedRequest> requests) {
        List<String> problems = new ArrayList<>();
        for (RecordedRequest q : requests) {
            String where = q.method() + " " + q.path() + "?" + q.query();
            if (q.method().equals("GET") && LIST_ISSUES.matcher(q.path()).matches()) {
                problems.addAll(listIssues(q, where));
            } else if (q.method().equals("GET") && USER.matcher(q.path()).matches()) {
                problems.addAll(getUser(q, where));
            } else if (q.method().equals("POST") && GRAPHQL.matcher(q.path()).matches()) {
                problems.addAll(graphql(q, where));
            } else {
                problems.addAll(contract.checkRequest(q));
            }
        }
        return problems;
    }

    /** issues/list-for-repo, as GitHub documents it: state, labels, sort, direction, since, creator, ..., page. */
    static List<String> listIssues(RecordedRequest req, String where) {
        List<String> problems = new ArrayList<>();
        for (String kv : req.query() == null ? new String[0] : req.query().split("&")) {
            String k = kv.substring(0, Math.max(0, kv.indexOf('=')));
            String v = kv.substring(kv.indexOf('=') + 1);
            boolean ok = switch (k) {
                case "state" -> v.matches("open|closed|all");
                case "sort" -> v.matches("created|updated|comments");
                case "direction" -> v.matches("asc|desc");
                case "per_page" -> v.matches("\\d+") && Integer.parseInt(v) <= 100;
                case "page" -> v.matches("\\d+");
                case "labels", "since", "milestone", "assignee", "creator", "mentioned", "type" -> true;
                default -> false;
            };
            if (!ok) problems.add(where + ": query parameter " + kv + " is not one GitHub documents");
        }
        if (req.body().length > 0) problems.add(where + ": sends a body");
        return problems;
    }

    /** users/get-authenticated: no query, no body. */
    static List<String> getUser(RecordedRequest req, String where) {
        List<String> problems = new ArrayList<>();
        if (req.query() != null && !req.query().isEmpty()) problems.add(where + ": has a query");
        if (req.body().length > 0) problems.add(where + ": sends a body");
        return problems;
    }

    /** GraphQL over HTTP as GitHub documents it: POST, a JSON object with a string {@code query}. */
    static List<String> graphql(RecordedRequest req, String where) {
        List<String> problems = new ArrayList<>();
        if (!String.valueOf(req.header("content-type")).startsWith("application/json")) {
            problems.add(where + ": not sent as JSON");
        }
        try {
            if (!req.json().path("query").isTextual()) problems.add(where + ": no query string");
        } catch (RuntimeException e) {
            problems.add(where + ": the body is not JSON");
        }
        return problems;
    }
}
