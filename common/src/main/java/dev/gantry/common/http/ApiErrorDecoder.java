package dev.gantry.common.http;

import feign.Request;
import feign.Response;
import feign.RetryableException;
import feign.codec.ErrorDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Turns a non-2xx answer into a {@link ProviderException}; for 429, 502, 503 and 504 wraps it in a
 * {@link RetryableException} carrying when the provider allows the next attempt.
 */
final class ApiErrorDecoder implements ErrorDecoder {
    static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);
    private static final int MAX_BODY = 64 * 1024;

    private final String provider;
    private final List<String> requestIdHeaders;
    private final Clock clock;

    ApiErrorDecoder(String provider, List<String> requestIdHeaders, Clock clock) {
        this.provider = provider;
        this.requestIdHeaders = requestIdHeaders;
        this.clock = clock;
    }

    @Override
    public Exception decode(String methodKey, Response response) {
        String body = readBody(response);
        ErrorBodies err = ErrorBodies.parse(body);
        String requestId = err.requestId();
        for (String h : requestIdHeaders) {
            if (requestId != null) break;
            requestId = RateLimits.header(response.headers(), h).orElse(null);
        }
        Request req = response.request();
        ProviderException pe = new ProviderException(provider, response.status(), err.code(), err.message(),
                requestId, operation(req), null);
        if (RETRYABLE.contains(response.status())) {
            Long retryAt = RateLimits.retryAt(response.status(), response.headers(), Instant.now(clock))
                    .map(Instant::toEpochMilli).orElse(null);
            return new RetryableException(response.status(), pe.getMessage(), req.httpMethod(), pe, retryAt, req);
        }
        return pe;
    }

    static String operation(Request req) {
        String url = req.url();
        int q = url.indexOf('?');
        String path = q >= 0 ? url.substring(0, q) : url;
        int scheme = path.indexOf("://");
        int slash = scheme >= 0 ? path.indexOf('/', scheme + 3) : path.indexOf('/');
        return req.httpMethod() + " " + (slash >= 0 ? path.substring(slash) : "/");
    }

    private static String readBody(Response response) {
        if (response.body() == null) return "";
        try (InputStream in = response.body().asInputStream()) {
            return new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
