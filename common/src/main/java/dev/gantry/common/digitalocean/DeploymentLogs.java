package dev.gantry.common.digitalocean;

import dev.gantry.common.http.ProviderException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Build and deploy logs of a deployment. The API answers with presigned {@code historic_urls}; each is fetched
 * with a plain GET <em>without</em> the API token (the signature in the URL is the credential) and the archives
 * are joined. The text is the provider's: print it only through {@code Log.untrusted}.
 */
public final class DeploymentLogs {
    /** At most this much log text is kept (the tail), so a huge build log cannot flood the job log. */
    public static final int MAX_BYTES = 1024 * 1024;

    private final AppsApi api;
    private final Supplier<HttpClient> http;

    /** {@code http} is asked for its client only when a log is fetched (after a failure, mostly: rarely at all). */
    public DeploymentLogs(AppsApi api, Supplier<HttpClient> http) {
        this.api = api;
        this.http = http;
    }

    /** Log text, possibly empty; {@code note} says why when something could not be read. */
    public record LogText(String text, String note) {
        public boolean isEmpty() {
            return text.isBlank();
        }

        /** The last {@code n} lines. */
        public String tail(int n) {
            String[] lines = text.split("\r?\n");
            int from = Math.max(0, lines.length - n);
            return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
        }
    }

    /**
     * Logs of {@code component} of type {@code BUILD} or {@code DEPLOY}; with a null component, of every
     * component. A 400 means that stage never ran (no build for an image): empty text.
     */
    public LogText fetch(String appId, String deploymentId, String component, String type) {
        AppsApi.Logs links;
        try {
            links = component == null ? api.deploymentLogs(appId, deploymentId, type)
                    : api.componentLogs(appId, deploymentId, component, type);
        } catch (ProviderException e) {
            if (e.status() == 400 || e.status() == 404) {
                return new LogText("", "no " + type.toLowerCase() + " logs (that stage did not run)");
            }
            return new LogText("", "could not list the logs: " + e.getMessage());
        }
        StringBuilder text = new StringBuilder();
        StringBuilder notes = new StringBuilder();
        for (String url : links.historicUrlsOrEmpty()) {
            try {
                text.append(download(url));
                if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') text.append('\n');
            } catch (IOException | RuntimeException e) {
                notes.append(notes.isEmpty() ? "" : "; ").append("a log archive could not be read: ").append(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String t = text.toString();
        if (t.length() > MAX_BYTES) {
            t = t.substring(t.length() - MAX_BYTES);
            t = t.substring(Math.max(0, t.indexOf('\n') + 1));
            notes.append(notes.isEmpty() ? "" : "; ").append("only the last 1 MiB is shown");
        }
        if (links.historicUrlsOrEmpty().isEmpty() && notes.isEmpty()) notes.append("no archived logs yet");
        return new LogText(t, notes.isEmpty() ? null : notes.toString());
    }

    private String download(String url) throws IOException, InterruptedException {
        URI u = URI.create(url);
        if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme())) {
            throw new IOException("not an http(s) URL");
        }
        // no Authorization header: presigned URLs carry their own signature, and the token must not leave the API
        HttpRequest req = HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<InputStream> resp = http.get().send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = resp.body()) {
            if (resp.statusCode() / 100 != 2) {
                throw new IOException("HTTP " + resp.statusCode() + " from " + u.getHost());
            }
            byte[] bytes = in.readNBytes(4 * MAX_BYTES);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
