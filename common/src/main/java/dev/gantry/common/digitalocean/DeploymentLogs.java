package dev.gantry.common.digitalocean;

import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.RateLimits;
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

        /**
         * The lines of one component, from logs of every component (App Platform starts each line with the
         * component's name: {@code web 2026-11-23T12:00:00Z ...}); null when no line is that component's.
         */
        public LogText ofComponent(String component) {
            StringBuilder b = new StringBuilder();
            String prefix = component + " ";
            for (String line : text.split("\n", -1)) {
                if (line.startsWith(prefix)) b.append(line).append('\n');
            }
            return b.isEmpty() ? null : new LogText(b.toString(), note);
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
        int unread = 0;
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
                // the first few are said; more are counted
                if (unread++ < 5) note(notes, "a log archive could not be read: " + e.getMessage());
            }
        }
        if (unread > 5) note(notes, (unread - 5) + " more log archive(s) could not be read");
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

    /**
     * One archive, through the retry executor like every provider call (a GET: a lost answer, a 429 or a 5xx is
     * asked again). A redirect is never followed, and neither is any other answer but 2xx.
     */
    private Transport.Answer download(String url) throws IOException {
        URI u = allowed(url, http.baseUrl());
        String op = "GET log archive from " + u.getHost();
        Transport.Answer a = http.executor().call(op, true, () -> {
            // no Authorization header: presigned URLs carry their own signature, and the token must not leave the API
            Duration timeout = http.deadline().capRequest(DOWNLOAD_TIMEOUT);
            HttpRequest req = HttpRequest.newBuilder(u).timeout(timeout).GET().build();
            Transport.Answer answer;
            try {
                answer = plain().exchangeTail(req, timeout, MAX_BYTES);
            } catch (IOException e) {
                throw new ProviderException("DigitalOcean", 0, null, "log archive: " + e, null, op, e, null, false,
                        Transport.neverSent(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException("DigitalOcean", 0, null, "interrupted", null, op, e);
            }
            int status = answer.status();
            if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504) {
                java.time.Instant retryAt = RateLimits.retryAt(status, new java.util.HashMap<>(answer.headers().map()),
                        http.time().now()).orElse(null);
                throw new ProviderException("DigitalOcean", status, null, "log archive", null, op, null, retryAt,
                        status == 429, false);
            }
            return answer;
        });
        if (a.status() / 100 == 3) {
            throw new IOException("HTTP " + a.status() + " from " + u.getHost() + ": a redirect, not followed");
        }
        if (a.status() / 100 != 2) {
            throw new IOException("HTTP " + a.status() + " from " + u.getHost());
        }
        return a;
    }

    /**
     * {@code url} when it may be fetched: https from a DigitalOcean host, or the API's own origin (scheme, host and
     * port; http only where the API itself is on loopback). Anything else is refused: a hostile answer must not make
     * us fetch, and print, another site.
     */
    static URI allowed(String url, URI api) throws IOException {
        URI u;
        try {
            u = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new IOException("refused to fetch a log archive: not a URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
        boolean sameOrigin = scheme.equals(api.getScheme()) && host.equals(api.getHost().toLowerCase(Locale.ROOT))
                && port(u) == port(api);
        boolean digitalOcean = false;
        for (String suffix : LOG_HOST_SUFFIXES) digitalOcean |= host.endsWith(suffix);
        digitalOcean &= scheme.equals("https");
        if (u.getRawUserInfo() != null || !(sameOrigin || digitalOcean)) {
            throw new IOException("refused to fetch a log archive from " + (scheme.isEmpty() ? "" : scheme + "://")
                    + host + (u.getPort() < 0 ? "" : ":" + u.getPort())
                    + " (only https from DigitalOcean's hosts, or the API's own origin)");
        }
        return u;
    }

    private static int port(URI u) {
        if (u.getPort() >= 0) return u.getPort();
        return "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
    }

    private synchronized Transport plain() {
        if (plain == null) {
            plain = new Transport(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                    .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build());
        }
        return plain;
    }
}
