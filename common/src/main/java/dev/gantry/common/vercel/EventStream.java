package dev.gantry.common.vercel;

import dev.gantry.common.http.HttpApi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Follows {@code GET /v3/deployments/{id}/events?direction=forward&follow=1} on a virtual thread and hands each
 * NDJSON line to a listener. Reconnects a couple of times if the stream breaks before the deployment is done;
 * it is only a source of logs and early signals: the waiter's polling stays the source of truth.
 */
public final class EventStream implements AutoCloseable {
    private final HttpClient http;
    private final URI baseUrl;
    private final String token;
    private final String teamId;
    private final String userAgent;
    private final String deploymentId;
    private volatile boolean closed;
    private volatile InputStream current;
    private Thread thread;

    EventStream(HttpClient http, URI baseUrl, String token, String teamId, String userAgent, String deploymentId) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.token = token;
        this.teamId = teamId;
        this.userAgent = userAgent;
        this.deploymentId = deploymentId;
    }

    /** Starts following; {@code onEvent} runs on the stream's thread, {@code onEnd} once when it stops for good. */
    public EventStream start(Consumer<DeploymentEvent> onEvent, Consumer<String> onEnd) {
        thread = Thread.ofVirtual().name("vercel-events").start(() -> {
            String why = "closed";
            long since = 0;
            for (int attempt = 1; attempt <= 3 && !closed; attempt++) {
                try {
                    StringBuilder q = new StringBuilder("?direction=forward&follow=1");
                    if (since > 0) q.append("&since=").append(since + 1);
                    if (teamId != null) q.append("&teamId=").append(URLEncoder.encode(teamId, StandardCharsets.UTF_8));
                    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(baseUrl + "/v3/deployments/"
                                    + URLEncoder.encode(deploymentId, StandardCharsets.UTF_8) + "/events" + q))
                            .header("Accept", "application/stream+json").header("User-Agent", userAgent).GET();
                    if (token != null && !token.isEmpty()) rb.header("Authorization", "Bearer " + token);
                    HttpResponse<InputStream> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
                    current = resp.body();
                    if (resp.statusCode() != 200) {
                        resp.body().close();
                        why = "HTTP " + resp.statusCode();
                        if (resp.statusCode() < 500 && resp.statusCode() != 429) break;
                        continue;
                    }
                    boolean finished = false;
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
                        String line;
                        while (!closed && (line = r.readLine()) != null) {
                            if (line.isBlank()) continue;
                            DeploymentEvent e;
                            try {
                                e = HttpApi.JSON.readValue(line, DeploymentEvent.class);
                            } catch (IOException bad) {
                                continue;
                            }
                            if (e.created() != null) since = Math.max(since, e.created());
                            onEvent.accept(e);
                            if ("alias-assigned".equals(e.type()) || "state".equals(e.event())) finished = true;
                        }
                    }
                    why = finished ? "done" : "ended";
                    if (finished) break;
                } catch (IOException e) {
                    why = "broken (" + e.getClass().getSimpleName() + ")";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (RuntimeException e) {
                    why = "failed (" + e + ")";
                }
            }
            if (!closed) onEnd.accept(why);
        });
        return this;
    }

    @Override
    public void close() {
        closed = true;
        InputStream in = current;
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
        if (thread != null) thread.interrupt();
    }
}
