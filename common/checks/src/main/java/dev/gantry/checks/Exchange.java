package dev.gantry.checks;

import dev.gantry.common.action.Durations;
import dev.gantry.common.http.Transport;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one rendered request and reads the answer: the whole of it (every redirect hop, headers and body) within
 * the timeout, the body kept up to a cap (the rest is not read). Redirects, when the check follows them, are
 * followed here rather than by the client, so that headers meant for one origin never reach another.
 */
final class Exchange {
    /** Headers the HTTP client sets itself; a check that sets them is refused when the file is read. */
    static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "te", "trailer", "keep-alive", "http2-settings");

    /** No response: a connection failure or a timeout. */
    static final class TransportException extends RuntimeException {
        TransportException(String m) {
            super(m, null, false, false);
        }
    }

    private Exchange() {
    }

    static Response send(HttpClients clients, RenderedRequest first, CheckOptions options, Duration timeout, long maxBody) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        URI uri = first.uri();
        String method = first.method();
        byte[] body = first.body();
        Map<String, String> headers = new LinkedHashMap<>(first.headers());
        List<String> redirects = new ArrayList<>();
        while (true) {
            HttpClient client = clients.client(options.version(), options.tls(), "http".equalsIgnoreCase(uri.getScheme()));
            HttpResponse<Transport.Capped> r = once(client, method, uri, headers, body, deadline, timeout, maxBody);
            int status = r.statusCode();
            String location = r.headers().firstValue("location").orElse(null);
            boolean redirect = options.followsRedirects() && location != null
                    && (status == 301 || status == 302 || status == 303 || status == 307 || status == 308);
            if (!redirect) {
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                return response(r, uri, redirects, maxBody, ms);
            }
            if (redirects.size() >= options.maxRedirects()) {
                throw new TransportException("more than " + options.maxRedirects() + " redirects (max-redirects)");
            }
            URI next;
            try {
                next = uri.resolve(location.strip());
            } catch (IllegalArgumentException e) {
                throw new TransportException("a redirect to an invalid Location: " + e.getMessage());
            }
            if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new TransportException("a redirect to a " + next.getScheme() + ": URL, which is not followed");
            }
            redirects.add(next.toString());
            if (!RenderedRequest.sameOrigin(next, first.uri())) {
                headers.keySet().removeIf(h -> first.originOnly().contains(h.toLowerCase(Locale.ROOT)));
            }
            if (status == 303 || ((status == 301 || status == 302) && method.equals("POST"))) {
                if (!method.equals("HEAD")) method = "GET";
                body = null;
                headers.keySet().removeIf(h -> h.equalsIgnoreCase("content-type"));
            }
            uri = next;
        }
    }

    private static HttpResponse<Transport.Capped> once(HttpClient client, String method, URI uri,
                                                        Map<String, String> headers, byte[] body, long deadline,
                                                        Duration timeout, long maxBody) {
        long left = deadline - System.nanoTime();
        if (left <= 0) throw new TransportException("no complete response within " + Durations.human(timeout));
        Duration leftD = Duration.ofNanos(left);
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(leftD)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            headers.forEach(b::header);
        } catch (IllegalArgumentException e) {
            throw new TransportException("the request cannot be sent: " + e.getMessage());
        }
        CompletableFuture<HttpResponse<Transport.Capped>> f = client.sendAsync(b.build(), Transport.capped(maxBody));
        return await(f, left, timeout);
    }

    private static <T> T await(CompletableFuture<T> f, long leftNanos, Duration timeout) {
        try {
            return f.get(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos)), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TransportException("no complete response within " + Durations.human(timeout));
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof HttpTimeoutException) throw new TransportException("no complete response within " + Durations.human(timeout));
            throw new TransportException(describe(c));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new TransportException("interrupted");
        }
    }

    private static Response response(HttpResponse<Transport.Capped> r, URI uri, List<String> redirects, long maxBody,
                                     long ms) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        Transport.Capped body = r.body();
        byte[] bytes = body.bytes();
        boolean truncated = body.truncated();
        if (bytes.length > maxBody) {
            bytes = java.util.Arrays.copyOf(bytes, (int) maxBody);
            truncated = true;
        }
        X509Certificate cert = r.sslSession().map(s -> {
            try {
                Certificate[] chain = s.getPeerCertificates();
                return chain.length > 0 && chain[0] instanceof X509Certificate x ? x : null;
            } catch (SSLPeerUnverifiedException e) {
                return null;
            }
        }).orElse(null);
        String version = r.version() == HttpClient.Version.HTTP_2 ? "2" : "1.1";
        return new Response(r.statusCode(), version, headers, bytes, truncated, maxBody, uri.toString(), redirects, cert, ms);
    }

    static String describe(Throwable c) {
        String name = c.getClass().getSimpleName();
        String m = c.getMessage();
        if (c instanceof java.net.ConnectException) return "connection refused" + (m == null || m.isBlank() ? "" : " (" + m + ")");
        if (c instanceof java.nio.channels.ClosedChannelException) return "connection closed";
        if (c instanceof javax.net.ssl.SSLHandshakeException) return "TLS handshake failed: " + m;
        if (m == null || m.isBlank()) return name;
        return name + ": " + m;
    }
}
