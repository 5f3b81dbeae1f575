package dev.gantry.actiontests.smoketest;

import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code comment-on-pr: true}: one sticky comment per PR, created once and then updated in place. */
class SmokeTestPrCommentTest {
    private static final String TOKEN = "ghs_prCommentTokenForTheSmokeTest000000";

    /** The part of GitHub's REST API a sticky comment uses: issue comments, stateful. */
    static final class Comments extends LoopbackServer {
        final Map<Long, Map<String, Object>> byId = new LinkedHashMap<>();
        final AtomicLong ids = new AtomicLong(9000);

        Comments() {
            route("GET", "/repos/acme/shop/issues/(\\d+)/comments", (req, m) -> Reply.json(200,
                    "1".equals(req.param("page")) || req.param("page") == null
                            ? byId.values().stream().filter(c -> c.get("issue").equals(m.group(1))).toList() : List.of()));
            route("POST", "/repos/acme/shop/issues/(\\d+)/comments", (req, m) -> {
                if (!("Bearer " + TOKEN).equals(req.header("authorization")) && !("token " + TOKEN).equals(req.header("authorization"))) {
                    return Reply.json(401, Map.of("message", "Bad credentials"));
                }
                long id = ids.incrementAndGet();
                Map<String, Object> c = comment(id, m.group(1), req.json().path("body").asText());
                byId.put(id, c);
                return Reply.json(201, c);
            });
            route("PATCH", "/repos/acme/shop/issues/comments/(\\d+)", (req, m) -> {
                Map<String, Object> c = byId.get(Long.parseLong(m.group(1)));
                if (c == null) return Reply.json(404, Map.of("message", "Not Found"));
                Map<String, Object> u = comment((Long) c.get("id"), (String) c.get("issue"), req.json().path("body").asText());
                byId.put((Long) c.get("id"), u);
                return Reply.json(200, u);
            });
        }

        private static Map<String, Object> comment(long id, String issue, String body) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", id);
            c.put("issue", issue);
            c.put("body", body);
            c.put("html_url", "https://github.com/acme/shop/pull/" + issue + "#issuecomment-" + id);
            c.put("user", Map.of("login", "github-actions[bot]", "id", 41898282, "type", "Bot"));
            c.put("updated_at", "2026-11-23T13:00:00Z");
            return c;
        }
    }

    private final DemoApp app = new DemoApp();
    private final Comments github = new Comments();

    @AfterEach
    void stop() {
        app.close();
        github.close();
    }

    private ActionResult run() {
        return ActionRun.of("smoke-test").with("url", app.baseUrl().toString())
                .with("checks", "- name: ping\n  request: { path: /api/ping }\n")
                .with("secrets", "PASSWORD=" + DemoApp.PASSWORD)
                .with("comment-on-pr", "true").githubToken(TOKEN)
                .pullRequest(7, "9c1f00d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0", "feature/x")
                .githubApi(github.baseUrl()).run();
    }

    @Test
    void theReportIsOneStickyCommentUpdatedInPlace() {
        ActionResult first = run();
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(github.byId).hasSize(1);
        String body = (String) github.byId.values().iterator().next().get("body");
        assertThat(body).startsWith("<!-- gantry:").contains("smoke-test pass").contains("| ping | `GET /api/ping` | 200 |");
        assertThat(first.log()).contains("PR comment: https://github.com/acme/shop/pull/7#issuecomment-9001");

        ActionResult second = run();
        assertThat(second.exitCode()).isZero();
        assertThat(github.byId).as("updated, not a second comment").hasSize(1);
        assertThat(github.requests("PATCH", "/repos/acme/shop/issues/comments/9001")).hasSizeLessThanOrEqualTo(1);
        assertThat(first.leaks(TOKEN)).isFalse();
        assertThat(body).doesNotContain(DemoApp.PASSWORD).doesNotContain(TOKEN);
    }
}
