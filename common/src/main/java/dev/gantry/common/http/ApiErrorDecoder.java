package dev.gantry.common.http;

import feign.Request;
import feign.Response;
import feign.codec.ErrorDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a non-2xx answer into a {@link ProviderException} carrying what the provider said and when it allows the
 * next attempt. Retrying is not Feign's business here: {@link ProviderClient} has done it through the
 * {@link RetryExecutor} before an answer reaches this decoder.
 */
final class ApiErrorDecoder implements ErrorDecoder {
    /**
     * GitHub's wait for a secondary limit that gives neither {@code retry-after} nor an exhausted
     * {@code x-ratelimit-remaining}: "Otherwise, wait for at least one minute before retrying" (Rate limits for
     * the REST API, "Exceeding the rate limit"). Sooner attempts may get the integration banned.
     */
    static final java.time.Duration SECONDARY_LIMIT_WAIT = java.time.Duration.ofMinutes(1);

    private final String provider;
    private final List<String> requestIdHeaders;
    private final Time time;

    ApiErrorDecoder(String provider, List<String> requestIdHeaders, Time time) {
        this.provider = provider;
        this.requestIdHeaders = requestIdHeaders;
        this.time = time;
    }

    @Override
    public Exception decode(String methodKey, Response response) {
        byte[] body;
        if (response.body() == null) {
            body = new byte[0];
        } else {
            try (InputStream in = response.body().asInputStream()) {
                body = in.readNBytes(ErrorBodies.MAX_BODY);
            } catch (IOException e) {
                body = new byte[0];
            }
        }
        return failure(provider, response.status(), response.headers(), body, operation(response.request()),
                requestIdHeaders, time.now());
    }

    /** The failure an answer with {@code status} means. */
    static ProviderException failure(String provider, int status, Map<String, Collection<String>> headers, byte[] body,
                                     String operation, List<String> requestIdHeaders, Instant now) {
        String text = new String(body, 0, Math.min(body.length, ErrorBodies.MAX_BODY), java.nio.charset.StandardCharsets.UTF_8);
        ErrorBodies err = ErrorBodies.parse(text);
        String requestId = err.requestId();
        for (String h : requestIdHeaders) {
            if (requestId != null) break;
            requestId = RateLimits.header(headers, h).orElse(null);
        }
        Instant retryAt = RateLimits.retryAt(status, headers, now).orElse(null);
        boolean rateLimited = status == 429 || (status == 403 && isRateLimit403(headers, retryAt, text));
        if (rateLimited && status == 403 && retryAt == null) retryAt = now.plus(SECONDARY_LIMIT_WAIT);
        return new ProviderException(provider, status, err.code(), err.message(), requestId, operation, null,
                retryAt, rateLimited, false);
    }

    /**
     * A 403 that is a rate limit, not a permission problem: GitHub answers its secondary limits (and its older
     * "abuse detection" mechanism) with 403 plus {@code Retry-After}, or with {@code x-ratelimit-remaining: 0}, or
     * with neither and only "an error message that indicates that you exceeded a secondary rate limit" ("You have
     * exceeded a secondary rate limit...", "You have triggered an abuse detection mechanism...").
     */
    static boolean isRateLimit403(Map<String, Collection<String>> headers, Instant retryAt, String body) {
        if (RateLimits.header(headers, "retry-after").isPresent()) return true;
        if ("0".equals(RateLimits.header(headers, "x-ratelimit-remaining").orElse(null))) return true;
        String b = body.toLowerCase(Locale.ROOT);
        return b.contains("rate limit") || b.contains("abuse detection");
    }

    static String operation(Request req) {
        if (req == null) return null;
        return operation(req.httpMethod().name(), req.url());
    }

    /** {@code METHOD /path}, without the query (which may carry ids we do not want in every message). */
    static String operation(String method, String url) {
        int q = url.indexOf('?');
        String path = q >= 0 ? url.substring(0, q) : url;
        int scheme = path.indexOf("://");
        int slash = scheme >= 0 ? path.indexOf('/', scheme + 3) : path.indexOf('/');
        return method + " " + (slash >= 0 ? path.substring(slash) : "/");
    }
}
