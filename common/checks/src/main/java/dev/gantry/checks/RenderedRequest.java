package dev.gantry.checks;

import java.net.URI;
import java.util.Map;

/** A check's request with every template filled in: what goes on the wire. Header names as written. */
public record RenderedRequest(String checkName, String method, URI uri, Map<String, String> headers, byte[] body,
                              String display) {

    /** Same scheme, host and port (default ports filled in). */
    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b);
    }

    public static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
