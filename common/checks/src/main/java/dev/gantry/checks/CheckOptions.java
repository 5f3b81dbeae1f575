package dev.gantry.checks;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a check is sent and repeated, Hurl's {@code [Options]}: {@code timeout} (null: the run's request timeout),
 * redirects ({@code location}: followed, headers the check sets for its origin, {@code Authorization} and cookies
 * included, are not sent to another origin unless {@code trusted}; the action's own headers never are),
 * {@code maxRedirects}, the HTTP version, TLS, and the flow: {@code delay} before the first attempt,
 * {@code retry} more attempts on any failure ({@code -1}: until the run's wait timeout) {@code retryInterval}
 * apart, {@code repeat} runs in a row, {@code skip}. {@code compressed} asks for gzip/deflate and decodes it.
 */
public record CheckOptions(Duration timeout, Redirects redirects, int maxRedirects, HttpVersion version, Tls tls,
                           int retry, Duration retryInterval, Duration delay, int repeat, boolean skip,
                           boolean compressed) {

    public enum Redirects { NONE, FOLLOW, TRUSTED }

    /** {@code AUTO}: HTTP/2 over TLS when the server offers it, HTTP/1.1 on plain http (no h2c upgrade). */
    public enum HttpVersion { AUTO, HTTP_1_1, HTTP_2 }

    /**
     * A CA bundle (PEM) trusted besides the system's, a client certificate and key (PEM; the key PKCS#8), and
     * {@code insecure}: no certificate or host name check at all (only by explicit opt-in, with a warning).
     */
    public record Tls(Path ca, Path cert, Path key, boolean insecure) {
        public static final Tls DEFAULT = new Tls(null, null, null, false);
    }

    public static final CheckOptions DEFAULT = new CheckOptions(null, Redirects.NONE, 10, HttpVersion.AUTO, Tls.DEFAULT,
            0, Duration.ofSeconds(1), Duration.ZERO, 1, false, false);

    public boolean followsRedirects() {
        return redirects != Redirects.NONE;
    }
}
