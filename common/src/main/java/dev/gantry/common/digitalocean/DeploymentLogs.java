package dev.gantry.common.digitalocean;

import dev.gantry.common.http.BaseUrl;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.Transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * Build and deploy logs of a deployment. The API answers with presigned {@code historic_urls}; each is fetched
 * with a plain GET <em>without</em> the API token (the signature in the URL is the credential), only over https
 * from DigitalOcean's own hosts (or the API's host), never following a redirect, within the step's deadline, and
 * only the last {@link #MAX_BYTES} of all archives together are kept in memory. The text is the provider's: print
 * it only through {@code Log.untrusted}.
 */
public final class DeploymentLogs {
    /** At most this much log text is kept (the tail), so a huge build log cannot flood the job log or the heap. */
    public static final int MAX_BYTES = 1024 * 1024;
    /** One archive download never takes longer than this (and never past the step's deadline). */
    static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(60);
    /** Where App Platform's presigned log archives are served from. */
    private static final String[] LOG_HOST_SUFFIXES = {".digitaloceanspaces.com", ".ondigitalocean.app", ".digitalocean.com"};

    private final AppsApi api;
    private final HttpApi http;
    private Transport plain;

    /** A client for presigned URLs (no token, no redirects) is built only when a log is fetched. */
    public DeploymentLogs(AppsApi api, HttpApi http) {
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
                return new LogText("", "no " + type.toLowerCase(Locale.ROOT) + " logs (that stage did not run)");
            }
            return new LogText("", "could not list the logs: " + e.getMessage());
        }
        StringBuilder text = new StringBuilder();
        StringBuilder notes = new StringBuilder();
        boolean cut = false;
        for (String url : links.historicUrlsOrEmpty()) {
            if (http.deadline().capRequest(Duration.ofSeconds(1)).isZero()) {
                note(notes, "the step's time ran out before every log archive was read");
                break;
            }
            try {
                Transport.Answer a = download(url);
                cut |= a.truncated();
                text.append(new String(a.body(), StandardCharsets.UTF_8));
                if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') text.append('\n');
                if (text.length() > MAX_BYTES) {
                    text.delete(0, text.length() - MAX_BYTES);
                    cut = true;
                }
            } catch (IOException | RuntimeException e) {
                note(notes, "a log archive could not be read: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String t = text.toString();
        if (cut) {
            t = t.substring(Math.max(0, t.indexOf('\n') + 1));
            note(notes, "only the last 1 MiB is shown");
        }
        if (links.historicUrlsOrEmpty().isEmpty() && notes.isEmpty()) notes.append("no archived logs yet");
        return new LogText(t, notes.isEmpty() ? null : notes.toString());
    }

    private static void note(StringBuilder notes, String n) {
        notes.append(notes.isEmpty() ? "" : "; ").append(n);
    }

    private Transport.Answer download(String url) throws IOException, InterruptedException {
        URI u = allowed(url, http.baseUrl());
        // no Authorization header: presigned URLs carry their own signature, and the token must not leave the API
        Duration timeout = http.deadline().capRequest(DOWNLOAD_TIMEOUT);
        HttpRequest req = HttpRequest.newBuilder(u).timeout(timeout).GET().build();
        Transport.Answer a = plain().exchangeTail(req, timeout, MAX_BYTES);
        if (a.status() / 100 != 2) {
            throw new IOException("HTTP " + a.status() + " from " + u.getHost());
        }
        return a;
    }

    /**
     * {@code url} when it may be fetched: https (http only on loopback, as for the API) from a DigitalOcean host or
     * the API's own host. Anything else is refused: a hostile answer must not make us fetch, and print, another site.
     */
    static URI allowed(String url, URI api) throws IOException {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("not a URL");
        }
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        boolean scheme = "https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && BaseUrl.isLoopback(host));
        boolean knownHost = host.equals(api.getHost().toLowerCase(Locale.ROOT));
        for (String suffix : LOG_HOST_SUFFIXES) knownHost |= host.endsWith(suffix);
        if (!scheme || !knownHost) {
            throw new IOException("refused to fetch a log archive from " + (u.getScheme() == null ? "" : u.getScheme() + "://")
                    + host + " (only https from DigitalOcean's hosts or the API's)");
        }
        return u;
    }

    private synchronized Transport plain() {
        if (plain == null) {
            plain = new Transport(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build());
        }
        return plain;
    }
}
