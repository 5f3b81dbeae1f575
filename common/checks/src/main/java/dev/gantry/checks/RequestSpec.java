package dev.gantry.checks;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A check's request. {@code target} is a path appended to the base URL ({@code /api/health}) or an absolute
 * URL; both may hold templates. At most one body: {@code json} (any YAML value), {@code form} (fields) or
 * {@code body} (raw text). {@code timeout} null means the run's request timeout. Redirects are not followed
 * unless asked, so a check sees the 3xx itself.
 */
public record RequestSpec(String method, String target, Map<String, String> headers, Map<String, String> query,
                          Object json, Map<String, String> form, String body, Duration timeout,
                          boolean followRedirects) {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    /** GET, HEAD and OPTIONS: the only methods the soak repeats. */
    public boolean isSafe() {
        return SAFE.contains(method);
    }
}
