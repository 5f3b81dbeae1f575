package dev.gantry.actiontests.rollback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.actiontests.github.GitHubSimulator;
import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.Log;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.testing.LoopbackServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** What both providers' rollback tests share: raw API calls for setting up history, the app to verify, GitHub records. */
final class Support {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Support() {
    }

    /** A raw JSON call (test setup: history the action then rolls back through). */
    static JsonNode call(String method, URI url, String token, String json) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").header("Accept", "application/json");
            b.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) throw new IllegalStateException(method + " " + url + " → " + r.statusCode() + " " + r.body());
            return r.body().isBlank() ? LoopbackServer.JSON.createObjectNode() : LoopbackServer.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The restored app, as the verification sees it: {@code /health} answers {@code healthy} (200 or 503) and
     * {@code /api/version} answers {@code version}.
     */
    static final class App extends LoopbackServer {
        final AtomicReference<String> version = new AtomicReference<>("v1");
        volatile int health = 200;

        App() {
            route("GET", "/health", (r, m) -> Reply.json(health, Map.of("status", health == 200 ? "ok" : "down")));
            route("GET", "/api/version", (r, m) -> ("Bearer " + API_KEY).equals(r.header("authorization"))
                    ? Reply.json(200, Map.of("version", version.get()))
                    : Reply.json(401, Map.of("error", "missing or wrong API key")));
        }
    }

    static final String API_KEY = "smoke_key_7c1f0e9a2b4d";

    static final String CHECKS = """
            checks:
              - name: health
                wait: true
                request: { path: /health }
                expect: { status: 200, jsonpath: { "$.status": ok } }
              - name: version
                request: { path: /api/version, headers: { Authorization: "Bearer {{secrets.API_KEY}}" } }
                expect: { jsonpath: { "$.version": v1 } }
            """;

    /** A deployment record with a success status, as do-deploy or vercel-deploy would leave it. */
    static long recordDeployment(GitHubSimulator gh, String environment, String provider, String providerId) {
        GitHubContext ctx = new GitHubContext(Map.of("GITHUB_REPOSITORY", gh.repository().fullName(),
                "GITHUB_API_URL", gh.apiUrl().toString(), "GITHUB_SHA", "4f2c9a1e5b7d3c8f0a6e2d4b1c9f7e5a3d1b8c6e",
                "GITHUB_RUN_ID", "1", "GITHUB_SERVER_URL", gh.serverUrl()));
        Log log = new Log(new PrintStream(new ByteArrayOutputStream()), false);
        GitHubReporter reporter = GitHubReporters.create(GitHubReporters.Settings.of(ctx, GitHubSimulator.DEFAULT_TOKEN,
                true), log);
        GitHubReporter.DeploymentRecord rec = reporter.createDeployment(new GitHubReporter.DeploymentRequest(environment,
                null, "deploy", false, true, provider, providerId)).orElseThrow();
        reporter.setStatus(rec, GitHubReporter.DeploymentState.SUCCESS, null, "live");
        return rec.id();
    }
}
