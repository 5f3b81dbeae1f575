package dev.gantry.checks;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * A check's request with every template filled in: what goes on the wire. Header names as written.
 * {@code originOnly} names (lower case) the headers that must not follow a redirect to another origin: the
 * action's own headers (the {@code headers} input, the bypass secret) and, unless redirects are trusted, the
 * check's {@code Authorization} and {@code Cookie}. {@code display} is the target as logs show it (no userinfo).
 */
public record RenderedRequest(String checkName, String method, URI uri, Map<String, String> headers, byte[] body,
                              String display, Set<String> originOnly) {

    public RenderedRequest {
        originOnly = Set.copyOf(originOnly);
    }

    public RenderedRequest(String checkName, String method, URI uri, Map<String, String> headers, byte[] body,
                           String display) {
        this(checkName, method, uri, headers, body, display, Set.of());
    }

    /** Same scheme, host and port (default ports filled in). */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    public static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
