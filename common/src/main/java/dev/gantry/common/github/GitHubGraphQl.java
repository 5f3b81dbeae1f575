package dev.gantry.common.github;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.http.Idempotent;
import feign.Headers;
import feign.RequestLine;

import java.util.Map;

/**
 * The one GraphQL query the actions send: {@code viewer { login }}, the account a token acts as. Unlike REST's
 * {@code GET /user}, it answers installation tokens too (the workflow's {@code GITHUB_TOKEN} is
 * {@code github-actions[bot]}, a GitHub App's token is {@code <app-slug>[bot]}). The endpoint is {@code /graphql}
 * beside the REST root: {@code https://api.github.com/graphql}, or {@code https://HOST/api/graphql} on GitHub
 * Enterprise Server.
 */
@Headers({"Accept: application/json", "Content-Type: application/json"})
public interface GitHubGraphQl {
    String VIEWER = "query { viewer { login } }";

    /** A read: safe to send again. */
    @RequestLine("POST /graphql")
    @Idempotent
    Answer query(Query body);

    record Query(String query, Map<String, Object> variables) {
    }

    /** {@code data} when it worked; {@code errors} otherwise (GraphQL answers 200 with errors too). */
    record Answer(JsonNode data, JsonNode errors) {
        /** {@code data.viewer.login}, or null. */
        public String viewerLogin() {
            JsonNode login = data == null ? null : data.path("viewer").path("login");
            return login != null && login.isTextual() && !login.asText().isBlank() ? login.asText() : null;
        }
    }
}
