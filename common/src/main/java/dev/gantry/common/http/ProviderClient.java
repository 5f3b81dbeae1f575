package dev.gantry.common.http;

import feign.Client;
import feign.MethodMetadata;
import feign.Request;
import feign.Response;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Feign's transport: each call through {@link Transport} (deadline on the whole answer, capped body) and the
 * {@link RetryExecutor} (the one retry policy). GET, HEAD, PUT, DELETE and OPTIONS are idempotent unless marked
 * {@link NotIdempotent}; POST and PATCH are not, unless marked {@link Idempotent}. A failed answer comes out as a
 * {@link ProviderException}; for interface methods that return {@link Response}, answers that are not retried
 * (a 400, a 409) are handed back as they are.
 */
final class ProviderClient implements Client {
    private static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final String provider;
    private final Transport transport;
    private final RetryExecutor executor;
    private final Duration requestTimeout;
    private final List<String> requestIdHeaders;

    ProviderClient(String provider, Transport transport, RetryExecutor executor, Duration requestTimeout,
                   List<String> requestIdHeaders) {
        this.provider = provider;
        this.transport = transport;
        this.executor = executor;
        this.requestTimeout = requestTimeout;
        this.requestIdHeaders = requestIdHeaders;
    }

    @Override
    public Response execute(Request request, Request.Options options) {
        String operation = ApiErrorDecoder.operation(request);
        return executor.call(operation, idempotent(request), () -> once(request, operation));
    }

    static boolean idempotent(Request request) {
        MethodMetadata md = request.requestTemplate() == null ? null : request.requestTemplate().methodMetadata();
        java.lang.reflect.Method m = md == null ? null : md.method();
        return switch (request.httpMethod()) {
            case GET, HEAD, PUT, DELETE, OPTIONS, TRACE -> m == null || !m.isAnnotationPresent(NotIdempotent.class);
            default -> m != null && m.isAnnotationPresent(Idempotent.class);
        };
    }

    private Response once(Request request, String operation) {
        Duration timeout = executor.deadline().capRequest(requestTimeout);
        if (timeout.isZero()) throw executor.deadline().exceeded("before " + operation, null);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(request.url())).timeout(timeout);
        for (Map.Entry<String, Collection<String>> h : request.headers().entrySet()) {
            if (RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) continue;
            for (String v : h.getValue()) b.header(h.getKey(), v);
        }
        byte[] data = request.body();
        b.method(request.httpMethod().name(), data == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(data));
        Transport.Answer a;
        try {
            a = transport.exchange(b.build(), timeout, Transport.DEFAULT_MAX_BODY);
        } catch (IOException e) {
            throw new ProviderException(provider, 0, null, "could not complete the request: " + root(e), null,
                    operation, e, null, false, Transport.neverSent(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(provider, 0, null, "interrupted", null, operation, e);
        }
        Map<String, Collection<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(new LinkedHashMap<String, Collection<String>>(a.headers().map()));
        if (RETRYABLE.contains(a.status()) || a.status() == 403) {
            ProviderException pe = ApiErrorDecoder.failure(provider, a.status(), headers, a.body(), operation,
                    requestIdHeaders, executor.time().now());
            if (pe.isTransient()) throw pe;
        }
        if (a.truncated() && a.status() / 100 == 2) {
            throw new ProviderException(provider, a.status(), null, "the answer was larger than "
                    + Transport.DEFAULT_MAX_BODY / (1024 * 1024) + " MiB; not read", null, operation, null);
        }
        return Response.builder().status(a.status()).reason("").headers(headers).body(a.body())
                .request(request).build();
    }

    static String root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}
