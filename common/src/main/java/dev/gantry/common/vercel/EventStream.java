package dev.gantry.common.vercel;

import dev.gantry.common.http.ErrorBodies;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.RateLimits;
import dev.gantry.common.http.Transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.function.Consumer;

/**
 * Follows {@code GET /v3/deployments/{id}/events?direction=forward&follow=1} on a virtual thread and hands each
 * NDJSON line to a listener. Connecting goes through the API's retry executor (backoff, {@code Retry-After}, the
 * step's deadline); a stream that breaks or ends before the deployment is done is reconnected (at most
 * three connections in all) after the executor policy's backoff, and only when that pause ends
 * before the step's deadline. A connection the executor gave up on is not tried again here. A line longer than {@link #MAX_LINE} is skipped, so an endless line cannot fill the heap. It is only a
 * source of logs and early signals: the waiter's polling stays the source of truth, and closes the stream.
 */
public final class EventStream implements AutoCloseable {
    /** Longer lines are dropped (Vercel's log lines are short; this bounds memory against a hostile stream). */
    static final int MAX_LINE = 256 * 1024;
    private static final int CONNECTIONS = 3;

    private final HttpApi http;
    private final String teamId;
    private final String deploymentId;
    private volatile boolean closed;
    private volatile InputStream current;
    private Thread thread;

    EventStream(HttpApi http, String teamId, String deploymentId) {
        this.http = http;
        this.teamId = teamId;
        this.deploymentId = deploymentId;
    }

    /** Starts following; {@code onEvent} runs on the stream's thread, {@code onEnd} once when it stops for good. */
    public EventStream start(Consumer<DeploymentEvent> onEvent, Consumer<String> onEnd) {
        thread = Thread.ofVirtual().name("vercel-events").start(() -> {
            String why = "closed";
            long[] since = {0};
            for (int n = 1; n <= CONNECTIONS && !closed; n++) {
                try {
                    if (n > 1) {
                        // a stream that broke or ended early: reconnect after the policy's backoff, if it fits
                        Duration pause = http.executor().policy().backoff(n - 1);
                        if (!http.deadline().fits(pause)) {
                            why += "; no time left to reconnect before the step's deadline";
                            break;
                        }
                        http.time().sleep(pause);
                    }
                    if (closed || http.deadline().passed()) break;
                    InputStream in = connect(since[0]);
                    current = in;
                    boolean finished = read(in, onEvent, since);
                    why = finished ? "done" : "ended";
                    if (finished) break;
                } catch (ProviderException e) {
                    // connecting went through the retry executor, which has already retried what it could
                    why = "failed (" + e.getMessage() + ")";
                    break;
                } catch (IOException e) {
                    why = "broken (" + e.getClass().getSimpleName() + ")";
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                } catch (RuntimeException e) {
                    // the executor's "cannot wait" (the deadline) or a bug: neither is cured by connecting again
                    why = "failed (" + e.getMessage() + ")";
                    break;
                }
            }
            if (!closed) onEnd.accept(why);
        });
        return this;
    }

    private InputStream connect(long since) {
        StringBuilder q = new StringBuilder("?direction=forward&follow=1");
        if (since > 0) q.append("&since=").append(since + 1);
        if (teamId != null) q.append("&teamId=").append(URLEncoder.encode(teamId, StandardCharsets.UTF_8));
        URI uri = URI.create(http.baseUrl() + "/v3/deployments/" + URLEncoder.encode(deploymentId, StandardCharsets.UTF_8)
                + "/events" + q);
        String op = "GET /v3/deployments/{id}/events";
        return http.executor().call(op, true, () -> {
            Duration timeout = http.deadline().capRequest(http.requestTimeout());
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout)
                    .header("Accept", "application/stream+json").header("User-Agent", http.userAgent()).GET();
            if (http.token() != null && !http.token().isEmpty()) rb.header("Authorization", "Bearer " + http.token());
            HttpResponse<InputStream> resp;
            try {
                resp = http.httpClient().send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                throw new ProviderException(VercelClient.PROVIDER, 0, null, "events stream: " + e, null, op, e, null,
                        false, Transport.neverSent(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(VercelClient.PROVIDER, 0, null, "interrupted", null, op, e);
            }
            if (resp.statusCode() == 200) return resp.body();
            byte[] body;
            try (InputStream in = resp.body()) {
                body = in.readNBytes(ErrorBodies.MAX_BODY);
            } catch (IOException e) {
                body = new byte[0];
            }
            ErrorBodies err = ErrorBodies.parse(new String(body, StandardCharsets.UTF_8));
            Instant retryAt = RateLimits.retryAt(resp.statusCode(), new HashMap<>(resp.headers().map()),
                    http.time().now()).orElse(null);
            throw new ProviderException(VercelClient.PROVIDER, resp.statusCode(), err.code(), err.message(), null, op,
                    null, retryAt, resp.statusCode() == 429, false);
        });
    }

    /** Reads lines until the stream ends or says the deployment is done; returns whether it did. */
    private boolean read(InputStream in, Consumer<DeploymentEvent> onEvent, long[] since) throws IOException {
        try (in) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean skipping = false;
            boolean finished = false;
            byte[] buf = new byte[8192];
            int n;
            while (!closed && (n = in.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (b == '\n') {
                        if (!skipping) finished |= handle(line.toString(StandardCharsets.UTF_8), onEvent, since);
                        line.reset();
                        skipping = false;
                    } else if (!skipping) {
                        line.write(b);
                        if (line.size() > MAX_LINE) {
                            line.reset();
                            skipping = true;
                        }
                    }
                }
            }
            if (!skipping && line.size() > 0) finished |= handle(line.toString(StandardCharsets.UTF_8), onEvent, since);
            return finished;
        }
    }

    private static boolean handle(String line, Consumer<DeploymentEvent> onEvent, long[] since) {
        if (line.isBlank()) return false;
        DeploymentEvent e;
        try {
            e = HttpApi.JSON.readValue(line, DeploymentEvent.class);
        } catch (IOException bad) {
            return false;
        }
        if (e.created() != null) since[0] = Math.max(since[0], e.created());
        onEvent.accept(e);
        return "alias-assigned".equals(e.type()) || "state".equals(e.event());
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
